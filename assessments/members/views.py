"""Members of a municipality and invitations: managed by its coordinators."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from assessments import access
from assessments.common.errors import error_page
from assessments.common.refusals import refusal_as_message, refusal_on_form
from assessments.common.securitylog import client_ip
from assessments.members import acceptance, invitations
from assessments.members import services as member_services
from assessments.members.forms import (
    INVITATION_EXPLANATIONS,
    MEMBER_ROLE_CHOICES,
    ConsultantForm,
    InviteForm,
    RoleForm,
    SetPasswordForm,
)
from assessments.members.invitations import question_count, send_invitation
from assessments.models import Invitation, Membership


@require_http_methods(["GET", "POST"])
@access.member_required
def members(request: HttpRequest, municipality_id: int) -> HttpResponse:
    municipality = access.get_municipality_for_manage(request.user, municipality_id)
    form = InviteForm(request.POST or None, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        with refusal_on_form(form):
            invitation, token = member_services.invite_member(
                municipality=municipality,
                email=form.cleaned_data["email"],
                name=form.cleaned_data["name"],
                perspective=form.cleaned_data["perspective"],
                role=form.cleaned_data["role"],
                assessment=form.cleaned_data["assessment"],
                invited_by=request.user,
                ip=client_ip(request),
            )
            send_invitation(request, invitation, token, form.cleaned_data["answer_by"])
            messages.success(
                request,
                _("Uitnodiging verstuurd naar %(email)s. De link werkt 7 dagen.")
                % {"email": invitation.email},
            )
            return redirect("assessments:members", municipality_id=municipality.pk)
    return _members_page(request, municipality, form, ConsultantForm())


def _members_page(
    request: HttpRequest, municipality, form: InviteForm, consultant_form: ConsultantForm
) -> HttpResponse:
    return render(
        request,
        "assessments/members/members.html",
        {
            "municipality": municipality,
            "memberships": Membership.objects.filter(municipality=municipality)
            .select_related("user")
            .order_by("user__last_name", "user__username"),
            # Open and expired ones alike: an expired invitation can be sent again.
            # A regio-coördinator's invitation is on the region's page instead.
            "invitations": Invitation.objects.pending()
            .filter(municipality=municipality, region__isnull=True)
            .select_related("assessment"),
            "form": form,
            "consultant_form": consultant_form,
            "now": timezone.now(),
            "roles": MEMBER_ROLE_CHOICES,
        },
        status=400 if form.errors or consultant_form.errors else 200,
    )


@require_POST
@access.member_required
def invitation_resend(
    request: HttpRequest, municipality_id: int, invitation_id: int
) -> HttpResponse:
    """A new link and a new expiry, by e-mail again; the old link stops working."""
    invitation = access.get_invitation_for_manage(request.user, municipality_id, invitation_id)
    with refusal_as_message(request):
        invitation, token = member_services.resend_invitation(
            invitation=invitation, resent_by=request.user, ip=client_ip(request)
        )
        send_invitation(request, invitation, token)
        messages.success(
            request,
            _("Uitnodiging opnieuw verstuurd naar %(email)s. De oude link werkt niet meer.")
            % {"email": invitation.email},
        )
    return redirect("assessments:members", municipality_id=municipality_id)


@require_POST
@access.member_required
def invitation_withdraw(
    request: HttpRequest, municipality_id: int, invitation_id: int
) -> HttpResponse:
    invitation = access.get_invitation_for_manage(request.user, municipality_id, invitation_id)
    invitations.withdraw_invitation(request, invitation)
    return redirect("assessments:members", municipality_id=municipality_id)


@require_POST
@access.member_required
def consultant_grant(request: HttpRequest, municipality_id: int) -> HttpResponse:
    """Give a consultant read access until a date (or change the date): coordinators."""
    municipality = access.get_municipality_for_manage(request.user, municipality_id)
    form = ConsultantForm(request.POST)
    if form.is_valid():
        with refusal_on_form(form):
            access_given = member_services.grant_consultant(
                municipality=municipality,
                email=form.cleaned_data["email"],
                valid_until=form.cleaned_data["valid_until"],
                granted_by=request.user,
                ip=client_ip(request),
            )
            if access_given.invitation is not None:
                send_invitation(request, access_given.invitation, access_given.token)
                messages.success(
                    request,
                    _(
                        "Er is nog geen account met dit e-mailadres. De adviseur krijgt een "
                        "uitnodiging per e-mail; na het aannemen is er toegang tot en met "
                        "%(date)s."
                    )
                    % {"date": date_format(access_given.invitation.last_day, "j F Y")},
                )
            else:
                messages.success(
                    request,
                    _("De adviseur heeft nu toegang tot en met %(date)s.")
                    % {"date": date_format(access_given.membership.last_day, "j F Y")},
                )
            return redirect("assessments:members", municipality_id=municipality.pk)
    return _members_page(request, municipality, InviteForm(municipality=municipality), form)


@require_POST
@access.member_required
def consultant_revoke(
    request: HttpRequest, municipality_id: int, membership_id: int
) -> HttpResponse:
    membership = access.get_member_for_manage(request.user, municipality_id, membership_id)
    with refusal_as_message(request):
        member_services.revoke_consultant(
            membership=membership, revoked_by=request.user, ip=client_ip(request)
        )
        messages.success(request, _("De toegang van de adviseur is ingetrokken."))
    return redirect("assessments:members", municipality_id=municipality_id)


@require_POST
@access.member_required
def member_role(request: HttpRequest, municipality_id: int, membership_id: int) -> HttpResponse:
    membership = access.get_member_for_manage(request.user, municipality_id, membership_id)
    form = RoleForm(request.POST)
    if not form.is_valid():
        return error_page(request, 400, _("Ongeldige rol"), _("Kies een rol uit de lijst."))
    with refusal_as_message(request):
        member_services.change_role(membership=membership, role=form.cleaned_data["role"])
        messages.success(request, _("De rol is gewijzigd."))
    return redirect("assessments:members", municipality_id=municipality_id)


@require_http_methods(["GET", "POST"])
@access.member_required
def member_remove(request: HttpRequest, municipality_id: int, membership_id: int) -> HttpResponse:
    membership = access.get_member_for_manage(request.user, municipality_id, membership_id)
    if request.method == "POST":
        with refusal_as_message(request):
            member_services.remove_member(membership=membership)
            messages.success(request, _("Het lid is verwijderd."))
        return redirect("assessments:members", municipality_id=municipality_id)
    return render(
        request, "assessments/members/member_confirm_remove.html", {"membership": membership}
    )


@require_http_methods(["GET", "POST"])
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    """Public: the link from the e-mail. Works once, for 7 days, for the invited address."""
    try:
        invitation = acceptance.find_invitation(token)
    except ValidationError as exc:
        return error_page(request, 410, _("Uitnodiging"), " ".join(exc.messages))
    logged_in = request.user.is_authenticated
    form = None if logged_in else SetPasswordForm(request.POST or None, invitation=invitation)
    if request.method == "POST" and (logged_in or form.is_valid()):
        try:
            user = acceptance.accept_invitation(
                token=token,
                user=request.user if logged_in else None,
                password="" if logged_in else form.cleaned_data["password1"],
                name="" if logged_in else form.cleaned_data["name"],
                ip=client_ip(request),
            )
        except ValidationError as exc:
            if form is None:
                return error_page(request, 403, _("Uitnodiging"), " ".join(exc.messages))
            form.add_error("password1" if "wachtwoord" in str(exc).lower() else None, exc)
        else:
            if not logged_in:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            if invitation.region_id is not None:
                messages.success(
                    request,
                    _("Welkom! U bent nu regio-coördinator van %(r)s.") % {"r": invitation.region},
                )
                return redirect("assessments:region", region_id=invitation.region_id)
            messages.success(
                request,
                _("Welkom! U bent nu lid van %(m)s.") % {"m": invitation.municipality},
            )
            if invitation.assessment_id is not None:
                # Straight to the round the invitation was for.
                return redirect("assessments:detail", pk=invitation.assessment_id)
            return redirect("assessments:home")
    return render(
        request,
        "assessments/members/invitation_accept.html",
        {
            "invitation": invitation,
            "form": form,
            "role_explanation": INVITATION_EXPLANATIONS[invitation.role],
            "answers": invitation.role in member_services.MEMBER_ROLES,
            "question_count": question_count(),
            # Logging in through the identity provider uses the invitation too.
            "sso_enabled": settings.OIDC_ENABLED,
        },
        status=400 if form is not None and form.errors else 200,
    )
