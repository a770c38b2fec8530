"""Partner links: make, revoke and open them, and which statements a partner answers.

A link's hidden user answers as any respondent does (``rounds.services.save_answers``);
only the way in differs. Each operation is logged on ``scan.security`` and the link's
changes stay in its history (django-simple-history).
"""

from __future__ import annotations

import datetime
import secrets

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from sesame.utils import get_query_string

from assessments.common.securitylog import actor_label, log_event
from assessments.models import PARTNER_PERSPECTIVES, Assessment, PartnerLink, Response
from assessments.rounds.questionnaire import for_municipality
from readiness.content import outline_for
from readiness.models import Question

# How often last_used_at is written: not on every page a partner opens.
LAST_USED_PRECISION = datetime.timedelta(minutes=5)


def partner_questions(assessment: Assessment, perspective: str) -> list[Question]:
    """The statements a partner with ``perspective`` answers in the round, in the round's
    order: the version's partner module for that perspective (format 3 of the question
    bank, ``Question.partner_perspectives``, in the partner's own voice); in a version
    without one (2026.1, 2027.1), the municipality's own statements. This is the one place
    that chooses; every partner page follows.
    """
    questions = outline_for(assessment.framework).questions
    module = [q for q in questions if perspective in q.partner_perspectives]
    return module or for_municipality(assessment)


def partner_question_ids(assessment: Assessment, perspective: str) -> frozenset[int]:
    return frozenset(q.pk for q in partner_questions(assessment, perspective))


def links_of_round(assessment: Assessment) -> list[PartnerLink]:
    """The round's partner links, each with ``answered`` (how many statements its partner
    answered: a level, "weet niet" or "n.v.t.") and ``total`` (how many it is asked).
    One query."""
    links = list(
        PartnerLink.objects.filter(assessment=assessment)
        .annotate(
            answered=Count(
                "user__responses__answers",
                filter=Q(user__responses__assessment=assessment)
                & ~Q(user__responses__answers__value=""),
            )
        )
        .order_by("organisation", "pk")
    )
    for link in links:
        link.total = len(partner_question_ids(assessment, link.perspective))
    return links


def link_query_string(link: PartnerLink) -> str:
    """``?sesame=…``: the signed token of the link, scoped to it. A new token each time
    (it carries its time of making); every one works until the link ends or is revoked."""
    return get_query_string(link.user, scope=link.scope)


@transaction.atomic
def create_partner_link(
    *,
    assessment: Assessment,
    organisation: str,
    perspective: str,
    expires_at: datetime.datetime,
    created_by,
    contact_name: str = "",
    contact_email: str = "",
    ip: str = "",
) -> PartnerLink:
    """A link for one organisation and perspective in one open round, until ``expires_at``
    (at most ``PartnerLink.MAX_DAYS`` ahead). Its hidden user has an unusable password and
    no membership; its response starts with the link's perspective."""
    organisation = organisation.strip()
    now = timezone.now()
    if not assessment.is_open:
        raise ValidationError(
            _("Deze meting is afgesloten. Een partnerlink kan alleen bij een open meting.")
        )
    if not organisation:
        raise ValidationError(_("Vul de naam van de organisatie in."))
    if perspective not in {p.value for p in PARTNER_PERSPECTIVES}:
        raise ValidationError(_("Kies een perspectief uit de lijst."))
    if expires_at <= now:
        raise ValidationError(_("Kies een einddatum vanaf vandaag."))
    if expires_at > now + datetime.timedelta(days=PartnerLink.MAX_DAYS + 1):
        raise ValidationError(
            _("Een partnerlink werkt hoogstens %(n)s dagen. Kies een eerdere einddatum.")
            % {"n": PartnerLink.MAX_DAYS}
        )
    user = get_user_model()(
        # Never shown to the partner and never typed: a login with it is impossible (no
        # usable password), and it belongs to no municipality.
        username=f"partner-{secrets.token_hex(8)}",
        first_name=organisation[:150],
    )
    user.set_unusable_password()
    user.save()
    link = PartnerLink.objects.create(
        assessment=assessment,
        organisation=organisation,
        perspective=perspective,
        contact_name=contact_name.strip(),
        contact_email=contact_email.strip().lower(),
        user=user,
        created_by=created_by,
        expires_at=expires_at,
    )
    # The partner's answers count as their own perspective from the first save on.
    Response.objects.create(assessment=assessment, respondent=user, perspective=perspective)
    log_event(
        "partner_link",
        ip=ip,
        actor=actor_label(created_by) if created_by is not None else None,
        action="partnerlink aanmaken",
        obj=f"meting:{assessment.pk} partnerlink:{link.pk} perspectief:{perspective}",
    )
    return link


@transaction.atomic
def revoke_partner_link(*, link: PartnerLink, revoked_by, ip: str = "") -> PartnerLink:
    """End a link at once: the link is marked, its hidden user deactivated and given a new
    unusable password, which invalidates every token made for it (django-sesame signs
    the password hash). The partner's answers stay in the round."""
    link = PartnerLink.objects.select_for_update().select_related("user").get(pk=link.pk)
    if link.revoked_at is not None:
        raise ValidationError(_("Deze partnerlink was al ingetrokken."))
    link.revoked_at = timezone.now()
    link.revoked_by = revoked_by
    link.save(update_fields=["revoked_at", "revoked_by"])
    link.user.is_active = False
    link.user.set_unusable_password()
    link.user.save(update_fields=["is_active", "password"])
    log_event(
        "partner_link",
        ip=ip,
        actor=actor_label(revoked_by) if revoked_by is not None else None,
        action="partnerlink intrekken",
        obj=f"meting:{link.assessment_id} partnerlink:{link.pk}",
    )
    return link


def record_use(*, link: PartnerLink, ip: str = "") -> None:
    """A partner opened the link (a valid token): logged, and ``last_used_at`` kept."""
    now = timezone.now()
    if link.last_used_at is None or now - link.last_used_at > LAST_USED_PRECISION:
        PartnerLink.objects.filter(pk=link.pk).update(last_used_at=now)
    log_event(
        "partner_link",
        ip=ip,
        actor=f"partnerlink:{link.pk}",
        action="partnerlink openen",
        obj=f"meting:{link.assessment_id} partnerlink:{link.pk}",
    )
