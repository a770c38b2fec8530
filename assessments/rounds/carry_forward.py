"""Starting a round from the previous one: answers as a starting point, open actions."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import (
    NOTE_MAX_LENGTH,
    Action,
    Answer,
    Assessment,
    Membership,
    Municipality,
    Response,
)
from readiness.models import (
    ActionTemplate,
    AnswerValue,
    DutyValue,
    Question,
    QuestionKind,
)


def previous_round(municipality: Municipality) -> Assessment | None:
    """The municipality's most recent closed round: what a new round can start from."""
    return (
        Assessment.objects.filter(municipality=municipality, status=Assessment.Status.CLOSED)
        .select_related("framework")
        .order_by("-created_at", "-pk")
        .first()
    )


# The values a statement of each kind takes (an indicator's number is not carried over:
# last period's figure is no starting point for this period's).
_VALUES_BY_KIND = {
    QuestionKind.MATURITY: frozenset(AnswerValue.values),
    QuestionKind.LEGAL_DUTY: frozenset(DutyValue.values),
}


def _carried_value(old: list[tuple[str, str]]) -> tuple[str, str]:
    """One answer from the answers to the old question(s) a statement continues.

    One old question: its value and note. Several (merged questions): the lowest level
    when all have a level (never a flattering start), the common value when they agree,
    else no value; the notes are kept together.
    """
    values = [value for value, _note in old if value]
    notes = list(dict.fromkeys(note for _value, note in old if note))
    if len(set(values)) <= 1:
        value = values[0] if values else ""
    elif all(v.isdigit() for v in values):
        value = min(values)
    else:
        value = ""
    return value, "\n\n".join(notes)[:NOTE_MAX_LENGTH]


@transaction.atomic
def carry_forward(
    *, previous: Assessment, assessment: Assessment, user, answers: bool, actions: bool
) -> None:
    """Copy from a closed round into a new round of the same municipality. The previous
    round is only read: a closed round never changes.

    Answers: each respondent who is still a member who answers (coordinator or editor)
    gets a response with their previous answers and notes, marked ``is_carried_over``
    until they save them. Across framework versions an answer follows the question
    mapping (``trend_page.correspondence``); a statement that is new gets no answer.
    Actions: the open ones (*gepland*, *bezig*) with their status, owner, dates and the
    questions they address (as far as those continue in the new version), each linked to
    the action it continues (``carried_from``): from then on the previous round's plan is
    followed up here, and it is read-only there.
    """
    from assessments.rounds.trend import correspondence  # trend reads results, as services does

    if previous.municipality_id != assessment.municipality_id:
        raise ValidationError(
            _("Een meting kan alleen verder gaan van een meting van dezelfde gemeente.")
        )
    # The previous round's follow-up takes this lock too: no progress is recorded there
    # while its actions are being copied.
    previous = (
        Assessment.objects.select_for_update().select_related("framework").get(pk=previous.pk)
    )
    if previous.is_open:
        raise ValidationError(_("Alleen een afgesloten meting kan het startpunt zijn."))
    codes = correspondence(previous, assessment)
    new_questions = {q.code: q for q in Question.objects.filter(framework=assessment.framework_id)}
    if answers:
        _carry_answers(previous, assessment, user, codes, new_questions)
    if actions:
        _carry_actions(previous, assessment, codes, new_questions)


def _carry_answers(previous, assessment, user, codes, new_questions) -> None:
    members = set(
        Membership.objects.filter(
            municipality=assessment.municipality_id,
            role__in=[Membership.Role.COORDINATOR, Membership.Role.EDITOR],
        ).values_list("user_id", flat=True)
    )
    by_respondent: dict[int, dict[str, tuple[str, str]]] = {}
    perspectives: dict[int, str] = {}
    for respondent, perspective, code, value, note in Answer.objects.filter(
        response__assessment=previous, response__respondent__in=members
    ).values_list(
        "response__respondent_id", "response__perspective", "question__code", "value", "note"
    ):
        perspectives[respondent] = perspective
        by_respondent.setdefault(respondent, {})[code] = (value, note)
    now = timezone.now()
    for respondent, old_answers in by_respondent.items():
        response = Response.objects.create(
            assessment=assessment, respondent_id=respondent, perspective=perspectives[respondent]
        )
        rows = []
        for code, question in new_questions.items():
            old = [old_answers[c] for c in codes.get(code, ()) if c in old_answers]
            if not old:
                continue
            value, note = _carried_value(old)
            if value not in _VALUES_BY_KIND.get(question.kind, ()):
                # A statement of another kind now (a level cannot answer a legal duty, an
                # indicator takes a number): only the note is a starting point.
                value = ""
            if value or note:
                rows.append(
                    Answer(
                        response=response,
                        question=question,
                        value=value,
                        note=note,
                        is_carried_over=True,
                        updated_at=now,
                        updated_by=user,
                    )
                )
        Answer.record_history(
            Answer.objects.bulk_create(rows),
            at=now,
            kind="+",
            reason="overgenomen uit de vorige meting",
        )


def _continued_templates(previous, assessment) -> dict[int, ActionTemplate]:
    """The template of the new round's version that continues each template of the
    previous round's version, by id of the old template.

    Within one version that is the template itself. Across versions template codes are
    renumbered (2026.1 C-5 is 2027.1 I-1, and 2027.1 A-1 is another action than 2026.1
    A-1), so the code says nothing; the rule is the same when its title is. Without this
    link ``propose_actions`` proposed the same action again next to the carried one.
    """
    if previous.framework_id == assessment.framework_id:
        return {t.pk: t for t in ActionTemplate.objects.filter(framework=assessment.framework_id)}
    by_title = {
        t.title.strip().casefold(): t
        for t in ActionTemplate.objects.filter(framework=assessment.framework_id)
    }
    return {
        old.pk: by_title[old.title.strip().casefold()]
        for old in ActionTemplate.objects.filter(framework=previous.framework_id)
        if old.title.strip().casefold() in by_title
    }


def _carry_actions(previous, assessment, codes, new_questions) -> None:
    continued = _continued_templates(previous, assessment)
    used: set[int] = set()
    members = set(
        Membership.objects.filter(municipality=assessment.municipality_id).values_list(
            "user_id", flat=True
        )
    )
    old_actions = (
        Action.objects.filter(
            assessment=previous,
            status__in=[Action.Status.PLANNED, Action.Status.IN_PROGRESS],
        )
        .prefetch_related("questions")
        .order_by("order", "pk")
    )
    for order, old in enumerate(old_actions):
        # A template belongs to its framework version: the action keeps the one of the
        # new version that continues it, else it continues as the municipality's own.
        template = continued.get(old.template_id) if old.template_id else None
        if template is not None and template.pk in used:
            template = None  # assessments_action_one_per_template
        if template is not None:
            used.add(template.pk)
        action = Action.objects.create(
            assessment=assessment,
            carried_from=old,
            template=template,
            title=old.title,
            description=old.description,
            done_when=old.done_when,
            owner=old.owner,
            owner_user_id=old.owner_user_id if old.owner_user_id in members else None,
            owner_domain=old.owner_domain,
            start_date=old.start_date,
            due_date=old.due_date,
            status=old.status,
            level=old.level,
            priority=old.priority,
            order=order,
            is_edited=old.is_edited,
        )
        old_codes = {q.code for q in old.questions.all()}
        action.questions.set(
            [q for code, q in new_questions.items() if old_codes & set(codes.get(code, ()))]
        )
