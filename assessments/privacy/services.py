"""A person's data: the statements' text, everything about one person on request
(inzageverzoek) and erasing their personal data while their answers keep counting.

An erased person stays an account, so that their responses, answers and history keep
their author: the name becomes "Invuller (Wonen)" (their perspective's label) and the
e-mail address, password, two-factor devices, API tokens, invitations, memberships and
login records are gone. Every page that shows a name shows that one.
"""

from __future__ import annotations

import json
from typing import Any

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from markdown_it import MarkdownIt

from assessments.common.securitylog import log_event
from assessments.models import (
    Action,
    Answer,
    ApiToken,
    BatchExport,
    Erasure,
    Invitation,
    Membership,
    RegionMembership,
    Reminder,
    ReminderOptOut,
    Response,
    Statement,
)
from assessments.privacy.texts import default_body
from readiness.models import Domain

# CommonMark without raw HTML: staff write headings, lists and links, never a script
# (the CSP would block one anyway). Links with javascript: are refused by markdown-it.
_MARKDOWN = MarkdownIt("commonmark", {"html": False})


# --- Statements ---


def statement_text(kind: str, language: str) -> tuple[str, str]:
    """The Markdown of a statement and its language: the stored text in ``language``,
    else the stored Dutch one, else the default Dutch text from the repository's facts."""
    stored = {
        s.language: s.body
        for s in Statement.objects.filter(kind=kind, language__in=[language, "nl"])
    }
    if language in stored:
        return stored[language], language
    if "nl" in stored:
        return stored["nl"], "nl"
    return default_body(kind), "nl"


def render_markdown(text: str) -> SafeString:
    """HTML of staff-written Markdown; raw HTML in it is escaped, not passed on."""
    return mark_safe(_MARKDOWN.render(text))  # markdown-it escapes: html is off


# --- Erasure ---


def anonymous_name(user) -> str:
    """ "Invuller (Wonen)": the label of the person's perspective (their membership's,
    else their latest response's), in Dutch, as it is stored in the account."""
    perspective = (
        Membership.objects.filter(user=user)
        .exclude(perspective="")
        .values_list("perspective", flat=True)
        .first()
        or Response.objects.filter(respondent=user)
        .exclude(perspective="")
        .order_by("-created_at")
        .values_list("perspective", flat=True)
        .first()
    )
    with translation.override("nl"):
        if perspective in Domain.values:
            return f"Invuller ({Domain(perspective).label})"
        return "Invuller"


def sole_coordinator_of(user) -> list[str]:
    """The municipalities where the person is the only coordinator: after erasure staff
    must appoint another (the confirmation page says so)."""
    mine = Membership.objects.filter(user=user, role=Membership.Role.COORDINATOR)
    return [
        m.municipality.name
        for m in mine.select_related("municipality")
        if not Membership.objects.filter(
            municipality=m.municipality_id, role=Membership.Role.COORDINATOR
        )
        .exclude(user=user)
        .exists()
    ]


def erase_person(*, user, reason: str, actor: str = "", ip: str = "") -> Erasure:
    """Erase the person's personal data; their responses and answers stay, under
    "Invuller (<perspectief>)". Also ends their access: memberships, sessions (the
    password changes), tokens and devices go. Erasing twice changes nothing more."""
    with transaction.atomic():
        user = get_user_model().objects.select_for_update().get(pk=user.pk)
        old_username, old_email, old_name = user.username, user.email, user.get_full_name()
        label = anonymous_name(user)
        Invitation.objects.filter(Q(email__iexact=old_email) if old_email else Q(pk=None)).delete()
        Invitation.objects.filter(accepted_by=user).delete()
        Membership.objects.filter(user=user).delete()
        RegionMembership.objects.filter(user=user).delete()
        ApiToken.objects.filter(user=user).delete()
        BatchExport.objects.filter(requester=user).delete()
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        for model in (AccessAttempt, AccessLog, AccessFailureLog):
            model.objects.filter(username=old_username).delete()
        if old_name:
            # An action's owner may be typed in by name; so may its older versions.
            Action.objects.filter(owner=old_name).update(owner="")
            Action.history.filter(owner=old_name).update(owner="")
        first, _space, last = label.partition(" ")
        user.first_name, user.last_name = first, last
        user.username = f"invuller-{user.pk}"
        user.email = ""
        user.is_active = False
        user.is_staff = False
        user.is_superuser = False
        user.set_unusable_password()
        user.save()
        erasure, _created = Erasure.objects.get_or_create(user=user, defaults={"reason": reason})
    log_event(
        "person_erased",
        actor=actor or "bewaartermijn",
        ip=ip,
        action=reason,
        obj=f"user:{user.pk}",
    )
    return erasure


# --- Inzageverzoek ---


def _time(value) -> str | None:
    return value.isoformat() if value is not None else None


def export_person(user) -> dict[str, Any]:
    """Everything the scan holds about one person, as plain data (JSON-ready).

    Only their own: invitations addressed to them (not those they sent: those hold
    someone else's address), their own responses and answers, their own logins."""
    answers = (
        Answer.objects.filter(response__respondent=user)
        .select_related("response__assessment__municipality", "question")
        .order_by("response_id", "question__code")
    )
    return {
        "account": {
            "id": user.pk,
            "gebruikersnaam": user.username,
            "voornaam": user.first_name,
            "achternaam": user.last_name,
            "e-mailadres": user.email,
            "actief": user.is_active,
            "beheerder": user.is_staff,
            "aangemaakt_op": _time(user.date_joined),
            "laatst_ingelogd": _time(user.last_login),
        },
        "lidmaatschappen": [
            {
                "gemeente": m.municipality.name,
                "rol": m.role,
                "perspectief": m.perspective,
                "aangemaakt_op": _time(m.created_at),
                "geldig_tot": _time(m.valid_until),
            }
            for m in Membership.objects.filter(user=user).select_related("municipality")
        ],
        "regio_lidmaatschappen": [
            str(rm.region)
            for rm in RegionMembership.objects.filter(user=user).select_related("region")
        ],
        "invullingen": [
            {
                "meting": str(r.assessment),
                "perspectief": r.perspective,
                "aangemaakt_op": _time(r.created_at),
                "laatst_bijgewerkt": _time(r.updated_at),
            }
            for r in Response.objects.filter(respondent=user).select_related(
                "assessment__municipality"
            )
        ],
        "antwoorden": [
            {
                "meting": str(a.response.assessment),
                "vraag": a.question.code,
                "antwoord": a.value,
                "toelichting": a.note,
                "laatst_bijgewerkt": _time(a.updated_at),
            }
            for a in answers
        ],
        "eerdere_versies_van_antwoorden": [
            {
                "antwoord_id": h.id,
                "antwoord": h.value,
                "toelichting": h.note,
                "datum": _time(h.history_date),
            }
            for h in Answer.history.filter(response__respondent=user).order_by("history_date")
        ],
        "acties_als_eigenaar": [
            {"meting": str(a.assessment), "titel": a.title, "status": a.status}
            for a in Action.objects.filter(owner_user=user).select_related(
                "assessment__municipality"
            )
        ],
        "uitnodigingen": [
            {
                "gemeente": i.municipality.name,
                "e-mailadres": i.email,
                "naam": i.name,
                "rol": i.role,
                "aangemaakt_op": _time(i.created_at),
                "verloopt_op": _time(i.expires_at),
                "geaccepteerd_op": _time(i.accepted_at),
            }
            for i in Invitation.objects.filter(
                Q(accepted_by=user) | (Q(email__iexact=user.email) if user.email else Q(pk=None))
            ).select_related("municipality")
        ],
        "herinneringen": [
            {"soort": r.kind, "periode": r.period, "verstuurd_op": _time(r.sent_at)}
            for r in Reminder.objects.filter(recipient=user)
        ],
        "afgemeld_voor_herinneringen": ReminderOptOut.objects.filter(user=user).exists(),
        "api_sleutels": [
            {
                "naam": t.name,
                "aangemaakt_op": _time(t.created_at),
                "verloopt_op": _time(t.expires_at),
                "laatst_gebruikt": _time(t.last_used_at),
                "ingetrokken_op": _time(t.revoked_at),
            }
            for t in ApiToken.objects.filter(user=user)
        ],
        "inlogpogingen": [
            {
                "ip": log.ip_address,
                "browser": log.user_agent,
                "ingelogd": _time(log.attempt_time),
                "uitgelogd": _time(log.logout_time),
            }
            for log in AccessLog.objects.filter(username=user.username)
        ]
        + [
            {"ip": f.ip_address, "browser": f.user_agent, "mislukt": _time(f.attempt_time)}
            for f in AccessFailureLog.objects.filter(username=user.username)
        ],
        "beheerhandelingen": [
            {
                "tijd": _time(e.action_time),
                "soort_gegeven": str(e.content_type) if e.content_type_id else "",
                "handeling": e.action_flag,
            }
            for e in LogEntry.objects.filter(user=user).select_related("content_type")
        ],
        "gewist": [
            {"reden": e.reason, "op": _time(e.erased_at)} for e in Erasure.objects.filter(user=user)
        ],
        "gemaakt_op": _time(timezone.now()),
    }


def export_person_json(user, *, actor: str = "", ip: str = "") -> bytes:
    """The inzageverzoek as one JSON file, logged."""
    data = export_person(user)
    log_event("person_exported", actor=actor, ip=ip, action="inzage", obj=f"user:{user.pk}")
    return json.dumps(data, ensure_ascii=False, indent=2).encode()
