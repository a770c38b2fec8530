"""A round's charts: one point per theme (score, light, ambition), drawn as the results page
and the report show them (``assessments.common.charts`` draws the SVG)."""

from __future__ import annotations

from django.utils.safestring import SafeString

from assessments.common.charts import ChartPoint, round_charts
from assessments.rounds.results import Results


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
