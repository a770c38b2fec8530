"""The national comparison on the results page and in the report ("vergelijking").

Per theme: the median and quartiles of the theme scores of other municipalities, each by
its latest closed round on the same framework version (theme codes mean the same
statements only within a version) as of the version's current **release**. The release
rule, the rounding and the minimum-N rules are in ``readiness.benchmark``; this module
reads the closed rounds and caches the release.

What is cached, per framework version, is the release: its cut and every contributing
municipality's theme scores in it. The viewing municipality must be left out of its own
comparison, so the distribution is computed per municipality from them, and kept in the
process by the release's digest (a release's content never changes under its digest).
That cache never leaves the server; pages and the report get only ``Benchmark``: counts
and rounded medians and quartiles. The release is a function of the closed rounds in the
database, so the cache is only a saving: ``invalidate`` drops it when a round on the
version closes or reopens, and recomputing gives the same release until a batch of new
rounds completes a cut. A lost cache, a restart or another process therefore shows the
same figures.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass, field
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from assessments.common.svg import display_score
from assessments.models import Assessment
from assessments.rounds.results import Results
from readiness.benchmark import STEP, Closing, Distribution, release, theme_distributions

CACHE_SECONDS = 60 * 60


def _cache_key(framework_id: int) -> str:
    # A release, not the latest scores that the earlier key held: a new name, so a shared
    # cache never hands one shape to code that expects the other.
    return f"benchmark:release:v2:{framework_id}"  # v2: the cut and digest; scores apart


@dataclass(frozen=True)
class BenchmarkRow:
    """One theme: the round's own score beside the others' distribution (None: too few)."""

    code: str
    title: str
    own: int | None  # the round's own rounded score, None when not enough answers
    distribution: Distribution | None

    @property
    def median(self) -> int | None:
        return self.distribution.median if self.distribution else None

    @property
    def lower_quartile(self) -> int | None:
        return self.distribution.lower_quartile if self.distribution else None

    @property
    def upper_quartile(self) -> int | None:
        return self.distribution.upper_quartile if self.distribution else None

    @property
    def count(self) -> int:
        return self.distribution.count if self.distribution else 0


@dataclass(frozen=True)
class Benchmark:
    # The settings when it was made, for the explanation beside the figures.
    minimum: int  # BENCHMARK_MINIMUM_MUNICIPALITIES: for the median
    minimum_for_quartiles: int  # BENCHMARK_MINIMUM_FOR_QUARTILES
    min_new_rounds: int  # BENCHMARK_RELEASE_MIN_NEW_ROUNDS
    step: int  # shown figures are multiples of it
    as_of: datetime.date | None  # the release's date (peildatum), None before the first
    rows: tuple[BenchmarkRow, ...]
    # The release's digest: with the round's results, what the figures are drawn from.
    release_digest: str

    @property
    def has_figures(self) -> bool:
        return any(row.distribution for row in self.rows)


@dataclass(frozen=True)
class ReleaseScores:
    """A version's current release: when it was cut, and per contributing municipality id
    the sufficient theme scores of its round in it. Two releases are equal (and hash
    alike) when their cut and ``digest``, a hash of the scores, are."""

    closed_at: datetime.datetime | None
    scores: dict[int, dict[str, float]] = field(compare=False)
    digest: str  # ReleaseScores.digest_of(scores): never empty, it stands for them

    @staticmethod
    def digest_of(scores: dict[int, dict[str, float]]) -> str:
        content = sorted((pk, sorted(themes.items())) for pk, themes in scores.items())
        return hashlib.sha256(repr(content).encode()).hexdigest()


# Per version id, the release this process read last: it stays valid while the shared
# cache names the same cut and digest.
_kept: dict[int, ReleaseScores] = {}


def _scores_key(framework_id: int, digest: str) -> str:
    return f"{_cache_key(framework_id)}:{digest}"


def release_scores(framework_id: int) -> ReleaseScores:
    """The version's current release (``readiness.benchmark.release``). One query over its
    closed rounds, reading only the theme scores out of each snapshot; cached.

    The shared cache holds the release's cut and digest under the version's key, and its
    scores under the digest. A request reads the small entry; a process reads the
    scores again only when the digest moved, and keeps the release it read last.
    """
    key = _cache_key(framework_id)
    stamp = cache.get(key)
    if stamp is not None:
        closed_at, digest = stamp
        kept = _kept.get(framework_id)
        if kept is not None and (kept.closed_at, kept.digest) == stamp:
            return kept
        scores = cache.get(_scores_key(framework_id, digest))
        if scores is not None:
            _kept[framework_id] = ReleaseScores(closed_at=closed_at, scores=scores, digest=digest)
            return _kept[framework_id]
    result = _read_release(framework_id)
    cache.set_many(
        {
            key: (result.closed_at, result.digest),
            _scores_key(framework_id, result.digest): result.scores,
        },
        CACHE_SECONDS,
    )
    _kept[framework_id] = result
    return result


def _read_release(framework_id: int) -> ReleaseScores:
    rows = Assessment.objects.filter(
        framework_id=framework_id,
        status=Assessment.Status.CLOSED,
        closed_at__isnull=False,
        snapshot__isnull=False,
        municipality__is_demo=False,
    ).values_list("pk", "municipality_id", "closed_at", "snapshot__results__scores__themes")
    themes_by_round = {}
    closings = []
    for pk, municipality_id, closed_at, themes in rows:
        closings.append(Closing(round_id=pk, municipality_id=municipality_id, closed_at=closed_at))
        themes_by_round[pk] = (municipality_id, themes or {})
    current = release(closings, min_new_rounds=settings.BENCHMARK_RELEASE_MIN_NEW_ROUNDS)
    scores: dict[int, dict[str, float]] = {}
    for pk in current.round_ids:
        municipality_id, themes = themes_by_round[pk]
        scores[municipality_id] = {
            code: group["score"]
            for code, group in themes.items()
            if group.get("is_sufficient") and group.get("score") is not None
        }
    return ReleaseScores(
        closed_at=current.cut.closed_at if current.cut else None,
        scores=scores,
        digest=ReleaseScores.digest_of(scores),
    )


def invalidate(framework_id: int) -> None:
    """Drop the version's cached release once the current transaction commits (a round
    closed or reopened): dropping it earlier could let a request cache the old state.
    Recomputing gives the same release unless this completed a batch (or a reopened round
    was in it)."""
    transaction.on_commit(lambda: cache.delete(_cache_key(framework_id)))


@lru_cache(maxsize=1024)
def _distributions(
    current: ReleaseScores,
    theme_codes: tuple[str, ...],
    exclude: int,
    minimum: int,
    minimum_for_quartiles: int,
) -> dict[str, Distribution | None]:
    """The others' distribution per theme, kept by the release (its digest), the viewing
    municipality and the settings: some 3,400 scores read for each of 342 municipalities
    was a tenth of the results page. Shared: only read it."""
    return theme_distributions(
        current.scores,
        theme_codes=theme_codes,
        exclude=exclude,
        minimum=minimum,
        minimum_for_quartiles=minimum_for_quartiles,
    )


def benchmark_for(assessment: Assessment, results: Results) -> Benchmark:
    """The comparison for a round: other municipalities only, per theme of its results."""
    minimum = settings.BENCHMARK_MINIMUM_MUNICIPALITIES
    minimum_for_quartiles = settings.BENCHMARK_MINIMUM_FOR_QUARTILES
    current = release_scores(assessment.framework_id)
    themes = [t for t in results.themes if t.code in results.scores.themes]
    distributions = _distributions(
        current,
        tuple(t.code for t in themes),
        assessment.municipality_id,
        minimum,
        minimum_for_quartiles,
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
    return Benchmark(
        minimum=minimum,
        minimum_for_quartiles=minimum_for_quartiles,
        min_new_rounds=settings.BENCHMARK_RELEASE_MIN_NEW_ROUNDS,
        step=STEP,
        as_of=timezone.localdate(current.closed_at) if current.closed_at else None,
        rows=tuple(rows),
        release_digest=current.digest,
    )
