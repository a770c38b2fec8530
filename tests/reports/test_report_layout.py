"""The demo round's PDF as the college gets it: inside the margins, no near-empty pages, a
table of contents with the right page numbers, and screenshots of its pages to look at.

One render of the real question bank's demo round (``assessments.demo``) serves all the
checks: it takes some seconds. Positions come from pdfplumber (each character's box in
points, from the page's top left).
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pdfplumber
import pytest
from pypdf import PdfReader

from assessments.demo import create_example_round
from assessments.models import Assessment
from assessments.reports.build import build_report
from assessments.reports.render import render_pdf
from readiness.questionbank import QUESTIONBANK_DIR, load_questionbank
from tests.factories import UserFactory
from tests.helpers.pdf import (
    MIN_FILL,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    chapter_ends,
    fill,
    overflowing_text,
)

# Its own folder: the browser tests empty test-artifacts/screenshots of *.png when they start.
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "report-pages"


@pytest.fixture
def demo_pdf(municipality) -> bytes:
    load_questionbank(QUESTIONBANK_DIR / "beschermd-thuis-2026.1.toml")
    created = create_example_round(municipality, UserFactory(username="demo-coordinator"))
    assessment = Assessment.objects.select_related("municipality", "framework").get(pk=created.pk)
    return render_pdf(build_report(assessment))


@pytest.mark.django_db
def test_demo_report_stays_inside_the_margins_has_no_near_empty_pages_and_a_toc(demo_pdf):
    reader = PdfReader(io.BytesIO(demo_pdf))
    # The page before each chapter's start (and the last page) may be partly empty.
    ends = chapter_ends(demo_pdf)

    with pdfplumber.open(io.BytesIO(demo_pdf)) as document:
        pages = document.pages
        assert [(p.width, p.height) for p in pages[:1]] == [
            (pytest.approx(PAGE_WIDTH, abs=0.5), pytest.approx(PAGE_HEIGHT, abs=0.5))
        ]
        outside = {n + 1: overflowing_text(p) for n, p in enumerate(pages)}
        assert {n: words for n, words in outside.items() if words} == {}
        fills = [fill(p) for p in pages]
        near_empty = {
            n + 1: round(f, 2) for n, f in enumerate(fills) if f < MIN_FILL and n not in ends
        }
        assert near_empty == {}

        # The contents page lists every chapter with the page it starts on.
        contents = pages[1].extract_text()
        assert contents.startswith("Inhoud") or "\nInhoud" in contents[:40]
        listed = dict(re.findall(r"^(\S.*?)[ .]*\s(\d+)$", contents, re.MULTILINE))
        for item in reader.outline:
            if isinstance(item, list):
                continue
            assert listed[item.title] == str(reader.get_destination_page_number(item) + 1)

        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        for old in SCREENSHOTS.glob("report-page-*.png"):
            old.unlink()
        for n, page in enumerate(pages, start=1):
            page.to_image(resolution=60).save(SCREENSHOTS / f"report-page-{n:02}.png")
    assert len(list(SCREENSHOTS.glob("report-page-*.png"))) == len(reader.pages)
