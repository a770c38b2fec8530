"""The privacy and accessibility statements in Chromium: reached from the footer of a
public page without logging in, and free of serious axe findings (WCAG 2.1 A/AA) on a
computer screen and a phone. axe-core is injected, hence ``bypass_csp`` (see
test_accessibility.py); the footer walk runs under the real CSP."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.helpers.browser import BLOCKING, DESKTOP, OVERFLOW, PHONE, record, run_axe

STATEMENTS = [
    ("Privacyverklaring", "/privacyverklaring/", "Hoe lang"),
    ("Toegankelijkheidsverklaring", "/toegankelijkheidsverklaring/", "Bekende beperkingen"),
]


@pytest.mark.parametrize(("title", "path", "section"), STATEMENTS)
def test_a_statement_is_reached_from_the_footer_without_logging_in(
    title, path, section, transactional_db, page
):
    page.goto("/accounts/login/")

    page.get_by_role("contentinfo").get_by_role("link", name=title).click()

    page.wait_for_url(f"**{path}")
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.get_by_role("heading", level=2, name=section)).to_be_visible()


@pytest.mark.parametrize(("title", "path", "section"), STATEMENTS)
def test_a_statement_is_accessible(title, path, section, transactional_db, new_context, artifacts):
    findings = {}
    for size_name, size in (("desktop", DESKTOP), ("telefoon", PHONE)):
        page = new_context(viewport=size, bypass_csp=True).new_page()
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_have_text(title)
        findings[size_name] = run_axe(page)
        assert page.evaluate(OVERFLOW) == [], size_name
        page.screenshot(path=artifacts / f"verklaring-{path.strip('/')}-{size_name}.png")
    record(artifacts, f"verklaring-{path.strip('/')}", findings)
    blocking = [
        f"{size}: {v['id']} ({v['impact']}) {v['nodes']}"
        for size, found in findings.items()
        for v in found
        if v["wcag"] and v["impact"] in BLOCKING
    ]
    assert not blocking, blocking
