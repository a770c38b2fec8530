"""Assessment rounds, responses and answers.

A round (``Assessment``) belongs to one municipality and one framework version. Every
respondent answers in their own ``Response``, so colleagues never overwrite each other;
the round's results consolidate the responses (see ``readiness/scoring.py``)."""

from __future__ import annotations

import functools

from django.conf import settings
from django.db import models
from django.db.models import F, FilteredRelation, Q, Value
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from readiness.models import (
    AnswerValue,
    Domain,
    DutyValue,
    FrameworkVersion,
    Question,
)

from .fields import actor_field, round_field
from .municipalities import Municipality, current_membership

NOTE_MAX_LENGTH = 5000

# Every value an answer can hold: a level, 'weet niet', 'n.v.t.' or a legal duty's answer.
ANSWER_VALUES = [*AnswerValue.values, *(v for v in DutyValue.values if v not in AnswerValue.values)]
ANSWER_CHOICES = [
    *AnswerValue.choices,
    *((v, label) for v, label in DutyValue.choices if v not in AnswerValue.values),
]


class AssessmentQuerySet(models.QuerySet["Assessment"]):
    def for_user(self, user) -> AssessmentQuerySet:
        return self.for_user_id(user.pk)

    def for_user_id(self, user_id: int) -> AssessmentQuerySet:
        """Rounds of the user's municipalities, each annotated with the user's role.

        Joins, not subqueries: this runs on every page of a round and every autosave, and
        a join is both cheaper to build in the ORM and to plan. Each join matches one row
        at most (one membership per user and municipality, one response per respondent
        and round), so the rounds are not repeated.
        """
        # One filter() call: the condition on the membership's end date applies to the
        # same join as the user, and the role below is read from that join.
        return self.filter(
            current_membership("municipality__memberships__"),
            municipality__memberships__user=user_id,
        ).annotate(
            # The user's own response, so saving an answer needs no extra lookup.
            mine=FilteredRelation("responses", condition=Q(responses__respondent=user_id)),
            member_role=F("municipality__memberships__role"),
            my_response_id=F("mine__id"),
            # Whose role and response these are: services check it before trusting them.
            annotated_for_user_id=Value(user_id, output_field=models.BigIntegerField()),
        )

    def open(self) -> AssessmentQuerySet:
        return self.filter(status=Assessment.Status.OPEN)


class Assessment(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Afgesloten")

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="assessments",
        verbose_name=_("gemeente"),
    )
    framework = models.ForeignKey(
        FrameworkVersion,
        on_delete=models.PROTECT,
        related_name="assessments",
        verbose_name=_("versie van de vragenlijst"),
    )
    title = models.CharField(_("titel"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    # Ambition: the target level (0–4) per step code; a missing step means level 3.
    targets = models.JSONField(_("ambitie per stap"), default=dict, blank=True)
    created_by = actor_field(_("aangemaakt door"))
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    closed_by = actor_field(_("afgesloten door"))
    closed_at = models.DateTimeField(_("afgesloten op"), null=True, blank=True)
    # Set by a coordinator; respondents who have not finished get a reminder a week before.
    due_date = models.DateField(_("invullen vóór"), null=True, blank=True)
    # Written when the round closes: its results and action plan as they were then
    # (see assessments/results.py), so its page and report never change afterwards.
    snapshot = models.JSONField(_("vastgelegde resultaten"), null=True, blank=True, editable=False)
    # The municipality's consent to show this round's closed results to the coordinators
    # of its regions (heat map, regional report); off until a coordinator switches it on
    # (services.set_region_consent, logged and in the history).
    shares_with_region = models.BooleanField(_("gedeeld met de regio"), default=False)

    history = HistoricalRecords(excluded_fields=["snapshot"], verbose_name=_("historie van meting"))

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("meting")
        verbose_name_plural = _("metingen")
        ordering = ["municipality__name", "-created_at"]
        indexes = [
            # The home page lists a municipality's rounds, newest first.
            models.Index(
                fields=["municipality", "-created_at"], name="assessments_by_municipality"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} · {self.title}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class Response(models.Model):
    """One respondent's answers in one round."""

    assessment = round_field(related_name="responses")
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="responses",
        verbose_name=_("invuller"),
    )
    perspective = models.CharField(
        _("perspectief"), max_length=20, choices=Domain.choices, blank=True
    )
    # The coordinator's choice whether the response counts in scores and report: None
    # leaves it to the threshold (settings.RESPONSE_COUNT_THRESHOLD, docs/scoring.md).
    is_included = models.BooleanField(_("telt mee"), null=True, blank=True, default=None)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    updated_at = models.DateTimeField(_("laatst bijgewerkt"), auto_now=True)

    class Meta:
        verbose_name = _("invulling")
        verbose_name_plural = _("invullingen")
        # By column, not by the related model's ordering: that would join the round and
        # the municipality into every query of responses just to sort them.
        ordering = ["assessment_id", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "respondent"],
                name="assessments_response_one_per_respondent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment} · {self.respondent}"


class Answer(models.Model):
    response = models.ForeignKey(
        Response, on_delete=models.CASCADE, related_name="answers", verbose_name=_("invulling")
    )
    question = models.ForeignKey(
        Question, on_delete=models.PROTECT, related_name="answers", verbose_name=_("vraag")
    )
    # Empty: no level chosen yet (a note alone can be saved first). A legal duty's answer
    # (DutyValue) is stored here too; an indicator leaves it empty and has a number.
    value = models.CharField(_("antwoord"), max_length=10, choices=ANSWER_CHOICES, blank=True)
    note = models.TextField(_("toelichting"), blank=True)
    # An indicator's value (QuestionKind.INDICATOR), in the question's unit and period.
    number = models.DecimalField(_("getal"), max_digits=14, decimal_places=2, null=True, blank=True)
    # Copied from the respondent's answer in the previous round as a starting point
    # (services.start_assessment); any save of the answer clears it.
    is_carried_over = models.BooleanField(_("overgenomen"), default=False)
    updated_at = models.DateTimeField(_("laatst bijgewerkt"), auto_now=True)
    updated_by = actor_field(_("bijgewerkt door"))

    # Answers are saved with a bulk upsert, which bypasses model signals; the service
    # writes these history rows itself (record_history).
    history = HistoricalRecords(verbose_name=_("historie van antwoord"))

    class Meta:
        verbose_name = _("antwoord")
        verbose_name_plural = _("antwoorden")
        # By column: ordering by the response or the question joins their tables into every
        # query of answers (seen in the national load test, docs/performance.md).
        ordering = ["response_id", "question_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"], name="assessments_answer_one_per_question"
            ),
            models.CheckConstraint(
                condition=Q(value__in=["", *ANSWER_VALUES]),
                name="assessments_answer_value_on_scale",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question.code}: {self.value or '-'}"

    @classmethod
    @functools.cache
    def history_model(cls) -> type[models.Model]:
        """The historical model, asked once: simple-history's ``Answer.history`` builds a new
        manager class at every access (8.6 % of an autosave's instructions,
        docs/performance.md)."""
        return cls.history.model

    @classmethod
    def record_history(
        cls, answers, *, at, kind: str, reason: str | None = None, batch_size: int | None = None
    ) -> None:
        """Write the history rows of answers saved in bulk, which skips the signals that
        write them otherwise: saved at ``at`` by their ``updated_by``. ``kind`` is the
        history's type: "+" created, "~" changed."""
        history = cls.history_model()
        history.objects.bulk_create(
            (
                history(
                    id=answer.pk,
                    response_id=answer.response_id,
                    question_id=answer.question_id,
                    value=answer.value,
                    note=answer.note,
                    number=answer.number,
                    is_carried_over=answer.is_carried_over,
                    updated_at=at,
                    updated_by_id=answer.updated_by_id,
                    history_date=at,
                    history_type=kind,
                    history_user_id=answer.updated_by_id,
                    history_change_reason=reason,
                )
                for answer in answers
            ),
            batch_size=batch_size,
        )


class AgreedLevel(models.Model):
    """The level a round's respondents agreed on for one statement, in conversation.

    It replaces the consolidated median in the round's scores (docs/scoring.md); the
    coordinator records it on the dialogue agenda with a short rationale.
    """

    RATIONALE_MAX_LENGTH = 1000

    assessment = round_field(related_name="agreed_levels")
    question = models.ForeignKey(
        Question, on_delete=models.PROTECT, related_name="+", verbose_name=_("vraag")
    )
    level = models.PositiveSmallIntegerField(_("vastgesteld niveau"))
    rationale = models.TextField(_("onderbouwing"), max_length=RATIONALE_MAX_LENGTH)
    decided_by = actor_field(_("vastgesteld door"))
    decided_at = models.DateTimeField(_("vastgesteld op"), default=timezone.now)

    history = HistoricalRecords(verbose_name=_("historie van vastgesteld niveau"))

    class Meta:
        verbose_name = _("vastgesteld niveau")
        verbose_name_plural = _("vastgestelde niveaus")
        ordering = ["assessment_id", "question_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "question"], name="assessments_agreed_one_per_question"
            ),
            models.CheckConstraint(
                condition=Q(level__lte=4), name="assessments_agreed_level_on_scale"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question.code}: {self.level}"
