"""The drawing primitives of the charts: colours, text layout, escaping, the SVG frame.

Plain SVG 1.1 that both browsers and WeasyPrint understand (see ``charts.py``). Text layout
is estimated from character counts, generously, because the server has no font metrics."""

import html
import math
import re
import textwrap
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, gettext_noop

# A generic stack instead of a web font: WeasyPrint must not fetch anything, and DejaVu
# Sans is what the PDF container has installed.
FONT_FAMILY = "DejaVu Sans, Arial, sans-serif"


# Contrast ratios on white are noted because WCAG asks >= 4.5:1 for text and >= 3:1 for
# graphics that carry meaning; tests/common/test_charts.py checks them.
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
LIGHT_WORDS: dict[str, str] = {
    "rood": gettext_noop("rood"),
    "oranje": gettext_noop("oranje"),
    "groen": gettext_noop("groen"),
}


# Average advance of a DejaVu Sans character in em; a little wide on purpose, since
# underestimating is what clips labels.
CHAR_WIDTH_EM = 0.6
LINE_HEIGHT_EM = 1.25
ASCENT_EM = 0.8


# Nominal drawing width in user units. At A4 portrait (about 170 mm of text width) the
# chart is drawn at roughly 1:1, so a 13-unit label prints at about 9.5 pt.
WIDTH = 640
PADDING = 8


# Control characters are not allowed in XML even when escaped; one in a label would
# make the whole SVG unparseable, so they are dropped.
INVALID_XML_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


# Ids end up in aria-labelledby (a space-separated list) and in url(#...) references.
CHART_ID_PATTERN = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")


def display_score(score: float) -> int:
    """Round a 0-100 score to the whole number shown to users (62.5 -> 63).

    Python's round() rounds half to even (62.5 -> 62), which users read as a bug, so
    this rounds half up. Exposed so a data table next to a chart shows the same number.
    """
    clamped = Decimal(str(clamp(score)))
    return int(clamped.quantize(Decimal(1), rounding=ROUND_HALF_UP))


class Box:
    """The estimated extent of everything drawn, to size the viewBox without clipping."""

    def __init__(self) -> None:
        self.left = self.top = math.inf
        self.right = self.bottom = -math.inf

    def add(self, left: float, top: float, right: float, bottom: float) -> None:
        self.left = min(self.left, left)
        self.top = min(self.top, top)
        self.right = max(self.right, right)
        self.bottom = max(self.bottom, bottom)


def empty_chart(*, title: str, description: str, chart_id: str) -> SafeString:
    parts = [
        f'<rect x="0.5" y="0.5" width="{WIDTH - 1}" height="59" fill="none" '
        f'stroke="#d0d5dd" stroke-dasharray="4 3"/>',
        text(
            WIDTH / 2,
            30 + 0.35 * 14,
            [gettext("Nog geen gegevens")],
            size=14,
            anchor="middle",
            fill=MUTED_TEXT_COLOUR,
            css_class="chart-empty",
        ),
    ]
    return svg(chart_id, title, description, f"0 0 {WIDTH} 60", parts)


def svg(chart_id: str, title: str, description: str, view_box: str, body: list[str]) -> SafeString:
    # title and desc come first: that is where assistive technology and aria-labelledby
    # look, and HTML shows the title as the tooltip of the whole chart.
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" viewBox="{view_box}" '
        f'width="100%" preserveAspectRatio="xMidYMid meet" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" class="chart" '
        f'font-family="{FONT_FAMILY}">'
        f'<title id="{chart_id}-title">{xml_text(title)}</title>'
        f'<desc id="{chart_id}-desc">{xml_text(description)}</desc>'
        f"{''.join(body)}</svg>"
    )
    # Every piece of data was escaped where it entered the markup above.
    return mark_safe(svg)


def text(
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
        f'x="{fmt(x)}" y="{fmt(y)}" font-family="{FONT_FAMILY}" font-size="{fmt(size)}" '
        f'fill="{fill}"'
    )
    if anchor != "start":
        attributes += f' text-anchor="{anchor}"'
    if weight is not None:
        attributes += f' font-weight="{weight}"'
    if css_class is not None:
        attributes = f'class="{css_class}" {attributes}'
    if len(lines) == 1:
        return f"<text {attributes}>{xml_text(lines[0])}</text>"
    # Absolute x/y per line rather than dy: renderers disagree less about them.
    line_height = size * LINE_HEIGHT_EM
    spans = "".join(
        f'<tspan x="{fmt(x)}" y="{fmt(y + index * line_height)}">{xml_text(line)}</tspan>'
        for index, line in enumerate(lines)
    )
    return f"<text {attributes}>{spans}</text>"


def percent_gridline(
    tick: int,
    line: tuple[float, float, float, float],
    label_at: tuple[float, float],
    *,
    anchor: str,
) -> list[str]:
    """A score axis's gridline at ``tick`` percent from (x1, y1) to (x2, y2), darker at
    zero, and its number at ``label_at``."""
    x1, y1, x2, y2 = line
    return [
        f'<line class="chart-grid" x1="{fmt(x1)}" y1="{fmt(y1)}" '
        f'x2="{fmt(x2)}" y2="{fmt(y2)}" '
        f'stroke="{GRID_COLOUR if tick == 0 else "#d0d5dd"}" '
        f'stroke-width="{1 if tick == 0 else 0.75}"/>',
        text(
            *label_at,
            [str(tick)],
            size=11,
            anchor=anchor,
            fill=MUTED_TEXT_COLOUR,
            css_class="chart-axis-label",
        ),
    ]


def xml_text(value: str) -> str:
    # The standard library's escape: what django.utils.html.escape does, without wrapping
    # every small piece in a SafeString (the whole SVG is marked safe once in svg).
    return html.escape(INVALID_XML_CHARACTERS.sub("", str(value)))


def baseline_offset(size: float) -> float:
    """From the top of a line box to its baseline, for one line of this font size."""
    return (size * LINE_HEIGHT_EM - size) / 2 + ASCENT_EM * size


def wrap(text: str, width: int) -> list[str]:
    # A new list each time: callers extend it, and the cached tuple must not change.
    return list(wrapped(str(text), width))


@lru_cache(maxsize=1024)
def wrapped(text: str, width: int) -> tuple[str, ...]:
    """``textwrap`` is slow and the labels are the same few theme titles on every chart."""
    # Dutch compounds are long; never split inside a word, the viewBox grows instead.
    lines = textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)
    return tuple(lines) or ("",)


def text_width(line: str, size: float) -> float:
    return len(line) * size * CHAR_WIDTH_EM


def clamp(value: float) -> float:
    # Scores are averages of floats; 100.00000001 must not poke through the outer ring.
    return min(100.0, max(0.0, float(value)))


def fmt(value: float) -> str:
    """At most one decimal, no trailing ".0" and never "-0", for stable, short output."""
    text = f"{value:.1f}"
    # Called some 400 times per results page, hence the cheapest checks first: with one
    # decimal, a last "0" is always a ".0", and only a whole number can be "-0".
    if text[-1] != "0":
        return text
    text = text[:-2]
    return "0" if text == "-0" else text


def points(vertices: Sequence[tuple[float, float]]) -> str:
    return " ".join(f"{fmt(x)},{fmt(y)}" for x, y in vertices)


def check_chart_id(chart_id: str) -> None:
    if not CHART_ID_PATTERN.fullmatch(chart_id):
        raise ValueError(
            f"chart_id {chart_id!r} must start with a letter and contain only letters, "
            "digits, '-' and '_', because it becomes an XML id"
        )
