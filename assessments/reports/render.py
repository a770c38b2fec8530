"""The second step of the PDF report: a built ``Report`` laid out as a tagged PDF.

``render_pdf(report)`` only lays the data out with a Django template and WeasyPrint; what
the report says is decided by ``build.py``. WeasyPrint may read files under ``static/``
and inline data only (``LocalOnlyFetcher``)."""

from __future__ import annotations

import base64
import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname
from xml.etree import ElementTree

import weasyprint
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from weasyprint.text.fonts import FontConfiguration

from assessments.common.charts import round_charts
from assessments.reports.contents import (
    BRIEF_TIMELINE_ACTIONS,
    Report,
    StepSummary,
    priority_band,
    priority_label,
)
from assessments.reports.progress import ProgressReport
from assessments.reports.trend import timeline_svgs

# Actions per timeline chart in the full report: 30 rows (about 170 mm) fit on an A4 page
# below a heading, and a longer plan gets one chart per page.
TIMELINE_ACTIONS_PER_CHART = 30


class LocalOnlyFetcher(weasyprint.URLFetcher):
    """Refuses every URL except inline data and files under ``static/``.

    The report needs nothing from outside (styles and charts are inline, fonts come from
    the system), and user text must never make the server fetch a URL.
    """

    def __init__(self, root: Path) -> None:
        super().__init__(allowed_protocols={"data", "file"})
        self._root = root.resolve()

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        if parts.scheme == "file":
            path = Path(url2pathname(parts.path)).resolve()
            if not path.is_relative_to(self._root):
                raise ValueError(f"the report may not read {url}")
        elif parts.scheme != "data":
            raise ValueError(f"the report may not fetch {url}")
        return super().fetch(url, headers)


def chart_svgs(report: Report) -> tuple[str, list[tuple[StepSummary, str]]]:
    """The radar over all themes and one bar chart per step, as on the results page."""
    radar, bars = round_charts(
        report.chart_points,
        [(step.code, step.title, [t.code for t in step.themes]) for step in report.steps],
    )
    return radar, list(zip(report.steps, bars, strict=True))


_SVG_NAMESPACE = "{http://www.w3.org/2000/svg}"


def chart_image(svg: str) -> SafeString:
    """An SVG chart as an ``<img>`` with a ``data:`` URL, its title and description as alt.

    The PDF gets the same vector drawing as from inline SVG, tagged as a Figure with
    alternate text just the same. But inline, every SVG element goes through WeasyPrint's
    HTML parser and CSS cascade as well; as an image the SVG is parsed once, as XML.
    """
    # Our own markup (assessments.common.charts escapes all text in it); WeasyPrint parses the
    # image with ElementTree as well.
    root = ElementTree.fromstring(svg)  # noqa: S314
    parts = (root.findtext(f"{_SVG_NAMESPACE}{name}", "").strip() for name in ("title", "desc"))
    data = base64.b64encode(svg.encode()).decode("ascii")
    return format_html(
        '<img src="data:image/svg+xml;base64,{}" alt="{}">', data, ". ".join(p for p in parts if p)
    )


# One render at a time in a process: they share one font configuration, which is not
# thread-safe, and pausing the garbage collector is process-wide. Threads would not render
# faster side by side anyway: the work is mostly Python, under the GIL.
_render_lock = threading.Lock()
_font_config: FontConfiguration | None = None


def render_pdf(report: Report) -> bytes:
    """The report as a tagged PDF (PDF/UA-1) in the report's language, with page numbers
    and bookmarks; the full report also with a table of contents. The bestuurlijke
    rapportage leaves out what it does not show (the charts per theme, the tables), so it
    draws and lays out less."""
    return html_to_pdf(report_html(report))


def report_html(report: Report) -> str:
    """The HTML that ``render_pdf`` lays out (``bench/report.py --parts`` times parts of it)."""
    with translation.override(report.language):
        radar, bars = chart_svgs(report) if report.is_full else ("", [])
        timeline = report.timeline if report.is_full else report.brief_timeline
        return render_to_string(
            "assessments/reports/report_pdf.html",
            {
                "report": report,
                "radar": chart_image(radar) if radar else None,
                "steps": [(step, chart_image(bar)) for step, bar in bars],
                "timeline_charts": [
                    chart_image(svg)
                    for svg in timeline_svgs(
                        timeline,
                        today=report.date,
                        transition=report.woonplaatsbeginsel_date,
                        per_chart=TIMELINE_ACTIONS_PER_CHART
                        if report.is_full
                        else BRIEF_TIMELINE_ACTIONS,
                    )
                ],
                "timeline_shown": len(timeline),
                "actions": [
                    (a, priority_band(a.priority), priority_label(a.priority))
                    for a in report.actions
                ]
                if report.is_full
                else [],
                "nl": dutch_content(report.language),
            },
        )


def render_progress_pdf(report: ProgressReport) -> bytes:
    """The voortgangsrapportage as a tagged PDF (PDF/UA-1) in the report's language, with
    the report's styles and page numbers; the action texts are marked Dutch."""
    return template_pdf(
        "assessments/reports/progress_pdf.html", {"report": report}, language=report.language
    )


def dutch_content(language: str) -> str:
    """The attribute that marks the Dutch content (statements, answers, action texts) of a
    PDF in another language. Not in a Dutch one, where it would only repeat the document's
    language: WeasyPrint's text layout spends some 4 % more function calls on a 28-page
    report with the attribute on every statement."""
    return mark_safe(' lang="nl"') if language != "nl" else ""


def template_pdf(template: str, context: dict, *, language: str) -> bytes:
    """One of our PDF templates rendered in ``language``, its Dutch content marked as
    such (``nl``), as a tagged PDF."""
    with translation.override(language):
        html = render_to_string(template, {**context, "nl": dutch_content(language)})
    return html_to_pdf(html)


def html_to_pdf(html: str) -> bytes:
    """HTML of one of our own PDF templates (the regional report) as a tagged PDF, with
    the same fetcher, fonts and one-at-a-time lock as the round's report."""
    with _render_lock, _cyclic_gc_paused():
        return _write_pdf(html)


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """No cyclic garbage collection during a render; one collection of its garbage after.

    WeasyPrint builds some 130,000 objects (elements, styles, boxes, PDF objects) that
    refer to each other and live until the PDF is written. While they grow, the collector
    scans them again and again: in bench/report.py about 360 young, 33 middle and 2 to 4
    full collections per render, 0.4 to 0.7 s of a 3 s render, which free next to
    nothing. They become garbage together at the end, still all in the youngest
    generation, and one collection of that generation frees them (0.1 to 0.15 s). Peak
    memory stays the same. A collector that was switched off stays off.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.collect(0)


def _write_pdf(html: str) -> bytes:
    # A function of its own so that the document and its boxes are unreachable when the
    # collector runs again, right after it.
    global _font_config
    if _font_config is None:
        # Made once per process instead of once per render (WeasyPrint's default): with a
        # new one, Pango opens the fonts again and every text is shaped with cold caches.
        # (Safe to keep: the report has no @font-face rules, which would be added to it.)
        _font_config = FontConfiguration()
    static_root = Path(settings.BASE_DIR) / "static"
    document = weasyprint.HTML(
        string=html,
        base_url=str(static_root),
        url_fetcher=LocalOnlyFetcher(static_root),
    )
    return document.write_pdf(pdf_variant="pdf/ua-1", font_config=_font_config)
