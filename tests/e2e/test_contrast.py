"""The boundaries of form controls have at least 3:1 contrast on white (WCAG 1.4.11),
measured on the computed styles of the step page in Chromium (issue 21)."""

from __future__ import annotations

import re

from tests.helpers.browser import login, step_questions, step_url

WHITE = (255, 255, 255)


def rgb(css: str) -> tuple[int, int, int]:
    red, green, blue = (int(n) for n in re.findall(r"\d+", css)[:3])
    return red, green, blue


def luminance(colour: tuple[int, int, int]) -> float:
    """Relative luminance, as WCAG 2 defines it."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(v) for v in colour)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_contrast_helper_matches_known_values():
    assert round(contrast((0, 0, 0), WHITE), 1) == 21.0
    assert round(contrast(rgb("rgb(222, 226, 230)"), WHITE), 1) == 1.3  # Bootstrap's border


def test_radio_and_note_borders_have_three_to_one_contrast(site, page):
    assessment = site.open_round
    question = step_questions(assessment, "wijkbasis")[0]
    login(page, site.editor.username)
    page.goto(step_url(assessment, "wijkbasis"))
    group = page.locator(f"#vraag-{question.code}")
    radio = group.locator("input[type=radio]").first
    note = group.locator("textarea").first
    for control in (radio, note):
        for side in ("top", "right", "bottom", "left"):
            colour = control.evaluate(
                f"el => getComputedStyle(el).getPropertyValue('border-{side}-color')"
            )
            background = control.evaluate("el => getComputedStyle(el).backgroundColor")
            assert rgb(background) == WHITE
            assert contrast(rgb(colour), WHITE) >= 3, (side, colour)
