"""Flow: a partner answers through a partner link on a phone, without an account.

The demo coordinator makes a link for a housing corporation on the round's partner page
and shows its QR code; the partner opens the address on a 390×844 screen, answers with
autosave, finds the answers after a reload, cannot reach the municipality's pages, and
is stopped at once when the coordinator revokes the link. Under the app's real CSP; the
axe run (which injects axe-core) bypasses it. Checked in the database as well.
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from assessments.models import PartnerLink, Response
from assessments.partners.services import partner_questions
from tests.helpers.browser import (
    BLOCKING,
    DESKTOP,
    OVERFLOW,
    PHONE,
    Site,
    autosave,
    login,
    record,
    run_axe,
    saved_answers,
)
from tests.helpers.partners import link_address, make_link

LEVEL_2 = "2 · In ontwikkeling"


def make_link_in_the_browser(page: Page, site: Site) -> str:
    """The coordinator's way: round page → partner links → new link → its address."""
    login(page, "demo")
    page.goto(f"/meting/{site.open_round.pk}/")
    page.get_by_role("link", name="Partners laten meedoen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Partners laten meedoen")
    page.locator("#id_organisation").fill("Woningcorporatie De Woonplaats")
    page.locator("#id_perspective").select_option("corporatie")
    page.get_by_role("button", name="Link maken").click()
    expect(page.get_by_role("status")).to_contain_text("De partnerlink is gemaakt")
    expect(page.get_by_role("img", name=re.compile("QR-code van de partnerlink"))).to_be_visible()
    return page.locator(".partner-address code").inner_text()


def test_a_partner_answers_through_the_link_on_a_phone(site, new_context, artifacts):
    coordinator = new_context().new_page()
    address = make_link_in_the_browser(coordinator, site)
    coordinator.screenshot(path=artifacts / "flow-partnerlink-qr.png", full_page=True)
    link = PartnerLink.objects.get(assessment=site.open_round)
    assert re.search(rf"/partner/{link.pk}/\?sesame=\S+$", address), address

    phone = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    phone.goto(address)
    expect(phone).to_have_url(re.compile(rf"/partner/{link.pk}/start/$"))  # no token left
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Demodorp")
    expect(phone.get_by_text("U vult in namens Woningcorporatie De Woonplaats")).to_be_visible()
    phone.screenshot(path=artifacts / "flow-partner-start-telefoon.png", full_page=True)
    assert not phone.evaluate(OVERFLOW)

    phone.get_by_role("link", name="Begin met invullen").click()
    questions = partner_questions(site.open_round, link.perspective)[:2]
    autosave(phone, questions[0].code, LEVEL_2, "Afspraken staan in de prestatieafspraken.")
    autosave(phone, questions[1].code, "Weet niet")
    phone.screenshot(path=artifacts / "flow-partner-stap-telefoon.png", full_page=False)
    assert not phone.evaluate(OVERFLOW)
    # No way into the municipality's pages from here: no history, no round page.
    expect(phone.get_by_role("link", name=re.compile("Geschiedenis van vraag"))).to_have_count(0)
    expect(phone.locator('a[href^="/meting/"]')).to_have_count(0)

    phone.reload()
    question = phone.locator(f"#vraag-{questions[0].code}")
    expect(question.get_by_label(LEVEL_2, exact=True)).to_be_checked()
    assert saved_answers(site.open_round, link.user) == {
        questions[0].code: ("2", "Afspraken staan in de prestatieafspraken."),
        questions[1].code: ("weet_niet", ""),
    }
    assert Response.objects.get(respondent=link.user).perspective == "corporatie"

    # The municipality's pages know no partner: the login page.
    phone.goto(f"/meting/{site.open_round.pk}/")
    expect(phone).to_have_url(re.compile(r"/accounts/login/"))
    phone.go_back()

    # The coordinator sees the progress and revokes the link; the partner is stopped.
    coordinator.get_by_role("link", name="Partnerlinks").click()
    row = coordinator.get_by_role("row").filter(has_text="Woningcorporatie De Woonplaats")
    expect(row).to_contain_text("2 van")
    row.get_by_role("button", name=re.compile("Intrekken")).click()
    expect(coordinator.get_by_role("status")).to_contain_text("is ingetrokken")
    phone.reload()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Deze link werkt niet")
    expect(phone.get_by_text("De gemeente heeft deze link ingetrokken")).to_be_visible()
    phone.screenshot(path=artifacts / "flow-partner-ingetrokken-telefoon.png", full_page=True)
    link.refresh_from_db()
    assert link.revoked_at is not None and not link.user.is_active


def test_the_partner_pages_are_accessible(site, new_context, artifacts):
    """axe-core at phone and desktop size on the partner's pages and the coordinator's:
    no serious or critical WCAG 2.1 A/AA finding, no horizontal scrolling."""
    link = make_link(site.open_round, site.demo)
    partner = new_context(bypass_csp=True, viewport=PHONE).new_page()
    partner.goto(link_address(link))
    step = partner_questions(site.open_round, link.perspective)[0].theme.step.code
    coordinator = new_context(bypass_csp=True).new_page()
    login(coordinator, "demo")
    visits = [
        ("partner-start", partner, f"/partner/{link.pk}/start/"),
        ("partner-stap", partner, f"/partner/{link.pk}/stap/{step}/"),
        ("partnerlinks", coordinator, f"/meting/{site.open_round.pk}/partners/"),
        ("partnerlink-qr", coordinator, f"/meting/{site.open_round.pk}/partners/{link.pk}/"),
        ("partnerlink-ongeldig", partner, f"/partner/{link.pk}/?sesame=onjuist"),
    ]
    blocking, problems = [], []
    for name, page, path in visits:
        page.goto(path)
        assert page.locator("h1").count() == 1, name
        found = {}
        for size_name, size in (("telefoon", PHONE), ("desktop", DESKTOP)):
            page.set_viewport_size(size)
            page.screenshot(path=artifacts / f"{name}-{size_name}.png", full_page=True)
            found[size_name] = run_axe(page)
            problems += [f"{name} {size_name}: {o}" for o in page.evaluate(OVERFLOW)]
        record(artifacts, name, found)
        blocking += [
            f"{name} {size}: {v['id']} ({v['impact']}): {v['help']} → {v['nodes']}"
            for size, violations in found.items()
            for v in violations
            if v["wcag"] and v["impact"] in BLOCKING
        ]
    assert not blocking, "axe-core:\n" + "\n".join(blocking)
    assert not problems, "te breed voor het scherm:\n" + "\n".join(problems)
