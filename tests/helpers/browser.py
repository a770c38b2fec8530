"""Helpers of the browser tests (tests/e2e): the shared data, logging in, axe-core and the
autosave of an answer. Fixtures (the browser, the live server, ``site``) are in
tests/e2e/conftest.py; this module imports no Playwright at import time, so that the
conftest can skip the browser tests with a reason when Playwright is missing.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from assessments.models import Answer, Assessment
from readiness.models import Question

if TYPE_CHECKING:
    from playwright.sync_api import Page

REPO = Path(__file__).resolve().parents[2]
# Screenshots and the axe report of the browser tests.
ARTIFACTS = Path(os.environ.get("E2E_ARTIFACTS") or REPO / "test-artifacts" / "screenshots")
if not ARTIFACTS.is_absolute():
    ARTIFACTS = REPO / ARTIFACTS
# axe-core as ``make test`` installs it (npm ci --prefix tests/e2e), never downloaded at run
# time.
AXE_JS = REPO / "tests" / "e2e" / "node_modules" / "axe-core" / "axe.min.js"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
PASSWORD = "een-lang-e2e-wachtwoord-2026"
# The status an autosave shows once the server has the answer.
SAVED = re.compile(r"Opgeslagen om \d\d:\d\d:\d\d")

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}

RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {
    runOnly: {type: 'tag', values: tags},
    resultTypes: ['violations'],
  });
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    wcag: v.tags.some(t => /^wcag\\d/.test(t)),
    nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ')),
  }));
}"""

# Everything that sticks out to the right of the viewport, except content inside its own
# scroll box (or a clipping box, which is then checked itself).
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const found = [];
  if (document.documentElement.scrollWidth > width) {
    found.push(`pagina is ${document.documentElement.scrollWidth}px breed, venster ${width}px`);
  }
  const clipped = el => {
    const position = getComputedStyle(el).position;
    if (position === 'fixed') return false;
    // An absolutely positioned box is only clipped from its containing block upwards.
    let a = position === 'absolute' ? el.offsetParent : el.parentElement;
    for (; a && a !== document.body; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== 'visible') return true;
    }
    return false;
  };
  for (const el of document.body.querySelectorAll('*')) {
    const rect = el.getBoundingClientRect();
    if (rect.width > 0 && rect.right > width + 1 && !clipped(el)) {
      const classes = typeof el.className === 'string' ? el.className.trim() : '';
      const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
        (classes ? '.' + classes.split(/\\s+/).join('.') : '');
      found.push(`${name} eindigt op ${Math.round(rect.right)}px`);
    }
  }
  return found.slice(0, 8);
}"""


def login(page, username: str, password: str = PASSWORD) -> None:
    """Log in through the login form, as a user would (labels, not ids)."""
    page.goto("/accounts/login/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


@dataclass
class Site:
    """The data every E2E test starts from (a fresh copy per test)."""

    municipality: object  # Demodorp (fictief), from ``setup_demo``
    other: object  # Regenstad: a second municipality of the demo user
    demo: object  # coordinator of Demodorp, editor in Regenstad
    editor: object
    second_editor: object
    viewer: object
    example: object  # the demo's example round: three respondents, a plan
    open_round: object  # an empty round in Demodorp


def record(artifacts, name: str, violations: dict[str, list[dict]]) -> None:
    """Add the page's axe findings to the run's report (read by the terminal summary)."""
    path = artifacts / "axe-report.json"
    report = json.loads(path.read_text()) if path.exists() else {}
    every = [v for found in violations.values() for v in found]
    counts = {
        "ernstig/kritiek (WCAG)": sum(1 for v in every if v["wcag"] and v["impact"] in BLOCKING),
        "matig/licht (WCAG)": sum(1 for v in every if v["wcag"] and v["impact"] not in BLOCKING),
        "best practice": sum(1 for v in every if not v["wcag"]),
    }
    report[name] = {"counts": counts, "violations": violations}
    # Written whole, then renamed over the old one: a reader never sees half a file.
    partial = path.with_suffix(".json.tmp")
    partial.write_text(json.dumps(report, indent=2, ensure_ascii=False, sort_keys=True))
    partial.replace(path)


def run_axe(page: Page) -> list[dict]:
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=AXE_JS)
    return page.evaluate(RUN_AXE, [*WCAG_TAGS, "best-practice"])


def step_questions(
    assessment: Assessment, step: str, *, kind: str | None = "maturity"
) -> list[Question]:
    """The step's statements a member answers, in page order: by default those answered
    with a level (the maturity statements); ``kind=None``: every kind (legal duties,
    indicators too). Never the partners' modules: a member does not see them."""
    questions = Question.objects.filter(
        framework=assessment.framework_id, theme__step__code=step, partner_perspectives=[]
    )
    if kind is not None:
        questions = questions.filter(kind=kind)
    return list(questions.select_related("theme").order_by("order"))


def step_url(assessment: Assessment, step: str) -> str:
    return f"/meting/{assessment.pk}/stap/{step}/"


def is_autosave(response) -> bool:
    return "/antwoord/" in response.url and response.request.method == "POST"


def autosave(page: Page, code: str, level: str | None = None, note: str | None = None) -> None:
    """Answer one question as a user does (click a level, type a note and leave the
    field) and wait for each autosave the browser sends."""
    from playwright.sync_api import expect

    question = page.locator(f"#vraag-{code}")
    if level is not None:
        with page.expect_response(is_autosave) as saved:
            question.get_by_label(level, exact=True).check()
        assert saved.value.status == 200, saved.value.text()
    if note is not None:
        field = question.get_by_label("Toelichting of bewijs")
        with page.expect_response(is_autosave) as saved:
            field.fill(note)
            field.press("Tab")  # a textarea's change event fires when it loses focus
        assert saved.value.status == 200, saved.value.text()
    expect(question.locator(".save-status")).to_contain_text(SAVED)


def saved_answers(assessment: Assessment, user) -> dict[str, tuple[str, str]]:
    return {
        a.question.code: (a.value, a.note)
        for a in Answer.objects.filter(
            response__assessment=assessment, response__respondent=user
        ).select_related("question")
    }
