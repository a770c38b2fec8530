"""Municipalities and their members: who belongs where, in which role, until when."""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from readiness.models import (
    Domain,
    RegionRole,
)

from .fields import actor_field, municipality_field, user_field
from .periods import period_last_day


class MunicipalityQuerySet(models.QuerySet["Municipality"]):
    def active(self) -> MunicipalityQuerySet:
        return self.filter(valid_until__isnull=True)


class Municipality(models.Model):
    """A Dutch municipality by its CBS code.

    Municipalities merge: the old one gets ``valid_until`` and a ``successor`` and keeps
    its rounds (rounds protect it from deletion), the new one is a new row.
    """

    code = models.CharField(_("CBS-code"), max_length=6, unique=True)
    name = models.CharField(_("naam"), max_length=100)
    province_code = models.CharField(_("provinciecode"), max_length=4, blank=True)
    province = models.CharField(_("provincie"), max_length=50, blank=True)
    valid_from = models.DateField(_("geldig vanaf"), null=True, blank=True)
    valid_until = models.DateField(_("geldig tot"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="predecessors",
        verbose_name=_("opgegaan in"),
    )
    is_demo = models.BooleanField(_("demo"), default=False)
    # Chooses the wording of proposed actions (a centrumgemeente makes agreements with its
    # regiogemeenten, not "with the centrumgemeente"). Empty: not known, neutral wording.
    # `load_municipalities --centrumgemeenten` sets it for all from the list of the 43 in
    # assessments/data/centrumgemeenten.csv (sources in its header); staff may change one in
    # the admin (assessments/common/municipalities.py).
    region_role = models.CharField(
        _("rol in de regio"), max_length=16, choices=RegionRole.choices, blank=True
    )
    # Reminder e-mails (a round's due date, the weekly action digest): assessments/reminders.py.
    reminders_enabled = models.BooleanField(_("herinneringen per e-mail"), default=True)

    objects = MunicipalityQuerySet.as_manager()

    class Meta:
        verbose_name = _("gemeente")
        verbose_name_plural = _("gemeenten")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^GM[0-9]{4}$"), name="assessments_municipality_code_gm"
            ),
        ]

    def __str__(self) -> str:
        return self.name


def current_membership(prefix: str = "", now: datetime.datetime | None = None) -> Q:
    """A membership that counts now: any role without an end, or a consultant's whose
    ``valid_until`` is still ahead. ``prefix`` is the path to the membership in a join."""
    now = now or timezone.now()
    return Q(**{f"{prefix}valid_until__isnull": True}) | Q(**{f"{prefix}valid_until__gt": now})


class MembershipQuerySet(models.QuerySet["Membership"]):
    def current(self) -> MembershipQuerySet:
        """Memberships that give access now (an expired consultant's does not)."""
        return self.filter(current_membership())


class Membership(models.Model):
    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("Coördinator")
        EDITOR = "editor", _("Invuller")
        VIEWER = "viewer", _("Meelezer")
        # An adviser from outside, granted by a coordinator for a limited time: reads
        # like a viewer (docs/security.md).
        CONSULTANT = "consultant", _("Adviseur")

    user = user_field(_("gebruiker"), related_name="memberships")
    municipality = municipality_field(related_name="memberships")
    role = models.CharField(_("rol"), max_length=12, choices=Role.choices, default=Role.EDITOR)
    # The member's usual domain: the perspective of their response when a round starts.
    perspective = models.CharField(
        _("perspectief"), max_length=20, choices=Domain.choices, blank=True
    )
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    # Only for consultants: access ends at this moment (access.py treats the membership
    # as absent from then on). Empty: no end.
    valid_until = models.DateTimeField(_("geldig tot"), null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    history = HistoricalRecords(verbose_name=_("historie van lidmaatschap"))

    class Meta:
        verbose_name = _("lidmaatschap")
        verbose_name_plural = _("lidmaatschappen")
        ordering = ["municipality__name", "user__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "municipality"], name="assessments_membership_one_per_user"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.municipality} · {self.get_role_display()}"

    @property
    def last_day(self) -> datetime.date | None:
        """The last day of access, as the coordinator chose it: ``valid_until`` is the
        midnight after that day (``ConsultantForm``), so "tot 1 juli 00:00" is shown as
        "tot en met 30 juni"."""
        if self.valid_until is None:
            return None
        return period_last_day(self.valid_until)


# The role of an invitation to coordinate a region (``Invitation.region``).
REGION_COORDINATOR = "region_coordinator"
INVITATION_ROLE_CHOICES = [
    *Membership.Role.choices,
    (REGION_COORDINATOR, _("Regio-coördinator")),
]


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def pending(self) -> InvitationQuerySet:
        """Neither accepted nor withdrawn: the coordinator's to send again or withdraw, an
        expired one included."""
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True)

    def usable(self) -> InvitationQuerySet:
        """Pending and not expired: the link works now."""
        return self.pending().filter(expires_at__gt=timezone.now())


class Invitation(models.Model):
    """An invitation by e-mail to join a municipality with a role.

    Only a hash of the token is stored: the link in the e-mail is the only copy. A link
    works once, expires after ``settings.INVITATION_VALID_DAYS``, and a new invitation to
    the same address for the same municipality revokes the old one.
    """

    municipality = municipality_field(related_name="invitations")
    email = models.EmailField(_("e-mailadres"))
    name = models.CharField(_("naam"), max_length=150, blank=True)
    perspective = models.CharField(
        _("perspectief"), max_length=20, choices=Domain.choices, blank=True
    )
    # A municipal role, or REGION_COORDINATOR for an invitation to coordinate ``region``.
    role = models.CharField(
        _("rol"), max_length=20, choices=INVITATION_ROLE_CHOICES, default=Membership.Role.EDITOR
    )
    token_hash = models.CharField(_("tokenhash"), max_length=64, unique=True)
    invited_by = actor_field(_("uitgenodigd door"), blank=False)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    expires_at = models.DateTimeField(_("verloopt op"))
    accepted_at = models.DateTimeField(_("geaccepteerd op"), null=True, blank=True)
    accepted_by = actor_field(_("geaccepteerd door"))
    revoked_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)
    # The round the invitee is asked to fill in: named in the e-mail, and where they land
    # after accepting. Deleting the round leaves the invitation valid for the municipality.
    assessment = models.ForeignKey(
        "assessments.Assessment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name=_("voor meting"),
    )
    # A consultant's invitation: the end of the access it gives, as a direct grant would
    # (``members.services.grant_consultant``). Empty for every other role.
    valid_until = models.DateTimeField(_("toegang tot"), null=True, blank=True)
    # An invitation to become a regio-coördinator: accepting gives a ``RegionMembership``,
    # no membership of a municipality. ``municipality`` is then the region's lead, whose
    # coordinator sent it.
    region = models.ForeignKey(
        "assessments.Region",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="coordinator_invitations",
        verbose_name=_("regio"),
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("uitnodiging")
        verbose_name_plural = _("uitnodigingen")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["municipality", "email"], name="assessments_invite_by_email"),
        ]
        constraints = [
            # A region with the regio-coördinator role and only then.
            models.CheckConstraint(
                condition=(Q(region__isnull=True) & ~Q(role=REGION_COORDINATOR))
                | (Q(region__isnull=False) & Q(role=REGION_COORDINATOR)),
                name="assessments_invitation_region_role",
            ),
            # An end date for a consultant and only for a consultant.
            models.CheckConstraint(
                condition=(Q(valid_until__isnull=True) & ~Q(role=Membership.Role.CONSULTANT))
                | (Q(valid_until__isnull=False) & Q(role=Membership.Role.CONSULTANT)),
                name="assessments_invitation_consultant_until",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} · {self.municipality}"

    @property
    def last_day(self) -> datetime.date | None:
        """A consultant's last day of access (``Membership.last_day``)."""
        if self.valid_until is None:
            return None
        return period_last_day(self.valid_until)
