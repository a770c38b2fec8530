"""The scoring rules of the readiness scan, as pure functions over plain data.

This module owns every number the report shows about a round: how the answers of several
respondents become one level per question (*consolidatie*), the 0-100 score, coverage and
traffic light of a theme, a step and the whole round, and the gaps to the round's target
level with their priority. ``docs/scoring.md`` states the same rules in words, with worked
examples that the test suite runs. Only maturity statements are scored: legal duties,
indicators, partners' statements and statements for the other role in the region are
kept apart (``readiness.kinds``, ``score_round``).

It imports nothing from Django and nothing outside the standard library, on purpose: the
rules are tested without a database (table-driven and with hypothesis), and a closed round
can store and later rebuild its results from plain values.

Units used throughout:

- *level*: an integer on the answer scale 0 (*Afwezig*) .. 4 (*Geborgd en lerend*);
- *weight*: a positive integer (1, 2 or 3 in the question bank), without a unit;
- *score*: percent of the maximum attainable, a float in 0..100, never rounded here;
- *coverage*: a fraction in 0..1 (not a percentage);
- *gap*: a number of levels; *priority*: levels * weight, doubled for a critical question.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction
from functools import lru_cache
from typing import Final, Literal

from .kinds import (
    ALL,
    APPLICABILITY,
    INDICATOR,
    KINDS,
    LEGAL_DUTY,
    MATURITY,
    DutyResult,
    DutySummary,
    IndicatorResult,
    applies,
    consolidate_duty,
    consolidate_indicator,
    summarise_duties,
)

UNKNOWN: Final = "weet_niet"
NOT_APPLICABLE: Final = "nvt"

# One respondent's answer to one question: a level 0..4, UNKNOWN, NOT_APPLICABLE, or None
# when the respondent left it blank.
RawAnswer = int | str | None

STEP_ORDER: Final = ("wijkbasis", "samenwerking", "start_nu")
DEFAULT_TARGET: Final = 3  # Ingericht
OVERALL: Final = "overall"

MIN_LEVEL: Final = 0
MAX_LEVEL: Final = 4
# A spread of this many levels or more between respondents is a *verschil van inzicht*.
DISAGREEMENT_SPREAD: Final = 2
# A Fraction, so that exactly one half is compared exactly (1/2, 2/4, 50/100 all pass).
SUFFICIENT_COVERAGE: Final = Fraction(1, 2)
RED_BELOW: Final = 40.0
GREEN_FROM: Final = 70.0
# A critical question consolidated at this level or lower caps its group at orange.
CAP_LEVEL: Final = 1
CRITICAL_PRIORITY_FACTOR: Final = 2

ConsolidatedState = Literal["answered", "weet_niet", "nvt", "empty"]
_STATES: Final = frozenset({"answered", "weet_niet", "nvt", "empty"})


class Light(StrEnum):
    """The traffic light (*stoplicht*) of a theme, step or round; values are the Dutch words."""

    RED = "rood"
    ORANGE = "oranje"
    GREEN = "groen"


@dataclass(frozen=True)
class QuestionInfo:
    """What scoring needs to know about one question of the framework version.

    ``weight`` is a positive integer; ``step`` is one of ``STEP_ORDER``. Both are checked
    here because a zero weight would divide by zero and an unknown step cannot be ordered.
    ``kind``: only a maturity statement is scored (``readiness.kinds``); ``applies_to``:
    all municipalities or one role only; ``partner_module``: a statement in a partner's
    own voice, which the municipality's own respondents do not answer.
    """

    code: str
    step: str
    theme: str
    weight: int
    is_critical: bool
    kind: str = MATURITY
    applies_to: str = ALL
    partner_module: bool = False

    def __post_init__(self) -> None:
        if self.step not in STEP_ORDER:
            raise ValueError(f"question {self.code}: unknown step {self.step!r}")
        if self.kind not in KINDS:
            raise ValueError(f"question {self.code}: unknown kind {self.kind!r}")
        if self.applies_to not in APPLICABILITY:
            raise ValueError(f"question {self.code}: unknown applicability {self.applies_to!r}")
        if isinstance(self.weight, bool) or not isinstance(self.weight, int) or self.weight < 1:
            raise ValueError(f"question {self.code}: weight must be a positive integer")


@dataclass(frozen=True)
class Consolidated:
    """One question's answers in a round, taken together over all respondents.

    ``level`` is the lower median of ``levels`` and ``spread`` their range (both in levels);
    both are None unless ``state`` is ``"answered"``. Build it with :func:`consolidate`; the
    checks below keep hand-built or reloaded values from breaking the scoring invariants.

    ``agreed`` marks a level the respondents agreed on in conversation (*vastgesteld
    niveau*, see :func:`agree`): then ``level`` is that level, whatever the median was, and
    ``levels`` and ``spread`` still tell what the respondents answered (possibly nothing).
    """

    state: ConsolidatedState
    level: int | None
    levels: tuple[int, ...]
    spread: int | None
    agreed: bool = False

    def __post_init__(self) -> None:
        if self.state not in _STATES:
            raise ValueError(f"unknown state {self.state!r}")
        if self.agreed:
            valid = (
                self.state == "answered"
                and isinstance(self.level, int)
                and MIN_LEVEL <= self.level <= MAX_LEVEL
                and list(self.levels) == sorted(self.levels)
                and all(MIN_LEVEL <= level <= MAX_LEVEL for level in self.levels)
                and self.spread == (self.levels[-1] - self.levels[0] if self.levels else None)
            )
        elif self.state == "answered":
            valid = (
                bool(self.levels)
                and list(self.levels) == sorted(self.levels)
                and all(MIN_LEVEL <= level <= MAX_LEVEL for level in self.levels)
                and self.level in self.levels
                and self.spread == self.levels[-1] - self.levels[0]
            )
        else:
            valid = self.level is None and self.spread is None and not self.levels
        if not valid:
            raise ValueError(f"inconsistent consolidated answer: {self!r}")

    @property
    def has_disagreement(self) -> bool:
        """True when respondents differ by two levels or more (*verschil van inzicht*)."""
        return self.spread is not None and self.spread >= DISAGREEMENT_SPREAD


def agree(result: Consolidated, level: int) -> Consolidated:
    """The question's result once its respondents agreed on ``level`` in conversation.

    The agreed level replaces the median in every rule (score, cap, gap); the respondents'
    own levels and spread are kept, so the report can still show how far apart they were.
    Raises ValueError for a level outside 0..4 (a bool is not a level).
    """
    if isinstance(level, bool) or not isinstance(level, int) or not MIN_LEVEL <= level <= MAX_LEVEL:
        raise ValueError(f"agreed level {level!r} is not a level 0..4")
    return Consolidated(
        state="answered", level=level, levels=result.levels, spread=result.spread, agreed=True
    )


def counts_response(
    answered: int,
    total: int,
    *,
    threshold_percent: int,
    included: bool | None = None,
    is_partner: bool = False,
) -> bool:
    """Whether one respondent's response counts in a round's scores, counts and report.

    ``answered`` is how many of the round's ``total`` statements the respondent gave any
    answer to (a level, *weet niet* or *n.v.t.*). It counts from ``threshold_percent``
    percent of the statements (compared exactly, so 33 of 66 is 50%), unless the
    coordinator decided: ``included`` True or False overrides the threshold, None leaves it
    to the threshold. A partner's response (``is_partner``, ``readiness.kinds``) is a
    perspective for the dialogue and counts only when the coordinator says so. Raises
    ValueError for counts or a threshold outside their range.
    """
    if not 0 <= threshold_percent <= 100:
        raise ValueError(f"threshold {threshold_percent!r} is not a percentage 0..100")
    if total < 0 or not 0 <= answered <= total:
        raise ValueError(f"{answered} answered of {total} statements is impossible")
    if included is not None:
        return included
    if is_partner:
        return False
    if answered == 0:
        return False  # a response without any answer says nothing, whatever the threshold
    return answered * 100 >= threshold_percent * total


# A question together with its consolidated answers: the unit every group rule works on.
QuestionResult = tuple[QuestionInfo, Consolidated]


def consolidate(answers: Iterable[RawAnswer]) -> Consolidated:
    """Combine the respondents' answers to one question into one level.

    The level is the median of the given levels; with an even number of levels the lower
    of the two middle values, so that consolidation never flatters. *Weet niet*, *n.v.t.*
    and blanks do not count towards it. Without any level the state is ``"weet_niet"`` if
    anyone said *weet niet* (someone thinks it applies but nobody knows), else ``"nvt"``
    if anyone said *n.v.t.*, else ``"empty"``.

    Raises ValueError for a level outside 0..4, an unknown string, or any other value
    (a bool is not a level).
    """
    if isinstance(answers, str | bytes):
        # Iterating "nvt" would yield letters; a single answer must come in a sequence.
        raise ValueError(f"expected a sequence of answers, got the string {answers!r}")
    levels: list[int] = []
    has_unknown = False
    has_not_applicable = False
    for answer in answers:
        if answer is None:
            continue
        if isinstance(answer, str):
            if answer == UNKNOWN:
                has_unknown = True
            elif answer == NOT_APPLICABLE:
                has_not_applicable = True
            else:
                raise ValueError(f"unknown answer {answer!r}")
        elif isinstance(answer, int) and not isinstance(answer, bool):
            if not MIN_LEVEL <= answer <= MAX_LEVEL:
                raise ValueError(f"level {answer} is outside {MIN_LEVEL}..{MAX_LEVEL}")
            levels.append(answer)
        else:
            raise ValueError(f"unknown answer {answer!r}")
    if levels:
        levels.sort()
        return Consolidated(
            state="answered",
            level=levels[(len(levels) - 1) // 2],
            levels=tuple(levels),
            spread=levels[-1] - levels[0],
        )
    state: ConsolidatedState
    if has_unknown:
        state = "weet_niet"
    elif has_not_applicable:
        state = "nvt"
    else:
        state = "empty"
    return Consolidated(state=state, level=None, levels=(), spread=None)


@dataclass(frozen=True)
class GroupScore:
    """The score of a theme, a step or the whole round (``key`` ``"overall"``).

    ``score`` is 0..100 and unrounded, None when no question is answered; it is still set
    when coverage is insufficient, so callers must check ``is_sufficient`` before showing
    it (the report then shows *onvoldoende beantwoord*). ``coverage`` is a fraction 0..1.
    """

    key: str
    score: float | None
    answered: int
    applicable: int
    total: int
    coverage: float | None
    is_sufficient: bool
    is_capped: bool
    light: Light | None


def light_for(score: float, *, capped: bool) -> Light:
    """Return the traffic light for an unrounded score in 0..100.

    Red below 40, orange from 40 up to (not including) 70, green from 70; ``capped`` turns
    green into orange and leaves red red. Raises ValueError outside 0..100 (or for NaN).
    """
    if not 0.0 <= score <= 100.0:
        raise ValueError(f"score {score!r} is outside 0..100")
    if score < RED_BELOW:
        return Light.RED
    if score < GREEN_FROM or capped:
        return Light.ORANGE
    return Light.GREEN


def group_score(key: str, items: Sequence[QuestionResult]) -> GroupScore:
    """Pool the questions of a theme, a step or a round into one score.

    Score = sum(weight * level) / sum(weight * 4) * 100 over the answered questions. Questions
    consolidated as *n.v.t.* leave the applicable set; *weet niet* and empty ones stay in it
    as not answered. Coverage below one half gives no light; a critical question at level 0
    or 1 caps the light at orange.
    """
    weighted = [(info.weight, result.level) for info, result in items if result.level is not None]
    applicable = sum(1 for _, result in items if result.state != "nvt")
    answered = len(weighted)
    score: float | None = None
    if weighted:
        achieved = sum(weight * level for weight, level in weighted)
        attainable = sum(weight * MAX_LEVEL for weight, _ in weighted)
        # One division of exact integers, so an exact 70 (say 14/20) is exactly 70.0.
        score = 100 * achieved / attainable
    is_sufficient = applicable > 0 and Fraction(answered, applicable) >= SUFFICIENT_COVERAGE
    is_capped = any(
        info.is_critical and result.level is not None and result.level <= CAP_LEVEL
        for info, result in items
    )
    light = None
    if is_sufficient and score is not None:
        light = light_for(score, capped=is_capped)
    return GroupScore(
        key=key,
        score=score,
        answered=answered,
        applicable=applicable,
        total=len(items),
        coverage=answered / applicable if applicable else None,
        is_sufficient=is_sufficient,
        is_capped=is_capped,
        light=light,
    )


@dataclass(frozen=True)
class Gap:
    """How far one answered question is below its step's target level, and how urgent.

    ``gap`` = ``target`` - ``level`` in levels (always positive); ``priority`` = gap *
    weight, doubled for a critical question.
    """

    code: str
    step: str
    theme: str
    level: int
    target: int
    gap: int
    weight: int
    is_critical: bool
    priority: int


@lru_cache(maxsize=4096)  # a framework has some 70 codes; every round sorts them again
def natural_key(code: str) -> tuple[tuple[int, int, str], ...]:
    """Sort key that orders the digits in a code by value: ``"A2"`` before ``"A10"``.

    Two different codes never get the same key (``"A02"`` and ``"A2"`` differ), so the
    order of a sort with this key does not depend on the input order.
    """
    return tuple(
        (0, int(part), part) if part.isdigit() else (1, 0, part)
        for part in re.split(r"(\d+)", code)
        if part
    )


def _step_then_code(info: QuestionInfo) -> tuple[int, tuple[tuple[int, int, str], ...]]:
    return STEP_ORDER.index(info.step), natural_key(info.code)


def resolve_targets(targets: Mapping[str, int] | None) -> dict[str, int]:
    """Return the target level of every step in ``STEP_ORDER``; a missing step gets 3.

    Raises ValueError for an unknown step code or a target that is not a level 0..4.
    """
    given = dict(targets or {})
    unknown = sorted(set(given) - set(STEP_ORDER))
    if unknown:
        raise ValueError(f"targets for unknown steps: {', '.join(unknown)}")
    resolved: dict[str, int] = {}
    for step in STEP_ORDER:
        target = given.get(step, DEFAULT_TARGET)
        if (
            isinstance(target, bool)
            or not isinstance(target, int)
            or not MIN_LEVEL <= target <= MAX_LEVEL
        ):
            raise ValueError(f"target {target!r} for step {step} is not a level 0..4")
        resolved[step] = target
    return resolved


def gaps(items: Iterable[QuestionResult], targets: Mapping[str, int]) -> list[Gap]:
    """List the answered questions below their step's target, most urgent first.

    Only questions with a consolidated level have a gap; a gap of zero or less is left out.
    Order: priority descending, then step in ``STEP_ORDER``, then code in natural order.
    """
    resolved = resolve_targets(targets)
    found: list[Gap] = []
    for info, result in items:
        if result.level is None:
            continue
        target = resolved[info.step]
        gap = target - result.level
        if gap <= 0:
            continue
        factor = CRITICAL_PRIORITY_FACTOR if info.is_critical else 1
        found.append(
            Gap(
                code=info.code,
                step=info.step,
                theme=info.theme,
                level=result.level,
                target=target,
                gap=gap,
                weight=info.weight,
                is_critical=info.is_critical,
                priority=gap * info.weight * factor,
            )
        )
    found.sort(key=lambda g: (-g.priority, STEP_ORDER.index(g.step), natural_key(g.code)))
    return found


def to_investigate(items: Iterable[QuestionResult]) -> list[str]:
    """Codes of critical questions nobody could answer (*eerst uitzoeken*).

    A critical question counts when its state is *weet niet* or empty; *n.v.t.* is an
    answer and does not. Ordered by step, then code in natural order.
    """
    infos = [
        info
        for info, result in items
        if info.is_critical and result.state in {"weet_niet", "empty"}
    ]
    return [info.code for info in sorted(infos, key=_step_then_code)]


def disagreements(items: Iterable[QuestionResult]) -> list[str]:
    """Codes of questions with a *verschil van inzicht*, ordered by step, then code.

    A question whose level was agreed in conversation is settled and not listed.
    """
    infos = [info for info, result in items if result.has_disagreement and not result.agreed]
    return [info.code for info in sorted(infos, key=_step_then_code)]


@dataclass(frozen=True)
class RoundScores:
    """Everything the report shows about one round's answers, as plain values.

    ``themes`` follows the order in which themes first appear in the questions; ``steps``
    follows ``STEP_ORDER`` and holds only steps that have questions; ``targets`` holds the
    resolved target level of every step, defaults included.
    """

    consolidated: dict[str, Consolidated]  # maturity statements only
    themes: dict[str, GroupScore]
    steps: dict[str, GroupScore]
    overall: GroupScore
    gaps: list[Gap]
    to_investigate: list[str]
    disagreements: list[str]
    targets: dict[str, int]
    # The other kinds, never in a score (readiness.kinds), and the statements that are
    # n.v.t. for the municipality's role, in question order.
    duties: dict[str, DutyResult] = field(default_factory=dict)
    indicators: dict[str, IndicatorResult] = field(default_factory=dict)
    not_for_role: list[str] = field(default_factory=list)

    @property
    def legal_duties(self) -> DutySummary:
        """ "Wettelijke plichten: n van m voldaan"."""
        return summarise_duties(self.duties)


def score_round(
    questions: Sequence[QuestionInfo],
    answers: Mapping[str, Sequence[RawAnswer]],
    targets: Mapping[str, int] | None = None,
    agreed: Mapping[str, int] | None = None,
    *,
    region_role: str = "",
) -> RoundScores:
    """Score one round: consolidate every question, then score themes, steps and overall.

    ``answers`` maps a question code to the respondents' answers to it; a missing code
    means nobody answered. ``agreed`` maps a question code to the level agreed on in
    conversation, which replaces the consolidated median (:func:`agree`). Raises ValueError
    for answers or agreed levels of a code not in ``questions``, for duplicate question
    codes, for a theme whose questions sit in different steps, and for any invalid answer,
    agreed level or target.

    Only maturity statements are scored. Legal duties and indicators are consolidated on
    their own (``duties``, ``indicators``) and never enter a score, gap, cap or list; an
    agreed level for one of them is refused. A statement that does not apply to
    ``region_role`` (``readiness.kinds.applies``) is n.v.t., whatever was answered or
    agreed. A partner-module statement is left out like n.v.t. too: it is the partner's
    statement, a perspective for the dialogue, never the municipality's score.
    """
    duplicates = sorted(
        (code for code, count in Counter(q.code for q in questions).items() if count > 1),
        key=natural_key,
    )
    if duplicates:
        raise ValueError(f"duplicate question codes: {', '.join(duplicates)}")
    unknown = sorted(set(answers) - {q.code for q in questions}, key=natural_key)
    if unknown:
        raise ValueError(f"answers to unknown question codes: {', '.join(unknown)}")
    agreed = dict(agreed or {})
    maturity_codes = {q.code for q in questions if q.kind == MATURITY}
    unknown = sorted(set(agreed) - maturity_codes, key=natural_key)
    if unknown:
        raise ValueError(f"agreed levels for unknown question codes: {', '.join(unknown)}")
    resolved = resolve_targets(targets)
    not_for_role = [q.code for q in questions if not applies(q.applies_to, region_role)]
    excluded = set(not_for_role)

    items: list[QuestionResult] = []
    duties: dict[str, DutyResult] = {}
    indicators: dict[str, IndicatorResult] = {}
    for q in questions:
        given = answers.get(q.code, ())
        if q.kind == LEGAL_DUTY:
            duties[q.code] = (
                DutyResult(state="nvt") if q.code in excluded else consolidate_duty(given)
            )
            continue
        if q.kind == INDICATOR:
            if q.code not in excluded:
                indicators[q.code] = consolidate_indicator(given)
            continue
        result = consolidate(given)
        if q.code in excluded or q.partner_module:
            result = _NOT_APPLICABLE
        elif q.code in agreed:
            result = agree(result, agreed[q.code])
        items.append((q, result))
    by_theme: dict[str, list[QuestionResult]] = {}
    theme_step: dict[str, str] = {}
    for item in items:
        info = item[0]
        # The question bank puts each theme in exactly one step and the report lists themes
        # under their step; a theme in two steps means the input is corrupt.
        if theme_step.setdefault(info.theme, info.step) != info.step:
            raise ValueError(f"theme {info.theme} has questions in more than one step")
        by_theme.setdefault(info.theme, []).append(item)
    by_step = {step: [item for item in items if item[0].step == step] for step in STEP_ORDER}

    return RoundScores(
        consolidated={info.code: result for info, result in items},
        themes={theme: group_score(theme, members) for theme, members in by_theme.items()},
        steps={step: group_score(step, members) for step, members in by_step.items() if members},
        overall=group_score(OVERALL, items),
        gaps=gaps(items, resolved),
        to_investigate=to_investigate(items),
        disagreements=disagreements(items),
        targets=resolved,
        duties=duties,
        indicators=indicators,
        not_for_role=not_for_role,
    )


_NOT_APPLICABLE: Final = Consolidated(state="nvt", level=None, levels=(), spread=None)
