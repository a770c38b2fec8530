"""A municipality's rounds side by side: the trend page and the report's "since the previous
measurement" (the arithmetic is ``readiness.trend``; this module gathers its plain data).

Closed rounds come from their snapshots; the round being looked at may be open and is then
scored from its answers, like on the results page. Rounds of another municipality are
never read: every query filters on the round's own municipality.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from assessments.common.time_charts import SeriesPoint, line_chart
from assessments.models import Assessment
from assessments.rounds.results import QuestionRow, Results, load_results
from readiness.content import outline_for
from readiness.kinds import shown_number
from readiness.questionbank import QuestionBankError, load_mapping_path
from readiness.trend import (
    Change,
    RoundPoint,
    Trend,
    compare,
    indicator_series,
    mapped_codes,
    same_codes,
    shown,
    step_series,
)


def round_point(assessment: Assessment, results: Results) -> RoundPoint:
    scores = results.scores

    def score(group) -> float | None:
        return group.score if group.is_sufficient else None

    date = assessment.closed_at or assessment.created_at or timezone.now()
    return RoundPoint(
        id=assessment.pk,
        title=assessment.title,
        date=timezone.localdate(date),
        version=assessment.framework.version,
        steps={
            s.code: score(scores.steps[s.code]) for s in results.steps if s.code in scores.steps
        },
        themes={
            t.code: score(scores.themes[t.code]) for t in results.themes if t.code in scores.themes
        },
        levels={code: c.level for code, c in scores.consolidated.items()},
        indicators={code: i.value for code, i in scores.indicators.items()},
    )


def earlier_closed_rounds(assessment: Assessment) -> list[Assessment]:
    """The municipality's closed rounds started before this one, oldest first."""
    return list(
        Assessment.objects.filter(
            municipality=assessment.municipality_id,
            status=Assessment.Status.CLOSED,
            created_at__lt=assessment.created_at,
        )
        .exclude(pk=assessment.pk)
        .select_related("framework")
        .order_by("created_at", "pk")
    )


@lru_cache(maxsize=16)
def _mapping(old_version: str, new_version: str) -> dict[str, tuple[str, ...]] | None:
    """The shipped mapping between two versions, directly or through the versions between
    them (files never change in a running process)."""
    try:
        return load_mapping_path(old_version, new_version).keys
    except (OSError, QuestionBankError):
        return None


def correspondence(previous: Assessment, current: Assessment) -> dict[str, tuple[str, ...]]:
    """The current round's question codes -> the previous round's codes they continue."""
    questions = outline_for(current.framework).questions
    if previous.framework_id == current.framework_id:
        return same_codes([q.code for q in questions])
    keys = _mapping(previous.framework.version, current.framework.version)
    if keys is None:
        return {}  # no mapping shipped: every statement counts as new
    return mapped_codes({q.code: q.key for q in questions if q.key}, keys)


@dataclass(frozen=True)
class IndicatorTrendRow:
    """One indicator of the current round with its value ("12,5" or "–") in every round."""

    question: QuestionRow
    values: tuple[str, ...]


@dataclass(frozen=True)
class TrendData:
    rounds: tuple[RoundPoint, ...]  # oldest first; the last is the current round
    trend: Trend | None  # None without a closed round before this one
    step_titles: dict[str, str]
    theme_titles: dict[str, str]
    # The current round's indicators over the rounds: never scored, values as given.
    indicators: tuple[IndicatorTrendRow, ...] = ()

    @property
    def has_previous(self) -> bool:
        return self.trend is not None


def build_trend(assessment: Assessment, results: Results | None = None) -> TrendData:
    """This round and the closed rounds before it; the change since the last of them."""
    results = results or load_results(assessment)
    earlier = earlier_closed_rounds(assessment)
    points = [round_point(a, load_results(a)) for a in earlier]
    current = round_point(assessment, results)
    trend = None
    correspondences = [correspondence(a, assessment) for a in earlier] if earlier else []
    if earlier:
        trend = compare(points[-1], current, correspondences[-1])
    rounds = (*points, current)
    questions = results.question_by_code
    series = indicator_series(rounds, [*correspondences, {}])
    return TrendData(
        rounds=rounds,
        trend=trend,
        step_titles={s.code: s.title for s in results.steps},
        theme_titles={t.code: t.title for t in results.themes},
        indicators=tuple(
            IndicatorTrendRow(questions[code], tuple(shown_number(v) for _r, v in values))
            for code, values in series.items()
        ),
    )


def round_label(point: RoundPoint) -> str:
    return f"{point.title} ({point.date:%m-%Y})"


def trend_charts(data: TrendData) -> list[tuple[str, str, SafeString]]:
    """One line chart per step over the rounds: (step code, title, SVG)."""
    series = step_series(data.rounds, list(data.step_titles))
    charts = []
    for number, (code, values) in enumerate(series.items(), start=1):
        title = data.step_titles[code]
        charts.append(
            (
                code,
                title,
                line_chart(
                    [SeriesPoint(round_label(r), score) for r, score in values],
                    title=_("Stap %(n)s: %(title)s, score per meting")
                    % {"n": number, "title": title},
                    description=_(
                        "Lijndiagram met de score van 0 tot 100 van deze stap in elke meting, "
                        "de oudste links. Elk punt staat er met zijn cijfer bij."
                    ),
                    chart_id=f"trend-{code}",
                ),
            )
        )
    return charts


@dataclass(frozen=True)
class TrendRow:
    """A step or theme: its shown score in each round (None: not sufficiently answered,
    or a theme of another version) and its change since the previous round."""

    code: str
    title: str
    is_step: bool
    scores: tuple[int | None, ...]
    comparable: tuple[bool, ...]  # False: the round's version has no such theme to compare
    change: Change | None

    @property
    def cells(self) -> list[tuple[int | None, bool]]:
        return list(zip(self.scores, self.comparable, strict=True))


def trend_rows(data: TrendData) -> list[TrendRow]:
    """The table of the trend page: every step, then the themes of the current version."""
    current = data.rounds[-1]
    steps = {c.code: c for c in data.trend.steps} if data.trend else {}
    themes = {c.code: c for c in data.trend.themes} if data.trend else {}
    rows = []
    for code, title in data.step_titles.items():
        scores = tuple(_shown(r.steps.get(code)) for r in data.rounds)
        rows.append(TrendRow(code, title, True, scores, (True,) * len(scores), steps.get(code)))
    for code, title in data.theme_titles.items():
        if code not in current.themes:
            continue
        same = tuple(r.version == current.version for r in data.rounds)
        scores = tuple(
            _shown(r.themes.get(code)) if ok else None
            for r, ok in zip(data.rounds, same, strict=True)
        )
        rows.append(TrendRow(code, title, False, scores, same, themes.get(code)))
    return rows


def _shown(score: float | None) -> int | None:
    return None if score is None else shown(score)
