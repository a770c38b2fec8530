"""Partner links: the coordinator's pages, and the partner's way in and step pages.

A partner is never logged in. The entry checks the signed link (django-sesame, scoped
to the link) and puts the link's id in a fresh session; every partner page then asks
``access.get_partner_link_for_session``, which checks on each request that the link is
neither revoked nor expired and the round still open. The step page and the autosave
are the members' own (``rounds.questionnaire``), for the link's hidden user.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from sesame import settings as sesame_settings
from sesame.backends import ModelBackend as SesameBackend

from assessments import access
from assessments.api.authentication import FailedTokenThrottle
from assessments.common.refusals import refusal_as_message, refusal_on_form
from assessments.common.securitylog import client_ip, log_event
from assessments.models import Answer, PartnerLink
from assessments.partners import services as partner_services
from assessments.partners.forms import PartnerLinkForm
from assessments.rounds.questionnaire import (
    StepUrls,
    autosave_answer,
    build_step_page,
    step_page_response,
    step_progress,
)

# --- The coordinator's pages -------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@access.member_required
def partner_links(request: HttpRequest, pk: int) -> HttpResponse:
    """The round's partner links with their status, and the form for a new one."""
    if request.method == "POST":  # a new link: coordinators of an open round
        assessment = access.get_assessment_for_manage(request.user, pk)
    else:
        assessment = access.get_assessment_for_partner_links(request.user, pk)
    form = PartnerLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refusal_on_form(form):
            link = partner_services.create_partner_link(
                assessment=assessment,
                organisation=form.cleaned_data["organisation"],
                perspective=form.cleaned_data["perspective"],
                expires_at=form.cleaned_data["last_day"],
                contact_name=form.cleaned_data["contact_name"],
                contact_email=form.cleaned_data["contact_email"],
                created_by=request.user,
                ip=client_ip(request),
            )
            messages.success(request, _("De partnerlink is gemaakt."))
            return redirect("assessments:partner_link", pk=pk, link_id=link.pk)
    return render(
        request,
        "assessments/partners/partner_links.html",
        {
            "assessment": assessment,
            "links": partner_services.links_of_round(assessment),
            "form": form,
            "now": timezone.now(),
        },
        status=400 if form.errors else 200,
    )


@require_GET
@access.member_required
def partner_link(request: HttpRequest, pk: int, link_id: int) -> HttpResponse:
    """One link to show in a workshop: the address and its QR code (an SVG made here)."""
    link = access.get_partner_link_for_manage(request.user, pk, link_id)
    address = qr = ""
    if not link.unusable_reason():
        address = request.build_absolute_uri(
            reverse("assessments:partner_entry", args=[link.pk])
        ) + partner_services.link_query_string(link)
        # An <img> needs a standalone SVG (see accounts.views._qr_data_uri).
        qr = segno.make(address, error="m").svg_data_uri(scale=8, dark="#101828")
    return render(
        request,
        "assessments/partners/partner_link.html",
        {"assessment": link.assessment, "link": link, "address": address, "qr": qr},
    )


@require_POST
@access.member_required
def partner_link_revoke(request: HttpRequest, pk: int, link_id: int) -> HttpResponse:
    link = access.get_partner_link_for_manage(request.user, pk, link_id)
    with refusal_as_message(request):
        partner_services.revoke_partner_link(
            link=link, revoked_by=request.user, ip=client_ip(request)
        )
        messages.success(
            request,
            _("De link van %(org)s is ingetrokken. De antwoorden blijven in de meting.")
            % {"org": link.organisation},
        )
    return redirect("assessments:partner_links", pk=pk)


# --- The partner's pages -----------------------------------------------------------------


class FailedLinkThrottle(FailedTokenThrottle):
    """Wrong partner links per client address (``PARTNER_LINK_RATE_FAILED``): the API's
    count of wrong tokens, with its own counter and rate."""

    scope = "failed_partner_link"

    def get_rate(self) -> str:
        return settings.PARTNER_LINK_RATE_FAILED


def _refused(request: HttpRequest, message: str, status: int) -> HttpResponse:
    return render(
        request, "assessments/partners/link_refused.html", {"message": message}, status=status
    )


def _log_refused(request: HttpRequest, link_id: int, *, result: str) -> None:
    log_event(
        "partner_link_refused",
        request=request,
        action="partnerlink openen",
        obj=f"partnerlink:{link_id}",
        result=result,
    )


@never_cache
@require_GET
def partner_entry(request: HttpRequest, link_id: int) -> HttpResponse:
    """The address in the link and the QR code: check the signed token, start a partner
    session for the link, and continue without the token in the address."""
    throttle = FailedLinkThrottle()
    if throttle.is_blocked(request):
        _log_refused(request, link_id, result="te vaak")
        response = _refused(
            request,
            _("Te veel pogingen met een link die niet klopt. Probeer het over een minuut opnieuw."),
            status=429,
        )
        response["Retry-After"] = str(int(throttle.wait() or 60))
        return response
    link = PartnerLink.objects.select_related("user", "assessment").filter(pk=link_id).first()
    token = request.GET.get(sesame_settings.TOKEN_NAME) or None
    # django-sesame's own check of the signature, the scope, SESAME_MAX_AGE and an active
    # user; not through django.contrib.auth.authenticate(), because nobody logs in here: a
    # wrong link would be logged as a failed login (docs/decisions/0011-partner-links.md).
    user = SesameBackend().authenticate(request, sesame=token, scope=link.scope) if link else None
    if user is None or user.pk != link.user_id:
        throttle.record_failure(request)
        _log_refused(request, link_id, result="ongeldig")
        return _refused(
            request,
            _(
                "Deze link werkt niet (meer). Misschien is hij ingetrokken, of is hij niet "
                "helemaal overgenomen. Vraag de gemeente om de link opnieuw."
            ),
            status=403,
        )
    problem = link.unusable_reason()
    if problem:
        log_event(
            "partner_link_refused",
            request=request,
            action="partnerlink openen",
            obj=f"partnerlink:{link.pk}",
            result="niet bruikbaar",
        )
        return _refused(request, problem, status=410)
    if request.user.is_authenticated:
        # A partner link on a shared computer must not inherit a member's login.
        logout(request)
    request.session.cycle_key()
    request.session[access.PARTNER_SESSION_KEY] = link.pk
    partner_services.record_use(link=link, ip=client_ip(request))
    return redirect("assessments:partner_home", link_id=link.pk)


def partner_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A partner page: the session's link, checked now (revoked, expired, closed round),
    or the reason in plain Dutch; to an htmx autosave a short text."""

    @wraps(view)
    def wrapper(request: HttpRequest, link_id: int, *args, **kwargs) -> HttpResponse:
        try:
            link = access.get_partner_link_for_session(request.session, link_id)
        except access.PartnerLinkRefused as exc:
            log_event(
                "partner_link_refused",
                request=request,
                action=request.method,
                obj=request.path,
                result="403",
            )
            if request.htmx:
                return HttpResponse(
                    _("%(reason)s Dit antwoord is niet opgeslagen.") % {"reason": exc},
                    status=403,
                    content_type="text/plain; charset=utf-8",
                )
            return _refused(request, str(exc), status=403)
        return view(request, link, *args, **kwargs)

    return never_cache(wrapper)


def _only(link: PartnerLink) -> frozenset[int]:
    return partner_services.partner_question_ids(link.assessment, link.perspective)


@require_GET
@partner_page
def partner_home(request: HttpRequest, link: PartnerLink) -> HttpResponse:
    """What the partner is asked, by whom, until when; the steps with their progress."""
    answered = set(
        Answer.objects.filter(response__assessment=link.assessment, response__respondent=link.user)
        .exclude(value="")
        .values_list("question_id", flat=True)
    )
    steps = step_progress(link.assessment, answered, _only(link))
    # "Verder": the first step with a statement still open (else the first step).
    unfinished = [step for step, progress in steps if progress.answered < progress.total]
    return render(
        request,
        "assessments/partners/partner_home.html",
        {
            "link": link,
            "assessment": link.assessment,
            "steps": steps,
            "next_step": (unfinished or [step for step, _p in steps] or [None])[0],
            "answered": sum(p.answered for _s, p in steps),
            "total": sum(p.total for _s, p in steps),
        },
    )


@require_http_methods(["GET", "POST"])
@partner_page
def partner_questionnaire(request: HttpRequest, link: PartnerLink, step: str) -> HttpResponse:
    """The members' step page, for the link's hidden user and the partner's statements."""
    urls = StepUrls(
        step="assessments:partner_questionnaire",
        answer="assessments:partner_answer",
        owner=link.pk,
        done=reverse("assessments:partner_home", args=[link.pk]),
    )
    # can_edit: a usable link means an open round (partner_page checked it).
    return step_page_response(
        request,
        link.assessment,
        link.user,
        build_step_page(link.assessment, link.user, step, _only(link)),
        urls,
        template="assessments/partners/questionnaire.html",
        can_edit=True,
        extra={"link": link},
    )


@require_POST
@partner_page
def partner_answer(request: HttpRequest, link: PartnerLink, question_id: int) -> HttpResponse:
    """Autosave of one answer (htmx), as on the members' step page."""
    saved = autosave_answer(link.assessment, link.user, question_id, request.POST, _only(link))
    if not saved.error and not request.htmx:
        messages.success(request, _("Uw antwoord is opgeslagen."))
        return redirect(
            "assessments:partner_questionnaire",
            link_id=link.pk,
            step=saved.question.theme.step.code,
        )
    return saved.status_response()


@require_POST
@partner_page
def partner_leave(request: HttpRequest, link: PartnerLink) -> HttpResponse:
    """End the partner session on this device (a shared computer in a workshop)."""
    request.session.flush()
    return render(request, "assessments/partners/partner_left.html", {"link": link})
