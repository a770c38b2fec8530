"""A round's operations: start, answer, close and reopen.

Each is atomic and raises ``ValidationError`` with a message a user can read. Callers
(views) have already checked access through ``assessments/access.py``; the services check
the rules of the domain (an open round, a question of the round's framework, the scale)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import (
    NOTE_MAX_LENGTH,
    Answer,
    Assessment,
    Membership,
    Municipality,
    ReportFile,
    Response,
)
from assessments.rounds import benchmark
from assessments.rounds.carry_forward import carry_forward, previous_round
from assessments.rounds.results import compute_results, make_snapshot
from readiness.kinds import applies
from readiness.models import (
    AnswerValue,
    Domain,
    DutyValue,
    FrameworkVersion,
    Question,
    QuestionKind,
)
from readiness.scoring import STEP_ORDER


@dataclass(frozen=True)
class AnswerInput:
    """One answer: ``value`` a level, 'weet niet' or 'n.v.t.' (a maturity statement) or a
    legal duty's answer (``DutyValue``); ``number`` an indicator's value."""

    question: Question
    value: str
    note: str
    number: Decimal | None = None


# Largest indicator value Answer.number holds (14 digits, 2 after the point).
NUMBER_LIMIT = Decimal("999999999999.99")


def fits_number(number: object) -> bool:
    """Whether an indicator's value fits ``Answer.number``: a finite decimal of at most 12
    digits before and 2 after the point."""
    return (
        isinstance(number, Decimal)
        and number.is_finite()
        and abs(number) <= NUMBER_LIMIT
        and number == number.quantize(Decimal("0.01"))
    )


def latest_framework() -> FrameworkVersion:
    framework = FrameworkVersion.objects.published().order_by("-published_at", "-id").first()
    if framework is None:
        raise ValidationError(
            _("Er is nog geen gepubliceerde vragenlijst. Vraag de beheerder om die te laden.")
        )
    return framework


@transaction.atomic
def start_assessment(
    *,
    municipality: Municipality,
    user,
    title: str,
    framework: FrameworkVersion | None = None,
    carry_answers: bool = False,
    carry_actions: bool = False,
) -> Assessment:
    """Start a round; optionally from the municipality's previous closed round: each
    respondent's answers and notes as a starting point, and the plan's open actions."""
    title = title.strip()
    if not title:
        raise ValidationError(_("Geef de meting een titel, bijvoorbeeld 'Nulmeting voorjaar'."))
    framework = framework or latest_framework()
    if not framework.is_published:
        raise ValidationError(_("Een meting kan alleen met een gepubliceerde vragenlijst."))
    previous = previous_round(municipality) if carry_answers or carry_actions else None
    assessment = Assessment.objects.create(
        municipality=municipality, framework=framework, title=title, created_by=user
    )
    if previous is not None:
        carry_forward(
            previous=previous,
            assessment=assessment,
            user=user,
            answers=carry_answers,
            actions=carry_actions,
        )
    return assessment


def check_open(assessment: Assessment) -> None:
    if not assessment.is_open:
        raise ValidationError(_("Deze meting is afgesloten en kan niet meer veranderen."))


def _check_answer(assessment: Assessment, item: AnswerInput) -> None:
    if item.question.framework_id != assessment.framework_id:
        raise ValidationError(
            _("Vraag %(code)s hoort niet bij de vragenlijst van deze meting.")
            % {"code": item.question.code}
        )
    if not applies(item.question.applies_to, assessment.municipality.region_role):
        raise ValidationError(
            _("Vraag %(code)s is niet van toepassing voor uw gemeente.")
            % {"code": item.question.code}
        )
    kind = item.question.kind
    if kind == QuestionKind.LEGAL_DUTY:
        if item.value not in {"", *DutyValue.values} or item.number is not None:
            raise ValidationError(
                _("Kies bij vraag %(code)s: voldaan, deels voldaan, niet voldaan of 'n.v.t.'.")
                % {"code": item.question.code}
            )
    elif kind == QuestionKind.INDICATOR:
        if item.value:
            raise ValidationError(
                _("Vraag %(code)s vraagt om een getal, niet om een niveau.")
                % {"code": item.question.code}
            )
        if item.number is not None and not fits_number(item.number):
            raise ValidationError(
                _(
                    "Vul bij vraag %(code)s een getal in van hoogstens 12 cijfers, "
                    "met hoogstens 2 cijfers achter de komma."
                )
                % {"code": item.question.code}
            )
    elif item.value not in {"", *AnswerValue.values} or item.number is not None:
        raise ValidationError(
            _("Kies bij vraag %(code)s een niveau van 0 tot en met 4, 'weet niet' of 'n.v.t.'.")
            % {"code": item.question.code}
        )
    if len(item.note) > NOTE_MAX_LENGTH:
        raise ValidationError(
            _("De toelichting bij vraag %(code)s is te lang: maximaal %(max)s tekens.")
            % {"code": item.question.code, "max": NOTE_MAX_LENGTH}
        )


def _upsert_response(assessment: Assessment, user) -> Response:
    """The user's response in the round, created on their first save.

    An upsert in one statement: a double click or two tabs never create two responses.
    """
    now = timezone.now()
    # A new response starts from the member's usual domain (asked in the invitation);
    # an existing one keeps its own (only updated_at is updated on conflict).
    perspective = (
        Membership.objects.filter(user=user.pk, municipality=assessment.municipality_id)
        .values_list("perspective", flat=True)
        .first()
        or ""
    )
    (response,) = Response.objects.bulk_create(
        [
            Response(
                assessment=assessment,
                respondent=user,
                perspective=perspective,
                created_at=now,
                updated_at=now,
            )
        ],
        update_conflicts=True,
        unique_fields=["assessment", "respondent"],
        update_fields=["updated_at"],
    )
    return response


def save_answers(
    *, assessment: Assessment, user, items: Iterable[AnswerInput], respondent=None
) -> list[Answer]:
    """Store the user's answers in the round: all of them or, on any bad item, none.

    ``respondent``: whose response the answers go into, when not the user's own (a
    coordinator importing a workshop's answers, ``rounds/imports.py``; the caller checks
    that the user may). The user is recorded as who saved them either way.

    Each saved answer also gets a history row (who, when, the new value; the previous row
    holds the old value). The history is written here because the upsert below bypasses
    model signals. Every item is checked before the transaction starts: a refusal then
    leaves a caller's own transaction usable (the write below has no savepoint).
    """
    check_open(assessment)
    items = list(items)
    for item in items:
        _check_answer(assessment, item)
    if not items:
        return []
    return _write_answers(assessment, user, items, respondent or user)


# savepoint=False: the upserts below are single statements, so a savepoint would only add
# two round trips to the hottest write of the app; a failure still rolls back the whole call.
@transaction.atomic(savepoint=False)
def _write_answers(
    assessment: Assessment, user, items: list[AnswerInput], respondent
) -> list[Answer]:
    response_id = None
    if getattr(assessment, "annotated_for_user_id", None) == respondent.pk:
        response_id = assessment.my_response_id  # loaded with the round (Assessment.for_user)
    if response_id is None:
        response_id = _upsert_response(assessment, respondent).pk
    now = timezone.now()
    answers = Answer.objects.bulk_create(
        [
            Answer(
                response_id=response_id,
                question=item.question,
                value=item.value,
                note=item.note,
                number=item.number,
                # Any save confirms or changes an answer taken over from the last round.
                is_carried_over=False,
                updated_at=now,
                updated_by=user,
            )
            for item in items
        ],
        # Saving the same answer twice (a retried request) updates the one row.
        update_conflicts=True,
        unique_fields=["response", "question"],
        update_fields=["value", "note", "number", "is_carried_over", "updated_at", "updated_by"],
    )
    Answer.record_history(answers, at=now, kind="~")
    return answers


def save_answer(
    *,
    assessment: Assessment,
    user,
    question: Question,
    value: str,
    note: str,
    number: Decimal | None = None,
) -> Answer:
    (answer,) = save_answers(
        assessment=assessment,
        user=user,
        items=[AnswerInput(question=question, value=value, note=note, number=number)],
    )
    return answer


@transaction.atomic
def set_perspective(*, assessment: Assessment, user, perspective: str) -> Response:
    check_open(assessment)
    if perspective not in {"", *Domain.values}:
        raise ValidationError(_("Kies een perspectief uit de lijst."))
    response = _upsert_response(assessment, user)
    Response.objects.filter(pk=response.pk).update(perspective=perspective)
    response.perspective = perspective
    return response


@transaction.atomic
def set_targets(*, assessment: Assessment, targets: dict[str, int]) -> Assessment:
    check_open(assessment)
    for step, level in targets.items():
        if step not in STEP_ORDER:
            raise ValidationError(_("Onbekende stap: %(step)s.") % {"step": step})
        if not isinstance(level, int) or not 0 <= level <= 4:
            raise ValidationError(_("De ambitie is een niveau van 0 tot en met 4."))
    assessment.targets = dict(targets)
    assessment.save(update_fields=["targets"])
    return assessment


@transaction.atomic
def close_assessment(*, assessment: Assessment, user) -> Assessment:
    """Close the round and freeze its results. A round in which no response counts has
    no results to freeze and is refused (the close page warns about low coverage)."""
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    check_open(locked)
    results = compute_results(locked)
    if not results.perspectives:
        raise ValidationError(
            _(
                "Deze meting kan nog niet worden afgesloten: er is geen invulling die meetelt. "
                "Vraag collega's om de vragenlijst in te vullen, of laat een invulling "
                "toch meetellen."
            )
        )
    locked.snapshot = make_snapshot(locked, results)
    locked.status = Assessment.Status.CLOSED
    locked.closed_at = timezone.now()
    locked.closed_by = user
    locked.save(update_fields=["snapshot", "status", "closed_at", "closed_by"])
    # The national comparison of the version now has this round (assessments/rounds/benchmark.py).
    benchmark.invalidate(locked.framework_id)
    for name in ("snapshot", "status", "closed_at", "closed_by"):
        setattr(assessment, name, getattr(locked, name))
    return assessment


# simple-history keeps the reason in a column of 100 characters.
REOPEN_REASON_MAX_LENGTH = 100


@transaction.atomic
def reopen_assessment(*, assessment: Assessment, user, reason: str) -> Assessment:
    """Open a closed round again, with the reason in the round's history.

    Its frozen results go (the page and report compute them again from the answers) and so
    do its stored PDF reports, which said "afgesloten en vastgelegd".
    """
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Schrijf op waarom de meting weer open moet."))
    if len(reason) > REOPEN_REASON_MAX_LENGTH:
        raise ValidationError(
            _("De reden is te lang: maximaal %(max)s tekens.") % {"max": REOPEN_REASON_MAX_LENGTH}
        )
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if locked.is_open:
        raise ValidationError(_("Deze meting is al open."))
    locked.status = Assessment.Status.OPEN
    locked.snapshot = None
    locked.closed_at = None
    locked.closed_by = None
    locked._change_reason = reason  # simple-history writes it into the history row
    locked._history_user = user
    locked.save(update_fields=["snapshot", "status", "closed_at", "closed_by"])
    ReportFile.objects.filter(assessment=locked).delete()
    # Its scores leave the national comparison (an older closed round may take its place).
    benchmark.invalidate(locked.framework_id)
    for name in ("snapshot", "status", "closed_at", "closed_by"):
        setattr(assessment, name, getattr(locked, name))
    return assessment


def lock_open_round(assessment_id: int) -> Assessment:
    """Lock the round for this transaction and check it is open.

    ``close_assessment`` takes the same row lock, so the plan cannot change between the
    snapshot of a closing round and its new status; concurrent proposals wait for each other.
    """
    locked = Assessment.objects.select_for_update().get(pk=assessment_id)
    check_open(locked)
    return locked
