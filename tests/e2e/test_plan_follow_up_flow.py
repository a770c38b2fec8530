"""Flow: the plan lives on after closing. The demo coordinator closes the example round,
makes its report (in the background, as under ``make run``: the progress page first, then
the link), follows an action during the year (status, owner, reminders, deadline,
progress note) and makes the voortgangsrapportage for the college. Checked in the page, in
the database (the snapshot, the plan as decided, stays as it was) and in the PDFs' text;
then axe-core on every page of the flow.
"""

from __future__ import annotations

import copy
import datetime
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from assessments.common import background
from assessments.models import Action, Assessment
from tests.helpers.browser import BLOCKING, DESKTOP, OVERFLOW, PHONE, login, record, run_axe
from tests.helpers.pdf import pdf_text

NOTE = "Convenant met de woningcorporaties is getekend; de eerste wijkteams draaien."
OWNER = "Team Wonen en Zorg"


@pytest.fixture
def in_thread(settings):
    """As under ``make run`` (no broker): the report is made in a thread of the live
    server's process, and the request that asks for it returns at once. The thread is done
    before the test's database is emptied."""
    settings.TASKS_IN_THREAD = True
    yield
    background.wait()


def download(page: Page, name: str) -> tuple[str, bytes]:
    """Click the link ``name``; the downloaded file's name and bytes."""
    with page.expect_download() as started:
        page.get_by_role("link", name=name).click()
    return started.value.suggested_filename, Path(started.value.path()).read_bytes()


def flat(pages: list[str]) -> str:
    """A PDF's text on one line: a title may wrap anywhere in the layout."""
    return re.sub(r"\s+", " ", " ".join(pages))


def test_a_coordinator_follows_the_plan_after_closing_and_makes_the_voortgangsrapportage(
    site, page, new_context, artifacts, in_thread
):
    round_ = site.example
    login(page, "demo")

    page.goto(f"/meting/{round_.pk}/")
    page.get_by_role("link", name="Meting afsluiten").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Meting afsluiten")
    page.screenshot(path=artifacts / "flow-opvolging-afsluiten.png", full_page=True)
    page.get_by_role("button", name="Ja, meting afsluiten").click()
    expect(page.get_by_role("status")).to_contain_text("De meting is afgesloten.")
    round_.refresh_from_db()
    assert not round_.is_open
    decided = copy.deepcopy(round_.snapshot)

    # The report as decided, made in the background: first the progress, then the link.
    page.get_by_role("button", name="Rapport maken").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rapport")
    expect(page.get_by_text("Bezig met het rapport…")).to_be_visible()
    page.screenshot(path=artifacts / "flow-opvolging-rapport-bezig.png", full_page=True)
    # A real render of the demo's report takes seconds (more on a busy machine).
    expect(page.get_by_text("Het rapport is klaar.")).to_be_visible(timeout=90_000)
    page.screenshot(path=artifacts / "flow-opvolging-rapport-klaar.png", full_page=True)
    _name, report_pdf = download(page, "Volledig rapport (PDF) downloaden")
    assert report_pdf.startswith(b"%PDF-")

    # During the year: the plan page of the closed round offers the follow-up.
    page.goto(f"/meting/{round_.pk}/")
    page.get_by_role("link", name="Actieplan", exact=True).click()
    expect(page.locator(".alert-secondary")).to_contain_text(
        "De acties zelf houdt u hier bij: status, eigenaar, deadline en voortgang."
    )
    action = Action.objects.filter(assessment=round_).order_by("order", "pk").first()
    status_before = action.status
    new_status = "Gereed" if status_before != Action.Status.DONE else "Bezig"
    deadline = timezone.localdate() + datetime.timedelta(days=200)
    page.locator(f"#actie-{action.pk}").get_by_role("link", name="Voortgang bijwerken").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Voortgang bijwerken")
    expect(page.get_by_text(action.title).first).to_be_visible()
    page.get_by_label("Status").select_option(label=new_status)
    page.get_by_label("Eigenaar (naam of rol)").fill(OWNER)
    page.get_by_label("Herinneringen naar").select_option(label="Anouk Testpersoon")
    page.get_by_label("Deadline").fill(deadline.isoformat())
    page.get_by_label("Voortgang").fill(NOTE)
    page.screenshot(path=artifacts / "flow-opvolging-voortgang.png", full_page=True)
    page.get_by_role("button", name="Voortgang opslaan").click()

    expect(page.get_by_role("status")).to_contain_text("De voortgang van de actie is opgeslagen.")
    row = page.locator(f"#actie-{action.pk}")
    expect(row).to_contain_text(NOTE)
    expect(row).to_contain_text(OWNER)
    expect(row).to_contain_text("Zoals besloten:")
    row.scroll_into_view_if_needed()
    page.screenshot(path=artifacts / "flow-opvolging-actieplan.png", full_page=False)
    action.refresh_from_db()
    assert (action.get_status_display(), action.owner, action.due_date) == (
        new_status,
        OWNER,
        deadline,
    )
    assert action.owner_user == site.editor
    assert action.progress_note == NOTE
    assert action.progress_noted_at == timezone.localdate()
    # The plan as decided is the snapshot's: following the plan does not touch it.
    assert Assessment.objects.get(pk=round_.pk).snapshot == decided

    # The voortgangsrapportage for the college: made at once, with the change in it.
    filename, progress_pdf = download(page, "Voortgangsrapportage (PDF)")
    assert filename == (
        f"voortgang-beschermd-thuis-demodorp-fictief-{timezone.localdate().isoformat()}.pdf"
    )
    _reader, pages = pdf_text(progress_pdf)
    text = flat(pages)
    assert "Voortgangsrapportage actieplan beschermd thuis" in text
    assert "Veranderd sinds het besluit" in text
    assert flat([action.title]) in text
    assert flat([NOTE]) in text
    assert f"Eigenaar: {OWNER}" in text
    was = dict(Action.Status.choices)[status_before]
    assert f"Status: {new_status} (was {was})" in text

    # axe-core on every page of the flow (the close page is gone once the round is closed).
    checker = new_context(bypass_csp=True).new_page()
    login(checker, "demo")
    blocking, problems = [], []
    for name, path in (
        ("opvolging-meting", f"/meting/{round_.pk}/"),
        ("opvolging-rapport", f"/meting/{round_.pk}/rapport/"),
        ("opvolging-actieplan", f"/meting/{round_.pk}/acties/"),
        ("opvolging-voortgang", f"/meting/{round_.pk}/acties/{action.pk}/voortgang/"),
    ):
        checker.goto(path)
        assert checker.locator("h1").count() == 1, name
        found = {}
        for size_name, size in (("desktop", DESKTOP), ("telefoon", PHONE)):
            checker.set_viewport_size(size)
            checker.screenshot(path=artifacts / f"{name}-{size_name}.png", full_page=True)
            found[size_name] = run_axe(checker)
            problems += [f"{name} {size_name}: {o}" for o in checker.evaluate(OVERFLOW)]
        checker.set_viewport_size(DESKTOP)
        record(artifacts, name, found)
        blocking += [
            f"{name} {size}: {v['id']} ({v['impact']}): {v['help']} → {v['nodes']}"
            for size, violations in found.items()
            for v in violations
            if v["wcag"] and v["impact"] in BLOCKING
        ]
    assert not blocking, "axe-core:\n" + "\n".join(blocking)
    assert not problems, "te breed voor het scherm:\n" + "\n".join(problems)
