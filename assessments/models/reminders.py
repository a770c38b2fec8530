"""Reminder e-mails sent (once each) and users' opt-outs."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .fields import user_field
from .rounds import Assessment


class Reminder(models.Model):
    """A reminder e-mail that was sent: the row is written before the mail goes out.

    The named unique constraints make a reminder once-only: a second run of the task (or
    a second worker at the same moment) cannot insert the same row, so it sends nothing.
    ``period`` is what makes a later reminder a new one: the round's due date (a new date
    is a new reminder) or the ISO week of a digest (``2026-W49``).
    """

    class Kind(models.TextChoices):
        ROUND_DUE = "meting", _("Meting bijna verlopen")
        ACTION_DIGEST = "acties", _("Acties met een deadline")

    kind = models.CharField(_("soort"), max_length=10, choices=Kind.choices)
    # The round of a ROUND_DUE reminder; empty for a digest, which spans the recipient's
    # rounds (``action_ids`` lists what it held).
    assessment = models.ForeignKey(
        Assessment,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reminders",
        verbose_name=_("meting"),
    )
    recipient = user_field(_("ontvanger"), related_name="reminders")
    period = models.CharField(_("periode"), max_length=20)
    action_ids = models.JSONField(_("acties"), default=list, blank=True)
    sent_at = models.DateTimeField(_("verstuurd op"), default=timezone.now)

    class Meta:
        verbose_name = _("herinnering")
        verbose_name_plural = _("herinneringen")
        ordering = ["-sent_at"]
        constraints = [
            # Two partial constraints, not one: NULLs are distinct in a unique index, so a
            # digest (no round) would never collide with an earlier one.
            models.UniqueConstraint(
                fields=["kind", "assessment", "recipient", "period"],
                condition=Q(assessment__isnull=False),
                name="assessments_reminder_once_per_round",
            ),
            models.UniqueConstraint(
                fields=["kind", "recipient", "period"],
                condition=Q(assessment__isnull=True),
                name="assessments_reminder_once_per_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.recipient_id} · {self.period}"


class ReminderOptOut(models.Model):
    """A user who unsubscribed from reminder e-mails (by the signed link in every mail).

    One row per user: its existence is the choice. Invitations and password resets are
    not reminders and still arrive.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reminder_opt_out",
        verbose_name=_("gebruiker"),
    )
    created_at = models.DateTimeField(_("afgemeld op"), auto_now_add=True)

    class Meta:
        verbose_name = _("afmelding voor herinneringen")
        verbose_name_plural = _("afmeldingen voor herinneringen")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return str(self.user)
