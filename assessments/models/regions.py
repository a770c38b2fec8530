"""Regions (such as a centrumgemeente's region) and their coordinators."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .fields import actor_field, municipality_field, user_field
from .municipalities import Municipality


class Region(models.Model):
    """Municipalities that work together on beschermd thuis, e.g. a beschermd-wonenregio
    around its centrumgemeente. Its coordinators see the closed rounds that members share
    (``Assessment.shares_with_region``), never any other round."""

    class Kind(models.TextChoices):
        BESCHERMD_WONEN = "beschermd_wonen", _("Beschermd-wonenregio")
        ZORG = "zorgregio", _("Zorgregio")
        OWN = "eigen", _("Eigen indeling")

    name = models.CharField(_("naam"), max_length=100)
    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices)
    # The municipality that leads, e.g. the centrumgemeente; empty when there is none.
    lead = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_regions",
        verbose_name=_("trekker"),
    )
    members = models.ManyToManyField(
        Municipality, related_name="regions", blank=True, verbose_name=_("gemeenten")
    )
    valid_from = models.DateField(_("geldig vanaf"), null=True, blank=True)
    valid_until = models.DateField(_("geldig tot"), null=True, blank=True)

    class Meta:
        verbose_name = _("regio")
        verbose_name_plural = _("regio's")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_until__gte=F("valid_from")),
                name="assessments_region_valid_period",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class RegionMembership(models.Model):
    """A user's role in a region: separate from ``Membership``, which is per municipality
    and gives access to a municipality's rounds; this one gives none."""

    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("Regio-coördinator")

    user = user_field(_("gebruiker"), related_name="region_memberships")
    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("regio")
    )
    role = models.CharField(_("rol"), max_length=12, choices=Role.choices, default=Role.COORDINATOR)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)

    history = HistoricalRecords(verbose_name=_("historie van regiolidmaatschap"))

    class Meta:
        verbose_name = _("regiolidmaatschap")
        verbose_name_plural = _("regiolidmaatschappen")
        ordering = ["region__name", "user__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "region"], name="assessments_region_membership_one_per_user"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.region} · {self.get_role_display()}"


class RegionInvitationQuerySet(models.QuerySet["RegionInvitation"]):
    def pending(self) -> RegionInvitationQuerySet:
        return self.filter(status=RegionInvitation.Status.PENDING)


class RegionInvitation(models.Model):
    """A region's request to a municipality to join, sent by a coordinator of the region's
    lead and accepted or declined by a coordinator of the invited municipality. Joining
    shares nothing yet: each round is shared by its own consent
    (``Assessment.shares_with_region``)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Wacht op antwoord")
        ACCEPTED = "accepted", _("Aangenomen")
        DECLINED = "declined", _("Afgewezen")

    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("regio")
    )
    municipality = municipality_field(related_name="region_invitations")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    invited_by = actor_field(_("uitgenodigd door"), blank=False)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    decided_by = actor_field(_("beantwoord door"))
    decided_at = models.DateTimeField(_("beantwoord op"), null=True, blank=True)

    objects = RegionInvitationQuerySet.as_manager()

    history = HistoricalRecords(verbose_name=_("historie van regio-uitnodiging"))

    class Meta:
        verbose_name = _("uitnodiging voor een regio")
        verbose_name_plural = _("uitnodigingen voor een regio")
        ordering = ["-created_at"]
        constraints = [
            # One open question per municipality and region: inviting twice is a no.
            models.UniqueConstraint(
                fields=["region", "municipality"],
                condition=Q(status="pending"),
                name="assessments_region_invitation_one_pending",
            ),
            # Answered means: by someone (or an account since removed), at a moment.
            models.CheckConstraint(
                condition=Q(status="pending", decided_at__isnull=True)
                | (~Q(status="pending") & Q(decided_at__isnull=False)),
                name="assessments_region_invitation_decided_at",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} → {self.region} · {self.get_status_display()}"
