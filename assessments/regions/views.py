"""A region's heat map and PDF (region coordinators), a round's consent to share with its
regions (coordinators of the municipality), and setting up a region without /admin: a
municipality's regions page, creating a region, answering a region's invitation, and the
region's management page (coordinators of its lead): HTTP only."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assessments import access
from assessments.common.downloads import download
from assessments.common.errors import error_page
from assessments.common.refusals import refusal_as_message, refusal_on_form
from assessments.common.securitylog import client_ip
from assessments.members import invitations
from assessments.members.invitations import send_invitation
from assessments.models import Invitation, Region, RegionInvitation
from assessments.regions import services as region_services
from assessments.regions.forms import RegionCoordinatorForm, RegionForm, RegionInviteForm
from assessments.regions.overview import SORT_BY_NAME, build_region_overview, render_region_pdf
from assessments.reports.build import report_language


@require_GET
@access.member_required
def region(request: HttpRequest, region_id: int) -> HttpResponse:
    region = access.get_region_for_view(request.user, region_id)
    overview = build_region_overview(region, sort=request.GET.get("sorteer", SORT_BY_NAME))
    return render(request, "assessments/regions/region.html", {"overview": overview})


@require_GET
@access.member_required
def region_pdf(request: HttpRequest, region_id: int) -> HttpResponse:
    region = access.get_region_for_view(request.user, region_id)
    overview = build_region_overview(region)
    return download(
        render_region_pdf(overview, language=report_language()),
        filename=overview.filename,
        content_type="application/pdf",
    )


@require_POST
@access.member_required
def region_consent(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = access.get_assessment_for_consent(request.user, pk)
    shares = request.POST.get("delen") == "ja"
    region_services.set_region_consent(
        assessment=assessment, user=request.user, shares=shares, ip=client_ip(request)
    )
    if shares:
        messages.success(request, _("Deze meting wordt gedeeld met de regio."))
    else:
        messages.success(request, _("Deze meting wordt niet meer gedeeld met de regio."))
    return redirect("assessments:results", pk=assessment.pk)


@require_GET
@access.member_required
def municipality_regions(request: HttpRequest, municipality_id: int) -> HttpResponse:
    """The municipality's regions and the invitations it has to answer: coordinators."""
    municipality = access.get_municipality_for_regions(request.user, municipality_id)
    return render(
        request,
        "assessments/regions/municipality_regions.html",
        {
            "municipality": municipality,
            "regions": Region.objects.filter(members=municipality).select_related("lead"),
            "invitations": RegionInvitation.objects.pending()
            .filter(municipality=municipality)
            .select_related("region__lead", "invited_by"),
        },
    )


@require_http_methods(["GET", "POST"])
@access.member_required
def region_create(request: HttpRequest, municipality_id: int) -> HttpResponse:
    municipality = access.get_municipality_for_regions(request.user, municipality_id)
    form = RegionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refusal_on_form(form):
            region = region_services.create_region(
                lead=municipality,
                name=form.cleaned_data["name"],
                kind=form.cleaned_data["kind"],
                created_by=request.user,
                ip=client_ip(request),
            )
            messages.success(
                request,
                _("De regio %(r)s is aangemaakt. Nodig nu de andere gemeenten uit.")
                % {"r": region.name},
            )
            return redirect("assessments:region_manage", region_id=region.pk)
    return render(
        request,
        "assessments/regions/region_create.html",
        {"municipality": municipality, "form": form},
        status=400 if form.errors else 200,
    )


@require_POST
@access.member_required
def region_invitation_answer(
    request: HttpRequest, municipality_id: int, invitation_id: int
) -> HttpResponse:
    """Accept or decline a region's invitation: coordinators of the invited municipality."""
    invitation = access.get_region_invitation_for_answer(
        request.user, municipality_id, invitation_id
    )
    decision = request.POST.get("besluit")
    if decision not in {"aannemen", "afwijzen"}:
        return error_page(request, 400, _("Ongeldig antwoord"), _("Kies aannemen of afwijzen."))
    with refusal_as_message(request):
        region_services.answer_region_invitation(
            invitation=invitation,
            accept=decision == "aannemen",
            answered_by=request.user,
            ip=client_ip(request),
        )
        if decision == "aannemen":
            messages.success(
                request,
                _("%(m)s hoort nu bij %(r)s. Per meting kiest u zelf of u die met de regio deelt.")
                % {"m": invitation.municipality, "r": invitation.region},
            )
        else:
            messages.success(
                request, _("U heeft de uitnodiging van %(r)s afgewezen.") % {"r": invitation.region}
            )
    return redirect("assessments:municipality_regions", municipality_id=municipality_id)


@require_GET
@access.member_required
def region_manage(request: HttpRequest, region_id: int) -> HttpResponse:
    region = access.get_region_for_manage(request.user, region_id)
    return _manage_page(request, region, RegionInviteForm(region=region), RegionCoordinatorForm())


def _manage_page(
    request: HttpRequest,
    region: Region,
    invite_form: RegionInviteForm,
    coordinator_form: RegionCoordinatorForm,
) -> HttpResponse:
    return render(
        request,
        "assessments/regions/region_manage.html",
        {
            "region": region,
            "members": region.members.order_by("name"),
            "invitations": region.invitations.select_related("municipality", "decided_by"),
            "coordinators": region.memberships.select_related("user").order_by(
                "user__last_name", "user__username"
            ),
            "coordinator_invitations": Invitation.objects.pending().filter(region=region),
            "invite_form": invite_form,
            "coordinator_form": coordinator_form,
            "now": timezone.now(),
        },
        status=400 if invite_form.errors or coordinator_form.errors else 200,
    )


@require_POST
@access.member_required
def region_invite(request: HttpRequest, region_id: int) -> HttpResponse:
    """Invite a municipality to join: coordinators of the region's lead."""
    region = access.get_region_for_manage(request.user, region_id)
    form = RegionInviteForm(request.POST, region=region)
    if form.is_valid():
        with refusal_on_form(form):
            invitation = region_services.invite_municipality(
                region=region,
                municipality=form.cleaned_data["municipality"],
                invited_by=request.user,
                ip=client_ip(request),
            )
            messages.success(
                request,
                _(
                    "%(m)s is uitgenodigd. Een coördinator van %(m)s neemt de uitnodiging aan "
                    "op de pagina Regio's van die gemeente."
                )
                % {"m": invitation.municipality},
            )
            return redirect("assessments:region_manage", region_id=region.pk)
    return _manage_page(request, region, form, RegionCoordinatorForm())


@require_POST
@access.member_required
def region_coordinator_appoint(request: HttpRequest, region_id: int) -> HttpResponse:
    """Appoint a regio-coördinator by e-mail address (an invitation when there is no
    account): coordinators of the region's lead."""
    region = access.get_region_for_manage(request.user, region_id)
    form = RegionCoordinatorForm(request.POST)
    if form.is_valid():
        with refusal_on_form(form):
            appointment = region_services.appoint_region_coordinator(
                region=region,
                email=form.cleaned_data["email"],
                name=form.cleaned_data["name"],
                appointed_by=request.user,
                ip=client_ip(request),
            )
            if appointment.invitation is not None:
                send_invitation(request, appointment.invitation, appointment.token)
                messages.success(
                    request,
                    _(
                        "Er is nog geen account met dit e-mailadres. %(email)s krijgt een "
                        "uitnodiging per e-mail; de link werkt 7 dagen."
                    )
                    % {"email": appointment.invitation.email},
                )
            else:
                messages.success(
                    request,
                    _("%(name)s is nu regio-coördinator.")
                    % {
                        "name": appointment.membership.user.get_full_name()
                        or appointment.membership.user.get_username()
                    },
                )
            return redirect("assessments:region_manage", region_id=region.pk)
    return _manage_page(request, region, RegionInviteForm(region=region), form)


@require_POST
@access.member_required
def region_coordinator_remove(
    request: HttpRequest, region_id: int, membership_id: int
) -> HttpResponse:
    membership = access.get_region_coordinator_for_manage(request.user, region_id, membership_id)
    region_services.remove_region_coordinator(
        membership=membership, removed_by=request.user, ip=client_ip(request)
    )
    messages.success(request, _("De regio-coördinator is verwijderd."))
    return redirect("assessments:region_manage", region_id=region_id)


@require_POST
@access.member_required
def region_invitation_withdraw(
    request: HttpRequest, region_id: int, invitation_id: int
) -> HttpResponse:
    """Take back an unanswered invitation to a municipality: the lead's coordinators."""
    invitation = access.get_region_invitation_for_withdraw(request.user, region_id, invitation_id)
    region_services.withdraw_region_invitation(
        invitation=invitation, withdrawn_by=request.user, ip=client_ip(request)
    )
    messages.success(
        request,
        _("De uitnodiging aan %(m)s is ingetrokken.") % {"m": invitation.municipality},
    )
    return redirect("assessments:region_manage", region_id=region_id)


@require_POST
@access.member_required
def region_coordinator_invitation_withdraw(
    request: HttpRequest, region_id: int, invitation_id: int
) -> HttpResponse:
    """Withdraw an open invitation to become regio-coördinator: its link stops working."""
    invitation = access.get_coordinator_invitation_for_manage(
        request.user, region_id, invitation_id
    )
    invitations.withdraw_invitation(request, invitation)
    return redirect("assessments:region_manage", region_id=region_id)
