"""The line chart of the trend and the timeline of the plan (assessments/common/time_charts.py)."""

from __future__ import annotations

import datetime
from xml.etree import ElementTree

from assessments.common.time_charts import SeriesPoint, TimelineBar, line_chart, timeline_chart

NS = "{http://www.w3.org/2000/svg}"
D = datetime.date


def parse(svg: str) -> ElementTree.Element:
    return ElementTree.fromstring(svg)  # noqa: S314 - our own markup


def test_the_line_skips_a_round_without_a_score_and_every_point_has_its_number():
    svg = line_chart(
        [
            SeriesPoint("Nulmeting", 30),
            SeriesPoint("Tussenmeting", None),
            SeriesPoint("Herhaalmeting", 45),
            SeriesPoint("Najaar", 60),
        ],
        title="Stap 1",
        description="Lijn",
        chart_id="trend-x",
    )
    root = parse(svg)
    lines = root.findall(f"{NS}polyline")
    assert len(lines) == 1  # only Herhaalmeting to Najaar: never across the gap
    assert len(lines[0].get("points").split()) == 2
    values = [t.text for t in root.iter(f"{NS}text") if t.get("class") == "chart-value"]
    assert values == ["30", "onvoldoende beantwoord", "45", "60"]
    assert root.find(f"{NS}title").text == "Stap 1"


def test_the_timeline_marks_overdue_and_after_transition_in_words():
    svg = timeline_chart(
        [
            TimelineBar("Te laat <b>", D(2026, 1, 1), D(2026, 6, 1), is_overdue=True),
            TimelineBar("Na invoering", D(2026, 3, 1), D(2027, 6, 1), is_after_transition=True),
        ],
        today=D(2026, 12, 2),
        transition=D(2027, 1, 1),
        title="Tijdlijn",
        description="Balken",
    )
    root = parse(svg)
    texts = " | ".join("".join(t.itertext()) for t in root.iter(f"{NS}text"))
    assert "te laat" in texts and "na invoering" in texts
    assert "Te laat <b>" in texts  # escaped in the markup, the same text when parsed
    assert len(root.findall(f".//{NS}line[@class='chart-transition']")) == 1
    assert "Invoering woonplaatsbeginsel" in texts


def test_without_a_transition_date_the_timeline_says_not_yet_decided():
    svg = timeline_chart(
        [TimelineBar("Actie", D(2026, 1, 1), D(2026, 2, 1))],
        today=D(2026, 1, 15),
        transition=None,
        title="Tijdlijn",
        description="Balken",
    )
    assert "nog niet vastgesteld" in svg
    assert 'chart-transition"' not in svg.replace("chart-transition-label", "")


def test_an_empty_plan_draws_the_empty_state():
    svg = timeline_chart([], today=D(2026, 1, 1), transition=None, title="T", description="D")
    assert "Nog geen gegevens" in svg
