"""The dialogue agenda and its workshop mode, used with the keyboard only, in Chromium.

A coordinator of the demo municipality tabs to a statement on the agenda, records an
agreed level, starts the workshop and pages through it with the arrow keys; the database
is checked as well as the page. The functional flow runs under the app's real CSP (the
arrow keys are the app's own script); the axe run, which injects axe-core, bypasses it.
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from assessments.models import AgreedLevel
from assessments.rounds.dialogue_page import agenda_items
from assessments.rounds.results import load_results
from tests.helpers.browser import BLOCKING, DESKTOP, OVERFLOW, PHONE, Site, login, record, run_axe

ACTIVE = """() => {
  const el = document.activeElement;
  return {id: el.id, tag: el.tagName.toLowerCase(), text: el.textContent.trim(),
          focusVisible: el.matches(':focus-visible')};
}"""


def tab_to(page: Page, matches, limit: int = 400) -> dict:
    """Press Tab until the focused element matches; fail when it never does."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        active = page.evaluate(ACTIVE)
        if matches(active):
            return active
    raise AssertionError("met Tab niet bereikt")


def agenda(site: Site):
    return agenda_items(load_results(site.example))


def test_coordinator_records_an_agreed_level_and_runs_the_workshop_by_keyboard(
    site, new_context, artifacts
):
    items = agenda(site)
    assert len(items) >= 3, "the demo round needs a few statements on the agenda"
    second = items[1]
    assert second.agreed is None  # the demo's one agreed level is on the first statement
    page = new_context().new_page()
    login(page, "demo")
    page.goto(f"/meting/{site.example.pk}/gesprek/")
    expect(page.locator("h1")).to_contain_text("Gespreksagenda")
    # Ten statements open, the rest behind "toon alle".
    expect(page.locator("section > .agenda-item")).to_have_count(min(10, len(items)))

    # Record an agreed level for the second statement: Tab, type, Tab, type, Enter.
    level_id = f"id_v{second.question.id}-level"
    active = tab_to(page, lambda a: a["id"] == level_id)
    assert active["focusVisible"], active
    page.keyboard.type("4")  # typeahead in the select: "4 · Geborgd en lerend"
    page.keyboard.press("Tab")
    assert page.evaluate(ACTIVE)["id"] == f"id_v{second.question.id}-rationale"
    page.keyboard.type("Besproken in de werksessie: afspraken staan op papier.")
    page.keyboard.press("Tab")
    assert page.evaluate(ACTIVE)["text"].startswith("Vastleggen")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_contain_text(
        f"Niveau 4 is vastgesteld voor vraag {second.question.code}"
    )
    agreed = AgreedLevel.objects.get(assessment=site.example, question_id=second.question.id)
    assert (agreed.level, agreed.decided_by) == (4, site.demo)
    page.screenshot(path=artifacts / "gespreksagenda-na-vastleggen.png", full_page=True)

    # The workshop: one statement per screen, the arrow keys page through.
    page.goto(f"/meting/{site.example.pk}/gesprek/")
    tab_to(page, lambda a: a["text"].startswith("Start de werksessie"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/gesprek/scherm/1/$"))
    expect(page.locator("h1")).to_contain_text(items[0].question.statement)
    expect(page.locator(".agenda-item")).to_contain_text("Vastgesteld niveau:")  # the demo's
    page.screenshot(path=artifacts / "werksessie-toetsenbord.png", full_page=True)

    page.keyboard.press("ArrowRight")
    expect(page).to_have_url(re.compile(r"/gesprek/scherm/2/$"))
    expect(page.locator("h1")).to_contain_text(second.question.statement)
    expect(page.get_by_text("Vastgesteld niveau: 4")).to_be_visible()
    page.keyboard.press("ArrowLeft")
    expect(page).to_have_url(re.compile(r"/gesprek/scherm/1/$"))

    # In a text field the arrows move the cursor and do not leave the screen.
    tab_to(page, lambda a: a["tag"] == "textarea")
    page.keyboard.press("ArrowRight")
    page.wait_for_timeout(300)
    expect(page).to_have_url(re.compile(r"/gesprek/scherm/1/$"))

    # "Volgende" is an ordinary link too: Tab and Enter work without the arrow keys.
    tab_to(page, lambda a: a["text"].startswith("Volgende"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/gesprek/scherm/2/$"))


def test_the_agenda_and_the_workshop_are_accessible(site, new_context, artifacts):
    """axe-core at desktop and phone size: no serious or critical WCAG 2.1 A/AA finding,
    and no horizontal scrolling; a screenshot of each at both sizes."""
    page = new_context(bypass_csp=True).new_page()
    login(page, "demo")
    blocking, problems = [], []
    for name, path in (
        ("gespreksagenda", f"/meting/{site.example.pk}/gesprek/"),
        ("werksessie", f"/meting/{site.example.pk}/gesprek/scherm/1/"),
    ):
        page.goto(path)
        assert page.locator("h1").count() == 1, name
        found = {}
        for size_name, size in (("desktop", DESKTOP), ("telefoon", PHONE)):
            page.set_viewport_size(size)
            page.screenshot(path=artifacts / f"{name}-{size_name}.png", full_page=True)
            found[size_name] = run_axe(page)
            problems += [f"{name} {size_name}: {o}" for o in page.evaluate(OVERFLOW)]
        page.set_viewport_size(DESKTOP)
        record(artifacts, name, found)
        blocking += [
            f"{name} {size}: {v['id']} ({v['impact']}): {v['help']} → {v['nodes']}"
            for size, violations in found.items()
            for v in violations
            if v["wcag"] and v["impact"] in BLOCKING
        ]
    assert not blocking, "axe-core:\n" + "\n".join(blocking)
    assert not problems, "te breed voor het scherm:\n" + "\n".join(problems)
