"""Flow: a repeat measurement. The demo coordinator starts a round from the previous one,
finds their own answers marked "overgenomen", changes one, and sees the trend; the plan's
timeline shows the transition date. Checked in the page and in the database."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from assessments.models import Action, Answer, Assessment
from assessments.rounds.trend import build_trend, correspondence
from tests.helpers.browser import autosave, login, step_questions

LEVEL_4 = "4 · Geborgd en lerend"


def test_a_round_started_from_the_previous_one_shows_carried_answers_and_the_trend(
    site, page, artifacts
):
    previous = Assessment.objects.get(municipality=site.municipality, title="Herhaalmeting (demo)")
    login(page, "demo")
    page.get_by_role("link", name="Nieuwe meting starten").click()
    expect(
        page.get_by_text("De vorige afgesloten meting is “Herhaalmeting (demo)”")
    ).to_be_visible()
    page.get_by_label("Titel van de meting").fill("Meting 2026")
    page.get_by_label("Begin met de antwoorden van de vorige meting").check()
    page.get_by_label("Neem de open acties van het vorige actieplan over").check()
    page.get_by_role("button", name="Meting starten").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Meting 2026")
    new = Assessment.objects.get(title="Meting 2026")

    # The new round is on the newest version (2027.3), the previous one on 2026.1: each
    # statement that continues exactly one old question starts from its answer; the
    # closed round's plan handed over its open actions.
    mine = {
        a.question.code: (a.value, a.is_carried_over)
        for a in Answer.objects.filter(
            response__assessment=new, response__respondent=site.demo
        ).select_related("question")
    }
    before = {
        a.question.code: a.value
        for a in Answer.objects.filter(
            response__assessment=previous, response__respondent=site.demo
        ).select_related("question")
    }
    # A level goes only into a maturity statement (one that became a legal duty, such as
    # B8 since 2027.2, keeps only its note; docs/scoring.md).
    maturity = set(new.framework.questions.filter(kind="maturity").values_list("code", flat=True))
    single = {
        code: old[0]
        for code, old in correspondence(previous, new).items()
        if len(old) == 1 and code in maturity
    }
    assert mine and all(carried for _v, carried in mine.values())
    assert {code: mine[code][0] for code in single if code in mine} == {
        code: before[old] for code, old in single.items() if before.get(old)
    }
    assert (
        Action.objects.filter(assessment=new).count()
        == Action.objects.filter(assessment=previous, status__in=["gepland", "bezig"]).count()
    )

    page.goto(f"/meting/{new.pk}/stap/wijkbasis/")
    carried = [q for q in step_questions(new, "wijkbasis") if q.code in mine]
    question = carried[0]
    fieldset = page.locator(f"#vraag-{question.code}")
    expect(fieldset.locator(".carried-over")).to_contain_text("overgenomen")
    page.screenshot(path=artifacts / "flow-overgenomen.png", full_page=False)
    autosave(page, question.code, LEVEL_4)
    answer = Answer.objects.get(
        response__assessment=new, response__respondent=site.demo, question=question
    )
    assert (answer.value, answer.is_carried_over) == ("4", False)
    page.reload()
    expect(fieldset.locator(".carried-over")).to_have_count(0)
    second = carried[1]
    expect(page.locator(f"#vraag-{second.code} .carried-over")).to_have_count(1)

    page.goto(f"/meting/{new.pk}/")
    page.get_by_role("link", name="Ontwikkeling").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ontwikkeling sinds de vorige meting")
    table = page.get_by_role("table").filter(has_text="Stap of thema")
    for title in ("Nulmeting (demo)", "Herhaalmeting (demo)", "Meting 2026"):
        expect(table.get_by_role("columnheader", name=re.compile(re.escape(title)))).to_be_visible()
    trend = build_trend(Assessment.objects.get(pk=new.pk)).trend
    step = trend.steps[0]
    shown = {"up": f"▲ +{step.delta}", "down": f"▼ {step.delta}", "same": "= 0"}[step.direction]
    row = table.get_by_role("row", name=re.compile(r"^Stevige basis"))
    expect(row).to_contain_text(shown)
    expect(
        page.locator("svg#trend-wijkbasis, svg[aria-labelledby^='trend-wijkbasis']")
    ).to_have_count(1)
    page.screenshot(path=artifacts / "flow-ontwikkeling.png", full_page=True)

    page.goto(f"/meting/{new.pk}/acties/")
    page.get_by_role("link", name="Bekijk de tijdlijn van het actieplan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tijdlijn van het actieplan")
    expect(page.locator("svg .chart-bar").first).to_be_visible()
    page.screenshot(path=artifacts / "flow-tijdlijn.png", full_page=True)
