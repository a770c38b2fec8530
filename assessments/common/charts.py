"""SVG charts of assessment results: a radar over the themes and horizontal bars.

This module owns turning scores that are already computed (by ``readiness``) into
markup. It decides nothing about scores or traffic lights; it only draws them.

The same string is inlined in the HTML results page and embedded in the PDF that
WeasyPrint renders, so the output is deliberately plain SVG 1.1 that both understand:
no scripts, no external fonts or images, no CSS variables or stylesheets (every fill
and stroke is an attribute; the ``class`` attributes are only hooks for tests and page
styling), and a ``viewBox`` with ``width="100%"`` so it scales to its container.
The primitives are in ``svg.py``, the charts over time in ``time_charts.py``."""

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from django.utils.safestring import SafeString
from django.utils.translation import gettext

from assessments.common import svg


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
        if self.light is not None and self.light not in svg.LIGHT_COLOURS:
            raise ValueError(f"ChartPoint.light must be one of {sorted(svg.LIGHT_COLOURS)} or None")


def radar_chart(
    points: Sequence[ChartPoint], *, title: str, description: str, chart_id: str = "radar"
) -> SafeString:
    """A radar with one axis per point (made for 3 to 12), the scores and the ambition.

    A point without a score is plotted at 0 and its label says so, because a gap in the
    polygon would be read as a score. The ambition ring is only drawn when at least one
    point has a target; with some targets missing, only neighbouring targets are joined.
    """
    svg.check_chart_id(chart_id)
    if not points:
        return svg.empty_chart(title=title, description=description, chart_id=chart_id)

    radius = 150.0
    label_gap = 14.0
    label_size = 13.0
    wrap_at = 18
    count = len(points)
    # Clockwise from the top, like a clock face, so the first theme is read first.
    angles = [-math.pi / 2 + 2 * math.pi * index / count for index in range(count)]

    def position(angle: float, value: float) -> tuple[float, float]:
        distance = radius * svg.clamp(value) / 100
        return distance * math.cos(angle), distance * math.sin(angle)

    parts: list[str] = []
    box = svg.Box()
    box.add(-radius, -radius, radius, radius)

    parts.append(_radar_grid(count, radius))
    score_vertices = [
        position(angle, point.score or 0) for angle, point in zip(angles, points, strict=True)
    ]
    parts.append(
        f'<polygon class="chart-score" points="{svg.points(score_vertices)}" '
        f'fill="{svg.SCORE_COLOUR}" fill-opacity="0.18" stroke="{svg.SCORE_COLOUR}" '
        f'stroke-width="2.5" stroke-linejoin="round"/>'
    )
    for (x, y), point in zip(score_vertices, points, strict=True):
        if point.score is not None:
            parts.append(
                f'<circle class="chart-score-dot" cx="{svg.fmt(x)}" cy="{svg.fmt(y)}" r="3.5" '
                f'fill="{svg.SCORE_COLOUR}" stroke="#ffffff" stroke-width="1"/>'
            )

    has_ambition = any(point.target is not None for point in points)
    if has_ambition:
        parts.extend(_ambition_ring(points, angles, position))

    parts.append(_radar_scale(radius))

    for angle, point in zip(angles, points, strict=True):
        lines = svg.wrap(point.label, wrap_at)
        if point.score is None:
            lines += svg.wrap(f"({gettext('onvoldoende beantwoord')})", wrap_at)
        anchor_x, anchor_y = position(angle, 100)
        cos, sin = math.cos(angle), math.sin(angle)
        anchor_x += label_gap * cos
        anchor_y += label_gap * sin
        anchor = "middle" if abs(cos) < 0.26 else ("start" if cos > 0 else "end")
        line_height = label_size * svg.LINE_HEIGHT_EM
        block_height = len(lines) * line_height
        # Slide the block from fully above the anchor (top axis) through centred (side
        # axes) to fully below it (bottom axis), so it always grows away from the ring.
        top = anchor_y + (sin - 1) / 2 * block_height
        width = max(svg.text_width(line, label_size) for line in lines)
        left = {"start": anchor_x, "middle": anchor_x - width / 2, "end": anchor_x - width}[anchor]
        box.add(left, top, left + width, top + block_height)
        parts.append(
            svg.text(
                anchor_x,
                top + (line_height - label_size) / 2 + svg.ASCENT_EM * label_size,
                lines,
                size=label_size,
                anchor=anchor,
                fill=svg.TEXT_COLOUR,
                css_class="chart-label",
            )
        )

    legend_top = box.bottom + 18
    legend, legend_width = _legend(has_ambition=has_ambition, top=legend_top)
    box.add(-legend_width / 2, legend_top, legend_width / 2, legend_top + 14)
    parts.append(f'<g class="chart-legend" transform="translate({svg.fmt(-legend_width / 2)} 0)">')
    parts.extend(legend)
    parts.append("</g>")

    # Centred on the chart's middle so the radar stays in the middle of the page even
    # when one side's labels needed extra room.
    half_width = max(svg.WIDTH / 2, -box.left + svg.PADDING, box.right + svg.PADDING)
    # Whole units, so both edges survive formatting and stay symmetric.
    half_width = math.ceil(half_width)
    top = box.top - svg.PADDING
    height = box.bottom + svg.PADDING - top
    view_box = f"{svg.fmt(-half_width)} {svg.fmt(top)} {svg.fmt(2 * half_width)} {svg.fmt(height)}"
    return svg.svg(chart_id, title, description, view_box, parts)


def bar_chart(
    points: Sequence[ChartPoint], *, title: str, description: str, chart_id: str = "bars"
) -> SafeString:
    """Horizontal bars, one row per point, coloured by light and labelled in words.

    Every bar ends in text such as "62 · oranje" so the light is never told by colour
    alone. A point without a score gets a short hatched grey stub instead of a bar,
    because a full-width or zero-length bar would both read as a score.
    """
    svg.check_chart_id(chart_id)
    if not points:
        return svg.empty_chart(title=title, description=description, chart_id=chart_id)

    label_size = 13.0
    value_size = 12.0
    line_height = label_size * svg.LINE_HEIGHT_EM
    bar_height = 16.0
    value_room = 98.0  # "100 · oranje" after a full bar
    wrapped = [svg.wrap(point.label, 26) for point in points]
    widest_label = max(svg.text_width(line, label_size) for lines in wrapped for line in lines)
    label_width = min(210.0, widest_label)
    # A word too long to wrap sticks out to the left; the viewBox starts earlier to keep
    # it visible rather than squeezing every bar.
    view_left = math.floor(min(0.0, label_width - widest_label))
    label_right = svg.PADDING + label_width
    plot_left = label_right + 12
    plot_right = svg.WIDTH - svg.PADDING - value_room
    plot_width = plot_right - plot_left

    def x_at(value: float) -> float:
        return plot_left + plot_width * svg.clamp(value) / 100

    hatch_id = f"{chart_id}-hatch"
    parts: list[str] = [
        # Drawn as diagonal strokes in an unrotated tile: patternTransform is not
        # something every renderer handles the same way.
        f'<defs><pattern id="{hatch_id}" width="6" height="6" patternUnits="userSpaceOnUse">'
        f'<rect x="0" y="0" width="6" height="6" fill="#ffffff"/>'
        f'<path d="M0,6 L6,0 M-1,1 L1,-1 M5,7 L7,5" stroke="{svg.NO_SCORE_COLOUR}" '
        f'stroke-width="1.2"/></pattern></defs>'
    ]

    rows: list[str] = []
    top = svg.PADDING + 4
    for lines, point in zip(wrapped, points, strict=True):
        row_height = max(30.0, len(lines) * line_height + 14)
        middle = top + row_height / 2
        rows.append(
            svg.text(
                label_right,
                middle - len(lines) * line_height / 2 + svg.baseline_offset(label_size),
                lines,
                size=label_size,
                anchor="end",
                fill=svg.TEXT_COLOUR,
                css_class="chart-label",
            )
        )
        bar_top = middle - bar_height / 2
        if point.score is None:
            bar_end = plot_left + 12
            rows.append(
                f'<rect class="chart-bar chart-bar-none" x="{svg.fmt(plot_left)}" '
                f'y="{svg.fmt(bar_top)}" width="12" height="{svg.fmt(bar_height)}" '
                f'fill="url(#{hatch_id})" stroke="{svg.NO_SCORE_COLOUR}" stroke-width="1"/>'
            )
            value_text = gettext("onvoldoende beantwoord")
            value_colour = svg.NO_SCORE_COLOUR
        else:
            bar_end = x_at(point.score)
            value_colour = svg.LIGHT_COLOURS.get(point.light or "", svg.NO_SCORE_COLOUR)
            rows.append(
                f'<rect class="chart-bar" x="{svg.fmt(plot_left)}" y="{svg.fmt(bar_top)}" '
                f'width="{svg.fmt(bar_end - plot_left)}" height="{svg.fmt(bar_height)}" '
                f'fill="{value_colour}"/>'
            )
            value_text = str(svg.display_score(point.score))
            if point.light is not None:
                value_text += f" · {gettext(svg.LIGHT_WORDS[point.light])}"
        text_left = bar_end
        if point.target is not None:
            target_x = x_at(point.target)
            text_left = max(text_left, target_x)
            rows.append(
                f'<line class="chart-target" x1="{svg.fmt(target_x)}" y1="{svg.fmt(bar_top - 5)}" '
                f'x2="{svg.fmt(target_x)}" y2="{svg.fmt(bar_top + bar_height + 5)}" '
                f'stroke="{svg.AMBITION_COLOUR}" stroke-width="2" stroke-dasharray="4 2"/>'
            )
        # After the bar or the ambition line, whichever is further, so the dashed line
        # never runs through the value.
        rows.append(
            svg.text(
                text_left + 6,
                middle - value_size * svg.LINE_HEIGHT_EM / 2 + svg.baseline_offset(value_size),
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
        parts += svg.percent_gridline(
            tick,
            (x, svg.PADDING, x, rows_bottom + 4),
            (x, rows_bottom + 8 + svg.baseline_offset(11)),
            anchor="middle",
        )
    parts.append(
        f'<line class="chart-axis" x1="{svg.fmt(plot_left)}" y1="{svg.fmt(rows_bottom + 4)}" '
        f'x2="{svg.fmt(plot_right)}" y2="{svg.fmt(rows_bottom + 4)}" stroke="{svg.GRID_COLOUR}" '
        f'stroke-width="1"/>'
    )
    parts.extend(rows)

    bottom = rows_bottom + 8 + 11 * svg.LINE_HEIGHT_EM
    if any(point.target is not None for point in points):
        legend_top = bottom + 10
        legend, _ = _legend(has_score=False, has_ambition=True, top=legend_top)
        parts.append(f'<g class="chart-legend" transform="translate({svg.fmt(plot_left)} 0)">')
        parts.extend(legend)
        parts.append("</g>")
        bottom = legend_top + 14

    view_box = f"{view_left} 0 {svg.WIDTH - view_left} {svg.fmt(bottom + svg.PADDING)}"
    return svg.svg(chart_id, title, description, view_box, parts)


@lru_cache(maxsize=32)
def _radar_grid(count: int, radius: float) -> str:
    """The rings at the quarters and the spokes: they depend only on the number of axes,
    so they are drawn once per process rather than on every chart (about 100 numbers)."""
    angles = [-math.pi / 2 + 2 * math.pi * index / count for index in range(count)]

    def position(angle: float, value: float) -> tuple[float, float]:
        distance = radius * svg.clamp(value) / 100
        return distance * math.cos(angle), distance * math.sin(angle)

    parts = []
    for level in (25, 50, 75, 100):
        ring = [position(angle, level) for angle in angles]
        parts.append(
            f'<polygon class="chart-grid" points="{svg.points(ring)}" fill="none" '
            f'stroke="{svg.GRID_COLOUR}" stroke-width="{0.75 if level < 100 else 1}"/>'
        )
    for angle in angles:
        x, y = position(angle, 100)
        parts.append(
            f'<line class="chart-grid" x1="0" y1="0" x2="{svg.fmt(x)}" y2="{svg.fmt(y)}" '
            f'stroke="{svg.GRID_COLOUR}" stroke-width="0.75"/>'
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
            f'<rect class="chart-grid-backdrop" x="2" y="{svg.fmt(y - size * 0.65)}" '
            f'width="{svg.fmt(svg.text_width(str(level), size) + 4)}" '
            f'height="{svg.fmt(size * 1.3)}" '
            f'fill="#ffffff" fill-opacity="0.85"/>'
        )
        parts.append(
            svg.text(
                4,
                y + 0.35 * size,
                [str(level)],
                size=size,
                fill=svg.MUTED_TEXT_COLOUR,
                css_class="chart-grid-label",
            )
        )
    return "".join(parts)


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
        f'fill="none" stroke="{svg.AMBITION_COLOUR}" stroke-width="2" '
        f'stroke-dasharray="6 4" stroke-linejoin="round"'
    )
    parts: list[str] = []
    complete = [vertex for vertex in vertices if vertex is not None]
    if len(complete) == len(vertices):
        parts.append(f'<polygon class="chart-ambition" points="{svg.points(complete)}" {stroke}/>')
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
                parts.append(
                    f'<polyline class="chart-ambition" points="{svg.points(run)}" {stroke}/>'
                )
            run = []
    # Markers as well as the line, so a lone target between two missing ones still shows.
    for x, y in complete:
        parts.append(
            f'<circle class="chart-ambition-dot" cx="{svg.fmt(x)}" cy="{svg.fmt(y)}" r="3" '
            f'fill="#ffffff" stroke="{svg.AMBITION_COLOUR}" stroke-width="1.5"/>'
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
            f'<rect x="{svg.fmt(x)}" y="{svg.fmt(top + 2)}" width="16" height="10" '
            f'fill="{svg.SCORE_COLOUR}" fill-opacity="0.18" stroke="{svg.SCORE_COLOUR}" '
            f'stroke-width="2"/>'
        )
        label = gettext("Score")
        parts.append(svg.text(x + 22, baseline, [label], size=size, fill=svg.TEXT_COLOUR))
        x += 22 + svg.text_width(label, size) + 18
    if has_ambition:
        parts.append(
            f'<line x1="{svg.fmt(x)}" y1="{svg.fmt(top + 7)}" x2="{svg.fmt(x + 20)}" '
            f'y2="{svg.fmt(top + 7)}" stroke="{svg.AMBITION_COLOUR}" stroke-width="2" '
            f'stroke-dasharray="4 2"/>'
        )
        label = gettext("Ambitie")
        parts.append(svg.text(x + 26, baseline, [label], size=size, fill=svg.TEXT_COLOUR))
        x += 26 + svg.text_width(label, size)
    return parts, x


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
