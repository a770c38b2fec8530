"""The action plan of a round."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from readiness.models import (
    ActionLevel,
    ActionTemplate,
    Domain,
    Question,
)

from .fields import round_field


class Action(models.Model):
    """One action in a round's action plan: proposed from a template or added by a user."""

    class Status(models.TextChoices):
        PLANNED = "gepland", _("Gepland")
        IN_PROGRESS = "bezig", _("Bezig")
        DONE = "gereed", _("Gereed")
        DROPPED = "vervallen", _("Vervallen")

    assessment = round_field(related_name="actions")
    # The template it was proposed from; empty for an action a user added.
    template = models.ForeignKey(
        ActionTemplate,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actiesjabloon"),
    )
    title = models.CharField(_("titel"), max_length=200)
    description = models.TextField(_("omschrijving"), blank=True)
    # When the action is done, copied from its template; a user may change it.
    done_when = models.TextField(_("klaar als"), blank=True)
    questions = models.ManyToManyField(
        Question, blank=True, related_name="+", verbose_name=_("vragen")
    )
    owner = models.CharField(_("eigenaar"), max_length=200, blank=True)
    # The member who gets the weekly digest of actions due soon; ``owner`` stays the name
    # or role shown in the plan.
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_actions",
        verbose_name=_("eigenaar (lid)"),
    )
    owner_domain = models.CharField(_("domein"), max_length=20, choices=Domain.choices, blank=True)
    # When work on it started: the day it entered a plan, kept when a later round takes
    # the action over. The timeline draws a bar from here to the due date.
    start_date = models.DateField(_("gestart op"), default=timezone.localdate)
    due_date = models.DateField(_("deadline"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    level = models.CharField(
        _("niveau"), max_length=12, choices=ActionLevel.choices, default=ActionLevel.AMBTELIJK
    )
    order = models.PositiveIntegerField(_("volgorde"), default=0)
    # The highest priority (gap × weight, doubled when critical) it addresses, when proposed.
    priority = models.PositiveIntegerField(_("prioriteit"), default=0)
    # Set on the first edit by a user: proposing again never overwrites their work.
    is_edited = models.BooleanField(_("bewerkt"), default=False)
    # The follow-up of a closed round's plan during the year: a short note on how it goes
    # and the day it was written. The snapshot keeps the plan as decided without it.
    progress_note = models.TextField(_("voortgang"), blank=True)
    progress_noted_at = models.DateField(_("voortgang bijgewerkt op"), null=True, blank=True)
    # The action of the previous round this one continues (carry-forward). Once a newer
    # round has taken a closed round's actions over, their follow-up moves there.
    carried_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="carried_to",
        verbose_name=_("overgenomen van"),
    )
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    updated_at = models.DateTimeField(_("laatst bijgewerkt"), auto_now=True)

    history = HistoricalRecords(m2m_fields=[questions], verbose_name=_("historie van actie"))

    class Meta:
        verbose_name = _("actie")
        verbose_name_plural = _("acties")
        ordering = ["assessment", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "template"],
                condition=Q(template__isnull=False),
                name="assessments_action_one_per_template",
            ),
        ]

    def __str__(self) -> str:
        return self.title
