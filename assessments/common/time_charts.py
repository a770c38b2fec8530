"""Charts over time: a step's score over the rounds (line) and the plan's timeline (bars)."""

import datetime
import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.safestring import SafeString
from django.utils.translation import gettext

from assessments.common import svg

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
    svg.check_chart_id(chart_id)
    if not points:
        return svg.empty_chart(title=title, description=description, chart_id=chart_id)
    label_size = 11.0
    wrapped = [svg.wrap(p.label, 18) for p in points]
    label_lines = max(len(lines) for lines in wrapped)
    # About 130 units per round: with a few rounds the chart is drawn narrower, so that it
    # scales up, and its text stays readable, in a half-width column.
    width = min(float(svg.WIDTH), 60 + 130.0 * len(points))
    plot_left, plot_right = 44.0, width - 16.0
    plot_top, plot_bottom = 22.0, 162.0
    step = (plot_right - plot_left) / len(points)

    def x_at(index: int) -> float:
        return plot_left + step * (index + 0.5)

    def y_at(value: float) -> float:
        return plot_bottom - (plot_bottom - plot_top) * svg.clamp(value) / 100

    parts: list[str] = []
    for tick in (0, 25, 50, 75, 100):
        y = y_at(tick)
        parts += svg.percent_gridline(
            tick, (plot_left, y, plot_right, y), (plot_left - 6, y + 0.35 * 11), anchor="end"
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
                f'<polyline class="chart-line" points="{svg.points(line)}" fill="none" '
                f'stroke="{svg.SCORE_COLOUR}" stroke-width="2.5" stroke-linejoin="round"/>'
            )
    for index, (point, lines) in enumerate(zip(points, wrapped, strict=True)):
        x = x_at(index)
        if point.score is None:
            parts.append(
                svg.text(
                    x,
                    plot_bottom - 6,
                    [gettext("onvoldoende beantwoord")],
                    size=10,
                    anchor="middle",
                    fill=svg.NO_SCORE_COLOUR,
                    css_class="chart-value",
                )
            )
        else:
            y = y_at(point.score)
            parts.append(
                f'<circle class="chart-score-dot" cx="{svg.fmt(x)}" cy="{svg.fmt(y)}" r="4" '
                f'fill="{svg.SCORE_COLOUR}" stroke="#ffffff" stroke-width="1"/>'
            )
            parts.append(
                svg.text(
                    x,
                    y - 8,
                    [str(point.score)],
                    size=12,
                    anchor="middle",
                    fill=svg.TEXT_COLOUR,
                    weight="bold",
                    css_class="chart-value",
                )
            )
        parts.append(
            svg.text(
                x,
                plot_bottom + 8 + svg.baseline_offset(label_size),
                lines,
                size=label_size,
                anchor="middle",
                fill=svg.TEXT_COLOUR,
                css_class="chart-label",
            )
        )
    height = plot_bottom + 8 + label_lines * label_size * svg.LINE_HEIGHT_EM + svg.PADDING
    return svg.svg(chart_id, title, description, f"0 0 {svg.fmt(width)} {svg.fmt(height)}", parts)


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
    period: tuple[datetime.date, datetime.date] | None = None,
) -> SafeString:
    """Months on the x-axis, one bar per action from start to due date, today and the
    transition date (woonplaatsbeginsel) as vertical lines. An overdue action's bar is red
    and says "te laat"; one that ends after the transition date says so in words too.
    Without a transition date the chart says "nog niet vastgesteld". ``period`` (first and
    last day) widens the axis to it, so that the parts of a long timeline drawn as several
    charts share their months."""
    from django.utils.formats import date_format

    svg.check_chart_id(chart_id)
    if not bars:
        return svg.empty_chart(title=title, description=description, chart_id=chart_id)
    bounds = list(period or ())
    first = _month_start(min([today, *(b.start for b in bars), *(b.end for b in bars), *bounds]))
    last_day = max([today, *(b.end for b in bars), *([transition] if transition else []), *bounds])
    months = [first]
    while months[-1] <= last_day:
        months.append(_next_month(months[-1]))
    # months[-1] is the first month after the last day: the right edge of the axis.
    # Compact rows: a plan of 25 actions fits on an A4 page next to its heading.
    label_size = 11.0
    label_width = 190.0
    plot_left = svg.PADDING + label_width + 10
    plot_right = svg.WIDTH - svg.PADDING - 110
    span = (months[-1] - months[0]).days

    def x_at(day: datetime.date) -> float:
        return plot_left + (plot_right - plot_left) * (day - months[0]).days / span

    row_height = 18.0
    top = 44.0
    bottom = top + row_height * len(bars)
    parts: list[str] = [
        f'<defs><pattern id="{chart_id}-hatch" width="6" height="6" '
        f'patternUnits="userSpaceOnUse"><rect x="0" y="0" width="6" height="6" '
        f'fill="{svg.AMBITION_COLOUR}"/><path d="M0,6 L6,0 M-1,1 L1,-1 M5,7 L7,5" '
        f'stroke="#ffffff" stroke-width="1.5"/></pattern></defs>'
    ]
    # Month ticks; with many months only every n-th gets a label, so labels never collide.
    every = max(1, math.ceil(len(months) * 48 / (plot_right - plot_left)))
    for index, month in enumerate(months):
        x = x_at(month)
        parts.append(
            f'<line class="chart-grid" x1="{svg.fmt(x)}" y1="{svg.fmt(top - 4)}" x2="{svg.fmt(x)}" '
            f'y2="{svg.fmt(bottom)}" stroke="#d0d5dd" stroke-width="0.75"/>'
        )
        if index < len(months) - 1 and index % every == 0:
            parts.append(
                svg.text(
                    x + 2,
                    top - 10,
                    [date_format(month, "M Y")],
                    size=10,
                    fill=svg.MUTED_TEXT_COLOUR,
                    css_class="chart-axis-label",
                )
            )
    for index, bar in enumerate(bars):
        y = top + index * row_height
        middle = y + row_height / 2
        # Cut to what fits the label column (the estimate is generous), so that no label
        # runs out of the chart; the table next to the chart has the whole title.
        fits = int(label_width / (label_size * svg.CHAR_WIDTH_EM))
        label = bar.label if len(bar.label) <= fits else bar.label[: fits - 1].rstrip() + "…"
        parts.append(
            svg.text(
                svg.PADDING + label_width,
                middle + 0.35 * label_size,
                [label],
                size=label_size,
                anchor="end",
                fill=svg.TEXT_COLOUR,
                css_class="chart-label",
            )
        )
        left, right = x_at(bar.start), x_at(bar.end)
        right = max(right, left + 3)
        if bar.is_overdue:
            fill = svg.LIGHT_COLOURS["rood"]
        elif bar.is_after_transition:
            fill = f"url(#{chart_id}-hatch)"
        else:
            fill = svg.SCORE_COLOUR
        parts.append(
            f'<rect class="chart-bar" x="{svg.fmt(left)}" y="{svg.fmt(middle - 6)}" '
            f'width="{svg.fmt(right - left)}" height="12" fill="{fill}"/>'
        )
        words = [date_format(bar.end, "j M Y")]
        if bar.is_overdue:
            words.append(gettext("te laat"))
        if bar.is_after_transition:
            words.append(gettext("na invoering"))
        parts.append(
            svg.text(
                right + 5,
                middle + 0.35 * 10,
                [" · ".join(words)],
                size=10,
                fill=svg.LIGHT_COLOURS["rood"] if bar.is_overdue else svg.TEXT_COLOUR,
                weight="bold" if bar.is_overdue or bar.is_after_transition else None,
                css_class="chart-value",
            )
        )
    x = x_at(today)
    parts.append(
        f'<line class="chart-today" x1="{svg.fmt(x)}" y1="{svg.fmt(top - 4)}" x2="{svg.fmt(x)}" '
        f'y2="{svg.fmt(bottom + 4)}" stroke="{TODAY_COLOUR}" stroke-width="1.5" '
        f'stroke-dasharray="3 3"/>'
    )
    parts.append(
        svg.text(
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
            f'<line class="chart-transition" x1="{svg.fmt(x)}" y1="{svg.fmt(top - 24)}" '
            f'x2="{svg.fmt(x)}" y2="{svg.fmt(bottom + 4)}" stroke="{TRANSITION_COLOUR}" '
            f'stroke-width="2.5"/>'
        )
        transition_text = gettext("Invoering woonplaatsbeginsel: %(date)s") % {
            "date": date_format(transition, "j M Y")
        }
        anchor = "end" if x > (plot_left + plot_right) / 2 else "start"
        parts.append(
            svg.text(
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
            svg.text(
                plot_left,
                top - 26 + 0.35 * 11,
                [gettext("Invoering woonplaatsbeginsel: nog niet vastgesteld")],
                size=11,
                fill=TRANSITION_COLOUR,
                weight="bold",
                css_class="chart-transition-label",
            )
        )
    height = bottom + 16 + 10 + svg.PADDING
    return svg.svg(chart_id, title, description, f"0 0 {svg.WIDTH} {svg.fmt(height)}", parts)
