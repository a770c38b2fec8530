"""The national comparison on the results page and in the report ("vergelijking").

Per theme: the median and quartiles of the theme scores of other municipalities, each by
its most recent closed round on the same framework version (theme codes mean the same
statements only within a version). The arithmetic and the minimum-N rule are in
``readiness.benchmark``; this module reads the scores and caches them.

What is cached, per framework version, is every contributing municipality's latest theme
scores: the viewing municipality must be left out of its own comparison, so the
distribution is computed per request from them (eight small sorts). That cache never
leaves the server; pages and the report get only ``Benchmark``: counts, medians and
quartiles. ``invalidate`` drops it when a round on the version closes or reopens; the
timeout bounds how stale another process's copy can be with a per-process cache (set
``CACHES`` to a shared cache in production to make the invalidation reach every process).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from assessments.common.svg import display_score
from assessments.models import Assessment
from assessments.rounds.results import Results
from readiness.benchmark import Distribution, theme_distributions

CACHE_SECONDS = 60 * 60


def _cache_key(framework_id: int) -> str:
    return f"benchmark:theme-scores:v1:{framework_id}"


@dataclass(frozen=True)
class BenchmarkRow:
    """One theme: the round's own score beside the others' distribution (None: too few)."""

    code: str
    title: str
    own: int | None  # the round's own rounded score, None when not enough answers
    distribution: Distribution | None

    @property
    def median(self) -> int | None:
        return display_score(self.distribution.median) if self.distribution else None

    @property
    def lower_quartile(self) -> int | None:
        return display_score(self.distribution.lower_quartile) if self.distribution else None

    @property
    def upper_quartile(self) -> int | None:
        return display_score(self.distribution.upper_quartile) if self.distribution else None

    @property
    def count(self) -> int:
        return self.distribution.count if self.distribution else 0


@dataclass(frozen=True)
class Benchmark:
    minimum: int  # settings.BENCHMARK_MINIMUM_MUNICIPALITIES when it was made
    as_of: datetime.date
    rows: tuple[BenchmarkRow, ...]

    @property
    def has_figures(self) -> bool:
        return any(row.distribution for row in self.rows)


def latest_theme_scores(framework_id: int) -> dict[int, dict[str, float]]:
    """Per municipality id, the sufficient theme scores of its latest closed round on the
    version. One query, reading only the theme scores out of each snapshot; cached."""
    key = _cache_key(framework_id)
    cached = cache.get(key)
    if cached is not None:
        return cached
    rows = (
        Assessment.objects.filter(
            framework_id=framework_id,
            status=Assessment.Status.CLOSED,
            snapshot__isnull=False,
            municipality__is_demo=False,
        )
        .order_by("municipality_id", "-closed_at", "-pk")
        .values_list("municipality_id", "snapshot__results__scores__themes")
    )
    scores: dict[int, dict[str, float]] = {}
    for municipality_id, themes in rows:
        if municipality_id in scores:
            continue  # an older round of a municipality already counted
        scores[municipality_id] = {
            code: group["score"]
            for code, group in (themes or {}).items()
            if group.get("is_sufficient") and group.get("score") is not None
        }
    cache.set(key, scores, CACHE_SECONDS)
    return scores


def invalidate(framework_id: int) -> None:
    """Drop the version's cached scores once the current transaction commits (a round
    closed or reopened): dropping it earlier could let a request cache the old state."""
    transaction.on_commit(lambda: cache.delete(_cache_key(framework_id)))


def benchmark_for(assessment: Assessment, results: Results) -> Benchmark:
    """The comparison for a round: other municipalities only, per theme of its results."""
    minimum = settings.BENCHMARK_MINIMUM_MUNICIPALITIES
    themes = [t for t in results.themes if t.code in results.scores.themes]
    distributions = theme_distributions(
        latest_theme_scores(assessment.framework_id),
        theme_codes=[t.code for t in themes],
        exclude=assessment.municipality_id,
        minimum=minimum,
    )
    rows = []
    for theme in themes:
        own = results.scores.themes[theme.code]
        rows.append(
            BenchmarkRow(
                code=theme.code,
                title=theme.title,
                own=display_score(own.score) if own.is_sufficient else None,
                distribution=distributions[theme.code],
            )
        )
    return Benchmark(minimum=minimum, as_of=timezone.localdate(), rows=tuple(rows))
