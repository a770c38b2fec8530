"""The results page's content: a round's scores as the page shows them.

``results_context`` turns a round's results into what ``assessments/rounds/results.html`` lists:
score rows, charts, priorities, questions to investigate, disagreements and the ambition
form. The view in ``views.py`` only loads the round and renders the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from django.conf import settings
from django.db.models import Count, Q
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from assessments import access
from assessments.common.svg import display_score
from assessments.common.urls import reverse_cached
from assessments.models import Assessment, Response
from assessments.rounds.benchmark import benchmark_for
from assessments.rounds.charts import round_charts_for
from assessments.rounds.dialogue_page import question_info
from assessments.rounds.forms import TargetsForm
from assessments.rounds.results import (
    LIGHT_LABELS,
    QuestionRow,
    Results,
    load_results,
)
from readiness.dialogue import AGENDA_SIZE, rank_for_dialogue
from readiness.kinds import shown_number
from readiness.models import DutyValue
from readiness.scoring import GroupScore


@dataclass(frozen=True)
class ScoreRow:
    """A step or theme on the results page: its score as a user reads it."""

    code: str
    title: str
    score: GroupScore

    @property
    def display(self) -> int | None:
        return display_score(self.score.score) if self.score.is_sufficient else None

    @property
    def light_label(self) -> str:
        return LIGHT_LABELS[self.score.light] if self.score.light else ""

    @property
    def coverage_percent(self) -> int:
        return display_score(100 * (self.score.coverage or 0))


def duty_label(state: str) -> str:
    """A legal duty's consolidated state in words."""
    if state == "empty":
        return _("nog niet beantwoord")
    return str(DutyValue(state).label)


@dataclass(frozen=True)
class NotCounted:
    """Answers were given but no response counts yet: how many, and why not."""

    responses: int
    answers: int
    excluded: int  # responses the coordinator left out by choice
    threshold: int  # settings.RESPONSE_COUNT_THRESHOLD, a percentage of the statements


def not_counted(assessment: Assessment) -> NotCounted:
    """One query, asked only when a round has responses but no scores."""
    totals = Response.objects.filter(assessment=assessment).aggregate(
        responses=Count("pk", distinct=True),
        answers=Count("answers", filter=~Q(answers__value="")),
        excluded=Count("pk", filter=Q(is_included=False), distinct=True),
    )
    return NotCounted(**totals, threshold=settings.RESPONSE_COUNT_THRESHOLD)


@dataclass(frozen=True)
class DisagreementRow:
    """A statement whose answers lie two levels or more apart, as the results page lists it:
    ``answers`` reads "Wonen: 1; Zorg: 3", or is None while the user may not see them."""

    question: QuestionRow
    url: str
    answers: str | None


class Charts:
    """The page's radar and a bar chart per step, drawn when the template first asks:
    not at all when their fragment comes from the cache."""

    def __init__(self, results: Results, steps: list[ScoreRow]):
        self._results = results
        self._steps = steps

    @cached_property
    def _drawn(self) -> tuple[SafeString, list[SafeString]]:
        return round_charts_for(self._results)

    @property
    def radar(self) -> SafeString:
        return self._drawn[0]

    @property
    def bars(self) -> list[tuple[ScoreRow, SafeString]]:
        return list(zip(self._steps, self._drawn[1], strict=True))


def _who(answer) -> str:
    return answer.perspective or _("invuller %(n)s") % {"n": answer.respondent}


def _question_url(assessment: Assessment, question: QuestionRow) -> str:
    """The statement on its step page (a results page links up to twenty of them)."""
    url = reverse_cached("assessments:questionnaire", assessment.pk, question.step)
    return f"{url}#vraag-{question.code}"


def results_context(
    assessment: Assessment, *, can_edit: bool, visible_answers: set[str] | None = None
) -> dict:
    """``visible_answers``: the codes of the questions whose individual answers the user may
    see (``access.sees_all_answers``/``answered_question_codes``); None: all of them."""
    results = load_results(assessment)
    scores = results.scores
    questions = results.question_by_code
    theme_rows = [ScoreRow(t.code, t.title, scores.themes[t.code]) for t in results.themes]
    steps = [
        (
            ScoreRow(s.code, s.title, scores.steps[s.code]),
            [row for row, t in zip(theme_rows, results.themes, strict=True) if t.step == s.code],
        )
        for s in results.steps
        if s.code in scores.steps
    ]
    # The largest differences first, as on the dialogue agenda; ten, the rest behind a click.
    listed = set(scores.disagreements)
    ranked = rank_for_dialogue(
        (question_info(questions[code]), scores.consolidated[code]) for code in listed
    )
    disagreements = [
        DisagreementRow(
            question=questions[code],
            url=_question_url(assessment, questions[code]),
            answers="; ".join(
                f"{_who(a)}: {int(a.value)}"
                for a in results.answers.get(code, [])
                if a.value.isdigit()
            )
            if visible_answers is None or code in visible_answers
            else None,  # answer it first: the template says so
        )
        for code in ranked
    ]
    targets_form = None
    if can_edit:
        targets_form = TargetsForm(
            steps=results.steps, initial={s.code: s.target for s in results.steps}
        )
    return {
        "assessment": assessment,
        "results": results,
        "not_counted": (
            not_counted(assessment) if results.left_out and not results.has_answers else None
        ),
        "can_edit": can_edit,
        "overall": ScoreRow("overall", _("Totaal"), scores.overall),
        "steps": steps,
        "charts": Charts(results, [step for step, _rows in steps]),
        # The parts drawn from the results alone are cached fragments while the process
        # keeps these results (their token); else drawn anew (timeout 0).
        "results_timeout": None if results.token else 0,
        # Which answers the user may see: part of the key of the fragments that show them.
        "answers_key": "all" if visible_answers is None else ",".join(sorted(visible_answers)),
        "top_gaps": [
            (gap, questions[gap.code], _question_url(assessment, questions[gap.code]))
            for gap in scores.gaps[:10]
        ],
        "to_investigate": [questions[code] for code in scores.to_investigate],
        # The one count of readiness.scoring.disagreements, as in the report and the agenda.
        "disagreement_count": len(scores.disagreements),
        "disagreements": disagreements[:AGENDA_SIZE],
        "more_disagreements": disagreements[AGENDA_SIZE:],
        "agreed": [
            (questions[q.code], results.agreed[q.code])
            for q in results.questions
            if q.code in results.agreed
        ],
        "can_lead_dialogue": assessment.member_role in access.MANAGE_ROLES,
        "targets_form": targets_form,
        # Never scored: legal duties ("n van m voldaan") and indicators (a number each).
        "duty_summary": scores.legal_duties,
        "duties": [(q, duty_label(d.state)) for q, d in results.legal_duties],
        "indicators": [
            (
                q,
                shown_number(i.value),
                # Each respondent's number, as the other answers: only once it is visible.
                [shown_number(v) for v in i.values]
                if visible_answers is None or q.code in visible_answers
                else None,
                i.differs,
            )
            for q, i in results.indicators
        ],
        "not_for_role": [questions[code] for code in scores.not_for_role],
        # Other municipalities per theme, only where enough contribute (_benchmark.html).
        "benchmark": benchmark_for(assessment, results),
        # The municipality's regions, for the coordinator's consent switch (_region_consent).
        "region_names": (
            list(assessment.municipality.regions.values_list("name", flat=True))
            if assessment.member_role in access.MANAGE_ROLES
            else []
        ),
    }
