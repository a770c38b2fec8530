"""Reading a rendered PDF back: the smoke test of every PDF the app makes, and the checks
of the report's page layout (content box, near-empty pages).

Positions come from pdfplumber: each object's box in points, from the page's top left.
"""

from __future__ import annotations

import io
import re

import pdfplumber
from pypdf import PdfReader

MM = 72 / 25.4
# The @page rule of templates/assessments/reports/report_pdf.html: A4, margins 22/18/20/18 mm.
PAGE_WIDTH, PAGE_HEIGHT = 210 * MM, 297 * MM
CONTENT_LEFT, CONTENT_RIGHT = 18 * MM, PAGE_WIDTH - 18 * MM
CONTENT_TOP, CONTENT_BOTTOM = 22 * MM, PAGE_HEIGHT - 20 * MM
MIN_FILL = 0.20
# Rounding of glyph boxes: a box may end this far past the margin (a tenth of a mm).
TOLERANCE = 0.3


def pdf_text(pdf: bytes) -> tuple[PdfReader, list[str]]:
    """The reader and the extracted text of each page."""
    reader = PdfReader(io.BytesIO(pdf))
    return reader, [page.extract_text() for page in reader.pages]


def overflowing_text(page) -> list[str]:
    """The lines of a page whose text boxes end beyond the content box (left or right)."""
    words = page.extract_words(keep_blank_chars=False)
    return [
        f"{w['text']!r} {w['x0']:.1f}-{w['x1']:.1f} pt"
        for w in words
        if w["x1"] > CONTENT_RIGHT + TOLERANCE or w["x0"] < CONTENT_LEFT - TOLERANCE
    ]


def fill(page) -> float:
    """How far down the content box the page's body text reaches (0 to 1); the running
    header and footer in the margins do not count."""
    bottoms = [
        c["bottom"] for c in page.chars if c["top"] >= CONTENT_TOP and c["bottom"] <= CONTENT_BOTTOM
    ]
    if not bottoms:
        return 0.0
    return (max(bottoms) - CONTENT_TOP) / (CONTENT_BOTTOM - CONTENT_TOP)


def chapter_ends(pdf: bytes) -> set[int]:
    """The pages (0-based) that end a chapter: the one before each first-level bookmark's
    page, and the last. They may be partly empty."""
    reader = PdfReader(io.BytesIO(pdf))
    starts = {
        reader.get_destination_page_number(item)
        for item in reader.outline
        if not isinstance(item, list)
    }
    return {start - 1 for start in starts} | {len(reader.pages) - 1}


def outside_content_box(page, margin_text: re.Pattern[str]) -> list[str]:
    """Everything drawn on a page beyond its content box: characters, lines, rectangles,
    curves and images whose box crosses a margin (beyond TOLERANCE).

    The margins hold the running header and footer only: the text wholly in the top and
    bottom margins, line by line, must match ``margin_text``; any other text there (a
    chart or a table run under the footer) is reported too."""
    problems = []
    body = [
        c
        for c in page.chars
        if c["bottom"] > CONTENT_TOP + TOLERANCE and c["top"] < CONTENT_BOTTOM - TOLERANCE
    ]
    for c in body:
        if (
            c["x0"] < CONTENT_LEFT - TOLERANCE
            or c["x1"] > CONTENT_RIGHT + TOLERANCE
            or c["top"] < CONTENT_TOP - TOLERANCE
            or c["bottom"] > CONTENT_BOTTOM + TOLERANCE
        ):
            problems.append(f"char {c['text']!r} at {c['x0']:.1f},{c['top']:.1f}-{c['bottom']:.1f}")
    for kind in ("lines", "rects", "curves", "images"):
        for o in getattr(page, kind):
            if (
                o["x0"] < CONTENT_LEFT - TOLERANCE
                or o["x1"] > CONTENT_RIGHT + TOLERANCE
                or o["top"] < CONTENT_TOP - TOLERANCE
                or o["bottom"] > CONTENT_BOTTOM + TOLERANCE
            ):
                problems.append(f"{kind[:-1]} at {o['x0']:.1f},{o['top']:.1f}-{o['bottom']:.1f}")
    for box in ((0, 0, page.width, CONTENT_TOP), (0, CONTENT_BOTTOM, page.width, page.height)):
        text = page.within_bbox(box).extract_text()
        for line in filter(None, (line.strip() for line in text.splitlines())):
            if not margin_text.fullmatch(line):
                problems.append(f"margin text {line!r}")
    return problems


def layout_problems(pdf: bytes, margin_text: re.Pattern[str]) -> dict[str, dict[int, object]]:
    """Per page (1-based): what lies outside the content box, and the fill of pages under
    MIN_FILL that do not end a chapter. Empty dicts for a report laid out well."""
    ends = chapter_ends(pdf)
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        outside = {n + 1: outside_content_box(p, margin_text) for n, p in enumerate(document.pages)}
        fills = [fill(p) for p in document.pages]
    return {
        "outside": {n: found for n, found in outside.items() if found},
        "near_empty": {
            n + 1: round(f, 2) for n, f in enumerate(fills) if f < MIN_FILL and n not in ends
        },
    }
