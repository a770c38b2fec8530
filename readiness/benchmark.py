"""Comparing a round with other municipalities: releases and distributions, plain data.

Pure functions over plain values (no database), like ``readiness.scoring``. The rules,
also in ``docs/scoring.md`` ("Vergelijking"), with the reasoning there:

- The comparison is published as a frozen **release**. Walk the closed rounds of a
  framework version from the oldest closing on; each time rounds of at least
  ``min_new_rounds`` distinct municipalities have closed since the previous cut, the
  closing that completes the batch is a new cut. The current release holds, per
  municipality, its latest round closed at or before the last cut. One more closed round
  therefore never changes what is shown; only a batch does. The release is a function of
  the closed rounds alone, so every process that computes it gets the same one.
- A distribution is the median and the first and third quartile of the scores, computed
  with inclusive linear interpolation (``statistics.quantiles(method="inclusive")``): the
  quartiles of 10, 20, 30, 40, 50 are 20, 30 and 40; of 10, 20, 30, 40 they are 17.5, 25
  and 32.5. What is shown is each of them **rounded to a step of** ``STEP`` points (half
  up), so a shown figure is a band, never one municipality's score as such.
- The median is given from ``minimum`` contributing municipalities, the quartiles only
  from ``minimum_for_quartiles``: with few contributors a quartile is close to one
  municipality's score.
- A municipality never contributes to its own comparison.
"""

from __future__ import annotations

import datetime
import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

# Shown figures are multiples of this many points (0-100 scale): a change smaller than a
# step mostly shows nothing, and a figure that moves tells at most which band it is in.
STEP = 5


@dataclass(frozen=True)
class Closing:
    """A closed round as the release rule sees it: which municipality, and when."""

    round_id: int
    municipality_id: int
    closed_at: datetime.datetime

    @property
    def order(self) -> tuple[datetime.datetime, int]:
        # Two rounds closed at the same instant are ordered by id, so the cut is one round.
        return (self.closed_at, self.round_id)


@dataclass(frozen=True)
class Release:
    """The rounds that make up the current release, and the closing that cut it."""

    cut: Closing | None  # None: not yet a batch of rounds, so no release
    round_ids: frozenset[int]


def release(closings: Iterable[Closing], *, min_new_rounds: int) -> Release:
    """The current release of a version's closed rounds (see the module docstring)."""
    ordered = sorted(closings, key=lambda c: c.order)
    cut: Closing | None = None
    since_cut: set[int] = set()
    for closing in ordered:
        since_cut.add(closing.municipality_id)
        if len(since_cut) >= min_new_rounds:
            cut, since_cut = closing, set()
    if cut is None:
        return Release(cut=None, round_ids=frozenset())
    latest: dict[int, Closing] = {}
    for closing in ordered:
        if closing.order > cut.order:
            break
        latest[closing.municipality_id] = closing  # a later round of it replaces an earlier
    return Release(cut=cut, round_ids=frozenset(c.round_id for c in latest.values()))


def to_step(value: float, step: int = STEP) -> int:
    """``value`` (0-100) rounded half up to a multiple of ``step``: 72.4 -> 70, 72.5 -> 75."""
    clamped = min(max(Decimal(str(value)), Decimal(0)), Decimal(100))
    return int((clamped / step).quantize(Decimal(1), rounding=ROUND_HALF_UP)) * step


@dataclass(frozen=True)
class Distribution:
    """The spread of one theme's scores over ``count`` municipalities, as shown: multiples
    of ``STEP``; the quartiles None below the minimum for quartiles."""

    count: int
    lower_quartile: int | None
    median: int
    upper_quartile: int | None

    @property
    def has_quartiles(self) -> bool:
        return self.lower_quartile is not None


def quartiles(scores: Iterable[float]) -> tuple[float, float, float]:
    """Q1, median and Q3 by inclusive linear interpolation, unrounded (two scores or more)."""
    lower, median, upper = statistics.quantiles(sorted(scores), n=4, method="inclusive")
    return lower, median, upper


def distribution(
    scores: Iterable[float], *, minimum: int, minimum_for_quartiles: int
) -> Distribution | None:
    """The shown median and quartiles of ``scores``: None below ``minimum`` (and always
    below two), the quartiles only from ``minimum_for_quartiles``."""
    values = sorted(scores)
    if len(values) < max(minimum, 2):
        return None
    lower, median, upper = quartiles(values)
    with_quartiles = len(values) >= minimum_for_quartiles
    return Distribution(
        count=len(values),
        lower_quartile=to_step(lower) if with_quartiles else None,
        median=to_step(median),
        upper_quartile=to_step(upper) if with_quartiles else None,
    )


def theme_distributions(
    scores_by_municipality: Mapping[int, Mapping[str, float]],
    *,
    theme_codes: Iterable[str],
    exclude: int | None,
    minimum: int,
    minimum_for_quartiles: int,
) -> dict[str, Distribution | None]:
    """Per theme code, the distribution of the other municipalities' scores.

    ``scores_by_municipality`` holds per municipality id its sufficient theme scores (a
    theme with too few answers is simply absent); ``exclude`` is the municipality that
    looks, left out of its own comparison.
    """
    others = [s for municipality, s in scores_by_municipality.items() if municipality != exclude]
    return {
        code: distribution(
            (s[code] for s in others if code in s),
            minimum=minimum,
            minimum_for_quartiles=minimum_for_quartiles,
        )
        for code in theme_codes
    }


def median(scores: Iterable[float]) -> float | None:
    """The ordinary median (the mean of the two middle values for an even count), None
    without scores: a region's median per theme over the members that share."""
    values = list(scores)
    return statistics.median(values) if values else None
