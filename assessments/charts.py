"""SVG charts of assessment results: a radar over the themes and horizontal bars.

This module owns turning scores that are already computed (by ``readiness``) into
markup. It decides nothing about scores or traffic lights; it only draws them.

The same string is inlined in the HTML results page and embedded in the PDF that
WeasyPrint renders, so the output is deliberately plain SVG 1.1 that both understand:
no scripts, no external fonts or images, no CSS variables or stylesheets (every fill
and stroke is an attribute; the ``class`` attributes are only hooks for tests and page
styling), and a ``viewBox`` with ``width="100%"`` so it scales to its container.

Text layout is estimated from character counts instead of measured, because the
server has no reliable font metrics for the browser's font; the estimate is
deliberately generous so labels are not clipped, and the ``viewBox`` grows when a
label needs more room than the nominal layout gives it.
"""

import datetime
import html
import math
import re
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, gettext_noop

# A generic stack instead of a web font: WeasyPrint must not fetch anything, and DejaVu
# Sans is what the PDF container has installed.
FONT_FAMILY = "DejaVu Sans, Arial, sans-serif"

# Contrast ratios on white are noted because WCAG asks >= 4.5:1 for text and >= 3:1 for
# graphics that carry meaning; tests/assessments/test_charts.py checks them.
TEXT_COLOUR = "#1d2939"  # 14.7:1
MUTED_TEXT_COLOUR = "#475467"  # 7.7:1, axis numbers and the empty state
GRID_COLOUR = "#8a94a6"  # 3.1:1, thin so it stays in the background
SCORE_COLOUR = "#1f4e8c"  # 8.3:1
AMBITION_COLOUR = "#b35900"  # 4.8:1, orange-brown so it differs from the blue score in hue
NO_SCORE_COLOUR = "#667085"  # 5.0:1
LIGHT_COLOURS: dict[str, str] = {
    "rood": "#b42318",  # 6.6:1
    "oranje": "#b54708",  # 5.4:1
    "groen": "#067647",  # 5.7:1
}

# The light words are shown next to every value so colour is never the only signal.
# gettext_noop marks them for makemessages; they are translated when drawn, because the
# language is only known per request.
_LIGHT_WORDS: dict[str, str] = {
    "rood": gettext_noop("rood"),
    "oranje": gettext_noop("oranje"),
    "groen": gettext_noop("groen"),
}

# Average advance of a DejaVu Sans character in em; a little wide on purpose, since
# underestimating is what clips labels.
_CHAR_WIDTH_EM = 0.6
_LINE_HEIGHT_EM = 1.25
_ASCENT_EM = 0.8

# Nominal drawing width in user units. At A4 portrait (about 170 mm of text width) the
# chart is drawn at roughly 1:1, so a 13-unit label prints at about 9.5 pt.
_WIDTH = 640
_PADDING = 8

# Control characters are not allowed in XML even when escaped; one in a label would
# make the whole SVG unparseable, so they are dropped.
_INVALID_XML_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

# Ids end up in aria-labelledby (a space-separated list) and in url(#...) references.
_CHART_ID_PATTERN = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")


@dataclass(frozen=True)
class ChartPoint:
    """One value on a chart: a theme or a step with its score, light and ambition."""

    key: str
    label: str
    score: float | None
    light: str | None
    target: float | None = None

    def __post_init__(self) -> None:
        for name in ("score", "target"):
            value = getattr(self, name)
            if value is not None and not math.isfinite(value):
                raise ValueError(f"ChartPoint.{name} must be a finite number, not {value!r}")
        if self.light is not None and self.light not in LIGHT_COLOURS:
            raise ValueError(f"ChartPoint.light must be one of {sorted(LIGHT_COLOURS)} or None")


def display_score(score: float) -> int:
    """Round a 0-100 score to the whole number shown to users (62.5 -> 63).

    Python's round() rounds half to even (62.5 -> 62), which users read as a bug, so
    this rounds half up. Exposed so a data table next to a chart shows the same number.
    """
    clamped = Decimal(str(_clamp(score)))
    return int(clamped.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def radar_chart(
    points: Sequence[ChartPoint], *, title: str, description: str, chart_id: str = "radar"
) -> SafeString:
    """A radar with one axis per point (made for 3 to 12), the scores and the ambition.

    A point without a score is plotted at 0 and its label says so, because a gap in the
    polygon would be read as a score. The ambition ring is only drawn when at least one
    point has a target; with some targets missing, only neighbouring targets are joined.
    """
    _check_chart_id(chart_id)
    if not points:
        return _empty_chart(title=title, description=description, chart_id=chart_id)

    radius = 150.0
    label_gap = 14.0
    label_size = 13.0
    wrap_at = 18
    count = len(points)
    # Clockwise from the top, like a clock face, so the first theme is read first.
    angles = [-math.pi / 2 + 2 * math.pi * index / count for index in range(count)]

    def position(angle: float, value: float) -> tuple[float, float]:
        distance = radius * _clamp(value) / 100
        return distance * math.cos(angle), distance * math.sin(angle)

    parts: list[str] = []
    box = _Box()
    box.add(-radius, -radius, radius, radius)

    parts.append(_radar_grid(count, radius))
    score_vertices = [
        position(angle, point.score or 0) for angle, point in zip(angles, points, strict=True)
    ]
    parts.append(
        f'<polygon class="chart-score" points="{_points(score_vertices)}" '
        f'fill="{SCORE_COLOUR}" fill-opacity="0.18" stroke="{SCORE_COLOUR}" '
        f'stroke-width="2.5" stroke-linejoin="round"/>'
    )
    for (x, y), point in zip(score_vertices, points, strict=True):
        if point.score is not None:
            parts.append(
                f'<circle class="chart-score-dot" cx="{_fmt(x)}" cy="{_fmt(y)}" r="3.5" '
                f'fill="{SCORE_COLOUR}" stroke="#ffffff" stroke-width="1"/>'
            )

    has_ambition = any(point.target is not None for point in points)
    if has_ambition:
        parts.extend(_ambition_ring(points, angles, position))

    parts.append(_radar_scale(radius))

    for angle, point in zip(angles, points, strict=True):
        lines = _wrap(point.label, wrap_at)
        if point.score is None:
            lines += _wrap(f"({gettext('onvoldoende beantwoord')})", wrap_at)
        anchor_x, anchor_y = position(angle, 100)
        cos, sin = math.cos(angle), math.sin(angle)
        anchor_x += label_gap * cos
        anchor_y += label_gap * sin
        anchor = "middle" if abs(cos) < 0.26 else ("start" if cos > 0 else "end")
        line_height = label_size * _LINE_HEIGHT_EM
        block_height = len(lines) * line_height
        # Slide the block from fully above the anchor (top axis) through centred (side
        # axes) to fully below it (bottom axis), so it always grows away from the ring.
        top = anchor_y + (sin - 1) / 2 * block_height
        width = max(_text_width(line, label_size) for line in lines)
        left = {"start": anchor_x, "middle": anchor_x - width / 2, "end": anchor_x - width}[anchor]
        box.add(left, top, left + width, top + block_height)
        parts.append(
            _text(
                anchor_x,
                top + (line_height - label_size) / 2 + _ASCENT_EM * label_size,
                lines,
                size=label_size,
                anchor=anchor,
                fill=TEXT_COLOUR,
                css_class="chart-label",
            )
        )

    legend_top = box.bottom + 18
    legend, legend_width = _legend(has_ambition=has_ambition, top=legend_top)
    box.add(-legend_width / 2, legend_top, legend_width / 2, legend_top + 14)
    parts.append(f'<g class="chart-legend" transform="translate({_fmt(-legend_width / 2)} 0)">')
    parts.extend(legend)
    parts.append("</g>")

    # Centred on the chart's middle so the radar stays in the middle of the page even
    # when one side's labels needed extra room.
    half_width = max(_WIDTH / 2, -box.left + _PADDING, box.right + _PADDING)
    # Whole units, so both edges survive formatting and stay symmetric.
    half_width = math.ceil(half_width)
    top = box.top - _PADDING
    height = box.bottom + _PADDING - top
    view_box = f"{_fmt(-half_width)} {_fmt(top)} {_fmt(2 * half_width)} {_fmt(height)}"
    return _svg(chart_id, title, description, view_box, parts)


def bar_chart(
    points: Sequence[ChartPoint], *, title: str, description: str, chart_id: str = "bars"
) -> SafeString:
    """Horizontal bars, one row per point, coloured by light and labelled in words.

    Every bar ends in text such as "62 · oranje" so the light is never told by colour
    alone. A point without a score gets a short hatched grey stub instead of a bar,
    because a full-width or zero-length bar would both read as a score.
    """
    _check_chart_id(chart_id)
    if not points:
        return _empty_chart(title=title, description=description, chart_id=chart_id)

    label_size = 13.0
    value_size = 12.0
    line_height = label_size * _LINE_HEIGHT_EM
    bar_height = 16.0
    value_room = 98.0  # "100 · oranje" after a full bar
    wrapped = [_wrap(point.label, 26) for point in points]
    widest_label = max(_text_width(line, label_size) for lines in wrapped for line in lines)
    label_width = min(210.0, widest_label)
    # A word too long to wrap sticks out to the left; the viewBox starts earlier to keep
    # it visible rather than squeezing every bar.
    view_left = math.floor(min(0.0, label_width - widest_label))
    label_right = _PADDING + label_width
    plot_left = label_right + 12
    plot_right = _WIDTH - _PADDING - value_room
    plot_width = plot_right - plot_left

    def x_at(value: float) -> float:
        return plot_left + plot_width * _clamp(value) / 100

    hatch_id = f"{chart_id}-hatch"
    parts: list[str] = [
        # Drawn as diagonal strokes in an unrotated tile: patternTransform is not
        # something every renderer handles the same way.
        f'<defs><pattern id="{hatch_id}" width="6" height="6" patternUnits="userSpaceOnUse">'
        f'<rect x="0" y="0" width="6" height="6" fill="#ffffff"/>'
        f'<path d="M0,6 L6,0 M-1,1 L1,-1 M5,7 L7,5" stroke="{NO_SCORE_COLOUR}" '
        f'stroke-width="1.2"/></pattern></defs>'
    ]

    rows: list[str] = []
    top = _PADDING + 4
    for lines, point in zip(wrapped, points, strict=True):
        row_height = max(30.0, len(lines) * line_height + 14)
        middle = top + row_height / 2
        rows.append(
            _text(
                label_right,
                middle - len(lines) * line_height / 2 + _baseline_offset(label_size),
                lines,
                size=label_size,
                anchor="end",
                fill=TEXT_COLOUR,
                css_class="chart-label",
            )
        )
        bar_top = middle - bar_height / 2
        if point.score is None:
            bar_end = plot_left + 12
            rows.append(
                f'<rect class="chart-bar chart-bar-none" x="{_fmt(plot_left)}" '
                f'y="{_fmt(bar_top)}" width="12" height="{_fmt(bar_height)}" '
                f'fill="url(#{hatch_id})" stroke="{NO_SCORE_COLOUR}" stroke-width="1"/>'
            )
            value_text = gettext("onvoldoende beantwoord")
            value_colour = NO_SCORE_COLOUR
        else:
            bar_end = x_at(point.score)
            value_colour = LIGHT_COLOURS.get(point.light or "", NO_SCORE_COLOUR)
            rows.append(
                f'<rect class="chart-bar" x="{_fmt(plot_left)}" y="{_fmt(bar_top)}" '
                f'width="{_fmt(bar_end - plot_left)}" height="{_fmt(bar_height)}" '
                f'fill="{value_colour}"/>'
            )
            value_text = str(display_score(point.score))
            if point.light is not None:
                value_text += f" · {gettext(_LIGHT_WORDS[point.light])}"
        text_left = bar_end
        if point.target is not None:
            target_x = x_at(point.target)
            text_left = max(text_left, target_x)
            rows.append(
                f'<line class="chart-target" x1="{_fmt(target_x)}" y1="{_fmt(bar_top - 5)}" '
                f'x2="{_fmt(target_x)}" y2="{_fmt(bar_top + bar_height + 5)}" '
                f'stroke="{AMBITION_COLOUR}" stroke-width="2" stroke-dasharray="4 2"/>'
            )
        # After the bar or the ambition line, whichever is further, so the dashed line
        # never runs through the value.
        rows.append(
            _text(
                text_left + 6,
                middle - value_size * _LINE_HEIGHT_EM / 2 + _baseline_offset(value_size),
                [value_text],
                size=value_size,
                fill=value_colour,
                weight="bold",
                css_class="chart-value",
            )
        )
        top += row_height
    rows_bottom = top

    # Gridlines first so bars and ambition lines are drawn over them.
    for tick in (0, 25, 50, 75, 100):
        x = x_at(tick)
        parts.append(
            f'<line class="chart-grid" x1="{_fmt(x)}" y1="{_fmt(_PADDING)}" x2="{_fmt(x)}" '
            f'y2="{_fmt(rows_bottom + 4)}" stroke="{GRID_COLOUR if tick == 0 else "#d0d5dd"}" '
            f'stroke-width="{1 if tick == 0 else 0.75}"/>'
        )
        parts.append(
            _text(
                x,
                rows_bottom + 8 + _baseline_offset(11),
                [str(tick)],
                size=11,
                anchor="middle",
                fill=MUTED_TEXT_COLOUR,
                css_class="chart-axis-label",
            )
        )
    parts.append(
        f'<line class="chart-axis" x1="{_fmt(plot_left)}" y1="{_fmt(rows_bottom + 4)}" '
        f'x2="{_fmt(plot_right)}" y2="{_fmt(rows_bottom + 4)}" stroke="{GRID_COLOUR}" '
        f'stroke-width="1"/>'
    )
    parts.extend(rows)

    bottom = rows_bottom + 8 + 11 * _LINE_HEIGHT_EM
    if any(point.target is not None for point in points):
        legend_top = bottom + 10
        legend, _ = _legend(has_score=False, has_ambition=True, top=legend_top)
        parts.append(f'<g class="chart-legend" transform="translate({_fmt(plot_left)} 0)">')
        parts.extend(legend)
        parts.append("</g>")
        bottom = legend_top + 14

    view_box = f"{view_left} 0 {_WIDTH - view_left} {_fmt(bottom + _PADDING)}"
    return _svg(chart_id, title, description, view_box, parts)


@lru_cache(maxsize=32)
def _radar_grid(count: int, radius: float) -> str:
    """The rings at the quarters and the spokes: they depend only on the number of axes,
    so they are drawn once per process rather than on every chart (about 100 numbers)."""
    angles = [-math.pi / 2 + 2 * math.pi * index / count for index in range(count)]

    def position(angle: float, value: float) -> tuple[float, float]:
        distance = radius * _clamp(value) / 100
        return distance * math.cos(angle), distance * math.sin(angle)

    parts = []
    for level in (25, 50, 75, 100):
        ring = [position(angle, level) for angle in angles]
        parts.append(
            f'<polygon class="chart-grid" points="{_points(ring)}" fill="none" '
            f'stroke="{GRID_COLOUR}" stroke-width="{0.75 if level < 100 else 1}"/>'
        )
    for angle in angles:
        x, y = position(angle, 100)
        parts.append(
            f'<line class="chart-grid" x1="0" y1="0" x2="{_fmt(x)}" y2="{_fmt(y)}" '
            f'stroke="{GRID_COLOUR}" stroke-width="0.75"/>'
        )
    return "".join(parts)


@lru_cache(maxsize=4)
def _radar_scale(radius: float) -> str:
    """The numbers of the scale, the same on every radar (see ``radar_chart``)."""
    # The scale goes along the first axis, which always points straight up, and is drawn
    # over the data on a translucent white backdrop: any spot inside the rings can be
    # crossed by a score or an ambition, and unreadable numbers are worse than a small gap
    # in a line.
    parts = []
    for level in (25, 50, 75, 100):
        y = -radius * level / 100
        size = 10.0
        parts.append(
            f'<rect class="chart-grid-backdrop" x="2" y="{_fmt(y - size * 0.65)}" '
            f'width="{_fmt(_text_width(str(level), size) + 4)}" height="{_fmt(size * 1.3)}" '
            f'fill="#ffffff" fill-opacity="0.85"/>'
        )
        parts.append(
            _text(
                4,
                y + 0.35 * size,
                [str(level)],
                size=size,
                fill=MUTED_TEXT_COLOUR,
                css_class="chart-grid-label",
            )
        )
    return "".join(parts)


class _Box:
    """The estimated extent of everything drawn, to size the viewBox without clipping."""

    def __init__(self) -> None:
        self.left = self.top = math.inf
        self.right = self.bottom = -math.inf

    def add(self, left: float, top: float, right: float, bottom: float) -> None:
        self.left = min(self.left, left)
        self.top = min(self.top, top)
        self.right = max(self.right, right)
        self.bottom = max(self.bottom, bottom)


def _ambition_ring(
    points: Sequence[ChartPoint],
    angles: Sequence[float],
    position: Callable[[float, float], tuple[float, float]],
) -> list[str]:
    vertices: list[tuple[float, float] | None] = [
        position(angle, point.target) if point.target is not None else None
        for angle, point in zip(angles, points, strict=True)
    ]
    stroke = (
        f'fill="none" stroke="{AMBITION_COLOUR}" stroke-width="2" '
        f'stroke-dasharray="6 4" stroke-linejoin="round"'
    )
    parts: list[str] = []
    complete = [vertex for vertex in vertices if vertex is not None]
    if len(complete) == len(vertices):
        parts.append(f'<polygon class="chart-ambition" points="{_points(complete)}" {stroke}/>')
    else:
        # Joining across a point without a target would invent an ambition for it, so
        # only runs of neighbouring targets are connected (wrapping past the last axis).
        count = len(vertices)
        start = next(index for index in range(count) if vertices[index - 1] is None)
        run: list[tuple[float, float]] = []
        for step in range(count + 1):
            vertex = vertices[(start + step) % count] if step < count else None
            if vertex is not None:
                run.append(vertex)
                continue
            if len(run) > 1:
                parts.append(f'<polyline class="chart-ambition" points="{_points(run)}" {stroke}/>')
            run = []
    # Markers as well as the line, so a lone target between two missing ones still shows.
    for x, y in complete:
        parts.append(
            f'<circle class="chart-ambition-dot" cx="{_fmt(x)}" cy="{_fmt(y)}" r="3" '
            f'fill="#ffffff" stroke="{AMBITION_COLOUR}" stroke-width="1.5"/>'
        )
    return parts


def _legend(*, top: float, has_ambition: bool, has_score: bool = True) -> tuple[list[str], float]:
    """Legend items from x=0, and their total estimated width for centring."""
    size = 12.0
    baseline = top + 7 + 0.35 * size
    parts: list[str] = []
    x = 0.0
    if has_score:
        parts.append(
            f'<rect x="{_fmt(x)}" y="{_fmt(top + 2)}" width="16" height="10" '
            f'fill="{SCORE_COLOUR}" fill-opacity="0.18" stroke="{SCORE_COLOUR}" '
            f'stroke-width="2"/>'
        )
        label = gettext("Score")
        parts.append(_text(x + 22, baseline, [label], size=size, fill=TEXT_COLOUR))
        x += 22 + _text_width(label, size) + 18
    if has_ambition:
        parts.append(
            f'<line x1="{_fmt(x)}" y1="{_fmt(top + 7)}" x2="{_fmt(x + 20)}" '
            f'y2="{_fmt(top + 7)}" stroke="{AMBITION_COLOUR}" stroke-width="2" '
            f'stroke-dasharray="4 2"/>'
        )
        label = gettext("Ambitie")
        parts.append(_text(x + 26, baseline, [label], size=size, fill=TEXT_COLOUR))
        x += 26 + _text_width(label, size)
    return parts, x


def _empty_chart(*, title: str, description: str, chart_id: str) -> SafeString:
    parts = [
        f'<rect x="0.5" y="0.5" width="{_WIDTH - 1}" height="59" fill="none" '
        f'stroke="#d0d5dd" stroke-dasharray="4 3"/>',
        _text(
            _WIDTH / 2,
            30 + 0.35 * 14,
            [gettext("Nog geen gegevens")],
            size=14,
            anchor="middle",
            fill=MUTED_TEXT_COLOUR,
            css_class="chart-empty",
        ),
    ]
    return _svg(chart_id, title, description, f"0 0 {_WIDTH} 60", parts)


def _svg(chart_id: str, title: str, description: str, view_box: str, body: list[str]) -> SafeString:
    # title and desc come first: that is where assistive technology and aria-labelledby
    # look, and HTML shows the title as the tooltip of the whole chart.
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" viewBox="{view_box}" '
        f'width="100%" preserveAspectRatio="xMidYMid meet" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" class="chart" '
        f'font-family="{FONT_FAMILY}">'
        f'<title id="{chart_id}-title">{_xml_text(title)}</title>'
        f'<desc id="{chart_id}-desc">{_xml_text(description)}</desc>'
        f"{''.join(body)}</svg>"
    )
    # Every piece of data was escaped where it entered the markup above.
    return mark_safe(svg)


def _text(
    x: float,
    y: float,
    lines: list[str],
    *,
    size: float,
    fill: str,
    anchor: str = "start",
    weight: str | None = None,
    css_class: str | None = None,
) -> str:
    """A <text> whose first baseline is at y; further lines go in tspans below it."""
    attributes = (
        f'x="{_fmt(x)}" y="{_fmt(y)}" font-family="{FONT_FAMILY}" font-size="{_fmt(size)}" '
        f'fill="{fill}"'
    )
    if anchor != "start":
        attributes += f' text-anchor="{anchor}"'
    if weight is not None:
        attributes += f' font-weight="{weight}"'
    if css_class is not None:
        attributes = f'class="{css_class}" {attributes}'
    if len(lines) == 1:
        return f"<text {attributes}>{_xml_text(lines[0])}</text>"
    # Absolute x/y per line rather than dy: renderers disagree less about them.
    line_height = size * _LINE_HEIGHT_EM
    spans = "".join(
        f'<tspan x="{_fmt(x)}" y="{_fmt(y + index * line_height)}">{_xml_text(line)}</tspan>'
        for index, line in enumerate(lines)
    )
    return f"<text {attributes}>{spans}</text>"


def _xml_text(value: str) -> str:
    # The standard library's escape: what django.utils.html.escape does, without wrapping
    # every small piece in a SafeString (the whole SVG is marked safe once in _svg).
    return html.escape(_INVALID_XML_CHARACTERS.sub("", str(value)))


def _baseline_offset(size: float) -> float:
    """From the top of a line box to its baseline, for one line of this font size."""
    return (size * _LINE_HEIGHT_EM - size) / 2 + _ASCENT_EM * size


def _wrap(text: str, width: int) -> list[str]:
    # A new list each time: callers extend it, and the cached tuple must not change.
    return list(_wrapped(str(text), width))


@lru_cache(maxsize=1024)
def _wrapped(text: str, width: int) -> tuple[str, ...]:
    """``textwrap`` is slow and the labels are the same few theme titles on every chart."""
    # Dutch compounds are long; never split inside a word, the viewBox grows instead.
    lines = textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)
    return tuple(lines) or ("",)


def _text_width(line: str, size: float) -> float:
    return len(line) * size * _CHAR_WIDTH_EM


def _clamp(value: float) -> float:
    # Scores are averages of floats; 100.00000001 must not poke through the outer ring.
    return min(100.0, max(0.0, float(value)))


def _fmt(value: float) -> str:
    """At most one decimal, no trailing ".0" and never "-0", for stable, short output."""
    text = f"{value:.1f}"
    # Called some 400 times per results page, hence the cheapest checks first: with one
    # decimal, a last "0" is always a ".0", and only a whole number can be "-0".
    if text[-1] != "0":
        return text
    text = text[:-2]
    return "0" if text == "-0" else text


def _points(vertices: Sequence[tuple[float, float]]) -> str:
    return " ".join(f"{_fmt(x)},{_fmt(y)}" for x, y in vertices)


def _check_chart_id(chart_id: str) -> None:
    if not _CHART_ID_PATTERN.fullmatch(chart_id):
        raise ValueError(
            f"chart_id {chart_id!r} must start with a letter and contain only letters, "
            "digits, '-' and '_', because it becomes an XML id"
        )


def round_charts(
    points: Sequence[ChartPoint], steps: Sequence[tuple[str, str, Sequence[str]]]
) -> tuple[SafeString, list[SafeString]]:
    """The charts of a round, identical on the results page and in the PDF.

    ``points``: one per theme; ``steps``: (code, title, theme codes) in step order. Returns
    the radar over all themes and one bar chart per step.
    """
    by_key = {p.key: p for p in points}
    radar = radar_chart(
        list(points),
        title=gettext("Score per thema"),
        description=gettext(
            "Spindiagram van de acht thema's: de score van 0 tot 100 en de ambitie als "
            "tweede, gestippelde ring."
        ),
        chart_id="radar-themes",
    )
    bars = [
        bar_chart(
            [by_key[code] for code in theme_codes],
            title=gettext("Thema's van stap %(n)s: %(title)s") % {"n": number, "title": title},
            description=gettext(
                "Staafdiagram met de score per thema en de ambitie als streeplijn."
            ),
            chart_id=f"bars-{code}",
        )
        for number, (code, title, theme_codes) in enumerate(steps, start=1)
    ]
    return radar, bars


# --- Trend and timeline -------------------------------------------------------------------

TODAY_COLOUR = "#475467"  # 7.7:1
TRANSITION_COLOUR = "#6941c6"  # 6.0:1, violet: differs in hue from score, ambition and lights


@dataclass(frozen=True)
class SeriesPoint:
    """One round on a line chart: its label on the x-axis and its shown score (or None)."""

    label: str
    score: int | None


def line_chart(
    points: Sequence[SeriesPoint], *, title: str, description: str, chart_id: str
) -> SafeString:
    """The score of one step over the rounds, oldest first, each point labelled with its
    number. A round without a sufficient score gets no point and the words "onvoldoende
    beantwoord" at the axis; the line does not cross it, because a line would invent one."""
    _check_chart_id(chart_id)
    if not points:
        return _empty_chart(title=title, description=description, chart_id=chart_id)
    label_size = 11.0
    wrapped = [_wrap(p.label, 18) for p in points]
    label_lines = max(len(lines) for lines in wrapped)
    # About 130 units per round: with a few rounds the chart is drawn narrower, so that it
    # scales up, and its text stays readable, in a half-width column.
    width = min(float(_WIDTH), 60 + 130.0 * len(points))
    plot_left, plot_right = 44.0, width - 16.0
    plot_top, plot_bottom = 22.0, 162.0
    step = (plot_right - plot_left) / len(points)

    def x_at(index: int) -> float:
        return plot_left + step * (index + 0.5)

    def y_at(value: float) -> float:
        return plot_bottom - (plot_bottom - plot_top) * _clamp(value) / 100

    parts: list[str] = []
    for tick in (0, 25, 50, 75, 100):
        y = y_at(tick)
        parts.append(
            f'<line class="chart-grid" x1="{_fmt(plot_left)}" y1="{_fmt(y)}" '
            f'x2="{_fmt(plot_right)}" y2="{_fmt(y)}" '
            f'stroke="{GRID_COLOUR if tick == 0 else "#d0d5dd"}" '
            f'stroke-width="{1 if tick == 0 else 0.75}"/>'
        )
        parts.append(
            _text(
                plot_left - 6,
                y + 0.35 * 11,
                [str(tick)],
                size=11,
                anchor="end",
                fill=MUTED_TEXT_COLOUR,
                css_class="chart-axis-label",
            )
        )
    run: list[tuple[float, float]] = []
    runs: list[list[tuple[float, float]]] = []
    for index, point in enumerate(points):
        if point.score is None:
            runs.append(run)
            run = []
        else:
            run.append((x_at(index), y_at(point.score)))
    runs.append(run)
    for line in runs:
        if len(line) > 1:
            parts.append(
                f'<polyline class="chart-line" points="{_points(line)}" fill="none" '
                f'stroke="{SCORE_COLOUR}" stroke-width="2.5" stroke-linejoin="round"/>'
            )
    for index, (point, lines) in enumerate(zip(points, wrapped, strict=True)):
        x = x_at(index)
        if point.score is None:
            parts.append(
                _text(
                    x,
                    plot_bottom - 6,
                    [gettext("onvoldoende beantwoord")],
                    size=10,
                    anchor="middle",
                    fill=NO_SCORE_COLOUR,
                    css_class="chart-value",
                )
            )
        else:
            y = y_at(point.score)
            parts.append(
                f'<circle class="chart-score-dot" cx="{_fmt(x)}" cy="{_fmt(y)}" r="4" '
                f'fill="{SCORE_COLOUR}" stroke="#ffffff" stroke-width="1"/>'
            )
            parts.append(
                _text(
                    x,
                    y - 8,
                    [str(point.score)],
                    size=12,
                    anchor="middle",
                    fill=TEXT_COLOUR,
                    weight="bold",
                    css_class="chart-value",
                )
            )
        parts.append(
            _text(
                x,
                plot_bottom + 8 + _baseline_offset(label_size),
                lines,
                size=label_size,
                anchor="middle",
                fill=TEXT_COLOUR,
                css_class="chart-label",
            )
        )
    height = plot_bottom + 8 + label_lines * label_size * _LINE_HEIGHT_EM + _PADDING
    return _svg(chart_id, title, description, f"0 0 {_fmt(width)} {_fmt(height)}", parts)


@dataclass(frozen=True)
class TimelineBar:
    """One action on the timeline: from its start to its due date."""

    label: str
    start: datetime.date
    end: datetime.date
    is_overdue: bool = False
    is_after_transition: bool = False


def _month_start(value: datetime.date) -> datetime.date:
    return value.replace(day=1)


def _next_month(value: datetime.date) -> datetime.date:
    return value.replace(year=value.year + value.month // 12, month=value.month % 12 + 1, day=1)


def timeline_chart(
    bars: Sequence[TimelineBar],
    *,
    today: datetime.date,
    transition: datetime.date | None,
    title: str,
    description: str,
    chart_id: str = "timeline",
) -> SafeString:
    """Months on the x-axis, one bar per action from start to due date, today and the
    transition date (woonplaatsbeginsel) as vertical lines. An overdue action's bar is red
    and says "te laat"; one that ends after the transition date says so in words too.
    Without a transition date the chart says "nog niet vastgesteld"."""
    from django.utils.formats import date_format

    _check_chart_id(chart_id)
    if not bars:
        return _empty_chart(title=title, description=description, chart_id=chart_id)
    first = _month_start(min([today, *(b.start for b in bars), *(b.end for b in bars)]))
    last_day = max([today, *(b.end for b in bars), *([transition] if transition else [])])
    months = [first]
    while months[-1] <= last_day:
        months.append(_next_month(months[-1]))
    # months[-1] is the first month after the last day: the right edge of the axis.
    # Compact rows: a plan of 25 actions fits on an A4 page next to its heading.
    label_size = 11.0
    label_width = 190.0
    plot_left = _PADDING + label_width + 10
    plot_right = _WIDTH - _PADDING - 110
    span = (months[-1] - months[0]).days

    def x_at(day: datetime.date) -> float:
        return plot_left + (plot_right - plot_left) * (day - months[0]).days / span

    row_height = 18.0
    top = 44.0
    bottom = top + row_height * len(bars)
    parts: list[str] = [
        f'<defs><pattern id="{chart_id}-hatch" width="6" height="6" '
        f'patternUnits="userSpaceOnUse"><rect x="0" y="0" width="6" height="6" '
        f'fill="{AMBITION_COLOUR}"/><path d="M0,6 L6,0 M-1,1 L1,-1 M5,7 L7,5" '
        f'stroke="#ffffff" stroke-width="1.5"/></pattern></defs>'
    ]
    # Month ticks; with many months only every n-th gets a label, so labels never collide.
    every = max(1, math.ceil(len(months) * 48 / (plot_right - plot_left)))
    for index, month in enumerate(months):
        x = x_at(month)
        parts.append(
            f'<line class="chart-grid" x1="{_fmt(x)}" y1="{_fmt(top - 4)}" x2="{_fmt(x)}" '
            f'y2="{_fmt(bottom)}" stroke="#d0d5dd" stroke-width="0.75"/>'
        )
        if index < len(months) - 1 and index % every == 0:
            parts.append(
                _text(
                    x + 2,
                    top - 10,
                    [date_format(month, "M Y")],
                    size=10,
                    fill=MUTED_TEXT_COLOUR,
                    css_class="chart-axis-label",
                )
            )
    for index, bar in enumerate(bars):
        y = top + index * row_height
        middle = y + row_height / 2
        # Cut to what fits the label column (the estimate is generous), so that no label
        # runs out of the chart; the table next to the chart has the whole title.
        fits = int(label_width / (label_size * _CHAR_WIDTH_EM))
        label = bar.label if len(bar.label) <= fits else bar.label[: fits - 1].rstrip() + "…"
        parts.append(
            _text(
                _PADDING + label_width,
                middle + 0.35 * label_size,
                [label],
                size=label_size,
                anchor="end",
                fill=TEXT_COLOUR,
                css_class="chart-label",
            )
        )
        left, right = x_at(bar.start), x_at(bar.end)
        right = max(right, left + 3)
        if bar.is_overdue:
            fill = LIGHT_COLOURS["rood"]
        elif bar.is_after_transition:
            fill = f"url(#{chart_id}-hatch)"
        else:
            fill = SCORE_COLOUR
        parts.append(
            f'<rect class="chart-bar" x="{_fmt(left)}" y="{_fmt(middle - 6)}" '
            f'width="{_fmt(right - left)}" height="12" fill="{fill}"/>'
        )
        words = [date_format(bar.end, "j M Y")]
        if bar.is_overdue:
            words.append(gettext("te laat"))
        if bar.is_after_transition:
            words.append(gettext("na invoering"))
        parts.append(
            _text(
                right + 5,
                middle + 0.35 * 10,
                [" · ".join(words)],
                size=10,
                fill=LIGHT_COLOURS["rood"] if bar.is_overdue else TEXT_COLOUR,
                weight="bold" if bar.is_overdue or bar.is_after_transition else None,
                css_class="chart-value",
            )
        )
    x = x_at(today)
    parts.append(
        f'<line class="chart-today" x1="{_fmt(x)}" y1="{_fmt(top - 4)}" x2="{_fmt(x)}" '
        f'y2="{_fmt(bottom + 4)}" stroke="{TODAY_COLOUR}" stroke-width="1.5" '
        f'stroke-dasharray="3 3"/>'
    )
    parts.append(
        _text(
            x,
            bottom + 16,
            [gettext("vandaag")],
            size=10,
            anchor="middle",
            fill=TODAY_COLOUR,
            css_class="chart-axis-label",
        )
    )
    if transition is not None:
        x = x_at(transition)
        parts.append(
            f'<line class="chart-transition" x1="{_fmt(x)}" y1="{_fmt(top - 24)}" '
            f'x2="{_fmt(x)}" y2="{_fmt(bottom + 4)}" stroke="{TRANSITION_COLOUR}" '
            f'stroke-width="2.5"/>'
        )
        transition_text = gettext("Invoering woonplaatsbeginsel: %(date)s") % {
            "date": date_format(transition, "j M Y")
        }
        anchor = "end" if x > (plot_left + plot_right) / 2 else "start"
        parts.append(
            _text(
                x + (-4 if anchor == "end" else 4),
                top - 26 + 0.35 * 11,
                [transition_text],
                size=11,
                anchor=anchor,
                fill=TRANSITION_COLOUR,
                weight="bold",
                css_class="chart-transition-label",
            )
        )
    else:
        parts.append(
            _text(
                plot_left,
                top - 26 + 0.35 * 11,
                [gettext("Invoering woonplaatsbeginsel: nog niet vastgesteld")],
                size=11,
                fill=TRANSITION_COLOUR,
                weight="bold",
                css_class="chart-transition-label",
            )
        )
    height = bottom + 16 + 10 + _PADDING
    return _svg(chart_id, title, description, f"0 0 {_WIDTH} {_fmt(height)}", parts)
