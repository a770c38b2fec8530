"""The dialogue agenda's content (*gespreksagenda*): where respondents differ, and by whom.

``agenda_items`` turns a round's results into the statements the coordinator discusses,
ranked by ``readiness.dialogue.rank_for_dialogue``; each with the levels given, per
perspective (never a name), and the respondents' notes. The agenda page and the workshop
mode (one statement per screen) show these items; the views only load and render.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from assessments.rounds.counting import raw_level
from assessments.rounds.forms import AgreedLevelForm
from assessments.rounds.results import AgreedInfo, QuestionRow, RespondentAnswer, Results
from readiness.dialogue import AGENDA_SIZE, PartnerView, partner_views, rank_for_dialogue
from readiness.models import LEVEL_LABELS, AnswerValue, Domain
from readiness.scoring import Consolidated, QuestionInfo


@dataclass(frozen=True)
class LevelRow:
    """One level of the scale and who gave it."""

    level: int
    label: str
    who: list[str]

    @property
    def count(self) -> int:
        return len(self.who)


@dataclass(frozen=True)
class AgendaItem:
    number: int  # position on the agenda, from 1
    question: QuestionRow
    result: Consolidated
    levels: list[LevelRow]
    others: list[tuple[str, str]]  # (who, 'weet niet' or 'n.v.t.')
    notes: list[tuple[str, str]]  # (who, note)
    agreed: AgreedInfo | None
    # Partners whose answers do not count: (who, their answer), a perspective only.
    partners: list[tuple[str, str]] = field(default_factory=list)

    def form(self) -> AgreedLevelForm:
        initial = None
        if self.agreed is not None:
            initial = {"level": self.agreed.level, "rationale": self.agreed.rationale}
        return AgreedLevelForm(prefix=form_prefix(self.question.id), initial=initial)


def form_prefix(question_id: int) -> str:
    return f"v{question_id}"


def who(answer: RespondentAnswer) -> str:
    """A respondent as the agenda names them: their perspective, or their number."""
    return answer.perspective or _("invuller %(n)s") % {"n": answer.respondent}


def agenda_items(results: Results) -> list[AgendaItem]:
    questions = results.question_by_code
    ranked = rank_for_dialogue(
        (question_info(questions[code]), result)
        for code, result in results.scores.consolidated.items()
    )
    items = []
    for number, code in enumerate(ranked, start=1):
        answers = results.answers.get(code, [])
        items.append(
            AgendaItem(
                number=number,
                question=questions[code],
                result=results.scores.consolidated[code],
                levels=[
                    LevelRow(
                        level=level,
                        label=str(LEVEL_LABELS[level]),
                        who=[who(a) for a in answers if a.value == str(level)],
                    )
                    for level in range(5)
                ],
                others=[
                    (who(a), str(AnswerValue(a.value).label))
                    for a in answers
                    if a.value and not a.value.isdigit()
                ],
                notes=[(who(a), a.note) for a in answers if a.note],
                agreed=results.agreed.get(code),
                partners=[
                    (who(a), answer_label(a.value))
                    for a in results.partner_answers.get(code, [])
                    if a.value
                ],
            )
        )
    return items


def answer_label(value: str) -> str:
    """A level as "3 · Ingericht", or the label of 'weet niet' or 'n.v.t.'."""
    if value.isdigit():
        return f"{value} · {LEVEL_LABELS[int(value)]}"
    return str(AnswerValue(value).label)


@dataclass(frozen=True)
class PartnerRow:
    """A partner's level beside the municipality's own, on the dialogue agenda."""

    question: QuestionRow
    view: PartnerView

    @property
    def partner(self) -> str:
        return str(Domain(self.view.partner).label)


def partner_rows(results: Results) -> list[PartnerRow]:
    """What partners said, largest difference with the municipality's own level first.

    Only partners' responses that do not count: one the coordinator let count is part of
    the municipality's own levels above (docs/scoring.md, "Partner perspectives").
    """
    questions = results.question_by_code
    answers = {
        code: [(a.perspective_code, raw_level(a.value)) for a in rows if a.value]
        for code, rows in results.partner_answers.items()
    }
    return [
        PartnerRow(questions[view.code], view)
        for view in partner_views(results.scores.consolidated, answers)
    ]


def question_info(question: QuestionRow) -> QuestionInfo:
    return QuestionInfo(
        code=question.code,
        step=question.step,
        theme=question.theme,
        weight=question.weight,
        is_critical=question.is_critical,
        kind=question.kind,
        applies_to=question.applies_to,
        partner_module=bool(question.partner_perspectives),
    )


def split_agenda(items: list[AgendaItem]) -> tuple[list[AgendaItem], list[AgendaItem]]:
    """The items shown at first, and those behind "toon alle"."""
    return items[:AGENDA_SIZE], items[AGENDA_SIZE:]
