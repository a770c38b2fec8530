"""Comparing a round with other municipalities: distributions of theme scores, plain data.

Pure functions over plain values (no database), like ``readiness.scoring``. The rules,
also in ``docs/scoring.md`` ("Vergelijking"):

- A distribution is the median and the first and third quartile of the scores, computed
  with inclusive linear interpolation (``statistics.quantiles(method="inclusive")``): the
  quartiles of 10, 20, 30, 40, 50 are 20, 30 and 40; of 10, 20, 30, 40 they are 17.5, 25
  and 32.5.
- A distribution is only given when at least ``minimum`` municipalities contribute a
  score; below that there is none, so no small group (let alone one municipality) can be
  read back from it. It never holds a single municipality's figure, only the three
  summary values and the count.
- A municipality never contributes to its own comparison.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Distribution:
    """The spread of one theme's scores over ``count`` municipalities (0–100, unrounded)."""

    count: int
    lower_quartile: float
    median: float
    upper_quartile: float


def distribution(scores: Iterable[float], *, minimum: int) -> Distribution | None:
    """Median and quartiles of ``scores``, or None when fewer than ``minimum`` (and
    always fewer than two, which have no quartiles)."""
    values = sorted(scores)
    if len(values) < max(minimum, 2):
        return None
    lower, median, upper = statistics.quantiles(values, n=4, method="inclusive")
    return Distribution(
        count=len(values), lower_quartile=lower, median=median, upper_quartile=upper
    )


def theme_distributions(
    scores_by_municipality: Mapping[int, Mapping[str, float]],
    *,
    theme_codes: Iterable[str],
    exclude: int | None,
    minimum: int,
) -> dict[str, Distribution | None]:
    """Per theme code, the distribution of the other municipalities' scores.

    ``scores_by_municipality`` holds per municipality id its sufficient theme scores (a
    theme with too few answers is simply absent); ``exclude`` is the municipality that
    looks, left out of its own comparison.
    """
    others = [s for municipality, s in scores_by_municipality.items() if municipality != exclude]
    return {
        code: distribution((s[code] for s in others if code in s), minimum=minimum)
        for code in theme_codes
    }


def median(scores: Iterable[float]) -> float | None:
    """The ordinary median (the mean of the two middle values for an even count), None
    without scores: a region's median per theme over the members that share."""
    values = list(scores)
    return statistics.median(values) if values else None
