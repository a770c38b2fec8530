"""A round's results as plain data: gathered from the database, or from its snapshot.

``load_results(assessment)`` is what the results page and the report use. For an open
round it reads the answers (a fixed number of queries) and scores them with
``readiness.scoring``; for a closed round it rebuilds the very same object from the JSON
snapshot written when the round closed, so nothing that happens later (new framework
versions, new rounds, code changes in scoring) changes a closed round's results.
"""

from __future__ import annotations

import datetime
import uuid
from collections import defaultdict
from dataclasses import asdict, dataclass, field, replace
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.db.models import Prefetch
from django.utils.translation import get_language, gettext_lazy

from assessments.models import Action, AgreedLevel, Assessment, Response
from assessments.rounds.counting import (
    answerable,
    counted_response_ids,
    is_answered,
    raw_answer,
)
from readiness.content import Outline, outline_for
from readiness.kinds import (
    ALL,
    INDICATOR,
    LEGAL_DUTY,
    MATURITY,
    DutyResult,
    IndicatorResult,
    is_partner,
    number_text,
)
from readiness.models import ActionLevel, Domain, Question
from readiness.scoring import (
    Consolidated,
    Gap,
    GroupScore,
    Light,
    RoundScores,
    score_round,
)

SNAPSHOT_VERSION = 1


# A traffic light's word, shown next to its colour everywhere (never colour alone).
LIGHT_LABELS = {
    Light.RED: gettext_lazy("rood"),
    Light.ORANGE: gettext_lazy("oranje"),
    Light.GREEN: gettext_lazy("groen"),
}


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
    # The kind of statement and where it applies (readiness.kinds); defaults for
    # snapshots from before statement kinds existed.
    kind: str = MATURITY
    applies_to: str = ALL
    legal_basis: str = ""
    unit: str = ""
    period: str = ""
    partner_perspectives: tuple[str, ...] = ()

    @property
    def is_maturity(self) -> bool:
        return self.kind == MATURITY

    @property
    def is_legal_duty(self) -> bool:
        return self.kind == LEGAL_DUTY

    @property
    def is_indicator(self) -> bool:
        return self.kind == INDICATOR


def _label(choices, code: str) -> str:
    """The label of a choice in the active language; snapshots keep codes, never labels."""
    return _label_in(choices, code, get_language()) if code else ""


@lru_cache(maxsize=512)
def _label_in(choices, code: str, language: str) -> str:
    # Asked some hundred times for a results page (every respondent's perspective), for
    # a dozen labels: the enum lookup and the translation once per label and language.
    return str(choices(code).label)


@dataclass(frozen=True)
class RespondentAnswer:
    """One respondent's answer to one question, without the respondent's name."""

    respondent: int  # 1-based number of the respondent in the round
    perspective_code: str  # a Domain code, '' when not given
    value: str  # '0'..'4', 'weet_niet', 'nvt', a duty's answer, or '' (a note, a number)
    note: str
    number: str = ""  # an indicator's number as plain digits ('12.5'), '' without one

    @property
    def perspective(self) -> str:
        return _label(Domain, self.perspective_code)


@dataclass(frozen=True)
class AgreedInfo:
    """A level agreed on in conversation (``AgreedLevel``), as the page and report show it."""

    level: int
    rationale: str


@dataclass(frozen=True)
class Results:
    steps: list[StepInfo]
    themes: list[ThemeInfo]
    questions: list[QuestionRow]
    scores: RoundScores
    # Only the responses that count (readiness.scoring.counts_response), numbered 1.. in
    # the order they were started.
    answers: dict[str, list[RespondentAnswer]] = field(default_factory=dict)
    perspectives: list[str] = field(default_factory=list)  # Domain code per respondent
    agreed: dict[str, AgreedInfo] = field(default_factory=dict)  # by question code
    left_out: int = 0  # responses that do not count: too few answers, or left out by choice
    # The municipality's role when scored (statements of the other role are n.v.t.).
    region_role: str = ""
    # Answers of partners' responses that do not count: a perspective for the dialogue,
    # numbered after the counted respondents, never in the scores.
    partner_answers: dict[str, list[RespondentAnswer]] = field(default_factory=dict)
    # Set on an open round's results as the process keeps them (``compute_results``): a
    # random name for this state of the round in this process, so a page can keep what it
    # draws from them (a cached fragment keyed by it). '' when not kept: never in a snapshot.
    token: str = field(default="", compare=False, repr=False)

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

    @property
    def legal_duties(self) -> list[tuple[QuestionRow, DutyResult]]:
        return [
            (q, self.scores.duties[q.code]) for q in self.questions if q.code in self.scores.duties
        ]

    @property
    def indicators(self) -> list[tuple[QuestionRow, IndicatorResult]]:
        return [
            (q, self.scores.indicators[q.code])
            for q in self.questions
            if q.code in self.scores.indicators
        ]

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        del data["token"]
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
            # Snapshots from before statement kinds have none of these keys.
            duties={
                code: DutyResult(state=d["state"], answers=tuple(d["answers"]))
                for code, d in s.get("duties", {}).items()
            },
            indicators={
                code: IndicatorResult(value=i["value"], values=tuple(i["values"]))
                for code, i in s.get("indicators", {}).items()
            },
            not_for_role=list(s.get("not_for_role", [])),
        )
        return cls(
            steps=[StepInfo(**x) for x in data["steps"]],
            themes=[ThemeInfo(**x) for x in data["themes"]],
            questions=[
                QuestionRow(
                    **{**x, "partner_perspectives": tuple(x.get("partner_perspectives", ()))}
                )
                for x in data["questions"]
            ],
            scores=scores,
            answers={
                code: [RespondentAnswer(**a) for a in rows]
                for code, rows in data["answers"].items()
            },
            perspectives=list(data["perspectives"]),
            # Snapshots from before agreed levels and the threshold have neither key.
            agreed={code: AgreedInfo(**a) for code, a in data.get("agreed", {}).items()},
            left_out=data.get("left_out", 0),
            region_role=data.get("region_role", ""),
            partner_answers={
                code: [RespondentAnswer(**a) for a in rows]
                for code, rows in data.get("partner_answers", {}).items()
            },
        )


def _round_answers(assessment: Assessment):
    """One query for the responses and their answers: a response without answers still
    comes as a row (with NULL answer columns). Ordered by response only; Answer's own
    ordering is left out, as it would join the tables of the whole country
    (docs/performance.md)."""
    return (
        Response.objects.filter(assessment=assessment)
        .order_by("created_at", "pk")
        .values_list(
            "pk",
            "perspective",
            "is_included",
            "answers__question_id",
            "answers__value",
            "answers__note",
            "answers__number",
        )
    )


def _agreed_rows(assessment: Assessment) -> tuple[tuple[int, int, str], ...]:
    """The round's agreed levels as (question id, level, rationale), one query."""
    return tuple(
        AgreedLevel.objects.filter(assessment=assessment)
        .order_by("question_id")
        .values_list("question_id", "level", "rationale")
    )


def question_rows(outline: Outline) -> list[QuestionRow]:
    return [
        QuestionRow(
            id=q.pk,
            code=q.code,
            statement=q.statement,
            theme=q.theme.code,
            step=q.theme.step.code,
            weight=q.weight,
            is_critical=q.is_critical,
            sources=q.sources,
            kind=q.kind,
            applies_to=q.applies_to,
            legal_basis=q.legal_basis,
            unit=q.unit,
            period=q.period,
            partner_perspectives=tuple(q.partner_perspectives),
        )
        for q in outline.questions
    ]


def compute_results(assessment: Assessment) -> Results:
    """Score a round from the database: two queries once the framework's outline is cached
    (``readiness.content``), five before. Only the responses that count are scored; the
    answers of partners' responses that do not count are kept apart (``partner_answers``).

    What follows the two queries is a pure function of their rows, the targets, the
    municipality's role and the counting threshold, so for a published version the
    process keeps its outcome by those inputs (``_scored``): the same answers give the
    same object, and a changed answer, note, agreed level or target is another key,
    never a stale result. The object is shared: nothing may change it (its classes are
    frozen; their lists and dicts are only read).
    """
    framework = assessment.framework
    inputs = (
        assessment.municipality.region_role,
        tuple(_round_answers(assessment)),
        _agreed_rows(assessment),
        tuple(sorted((assessment.targets or {}).items())),
        settings.RESPONSE_COUNT_THRESHOLD,
    )
    if framework.cache_key is None:  # a draft's outline may still change
        return _score(outline_for(framework), *inputs)
    return _scored(framework, framework.cache_key, *inputs)


@lru_cache(maxsize=64)
def _scored(framework, content_key: tuple[int, str], *inputs) -> Results:
    """``_score`` kept per process by the version's content key and the round's inputs
    (a few hundred KB each for a scored round of 84 statements), with a new ``token``."""
    return replace(_score(outline_for(framework), *inputs), token=uuid.uuid4().hex)


def _score(
    outline: Outline,
    region_role: str,
    rows: tuple[tuple, ...],
    agreed_rows: tuple[tuple[int, int, str], ...],
    targets: tuple[tuple[str, int], ...],
    threshold_percent: int,
) -> Results:
    kind_of = {q.pk: q.kind for q in outline.questions}
    answerable_ids = {q.pk for q in answerable(outline, region_role)}
    answered_by: dict[int, int] = defaultdict(int)
    included: dict[int, bool | None] = {}
    partners: set[int] = set()
    for response_id, perspective, is_included, question_id, value, _note, number in rows:
        included[response_id] = is_included
        if is_partner(perspective):
            partners.add(response_id)
        if question_id in answerable_ids and is_answered(value, number):
            answered_by[response_id] += 1
    counted = counted_response_ids(
        answered_by, included, len(answerable_ids), partners, threshold_percent
    )
    number_of: dict[int, int] = {}
    perspectives: list[str] = []
    # (respondent number, perspective, value, note, number) per question id, in respondent
    # order because the rows come in response order; partners' uncounted answers apart.
    by_question: dict[int, list[tuple[int, str, str, str, object]]] = defaultdict(list)
    partner_rows: dict[int, list[tuple[int, str, str, str, object]]] = defaultdict(list)
    partner_number: dict[int, int] = {}
    for response_id, perspective, _included, question_id, value, note, number in rows:
        if response_id in counted:
            respondent = number_of.get(response_id)
            if respondent is None:
                respondent = number_of[response_id] = len(number_of) + 1
                perspectives.append(perspective)
            target = by_question
        elif response_id in partners:
            respondent = partner_number.setdefault(response_id, len(partner_number) + 1)
            target = partner_rows
        else:
            continue
        if question_id is not None:
            target[question_id].append((respondent, perspective, value, note, number))

    questions = question_rows(outline)
    answered = [q for q in questions if q.id in by_question]
    raw = {
        q.code: [raw_answer(q.kind, value, num) for _n, _p, value, _note, num in by_question[q.id]]
        for q in answered
    }
    agreed_by_id = {
        question_id: AgreedInfo(level=level, rationale=rationale)
        for question_id, level, rationale in agreed_rows
    }
    agreed = {
        q.code: agreed_by_id[q.id]
        for q in questions
        if q.id in agreed_by_id and kind_of[q.id] == MATURITY
    }
    scores = score_round(
        list(outline.infos),
        raw,
        dict(targets) or None,
        {code: a.level for code, a in agreed.items()},
        region_role=region_role,
    )
    # Partners are numbered after the counted respondents ("invuller 4"), never by name.
    offset = len(number_of)

    def answer_rows(entries, shift: int = 0) -> list[RespondentAnswer]:
        return [
            RespondentAnswer(
                respondent=respondent + shift,
                perspective_code=perspective,
                value=value or "",
                note=note or "",
                number="" if num is None else number_text(num),
            )
            for respondent, perspective, value, note, num in entries
        ]

    return Results(
        steps=[
            StepInfo(
                code=s.code,
                order=s.order,
                title=s.title,
                description=s.description,
                target=scores.targets.get(s.code, 3),
            )
            for s in outline.steps
        ],
        # A theme of legal duties or indicators only has no score to show.
        themes=[
            ThemeInfo(code=t.code, title=t.title, step=t.step.code)
            for t in outline.themes
            if t.code in scores.themes
        ],
        questions=questions,
        scores=scores,
        answers={q.code: answer_rows(by_question[q.id]) for q in answered},
        perspectives=perspectives,
        agreed=agreed,
        left_out=len(included) - len(counted),
        region_role=region_role,
        partner_answers={
            q.code: answer_rows(partner_rows[q.id], offset)
            for q in questions
            if q.id in partner_rows
        },
    )


def load_results(assessment: Assessment) -> Results:
    """The round's results: frozen for a closed round, computed for an open one."""
    if assessment.snapshot and "results" in assessment.snapshot:
        return Results.from_dict(assessment.snapshot["results"])
    return compute_results(assessment)


@dataclass(frozen=True)
class ActionRow:
    """One action of the plan, as the plan page, the report and the exports show it.

    An open round's actions come from the database (``id`` set, so the page can link to
    them); a closed round's from its snapshot (``id`` None: nothing to edit). Codes, not
    labels, so a snapshot stays the same in every language.
    """

    title: str
    description: str
    question_codes: tuple[str, ...]
    owner: str
    owner_domain_code: str  # a Domain code, '' when not set
    due_date: datetime.date | None
    status_code: str
    level_code: str
    priority: int
    order: int
    # The day work started (None in snapshots from before it existed). Only the timeline
    # draws it; like the id it is not compared, so a plan's rows equal by their content.
    start_date: datetime.date | None = field(default=None, compare=False)
    done_when: str = ""  # when the action is done; '' in snapshots from before it existed
    # Not content: a closed round's rows from its snapshot equal the rows it was made of.
    id: int | None = field(default=None, compare=False)
    # The follow-up after closing, not part of the plan as decided: never in a snapshot.
    owner_user_id: int | None = field(default=None, compare=False)
    progress_note: str = field(default="", compare=False)
    progress_noted_at: datetime.date | None = field(default=None, compare=False)

    @property
    def owner_domain(self) -> str:
        return _label(Domain, self.owner_domain_code)

    @property
    def status(self) -> str:
        return _label(Action.Status, self.status_code)

    @property
    def level(self) -> str:
        return _label(ActionLevel, self.level_code)

    @classmethod
    def from_action(cls, action: Action) -> ActionRow:
        """The row of a stored action (its questions prefetched with ``QUESTION_CODES``)."""
        return cls(
            id=action.pk,
            title=action.title,
            description=action.description,
            question_codes=tuple(q.code for q in action.questions.all()),
            owner=action.owner,
            owner_domain_code=action.owner_domain,
            due_date=action.due_date,
            start_date=action.start_date,
            status_code=action.status,
            level_code=action.level,
            priority=action.priority,
            order=action.order,
            done_when=action.done_when,
            owner_user_id=action.owner_user_id,
            progress_note=action.progress_note,
            progress_noted_at=action.progress_noted_at,
        )

    def to_dict(self) -> dict[str, Any]:
        """The row as a snapshot keeps it: JSON values, no id, no follow-up."""
        data = asdict(self)
        for name in ("id", "owner_user_id", "progress_note", "progress_noted_at"):
            del data[name]
        data["question_codes"] = list(self.question_codes)
        data["due_date"] = self.due_date.isoformat() if self.due_date else None
        data["start_date"] = self.start_date.isoformat() if self.start_date else None
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ActionRow:
        due = data["due_date"]
        start = data.get("start_date")
        return cls(
            **{
                **data,
                "question_codes": tuple(data["question_codes"]),
                "due_date": datetime.date.fromisoformat(due) if due else None,
                "start_date": datetime.date.fromisoformat(start) if start else None,
            }
        )


# An action's question codes in question order, without loading whole questions.
QUESTION_CODES = Prefetch(
    "questions", queryset=Question.objects.only("code", "order").order_by("order")
)


def compute_actions(assessment: Assessment) -> list[ActionRow]:
    """The round's action plan from the database, in plan order (two queries)."""
    actions = Action.objects.filter(assessment=assessment).prefetch_related(QUESTION_CODES)
    return [ActionRow.from_action(a) for a in actions.order_by("order", "pk")]


def load_actions(assessment: Assessment) -> list[ActionRow]:
    """The action plan: frozen for a closed round, from the database for an open one."""
    if assessment.snapshot and "actions" in assessment.snapshot:
        return [ActionRow.from_dict(row) for row in assessment.snapshot["actions"]]
    return compute_actions(assessment)


def make_snapshot(assessment: Assessment, results: Results | None = None) -> dict[str, Any]:
    """What a closed round keeps: its results (computed, unless given) and action plan as
    plain JSON data."""
    return {
        "version": SNAPSHOT_VERSION,
        "results": (results or compute_results(assessment)).to_dict(),
        "actions": [row.to_dict() for row in compute_actions(assessment)],
    }
