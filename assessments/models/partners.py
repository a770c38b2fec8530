"""Partner links: an organisation answers a round through a signed link, without an account.

Each link has its own hidden user (an unusable password, no membership, no login
anywhere else), so that the partner's answers are an ordinary ``Response`` with the
link's perspective. The signed token in the link is django-sesame's, scoped to the link
(``PartnerLink.scope``); docs/decisions/0011-partner-links.md.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from readiness.models import Domain

from .fields import actor_field, round_field
from .periods import period_last_day
from .rounds import Assessment

# The perspectives a partner link can have: the partner codes of ``Domain``.
PARTNER_PERSPECTIVES = [
    Domain.CORPORATIE,
    Domain.ZORGAANBIEDER,
    Domain.ERVARING,
    Domain.POLITIE,
    Domain.GGD,
]


class PartnerLinkQuerySet(models.QuerySet["PartnerLink"]):
    def usable(self, now: datetime.datetime | None = None) -> PartnerLinkQuerySet:
        """Links a partner can answer through now: not revoked, not expired, open round."""
        return self.filter(
            revoked_at__isnull=True,
            expires_at__gt=now or timezone.now(),
            assessment__status=Assessment.Status.OPEN,
        )


class PartnerLink(models.Model):
    """One organisation's way into one open round, with a perspective and an end date."""

    class Status(models.TextChoices):
        ACTIVE = "actief", _("actief")
        EXPIRED = "verlopen", _("verlopen")
        REVOKED = "ingetrokken", _("ingetrokken")

    # A link works for at most this many days; SESAME_MAX_AGE is this limit too.
    MAX_DAYS = 90

    assessment = round_field(related_name="partner_links")
    organisation = models.CharField(_("organisatie"), max_length=200)
    perspective = models.CharField(
        _("perspectief"),
        max_length=20,
        choices=[(d.value, d.label) for d in PARTNER_PERSPECTIVES],
    )
    # Optional, and the only personal data a link holds: whom to ask about the answers.
    contact_name = models.CharField(_("contactpersoon"), max_length=150, blank=True)
    contact_email = models.EmailField(_("e-mailadres contactpersoon"), blank=True)
    # The hidden user the partner answers as (Response.respondent); never logs in.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="partner_link",
        verbose_name=_("verborgen gebruiker"),
    )
    created_by = actor_field(_("aangemaakt door"))
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    # The midnight after the last day the coordinator chose (see ``last_day``).
    expires_at = models.DateTimeField(_("geldig tot"))
    revoked_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)
    revoked_by = actor_field(_("ingetrokken door"))
    last_used_at = models.DateTimeField(_("laatst geopend"), null=True, blank=True)

    history = HistoricalRecords(verbose_name=_("historie van partnerlink"))

    objects = PartnerLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("partnerlink")
        verbose_name_plural = _("partnerlinks")
        ordering = ["assessment_id", "organisation", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(perspective__in=[d.value for d in PARTNER_PERSPECTIVES]),
                name="assessments_partnerlink_partner_perspective",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.get_perspective_display()}"

    @property
    def scope(self) -> str:
        """The django-sesame scope of this link's tokens: a token of one link (or a token
        made for anything else) never opens another."""
        return f"partnerlink:{self.pk}"

    @property
    def last_day(self) -> datetime.date:
        """The last day the link works, as the coordinator chose it."""
        return period_last_day(self.expires_at)

    def status(self, now: datetime.datetime | None = None) -> str:
        if self.revoked_at is not None:
            return self.Status.REVOKED
        if self.expires_at <= (now or timezone.now()):
            return self.Status.EXPIRED
        return self.Status.ACTIVE

    def unusable_reason(self) -> str:
        """Why a partner cannot answer through the link now, in plain Dutch; "" when they
        can (``access.get_partner_link_for_session`` asks it on every partner request)."""
        status = self.status()
        if status == self.Status.REVOKED or not self.user.is_active:
            return gettext(
                "De gemeente heeft deze link ingetrokken. U kunt er niet meer mee invullen."
            )
        if status == self.Status.EXPIRED:
            return gettext(
                "Deze link was geldig tot en met %(date)s. U kunt er niet meer mee invullen."
            ) % {"date": date_format(self.last_day, "j F Y")}
        if not self.assessment.is_open:
            return gettext("De gemeente heeft deze meting afgesloten. Invullen kan niet meer.")
        return ""
