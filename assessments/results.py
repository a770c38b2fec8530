"""A round's results as plain data: gathered from the database, or from its snapshot.

``load_results(assessment)`` is what the results page and the report use. For an open
round it reads the answers (a fixed number of queries) and scores them with
``readiness.scoring``; for a closed round it rebuilds the very same object from the JSON
snapshot written when the round closed, so nothing that happens later (new framework
versions, new rounds, code changes in scoring) changes a closed round's results.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db.models import Prefetch
from django.utils.safestring import SafeString

from readiness.models import ActionLevel, ActionTemplate, Domain, Question, Step, Theme
from readiness.plan import Proposal, TemplateInfo, propose
from readiness.scoring import (
    Consolidated,
    Gap,
    GroupScore,
    Light,
    QuestionInfo,
    RoundScores,
    score_round,
)

from .charts import ChartPoint, round_charts
from .models import Action, Answer, Assessment, Response
from .prepared import PreparedQuery

SNAPSHOT_VERSION = 1


@dataclass(frozen=True)
class StepInfo:
    code: str
    order: int
    title: str
    description: str
    target: int  # ambition level 0–4


@dataclass(frozen=True)
class ThemeInfo:
    code: str
    title: str
    step: str


@dataclass(frozen=True)
class QuestionRow:
    id: int
    code: str
    statement: str
    theme: str
    step: str
    weight: int
    is_critical: bool
    sources: str


def _label(choices, code: str) -> str:
    """The label of a choice in the active language; snapshots keep codes, never labels."""
    return str(choices(code).label) if code else ""


@dataclass(frozen=True)
class RespondentAnswer:
    """One respondent's answer to one question, without the respondent's name."""

    respondent: int  # 1-based number of the respondent in the round
    perspective_code: str  # a Domain code, '' when not given
    value: str  # '0'..'4', 'weet_niet', 'nvt' or '' (only a note)
    note: str

    @property
    def perspective(self) -> str:
        return _label(Domain, self.perspective_code)


@dataclass(frozen=True)
class Results:
    steps: list[StepInfo]
    themes: list[ThemeInfo]
    questions: list[QuestionRow]
    scores: RoundScores
    answers: dict[str, list[RespondentAnswer]] = field(default_factory=dict)
    perspectives: list[str] = field(default_factory=list)  # Domain code per respondent

    @property
    def respondents(self) -> list[str]:
        """The perspective label of each respondent, in respondent order."""
        return [_label(Domain, code) for code in self.perspectives]

    @property
    def has_answers(self) -> bool:
        return any(c.state != "empty" for c in self.scores.consolidated.values())

    @property
    def question_by_code(self) -> dict[str, QuestionRow]:
        return {q.code: q for q in self.questions}

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["version"] = SNAPSHOT_VERSION
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Results:
        s = data["scores"]

        def group(g: dict[str, Any]) -> GroupScore:
            return GroupScore(**{**g, "light": Light(g["light"]) if g["light"] else None})

        scores = RoundScores(
            consolidated={
                code: Consolidated(**{**c, "levels": tuple(c["levels"])})
                for code, c in s["consolidated"].items()
            },
            themes={code: group(g) for code, g in s["themes"].items()},
            steps={code: group(g) for code, g in s["steps"].items()},
            overall=group(s["overall"]),
            gaps=[Gap(**g) for g in s["gaps"]],
            to_investigate=list(s["to_investigate"]),
            disagreements=list(s["disagreements"]),
            targets=dict(s["targets"]),
        )
        return cls(
            steps=[StepInfo(**x) for x in data["steps"]],
            themes=[ThemeInfo(**x) for x in data["themes"]],
            questions=[QuestionRow(**x) for x in data["questions"]],
            scores=scores,
            answers={
                code: [RespondentAnswer(**a) for a in rows]
                for code, rows in data["answers"].items()
            },
            perspectives=list(data["perspectives"]),
        )


def _raw(value: str) -> int | str | None:
    if value.isdigit():
        return int(value)
    return value or None


@dataclass(frozen=True)
class StepOutline:
    """A step of a framework version without a round's ambition (see ``StepInfo``)."""

    code: str
    order: int
    title: str
    description: str


@dataclass(frozen=True)
class FrameworkStructure:
    """A framework version's steps, themes and questions as plain, immutable values.

    ``questions`` and ``infos`` are parallel: the same question for the page and for
    ``readiness.scoring``.
    """

    steps: tuple[StepOutline, ...]
    themes: tuple[ThemeInfo, ...]
    questions: tuple[QuestionRow, ...]
    infos: tuple[QuestionInfo, ...]


# Per process, by framework version pk and content hash (as assessments.questionnaire
# does); only locked versions go in (see ``framework_structure``). A handful of versions
# exist, so it is never evicted.
_STRUCTURES: dict[tuple[int, str], FrameworkStructure] = {}


def clear_framework_cache() -> None:
    """Forget every cached framework structure (tests: pks are reused between tests)."""
    _STRUCTURES.clear()


def framework_structure(assessment: Assessment) -> FrameworkStructure:
    """The structure of the round's framework version: cached when it can no longer change.

    Reading the steps, themes and 66 questions as model instances on every request was,
    with the answers read the same way, about a third of the results page's CPU (9.5 of
    about 30 ms, measured with bench/pages.py), for content that is frozen once a round
    uses it: ``FrameworkVersion.is_locked`` is "published and in use", and this round is a
    use, so a published framework of a saved round is locked. That is checked on the
    round's already loaded framework rather than with ``is_locked``, which would cost a
    query. A draft version, or a round whose framework is not loaded (the snapshot at
    closing, which must come from the database), is read from the database every time.
    """
    key = _locked_key(assessment)
    if key is not None:
        cached = _STRUCTURES.get(key)
        if cached is not None:
            return cached
    structure = _read_structure(assessment.framework_id)
    if key is not None:
        _STRUCTURES[key] = structure
    return structure


def _locked_key(assessment: Assessment) -> tuple[int, str] | None:
    """The cache key of the round's framework when it is locked, else None."""
    if assessment.pk is None or not Assessment.framework.is_cached(assessment):
        return None
    return assessment.framework.cache_key


def _read_structure(framework_id: int) -> FrameworkStructure:
    """Three queries of plain values: model instances are not needed to build this."""
    steps = tuple(
        StepOutline(code=code, order=order, title=title, description=description)
        for code, order, title, description in Step.objects.filter(framework=framework_id)
        .order_by("order")
        .values_list("code", "order", "title", "description")
    )
    theme_rows = list(
        Theme.objects.filter(framework=framework_id)
        .order_by("order")
        .values_list("pk", "code", "title", "step__code")
    )
    theme_of = {pk: (code, step) for pk, code, _title, step in theme_rows}
    questions: list[QuestionRow] = []
    infos: list[QuestionInfo] = []
    for pk, code, statement, theme_id, weight, is_critical, sources in (
        Question.objects.filter(framework=framework_id)
        .order_by("order")
        .values_list("pk", "code", "statement", "theme_id", "weight", "is_critical", "sources")
    ):
        theme, step = theme_of[theme_id]
        infos.append(
            QuestionInfo(code=code, step=step, theme=theme, weight=weight, is_critical=is_critical)
        )
        questions.append(
            QuestionRow(
                id=pk,
                code=code,
                statement=statement,
                theme=theme,
                step=step,
                weight=weight,
                is_critical=is_critical,
                sources=sources,
            )
        )
    return FrameworkStructure(
        steps=steps,
        themes=tuple(
            ThemeInfo(code=code, title=title, step=step) for _pk, code, title, step in theme_rows
        ),
        questions=tuple(questions),
        infos=tuple(infos),
    )


def _round_answers(assessment_id: int):
    """One query for the responses and their answers: a response without answers still
    counts as a respondent (a row with NULL answer columns). Ordered by response only;
    Answer's own ordering is left out, as it would join the tables of the whole country
    (docs/performance.md)."""
    return (
        Response.objects.filter(assessment=assessment_id)
        .order_by("created_at", "pk")
        .values_list("pk", "perspective", "answers__question_id", "answers__value", "answers__note")
    )


# Read for every view of the results page and every report: compiled once per process.
_ROUND_ANSWERS = PreparedQuery(Response, _round_answers, "assessment_id")


def compute_results(assessment: Assessment) -> Results:
    """Score a round from the database: at most four queries whatever its size, one when
    the framework's structure is cached."""
    structure = framework_structure(assessment)
    rows = _ROUND_ANSWERS.rows(assessment_id=assessment.pk)
    number_of: dict[int, int] = {}
    perspectives: list[str] = []
    # (respondent number, perspective, value, note) per question id, in respondent order
    # because the rows come in response order.
    by_question: dict[int, list[tuple[int, str, str, str]]] = defaultdict(list)
    for response_id, perspective, question_id, value, note in rows:
        number = number_of.get(response_id)
        if number is None:
            number = number_of[response_id] = len(number_of) + 1
            perspectives.append(perspective)
        if question_id is not None:
            by_question[question_id].append((number, perspective, value, note))

    answered = [q for q in structure.questions if q.id in by_question]
    raw = {q.code: [_raw(value) for _n, _p, value, _note in by_question[q.id]] for q in answered}
    scores = score_round(list(structure.infos), raw, assessment.targets or None)
    return Results(
        steps=[
            StepInfo(
                code=s.code,
                order=s.order,
                title=s.title,
                description=s.description,
                target=scores.targets.get(s.code, 3),
            )
            for s in structure.steps
        ],
        # New lists each time: the structure may be shared with other requests.
        themes=list(structure.themes),
        questions=list(structure.questions),
        scores=scores,
        answers={
            q.code: [
                RespondentAnswer(
                    respondent=number, perspective_code=perspective, value=value, note=note
                )
                for number, perspective, value, note in by_question[q.id]
            ]
            for q in answered
        },
        perspectives=perspectives,
    )


def load_results(assessment: Assessment) -> Results:
    """The round's results: frozen for a closed round, computed for an open one."""
    if assessment.snapshot and "results" in assessment.snapshot:
        return Results.from_dict(assessment.snapshot["results"])
    return compute_results(assessment)


@dataclass(frozen=True)
class ActionRow:
    """One action of the plan as the results page, the report and exports show it."""

    title: str
    description: str
    question_codes: list[str]
    owner: str
    owner_domain_code: str  # a Domain code, '' when not set
    due_date: str | None  # ISO date
    status_code: str
    level_code: str
    priority: int
    order: int

    @property
    def owner_domain(self) -> str:
        return _label(Domain, self.owner_domain_code)

    @property
    def status(self) -> str:
        return _label(Action.Status, self.status_code)

    @property
    def level(self) -> str:
        return _label(ActionLevel, self.level_code)


def compute_actions(assessment: Assessment) -> list[ActionRow]:
    """The round's action plan from the database, in plan order (two queries)."""
    actions = Action.objects.filter(assessment=assessment).prefetch_related(
        Prefetch("questions", queryset=Question.objects.only("code", "order").order_by("order"))
    )
    return [
        ActionRow(
            title=a.title,
            description=a.description,
            question_codes=[q.code for q in a.questions.all()],
            owner=a.owner,
            owner_domain_code=a.owner_domain,
            due_date=a.due_date.isoformat() if a.due_date else None,
            status_code=a.status,
            level_code=a.level,
            priority=a.priority,
            order=a.order,
        )
        for a in actions.order_by("order", "pk")
    ]


def load_actions(assessment: Assessment) -> list[ActionRow]:
    """The action plan: frozen for a closed round, from the database for an open one."""
    if assessment.snapshot and "actions" in assessment.snapshot:
        return [ActionRow(**row) for row in assessment.snapshot["actions"]]
    return compute_actions(assessment)


def make_snapshot(assessment: Assessment) -> dict[str, Any]:
    """What a closed round keeps: its results and action plan as plain JSON data."""
    return {
        "version": SNAPSHOT_VERSION,
        "results": compute_results(assessment).to_dict(),
        "actions": [asdict(row) for row in compute_actions(assessment)],
    }


def overall_scores(assessments: list[Assessment]) -> dict[int, GroupScore]:
    """The overall score of many rounds at once (a consultant's portfolio): two queries."""
    result: dict[int, GroupScore] = {}
    open_rounds = []
    for assessment in assessments:
        if assessment.snapshot and "results" in assessment.snapshot:
            result[assessment.pk] = Results.from_dict(assessment.snapshot["results"]).scores.overall
        else:
            open_rounds.append(assessment)
    if not open_rounds:
        return result
    infos: dict[int, list[QuestionInfo]] = defaultdict(list)
    code_of: dict[int, str] = {}
    for question in (
        Question.objects.filter(framework__in={a.framework_id for a in open_rounds})
        .select_related("theme__step")
        .order_by("order")
    ):
        code_of[question.pk] = question.code
        infos[question.framework_id].append(
            QuestionInfo(
                code=question.code,
                step=question.theme.step.code,
                theme=question.theme.code,
                weight=question.weight,
                is_critical=question.is_critical,
            )
        )
    raw: dict[int, dict[str, list[int | str | None]]] = defaultdict(lambda: defaultdict(list))
    for assessment_id, question_id, value in Answer.objects.filter(
        response__assessment__in=[a.pk for a in open_rounds]
    ).values_list("response__assessment_id", "question_id", "value"):
        raw[assessment_id][code_of[question_id]].append(_raw(value))
    for assessment in open_rounds:
        scores = score_round(
            infos[assessment.framework_id], raw[assessment.pk], assessment.targets or None
        )
        result[assessment.pk] = scores.overall
    return result


def chart_points(results: Results) -> list[ChartPoint]:
    """One chart point per theme: its score (when sufficiently answered) and ambition."""
    targets = {s.code: s.target for s in results.steps}
    points = []
    for theme in results.themes:
        group = results.scores.themes[theme.code]
        points.append(
            ChartPoint(
                key=theme.code,
                label=f"{theme.code} {theme.title}",
                score=group.score if group.is_sufficient else None,
                light=group.light.value if group.light else None,
                target=targets[theme.step] * 25,
            )
        )
    return points


def round_charts_for(results: Results) -> tuple[SafeString, list[SafeString]]:
    steps = [
        (s.code, s.title, [t.code for t in results.themes if t.step == s.code])
        for s in results.steps
    ]
    return round_charts(chart_points(results), steps)


def template_proposals(
    results: Results, templates: Iterable[ActionTemplate]
) -> tuple[dict[str, ActionTemplate], list[Proposal]]:
    """Which of these action templates address the round's gaps (readiness.plan rules).

    A format-2 template is bound to its own list of questions; a format-1 template to its
    theme or its one question, so old rounds keep their proposals.
    """
    by_code = {t.code: t for t in templates}
    proposals = propose(
        [
            TemplateInfo(
                code=t.code,
                theme=t.theme.code,
                question=t.question.code if t.question else None,
                horizon_months=t.horizon_months,
                order=t.order,
                questions=t.bound_question_codes,
            )
            for t in by_code.values()
        ],
        results.scores.gaps,
        {q.code: q.theme for q in results.questions},
    )
    return by_code, proposals
