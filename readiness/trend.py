"""Trends between rounds: what changed since the previous measurement, as plain data.

Pure functions over plain values (no database), like ``readiness.scoring``. A round is a
``RoundPoint``: its scores per step and theme and its consolidated level per question, as
its results (or a closed round's snapshot) hold them. The rules, also in
``docs/scoring.md`` ("Trend"):

- **Steps** are compared by step code, which every version shares.
- **Themes** are compared by theme code only between rounds of the same framework
  version: across versions a theme code may hold other statements, so a change would
  compare different things.
- **Questions** are compared through their stable key: the same code within a version,
  across versions the question mapping (``mapping-<old>-<new>.toml``) gives the old
  question(s) a statement continues. A statement without an old question is *nieuw* and
  has no change; a statement that continues several old questions is compared with the
  lowest of their levels (never a flattering change).
- A change is the difference between the two *shown* whole scores (half up), so the
  figure always matches the two scores next to it.
- **Indicators** (``readiness.kinds``) are never scored: their values are shown per round
  as they were given, matched like questions (by code within a version, through the
  mapping across versions); a round without the indicator shows no value.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

UP = "up"
DOWN = "down"
SAME = "same"


def shown(score: float) -> int:
    """A 0–100 score as users see it: a whole number, half up (62.5 -> 63)."""
    clamped = min(100.0, max(0.0, float(score)))
    return int(Decimal(str(clamped)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class RoundPoint:
    """One round as the trend needs it. A score is None when it is not sufficiently
    answered (the report shows *onvoldoende beantwoord* then)."""

    id: int
    title: str
    date: datetime.date
    version: str
    steps: Mapping[str, float | None]
    themes: Mapping[str, float | None] = field(default_factory=dict)
    levels: Mapping[str, int | None] = field(default_factory=dict)  # by question code
    # An indicator's value (plain digits, "12.5") by question code; None: not given.
    indicators: Mapping[str, str | None] = field(default_factory=dict)


@dataclass(frozen=True)
class Change:
    """A score of a step or theme in the previous and the current round."""

    code: str
    previous: int | None  # shown score
    current: int | None

    @property
    def delta(self) -> int | None:
        if self.previous is None or self.current is None:
            return None
        return self.current - self.previous

    @property
    def direction(self) -> str | None:
        delta = self.delta
        if delta is None:
            return None
        return UP if delta > 0 else DOWN if delta < 0 else SAME


@dataclass(frozen=True)
class QuestionChange:
    code: str  # in the current round
    previous_codes: tuple[str, ...]  # the question(s) it continues; () for a new one
    previous: int | None
    current: int | None

    @property
    def is_new(self) -> bool:
        return not self.previous_codes

    @property
    def delta(self) -> int | None:
        if self.previous is None or self.current is None:
            return None
        return self.current - self.previous


@dataclass(frozen=True)
class Trend:
    previous: RoundPoint
    current: RoundPoint
    steps: tuple[Change, ...]
    themes: tuple[Change, ...]  # empty across versions
    questions: tuple[QuestionChange, ...]

    @property
    def same_version(self) -> bool:
        return self.previous.version == self.current.version

    @property
    def new_questions(self) -> tuple[str, ...]:
        return tuple(q.code for q in self.questions if q.is_new)


def _shown(score: float | None) -> int | None:
    return None if score is None else shown(score)


def same_codes(codes: Sequence[str]) -> dict[str, tuple[str, ...]]:
    """The correspondence within one version: every question continues itself."""
    return {code: (code,) for code in codes}


def mapped_codes(
    current_keys: Mapping[str, str], mapping: Mapping[str, Sequence[str]]
) -> dict[str, tuple[str, ...]]:
    """Across versions: each current question code to the old codes it continues.

    ``current_keys``: the newer version's question code -> key; ``mapping``: the old code ->
    the new keys that continue it (``QuestionMapping.keys``). A key nobody maps to is new.
    """
    old_by_key: dict[str, list[str]] = {}
    for old_code, keys in mapping.items():
        for key in keys:
            old_by_key.setdefault(key, []).append(old_code)
    return {code: tuple(old_by_key.get(key, ())) for code, key in current_keys.items()}


def compare(
    previous: RoundPoint,
    current: RoundPoint,
    correspondence: Mapping[str, Sequence[str]] | None = None,
) -> Trend:
    """The change from ``previous`` to ``current``.

    ``correspondence``: the current round's question codes -> the previous round's codes
    they continue (``same_codes`` or ``mapped_codes``); None within one version.
    """
    if correspondence is None:
        if previous.version != current.version:
            raise ValueError("rounds of different versions need a question correspondence")
        correspondence = same_codes(list(current.levels))
    steps = tuple(
        Change(code, _shown(previous.steps.get(code)), _shown(score))
        for code, score in current.steps.items()
    )
    themes: tuple[Change, ...] = ()
    if previous.version == current.version:
        themes = tuple(
            Change(code, _shown(previous.themes.get(code)), _shown(score))
            for code, score in current.themes.items()
        )
    questions = []
    for code, level in current.levels.items():
        old_codes = tuple(c for c in correspondence.get(code, ()) if c in previous.levels)
        old_levels = [previous.levels[c] for c in old_codes if previous.levels[c] is not None]
        questions.append(
            QuestionChange(
                code=code,
                previous_codes=old_codes,
                previous=min(old_levels) if old_levels else None,
                current=level,
            )
        )
    return Trend(
        previous=previous,
        current=current,
        steps=steps,
        themes=themes,
        questions=tuple(questions),
    )


def step_series(
    rounds: Sequence[RoundPoint], step_codes: Sequence[str]
) -> dict[str, list[tuple[RoundPoint, int | None]]]:
    """Per step code, the shown score of every round in the given (time) order."""
    return {code: [(r, _shown(r.steps.get(code))) for r in rounds] for code in step_codes}


def indicator_series(
    rounds: Sequence[RoundPoint],
    correspondences: Sequence[Mapping[str, Sequence[str]]],
) -> dict[str, list[tuple[RoundPoint, str | None]]]:
    """Per indicator of the last round, its value in every round (oldest first).

    ``correspondences[i]`` maps the last round's question codes to the codes of
    ``rounds[i]`` they continue (``same_codes``/``mapped_codes``); the last round's own
    entry is ignored. An indicator continued by several old ones takes the first that has
    a value. Values are never added up or compared: an indicator is not a score.
    """
    if len(correspondences) != len(rounds):
        raise ValueError("one correspondence per round is needed")
    if not rounds:
        return {}
    current = rounds[-1]
    series: dict[str, list[tuple[RoundPoint, str | None]]] = {}
    for code in current.indicators:
        values: list[tuple[RoundPoint, str | None]] = []
        for point, mapping in zip(rounds[:-1], correspondences[:-1], strict=True):
            old = [point.indicators.get(c) for c in mapping.get(code, ()) if c in point.indicators]
            values.append((point, next((v for v in old if v is not None), None)))
        values.append((current, current.indicators[code]))
        series[code] = values
    return series
