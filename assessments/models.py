"""Municipalities, their members, assessment rounds, responses and answers.

A round (``Assessment``) belongs to one municipality and one framework version. Every
respondent answers in their own ``Response``, so colleagues never overwrite each other;
the round's results consolidate the responses (see ``readiness/scoring.py``).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, FilteredRelation, Q, Value
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from readiness.models import (
    ActionLevel,
    ActionTemplate,
    AnswerValue,
    Domain,
    FrameworkVersion,
    Question,
    RegionRole,
)

NOTE_MAX_LENGTH = 5000


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
    # The CBS list in assessments/data/ does not say which 43 are centrumgemeenten, so
    # staff set it in the admin.
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

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("gebruiker"),
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("gemeente"),
    )
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
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("aangemaakt door"),
    )
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("afgesloten door"),
    )
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

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="responses", verbose_name=_("meting")
    )
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
    # Empty: no level chosen yet (a note alone can be saved first).
    value = models.CharField(_("antwoord"), max_length=10, choices=AnswerValue.choices, blank=True)
    note = models.TextField(_("toelichting"), blank=True)
    # Copied from the respondent's answer in the previous round as a starting point
    # (services.start_assessment); any save of the answer clears it.
    is_carried_over = models.BooleanField(_("overgenomen"), default=False)
    updated_at = models.DateTimeField(_("laatst bijgewerkt"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bijgewerkt door"),
    )

    # Answers are saved with a bulk upsert, which bypasses model signals; the service
    # writes these history rows itself (assessments.services.save_answers).
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
                condition=Q(value__in=["", *AnswerValue.values]),
                name="assessments_answer_value_on_scale",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question.code}: {self.value or '-'}"


class AgreedLevel(models.Model):
    """The level a round's respondents agreed on for one statement, in conversation.

    It replaces the consolidated median in the round's scores (docs/scoring.md); the
    coordinator records it on the dialogue agenda with a short rationale.
    """

    RATIONALE_MAX_LENGTH = 1000

    assessment = models.ForeignKey(
        Assessment,
        on_delete=models.CASCADE,
        related_name="agreed_levels",
        verbose_name=_("meting"),
    )
    question = models.ForeignKey(
        Question, on_delete=models.PROTECT, related_name="+", verbose_name=_("vraag")
    )
    level = models.PositiveSmallIntegerField(_("vastgesteld niveau"))
    rationale = models.TextField(_("onderbouwing"), max_length=RATIONALE_MAX_LENGTH)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vastgesteld door"),
    )
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


class Action(models.Model):
    """One action in a round's action plan: proposed from a template or added by a user."""

    class Status(models.TextChoices):
        PLANNED = "gepland", _("Gepland")
        IN_PROGRESS = "bezig", _("Bezig")
        DONE = "gereed", _("Gereed")
        DROPPED = "vervallen", _("Vervallen")

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="actions", verbose_name=_("meting")
    )
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


class Invitation(models.Model):
    """An invitation by e-mail to join a municipality with a role.

    Only a hash of the token is stored: the link in the e-mail is the only copy. A link
    works once, expires after ``settings.INVITATION_VALID_DAYS``, and a new invitation to
    the same address for the same municipality revokes the old one.
    """

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("gemeente"),
    )
    email = models.EmailField(_("e-mailadres"))
    name = models.CharField(_("naam"), max_length=150, blank=True)
    perspective = models.CharField(
        _("perspectief"), max_length=20, choices=Domain.choices, blank=True
    )
    role = models.CharField(
        _("rol"), max_length=12, choices=Membership.Role.choices, default=Membership.Role.EDITOR
    )
    token_hash = models.CharField(_("tokenhash"), max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("uitgenodigd door"),
    )
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    expires_at = models.DateTimeField(_("verloopt op"))
    accepted_at = models.DateTimeField(_("geaccepteerd op"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("geaccepteerd door"),
    )
    revoked_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)

    class Meta:
        verbose_name = _("uitnodiging")
        verbose_name_plural = _("uitnodigingen")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["municipality", "email"], name="assessments_invite_by_email"),
        ]

    def __str__(self) -> str:
        return f"{self.email} · {self.municipality}"


class ReportFileQuerySet(models.QuerySet["ReportFile"]):
    def for_round(self, assessment: Assessment, language: str) -> ReportFileQuerySet:
        """The round's file in one language (at most one: the named constraint)."""
        return self.filter(assessment=assessment, language=language)

    def ready(self) -> ReportFileQuerySet:
        return self.filter(status=ReportFile.Status.READY)


class ReportFile(models.Model):
    """A rendered PDF report of a round, in one language, stored in the database.

    A closed round's report never changes, so it is rendered once and served from here
    afterwards. An open round's answers change: every request renders anew and replaces
    the row (one per round and language). The bytes live in the row, not on a disk that
    web servers and workers would have to share: docs/decisions/0005-pdf-in-a-task.md.
    """

    class Status(models.TextChoices):
        WAITING = "wachtend", _("Wachtend")
        RUNNING = "bezig", _("Bezig")
        READY = "klaar", _("Klaar")
        FAILED = "mislukt", _("Mislukt")

    # A render takes seconds. One still waiting or running after this lost its worker
    # (a restart, the task's time limit): the report page offers a new attempt.
    RENDER_TIMEOUT = datetime.timedelta(minutes=10)

    assessment = models.ForeignKey(
        Assessment,
        on_delete=models.CASCADE,
        related_name="report_files",
        verbose_name=_("meting"),
    )
    # The report itself is Dutch today (assessments.report.REPORT_LANGUAGE); the language
    # is part of the key so that an English report can be added without a new table.
    language = models.CharField(_("taal"), max_length=10, default="nl")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.WAITING
    )
    # Rendered from a closed round's snapshot: the final report, never rendered again.
    is_final = models.BooleanField(_("definitief"), default=False)
    pdf = models.BinaryField(_("PDF"), null=True, blank=True, editable=False)
    filename = models.CharField(_("bestandsnaam"), max_length=200, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("aangevraagd door"),
    )
    requested_at = models.DateTimeField(_("aangevraagd op"), auto_now_add=True)
    started_at = models.DateTimeField(_("begonnen op"), null=True, blank=True)
    finished_at = models.DateTimeField(_("klaar op"), null=True, blank=True)
    # For staff and the log, not shown to users: they get a plain message and a retry.
    error = models.TextField(_("foutmelding"), blank=True)

    objects = ReportFileQuerySet.as_manager()

    class Meta:
        verbose_name = _("rapportbestand")
        verbose_name_plural = _("rapportbestanden")
        ordering = ["-requested_at"]
        constraints = [
            # "Keep only the newest render": a new request replaces the row. Its index
            # also serves the report page's lookup by round and language.
            models.UniqueConstraint(
                fields=["assessment", "language"], name="assessments_report_one_per_language"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id} · {self.language} · {self.get_status_display()}"

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.READY

    @property
    def is_stuck(self) -> bool:
        """Waiting or running for longer than any render takes: its worker is gone."""
        return (
            self.status in {self.Status.WAITING, self.Status.RUNNING}
            and timezone.now() - self.requested_at > self.RENDER_TIMEOUT
        )

    @property
    def is_pending(self) -> bool:
        return self.status in {self.Status.WAITING, self.Status.RUNNING} and not self.is_stuck

    @property
    def has_failed(self) -> bool:
        return self.status == self.Status.FAILED or self.is_stuck

    def serves(self, assessment: Assessment) -> bool:
        """Whether a new request for the round's report reuses this file: a closed round's
        final report, ready or on its way. Anything else is rendered (again)."""
        return not assessment.is_open and self.is_final and not self.has_failed


class ReportBranding(models.Model):
    """The logos and the consultant's name on a municipality's report cover.

    A row of its own rather than fields on Municipality: the logos are bytes that nearly
    every page, which loads the municipality with its round, should not carry along. Kept
    in the database like the rendered reports (docs/decisions/0005-pdf-in-a-task.md);
    ``assessments.branding`` validates them (PNG, or SVG without scripts or external
    references) before they are stored.
    """

    municipality = models.OneToOneField(
        Municipality,
        on_delete=models.CASCADE,
        related_name="report_branding",
        verbose_name=_("gemeente"),
    )
    consultant_name = models.CharField(_("naam adviesbureau"), max_length=100, blank=True)
    logo = models.BinaryField(_("logo gemeente"), null=True, blank=True, editable=False)
    consultant_logo = models.BinaryField(
        _("logo adviesbureau"), null=True, blank=True, editable=False
    )
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    class Meta:
        verbose_name = _("huisstijl van het rapport")
        verbose_name_plural = _("huisstijlen van het rapport")
        ordering = ["municipality"]

    def __str__(self) -> str:
        return str(self.municipality_id)


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
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reminders",
        verbose_name=_("ontvanger"),
    )
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


class ApiToken(models.Model):
    """A personal token for the read-only API (``assessments/api``), made in the profile.

    The secret is shown once, when made; only its SHA-256 hash is stored, so a copy of the
    database gives no access. The ``prefix`` (the token's first characters) lets the owner
    tell tokens apart. A token reads what its user may read, no more.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("gebruiker"),
    )
    name = models.CharField(_("naam"), max_length=100)
    prefix = models.CharField(_("begin van de sleutel"), max_length=16)
    token_hash = models.CharField(_("hash van de sleutel"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    expires_at = models.DateTimeField(_("verloopt op"))
    revoked_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("laatst gebruikt op"), null=True, blank=True)

    class Meta:
        verbose_name = _("API-sleutel")
        verbose_name_plural = _("API-sleutels")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class BatchExportQuerySet(models.QuerySet["BatchExport"]):
    def current(self) -> BatchExportQuerySet:
        """Exports that may still be downloaded (kept for ``BatchExport.KEEP``)."""
        return self.filter(expires_at__gt=timezone.now())


class BatchExport(models.Model):
    """One ZIP with the reports (PDF) and answers (XLSX) of several rounds, for its
    requester only; built by ``tasks.build_batch_export``, deleted after ``KEEP``."""

    class Status(models.TextChoices):
        WAITING = "wachtend", _("Wachtend")
        RUNNING = "bezig", _("Bezig")
        READY = "klaar", _("Klaar")
        FAILED = "mislukt", _("Mislukt")

    KEEP = datetime.timedelta(hours=24)

    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="batch_exports",
        verbose_name=_("aangevraagd door"),
    )
    # Ids, not a relation: what was asked; the task loads them again through access.py,
    # so a round the requester lost access to in the meantime is left out.
    assessment_ids = models.JSONField(_("metingen"), default=list)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.WAITING
    )
    done = models.PositiveIntegerField(_("klaar"), default=0)
    total = models.PositiveIntegerField(_("totaal"), default=0)
    zip = models.BinaryField(_("ZIP-bestand"), null=True, blank=True, editable=False)
    error = models.TextField(_("foutmelding"), blank=True)
    created_at = models.DateTimeField(_("aangevraagd op"), auto_now_add=True)
    finished_at = models.DateTimeField(_("klaar op"), null=True, blank=True)
    expires_at = models.DateTimeField(_("verloopt op"))

    objects = BatchExportQuerySet.as_manager()

    class Meta:
        verbose_name = _("export van meerdere metingen")
        verbose_name_plural = _("exports van meerdere metingen")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.requester} · {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_pending(self) -> bool:
        return self.status in {self.Status.WAITING, self.Status.RUNNING}

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.READY

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def filename(self) -> str:
        return f"metingen-{self.created_at:%Y-%m-%d-%H%M}.zip"


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

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="region_memberships",
        verbose_name=_("gebruiker"),
    )
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
