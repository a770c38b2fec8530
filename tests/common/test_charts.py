"""Tests for assessments.common.charts: the SVG must be well-formed, accessible and honest.

The charts are pure functions of their input, so these tests need no database. They
parse the output as XML because WeasyPrint does too: markup a browser would forgive
breaks the PDF.
"""

import django
from django.conf import settings

# Runs both inside the project (pytest-django has already configured settings) and on
# its own, without the project settings, because nothing here touches the database.
if not settings.configured:
    settings.configure(USE_I18N=False)
    django.setup()

import io
import re
import xml.etree.ElementTree as ET

import pytest
from django.utils.safestring import SafeString
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from assessments.common.charts import ChartPoint, bar_chart, radar_chart
from assessments.common.svg import (
    AMBITION_COLOUR,
    GRID_COLOUR,
    LIGHT_COLOURS,
    MUTED_TEXT_COLOUR,
    NO_SCORE_COLOUR,
    SCORE_COLOUR,
    TEXT_COLOUR,
    display_score,
)

SVG = "{http://www.w3.org/2000/svg}"
NASTY_LABEL = 'G <script>&"'

THEMES = [
    ChartPoint("A", "A Basis in de wijk", 62.5, "oranje", 75),
    ChartPoint("B", "B Toegang en integrale aanpak", 81, "groen", 75),
    ChartPoint("C", "C Wonen en huisvesting", 35, "rood", 50),
    ChartPoint("D", "D Samenwerking met zorgverzekeraar", None, None, 75),
    ChartPoint("E", "E Regionale samenwerking", 48, "oranje", 100),
    ChartPoint("F", "F Financiën", 70, "groen", 75),
    ChartPoint("G", NASTY_LABEL, 100, "groen", 100),
    ChartPoint("H", "H Monitoring en verantwoording", 12, "rood", 25),
]
CHARTS = [radar_chart, bar_chart]


def parse(svg: str) -> ET.Element:
    # Our own output, not untrusted input; the stdlib parser is what proves well-formedness.
    return ET.fromstring(svg)  # noqa: S314


def texts(root: ET.Element, css_class: str | None = None) -> list[str]:
    """The visible text of each <text>, its tspans joined by spaces as a reader would."""
    return [
        " ".join(part.strip() for part in element.itertext() if part.strip())
        for element in root.iter(f"{SVG}text")
        if css_class is None or css_class in element.get("class", "").split()
    ]


def by_class(root: ET.Element, css_class: str) -> list[ET.Element]:
    return [element for element in root.iter() if css_class in element.get("class", "").split()]


def polygon_vertices(element: ET.Element) -> list[tuple[float, float]]:
    pairs = element.get("points", "").split()
    return [(float(x), float(y)) for x, y in (pair.split(",") for pair in pairs)]


def without_targets(points: list[ChartPoint]) -> list[ChartPoint]:
    return [ChartPoint(p.key, p.label, p.score, p.light) for p in points]


def themes(count: int) -> list[ChartPoint]:
    return [
        ChartPoint(f"T{index}", f"Thema {index}", index * 100 / 12, "groen")
        for index in range(count)
    ]


@pytest.mark.parametrize("chart", CHARTS)
def test_chart_is_safe_string_of_well_formed_svg(chart):
    svg = chart(THEMES, title="Titel", description="Omschrijving")

    assert isinstance(svg, SafeString)
    root = parse(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("version") == "1.1"
    assert root.get("width") == "100%"
    assert re.fullmatch(r"-?[\d.]+ -?[\d.]+ [\d.]+ [\d.]+", root.get("viewBox", ""))


@pytest.mark.parametrize("chart", CHARTS)
def test_chart_is_labelled_by_its_title_and_desc(chart):
    root = parse(chart(THEMES, title="Gereedheid", description="Scores per thema", chart_id="x1"))

    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "x1-title x1-desc"
    title, desc = list(root)[:2]
    assert (title.tag, title.get("id"), title.text) == (f"{SVG}title", "x1-title", "Gereedheid")
    assert (desc.tag, desc.get("id"), desc.text) == (f"{SVG}desc", "x1-desc", "Scores per thema")


@pytest.mark.parametrize("chart", CHARTS)
def test_label_title_and_description_are_escaped(chart):
    svg = chart(THEMES, title="<b>titel</b>", description='a & "b"')

    assert "<script>" not in svg
    assert "<b>" not in svg
    root = parse(svg)
    assert root.find(f"{SVG}title").text == "<b>titel</b>"
    assert root.find(f"{SVG}desc").text == 'a & "b"'
    assert any(NASTY_LABEL.split()[1] in text for text in texts(root, "chart-label"))


@pytest.mark.parametrize("chart", CHARTS)
def test_control_characters_in_a_label_do_not_break_the_xml(chart):
    points = [ChartPoint("A", "A\x00 Basis\x0b", 50, "oranje"), *THEMES[1:3]]

    root = parse(chart(points, title="t\x1f", description="d"))

    assert texts(root, "chart-label")[0] == "A Basis"


@pytest.mark.parametrize("chart", CHARTS)
def test_two_charts_on_one_page_have_unique_ids(chart):
    page = f"<div>{chart(THEMES, title='a', description='a', chart_id='eerste')}" + (
        f"{chart(THEMES, title='b', description='b', chart_id='tweede')}</div>"
    )

    ids = [element.get("id") for element in parse(page).iter() if element.get("id")]

    assert len(ids) == len(set(ids))
    assert {"eerste-title", "eerste-desc", "tweede-title", "tweede-desc"} <= set(ids)
    assert all(id_.startswith(("eerste-", "tweede-")) for id_ in ids)


@pytest.mark.parametrize("chart", CHARTS)
@pytest.mark.parametrize("chart_id", ["", "1abc", "twee woorden", 'x"y', "a#b"])
def test_chart_id_that_cannot_be_an_xml_id_is_refused(chart, chart_id):
    with pytest.raises(ValueError, match="chart_id"):
        chart(THEMES, title="t", description="d", chart_id=chart_id)


@pytest.mark.parametrize("chart", CHARTS)
def test_same_input_gives_identical_output(chart):
    first = chart(THEMES, title="t", description="d")
    second = chart(list(THEMES), title="t", description="d")

    assert first == second


GEOMETRY = ("x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "width", "height", "points")
GEOMETRY += ("viewBox", "transform", "d")


def coordinates(svg: str) -> list[str]:
    return [
        number
        for element in parse(svg).iter()
        for name in GEOMETRY
        for number in re.findall(r"-?\d+(?:\.\d+)?", element.get(name, ""))
    ]


@pytest.mark.parametrize("chart", CHARTS)
def test_coordinates_have_at_most_one_decimal(chart):
    numbers = coordinates(chart(THEMES, title="t", description="d"))

    assert len(numbers) > 100
    assert all(re.fullmatch(r"-?\d+(\.\d)?", number) for number in numbers)
    assert "-0" not in numbers
    assert not any(number.endswith(".0") for number in numbers)


@pytest.mark.parametrize("chart", CHARTS)
def test_markup_is_self_contained_for_weasyprint(chart):
    svg = chart(THEMES, title="t", description="d")
    root = parse(svg)

    for forbidden in ("script", "foreignObject", "style", "image", "use", "a"):
        assert not list(root.iter(f"{SVG}{forbidden}"))
    assert "var(" not in svg and "href" not in svg and "@import" not in svg
    for element in root.iter(f"{SVG}text"):
        assert element.get("font-family") == "DejaVu Sans, Arial, sans-serif"
        assert element.get("fill", "").startswith("#")
        assert float(element.get("font-size")) >= 10
    for tag in ("rect", "polygon", "polyline", "line", "circle"):
        for element in root.iter(f"{SVG}{tag}"):
            assert element.get("fill") or element.get("stroke"), ET.tostring(element)


@pytest.mark.parametrize("chart", CHARTS)
def test_empty_points_say_there_is_no_data_yet(chart):
    root = parse(chart([], title="Leeg", description="Nog niets", chart_id="leeg"))

    assert root.get("aria-labelledby") == "leeg-title leeg-desc"
    assert [child.tag for child in list(root)[:2]] == [f"{SVG}title", f"{SVG}desc"]
    assert texts(root) == ["Nog geen gegevens"]


@pytest.mark.parametrize("count", range(3, 13))
def test_radar_has_one_axis_and_one_vertex_per_point(count):
    root = parse(radar_chart(themes(count), title="t", description="d"))

    [score] = by_class(root, "chart-score")
    assert len(polygon_vertices(score)) == count
    assert len(texts(root, "chart-label")) == count
    axes = [line for line in root.iter(f"{SVG}line") if "chart-grid" in line.get("class", "")]
    assert len(axes) == count


def test_radar_has_gridlines_at_quarters_with_labels():
    root = parse(radar_chart(THEMES, title="t", description="d"))

    rings = [
        element for element in root.iter(f"{SVG}polygon") if element.get("class") == "chart-grid"
    ]
    assert len(rings) == 4
    assert texts(root, "chart-grid-label") == ["25", "50", "75", "100"]


def test_radar_first_axis_points_up_and_axes_go_clockwise():
    points = [ChartPoint(key, key, 100, "groen") for key in "ABCD"]

    [score] = by_class(parse(radar_chart(points, title="t", description="d")), "chart-score")

    assert polygon_vertices(score) == [(0, -150), (150, 0), (0, 150), (-150, 0)]


def test_radar_plots_missing_score_at_zero_and_says_so_in_the_label():
    root = parse(radar_chart(THEMES, title="t", description="d"))

    [score] = by_class(root, "chart-score")
    assert polygon_vertices(score)[3] == (0, 0)
    labels = texts(root, "chart-label")
    assert labels[3] == "D Samenwerking met zorgverzekeraar (onvoldoende beantwoord)"
    assert sum("onvoldoende beantwoord" in label for label in labels) == 1
    # No dot for a score that does not exist.
    assert len(by_class(root, "chart-score-dot")) == len(THEMES) - 1


def test_radar_draws_ambition_ring_and_legend_when_all_targets_are_given():
    root = parse(radar_chart(THEMES, title="t", description="d"))

    [ring] = by_class(root, "chart-ambition")
    assert ring.tag == f"{SVG}polygon"
    assert ring.get("stroke") == AMBITION_COLOUR
    assert ring.get("stroke-dasharray")
    assert ring.get("fill") == "none"
    assert len(polygon_vertices(ring)) == len(THEMES)
    # A's target of 75 sits on the top axis at three quarters of the 150 radius.
    assert polygon_vertices(ring)[0] == (0, -112.5)
    assert texts(root)[-2:] == ["Score", "Ambitie"]


def test_radar_without_targets_has_no_ambition_ring_nor_legend_entry():
    root = parse(radar_chart(without_targets(THEMES), title="t", description="d"))

    assert by_class(root, "chart-ambition") == []
    assert by_class(root, "chart-ambition-dot") == []
    assert texts(root)[-1] == "Score"
    assert "Ambitie" not in texts(root)


def test_radar_with_some_targets_joins_only_neighbouring_targets():
    targets = [50, 50, None, 75, None, None, 25, 25]
    points = [
        ChartPoint(p.key, p.label, p.score, p.light, target)
        for p, target in zip(THEMES, targets, strict=True)
    ]

    root = parse(radar_chart(points, title="t", description="d"))

    lines = by_class(root, "chart-ambition")
    assert all(line.tag == f"{SVG}polyline" for line in lines)
    # G-H-A-B wraps past the last axis; D stands alone and is only a marker.
    assert [len(polygon_vertices(line)) for line in lines] == [4]
    assert len(by_class(root, "chart-ambition-dot")) == 5


def test_radar_labels_stay_inside_the_view_box():
    long_word = "Woningmarktverkenningsinstrumentarium"
    points = [ChartPoint(key, f"{key} {long_word}", 50, "oranje") for key in "ABCDEF"]

    root = parse(radar_chart(points, title="t", description="d"))

    left, top, width, height = (float(n) for n in root.get("viewBox").split())
    assert width > 640, "a word that cannot wrap widens the chart instead of being clipped"
    assert left == -width / 2, "the radar stays centred"
    for element in by_class(root, "chart-label"):
        x = float(element.get("x"))
        lines = list(element) or [element]
        length = max(len(line.text) for line in lines) * 0.6 * 13
        anchor = element.get("text-anchor", "start")
        start = {"start": x, "middle": x - length / 2, "end": x - length}[anchor]
        assert left <= start and start + length <= left + width
        for line in lines:
            baseline = float(line.get("y"))
            assert top <= baseline - 13 and baseline + 4 <= top + height


def test_bar_chart_widens_to_the_left_for_a_label_that_cannot_wrap():
    word = "Woningmarktverkenningsinstrumentarium"
    points = [ChartPoint("A", f"A {word}", 50, "oranje"), ChartPoint("B", "B kort", 70, "groen")]

    root = parse(bar_chart(points, title="t", description="d"))

    left, _, width, _ = (float(n) for n in root.get("viewBox").split())
    label = by_class(root, "chart-label")[0]
    assert [line.text for line in label] == ["A", word]
    assert float(label.get("x")) - len(word) * 0.6 * 13 >= left
    assert left + width == 640


def test_bar_chart_has_one_bar_and_one_value_per_point():
    root = parse(bar_chart(THEMES, title="t", description="d"))

    assert len(by_class(root, "chart-bar")) == len(THEMES)
    assert texts(root, "chart-value") == [
        "63 · oranje",
        "81 · groen",
        "35 · rood",
        "onvoldoende beantwoord",
        "48 · oranje",
        "70 · groen",
        "100 · groen",
        "12 · rood",
    ]


def test_bar_chart_colours_bars_and_values_by_light():
    root = parse(bar_chart(THEMES, title="t", description="d"))

    bars = by_class(root, "chart-bar")
    values = by_class(root, "chart-value")
    for point, bar, value in zip(THEMES, bars, values, strict=True):
        if point.light is not None:
            assert bar.get("fill") == value.get("fill") == LIGHT_COLOURS[point.light]


def test_bar_chart_bar_length_is_proportional_to_score():
    points = [ChartPoint("a", "a", 0, "rood"), ChartPoint("b", "b", 50, "oranje")]
    points.append(ChartPoint("c", "c", 100, "groen"))

    widths = [
        float(bar.get("width"))
        for bar in by_class(parse(bar_chart(points, title="t", description="d")), "chart-bar")
    ]

    assert widths[0] == 0
    assert widths[1] == pytest.approx(widths[2] / 2, abs=0.1)


def test_bar_chart_shows_missing_score_as_hatched_grey_stub_with_text():
    root = parse(bar_chart(THEMES, title="t", description="d", chart_id="stappen"))

    [stub] = by_class(root, "chart-bar-none")
    assert stub.get("fill") == "url(#stappen-hatch)"
    assert stub.get("stroke") == NO_SCORE_COLOUR
    assert root.find(f".//{SVG}pattern").get("id") == "stappen-hatch"
    assert texts(root, "chart-value")[3] == "onvoldoende beantwoord"


def test_bar_chart_score_without_light_shows_number_only():
    root = parse(bar_chart([ChartPoint("a", "a", 40, None)], title="t", description="d"))

    assert texts(root, "chart-value") == ["40"]
    assert by_class(root, "chart-bar")[0].get("fill") == NO_SCORE_COLOUR


def test_bar_chart_draws_a_dashed_target_line_per_row_with_target():
    points = THEMES[:3] + without_targets(THEMES[3:])

    root = parse(bar_chart(points, title="t", description="d"))

    targets = by_class(root, "chart-target")
    assert len(targets) == 3
    assert all(line.get("stroke-dasharray") for line in targets)
    assert all(line.get("x1") == line.get("x2") for line in targets)
    assert texts(root)[-1] == "Ambitie"


def test_bar_chart_value_is_written_past_the_target_line():
    root = parse(bar_chart([ChartPoint("a", "a", 20, "rood", 75)], title="t", description="d"))

    [target] = by_class(root, "chart-target")
    [value] = by_class(root, "chart-value")
    assert float(value.get("x")) > float(target.get("x1"))


def test_bar_chart_without_targets_has_no_target_lines_nor_legend():
    root = parse(bar_chart(without_targets(THEMES), title="t", description="d"))

    assert by_class(root, "chart-target") == []
    assert "Ambitie" not in texts(root)


def test_bar_chart_has_axis_ticks_at_quarters():
    root = parse(bar_chart(THEMES, title="t", description="d"))

    assert texts(root, "chart-axis-label") == ["0", "25", "50", "75", "100"]


@pytest.mark.parametrize(
    ("score", "shown"),
    [
        (62.5, 63),
        (62.49, 62),
        (0.5, 1),
        (2.5, 3),
        (0, 0),
        (99.5, 100),
        (100, 100),
        (100.0000001, 100),
        (-0.0001, 0),
    ],
)
def test_display_score_rounds_half_up(score, shown):
    assert display_score(score) == shown


def test_bar_chart_rounds_62_5_up_to_63():
    root = parse(bar_chart([ChartPoint("a", "a", 62.5, "oranje")], title="t", description="d"))

    assert texts(root, "chart-value") == ["63 · oranje"]


@pytest.mark.parametrize(
    "kwargs",
    [{"score": float("nan")}, {"score": float("inf")}, {"target": float("nan")}, {"light": "geel"}],
)
def test_chart_point_refuses_values_it_cannot_draw(kwargs):
    fields = {"key": "a", "label": "a", "score": 50.0, "light": "oranje", **kwargs}

    with pytest.raises(ValueError, match="ChartPoint"):
        ChartPoint(**fields)


def contrast_on_white(colour: str) -> float:
    def channel(value: int) -> float:
        value /= 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(int(colour[i : i + 2], 16)) for i in (1, 3, 5))
    luminance = 0.2126 * red + 0.7152 * green + 0.0722 * blue
    return 1.05 / (luminance + 0.05)


@pytest.mark.parametrize(
    "colour",
    [
        TEXT_COLOUR,
        MUTED_TEXT_COLOUR,
        AMBITION_COLOUR,
        SCORE_COLOUR,
        NO_SCORE_COLOUR,
        *LIGHT_COLOURS.values(),
    ],
)
def test_colours_used_for_text_meet_wcag_text_contrast(colour):
    assert contrast_on_white(colour) >= 4.5


def test_grid_colour_meets_wcag_graphics_contrast():
    assert contrast_on_white(GRID_COLOUR) >= 3


point_strategy = st.builds(
    ChartPoint,
    key=st.text(max_size=5),
    label=st.text(max_size=60),
    score=st.none() | st.floats(min_value=0, max_value=100),
    light=st.sampled_from([None, "rood", "oranje", "groen"]),
    target=st.none() | st.floats(min_value=0, max_value=100),
)


@hypothesis_settings(max_examples=60, deadline=None)
@given(points=st.lists(point_strategy, max_size=12), title=st.text(max_size=40))
def test_any_input_gives_well_formed_svg(points, title):
    for chart in CHARTS:
        svg = chart(points, title=title, description=title, chart_id="c")
        root = parse(svg)
        assert root.get("aria-labelledby") == "c-title c-desc"
        assert all(re.fullmatch(r"-?\d+(\.\d)?", number) for number in coordinates(svg))
    if points:
        [score] = by_class(parse(radar_chart(points, title="t", description="d")), "chart-score")
        assert len(polygon_vertices(score)) == len(points)


def test_charts_render_in_a_weasyprint_pdf():
    weasyprint = pytest.importorskip("weasyprint")
    pypdf = pytest.importorskip("pypdf")
    html = (
        "<html><head><meta charset='utf-8'></head><body>"
        f"{radar_chart(THEMES, title='Radar', description='d', chart_id='radar')}"
        f"{bar_chart(THEMES, title='Balken', description='d', chart_id='bars')}"
        "</body></html>"
    )

    pdf = weasyprint.HTML(string=html).write_pdf()

    assert pdf.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    for expected in ("A Basis in de wijk", "63", "oranje", "onvoldoende", "Ambitie", "<script>"):
        assert expected in text
