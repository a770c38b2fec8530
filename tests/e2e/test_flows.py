"""The six flows of a beleidsadviseur, end to end in Chromium against the live server.

Each runs under the app's real Content-Security-Policy (a violation fails the test, see
``conftest.new_context``) and checks the database as well as the page.
"""

from __future__ import annotations

import re

from django.core import mail
from playwright.sync_api import Page, expect

from assessments.models import Action, Assessment, Membership
from tests.helpers.browser import (
    PASSWORD,
    SAVED,
    autosave,
    login,
    saved_answers,
    step_questions,
    step_url,
)

NOT_SAVED_OFFLINE = "Niet opgeslagen: geen verbinding met de server"
LEVELS = ["0 · Afwezig", "1 · Verkennend", "2 · In ontwikkeling", "3 · Ingericht"]


def expect_answer(page: Page, code: str, level: str, note: str = "") -> None:
    question = page.locator(f"#vraag-{code}")
    expect(question.get_by_label(level, exact=True)).to_be_checked()
    expect(question.get_by_label("Toelichting of bewijs")).to_have_value(note)


def wait_until_idle(page: Page) -> None:
    """No autosave on its way and none waiting for a retry."""
    # A function, not an expression: an expression would need eval, which the CSP forbids.
    page.wait_for_function(
        "() => !document.querySelector('.save-status .saving, fieldset[data-unsaved]')"
    )


def test_new_user_accepts_invitation_starts_a_round_and_finds_every_answer_after_reload(
    site, new_context
):
    """Flow 1: invitation → own account → new round → answers with autosave on two steps
    → reload: every answer and note is still there (and in the database)."""
    coordinator = new_context().new_page()
    login(coordinator, "demo")
    coordinator.get_by_role("link", name="Leden beheren").click()
    coordinator.get_by_label("Naam*", exact=True).fill("Nieuw Lid")
    coordinator.locator("#id_email").fill("nieuw.lid@example.org")
    # Only a coordinator starts a round, as this new colleague does below.
    coordinator.get_by_role("combobox", name="Rol*", exact=True).select_option(label="Coördinator")
    coordinator.get_by_role("button", name="Uitnodiging versturen").click()
    expect(coordinator.get_by_role("status")).to_contain_text("Uitnodiging verstuurd")
    link = re.search(r"https?://\S+/uitnodiging/\S+/", mail.outbox[-1].body).group(0)

    page = new_context().new_page()
    page.goto(link)
    expect(page.get_by_label("Uw naam")).to_have_value("Nieuw Lid")
    page.get_by_label("Kies een wachtwoord").fill(PASSWORD)
    page.get_by_label("Herhaal het wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Account aanmaken en uitnodiging aannemen").click()
    expect(page.get_by_role("status")).to_contain_text("Welkom! U bent nu lid van")
    user = Membership.objects.get(user__email="nieuw.lid@example.org").user
    # The invitation was for the demo's open round (the newest, chosen by default): the
    # new colleague lands on it; from the overview they start a round of their own.
    expect(page).to_have_url(re.compile(r"/meting/\d+/$"))
    page.get_by_role("navigation", name="Kruimelpad").get_by_role("link", name="Overzicht").click()

    page.get_by_role("link", name="Nieuwe meting starten").click()
    page.get_by_label("Titel van de meting").fill("Nulmeting E2E")
    page.get_by_role("button", name="Meting starten").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nulmeting E2E")
    assessment = Assessment.objects.get(title="Nulmeting E2E")
    assert assessment.created_by == user

    page.get_by_role("link", name="Begin met invullen").click()
    first = step_questions(assessment, "wijkbasis")[:3]
    second = step_questions(assessment, "samenwerking")[:2]
    expected = {
        first[0].code: (LEVELS[2], "Besproken in het MT."),
        first[1].code: (LEVELS[0], ""),
        first[2].code: ("Weet niet", "Navragen bij de regio; zie\ntwee regels."),
        second[0].code: (LEVELS[3], "Staat in de prestatieafspraken."),
        second[1].code: ("N.v.t.", ""),
    }
    for question in first:
        level, note = expected[question.code]
        autosave(page, question.code, level, note or None)
    page.get_by_role("navigation", name="Stappen").get_by_role(
        "link", name=re.compile("Samenwerken")
    ).click()
    for question in second:
        level, note = expected[question.code]
        autosave(page, question.code, level, note or None)

    page.reload()
    for question in second:
        expect_answer(page, question.code, *expected[question.code])
    page.goto(step_url(assessment, "wijkbasis"))
    for question in first:
        expect_answer(page, question.code, *expected[question.code])
    values = {"0 · Afwezig": "0", "2 · In ontwikkeling": "2", "3 · Ingericht": "3"}
    values |= {"Weet niet": "weet_niet", "N.v.t.": "nvt"}
    assert saved_answers(assessment, user) == {
        code: (values[level], note) for code, (level, note) in expected.items()
    }


def test_two_users_answer_the_same_round_at_the_same_time_and_both_keep_their_answers(
    site, new_context
):
    """Flow 2: two colleagues in two browsers (separate sessions) answer the same
    questions of one round at once; requests overlap on the threaded server."""
    assessment = site.open_round
    questions = step_questions(assessment, "wijkbasis")[:4]
    pages = {}
    for user in (site.editor, site.second_editor):
        page = new_context().new_page()
        login(page, user.username)
        page.goto(step_url(assessment, "wijkbasis"))
        pages[user.username] = page
    a, b = pages[site.editor.username], pages[site.second_editor.username]
    mine = {q.code: (LEVELS[i % 4], f"Anouk over {q.code}") for i, q in enumerate(questions)}
    theirs = {q.code: (LEVELS[(i + 2) % 4], f"Bram over {q.code}") for i, q in enumerate(questions)}
    for question in questions:
        # Fire both without waiting for either: the two autosaves are in flight together.
        for page, answers in ((a, mine), (b, theirs)):
            fieldset = page.locator(f"#vraag-{question.code}")
            fieldset.get_by_label(answers[question.code][0], exact=True).check()
        for page, answers in ((a, mine), (b, theirs)):
            field = page.locator(f"#vraag-{question.code}").get_by_label("Toelichting of bewijs")
            field.fill(answers[question.code][1])
            field.press("Tab")
    for page in (a, b):
        wait_until_idle(page)
        for question in questions:
            expect(page.locator(f"#status-{question.pk}")).to_contain_text(SAVED)

    for page, answers in ((a, mine), (b, theirs)):
        page.reload()
        for code, (level, note) in answers.items():
            expect_answer(page, code, level, note)
    as_values = {label: label[0] for label in LEVELS}
    assert saved_answers(assessment, site.editor) == {
        code: (as_values[level], note) for code, (level, note) in mine.items()
    }
    assert saved_answers(assessment, site.second_editor) == {
        code: (as_values[level], note) for code, (level, note) in theirs.items()
    }
    a.goto(f"/meting/{assessment.pk}/")
    respondents = a.get_by_role("table").filter(has_text="Voortgang")
    # An editor sees colleagues by number and perspective, never by name (access.visibility).
    expect(respondents).to_contain_text("(u)")
    expect(respondents).to_contain_text("Invuller 2")
    expect(respondents).not_to_contain_text("Bram Testpersoon")


def test_results_show_the_scores_an_action_is_edited_inline_and_the_pdf_downloads(
    site, page, artifacts
):
    """Flow 3: with the demo account: the example round's scores (the numbers the scoring
    computes, each with its light in words), an inline edit of an action (htmx, no page
    load), and the PDF report."""
    from django.contrib.auth import get_user_model

    from assessments import access
    from assessments.rounds.results_page import results_context

    assessment = site.example
    login(page, "demo")
    page.get_by_role("link", name="Voorbeeldmeting (demo)").first.click()
    page.get_by_role("link", name="Resultaten bekijken").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Resultaten: Voorbeeldmeting (demo)")
    demo = get_user_model().objects.get(username="demo")
    context = results_context(access.get_assessment_for_view(demo, assessment.pk), can_edit=False)
    overall = context["overall"]
    expect(page.get_by_text("Gereedheid totaal")).to_contain_text(
        f"{overall.display} · {overall.light_label}"
    )
    table = page.get_by_role("table").filter(has_text="Stap of thema")
    for number, (step, themes) in enumerate(context["steps"], start=1):
        row = table.get_by_role("row", name=re.compile(rf"^{number}\. {re.escape(step.title)}"))
        expect(row).to_contain_text(f"{step.display} · {step.light_label}")
        for theme in themes:
            expect(table).to_contain_text(f"{theme.code}. {theme.title}")

    page.get_by_role("link", name="Voorbeeldmeting (demo)").click()
    page.get_by_role("link", name="Actieplan").click()
    action = Action.objects.filter(assessment=assessment).order_by("order", "pk").first()
    page.evaluate("window.__noPageLoad = true")
    edit = re.compile(rf"^Bewerken\s*: {re.escape(action.title)}$")
    page.get_by_role("link", name=edit).click()
    row = page.locator(f"#actie-{action.pk}")
    expect(row.locator(f"#id_actie{action.pk}_title")).to_be_focused()
    row.get_by_label("Eigenaar (naam of rol)").fill("Beleidsadviseur wonen")
    row.get_by_label("Deadline").fill("2027-03-31")
    row.get_by_label("Status").select_option(label="Bezig")
    row.get_by_role("button", name="Opslaan").click()
    expect(row.get_by_role("link", name=edit)).to_be_focused()
    expect(row).to_contain_text("Beleidsadviseur wonen")
    expect(row).to_contain_text("31 maart 2027")
    expect(row).to_contain_text("Bezig")
    assert page.evaluate("window.__noPageLoad") is True
    action.refresh_from_db()
    assert (action.owner, action.status, action.due_date.isoformat()) == (
        "Beleidsadviseur wonen",
        Action.Status.IN_PROGRESS,
        "2027-03-31",
    )

    page.get_by_role("link", name="Voorbeeldmeting (demo)").click()
    # "Rapport maken" queues the render (here in-process) and opens the report's page,
    # which offers the download once the PDF is ready. In-process the render runs in the
    # POST itself, which on a busy machine takes longer than a click's 10 s default.
    page.get_by_role("button", name="Rapport maken").first.click(timeout=60_000)
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("link", name="Volledig rapport (PDF) downloaden").click(timeout=60_000)
    download = info.value
    assert download.suggested_filename.endswith(".pdf")
    target = artifacts / "rapport-voorbeeldmeting.pdf"
    download.save_as(target)
    content = target.read_bytes()
    assert content.startswith(b"%PDF-")
    from pypdf import PdfReader

    reader = PdfReader(target)
    catalog = reader.trailer["/Root"]
    # Tagged (PDF/UA-1), in Dutch: what a screen reader needs to read the report.
    assert bool(catalog["/MarkInfo"]["/Marked"]) and "/StructTreeRoot" in catalog
    assert catalog["/Lang"] == "nl"
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert "Demodorp (fictief)" in text
    assert "Beleidsadviseur wonen 31 maart 2027 Bezig" in text  # the edit, in the plan table


FOCUS_STATE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const rect = el.getBoundingClientRect();
  const fieldset = el.closest('fieldset.question');
  return {
    tag: el.tagName.toLowerCase(),
    type: el.type || '',
    value: el.value || '',
    id: el.id,
    text: (el.innerText || el.value || '').trim().slice(0, 60),
    question: fieldset ? fieldset.id.replace('vraag-', '') : null,
    focusVisible: el.matches(':focus-visible'),
    outline: style.outlineStyle !== 'none' ? parseFloat(style.outlineWidth) : 0,
    shadow: style.boxShadow !== 'none',
    inViewport: rect.width > 0 && rect.height > 0 && rect.bottom > 0 &&
      rect.top < innerHeight && rect.right > 0 && rect.left < innerWidth,
  };
}"""


def test_a_whole_step_is_completed_with_the_keyboard_only_with_a_visible_focus(site, new_context):
    """Flow 4: Tab, arrows, Space and Enter only, from the skip link to the step's save
    button; after every key the focused element shows a focus ring of at least 2 px and
    is on screen.

    The browser asks for reduced motion, so Bootstrap's smooth scrolling is off and the
    focused element is scrolled into view at once: "on screen" is then not a race between
    a scroll animation and a busy machine (a CI run once lost that race).
    """
    page = new_context(reduced_motion="reduce").new_page()
    assessment = site.open_round
    questions = step_questions(assessment, "start_nu", kind=None)
    # Level per question: Space picks "0", then ArrowRight n times; -2 is ArrowLeft twice
    # from "0", which wraps round to "Weet niet". A legal duty: Space picks "voldaan"; an
    # indicator: a number typed in.
    levels = [q for q in questions if q.kind == "maturity"]
    plan = {q.code: (i % 5 if i != 3 else -2) for i, q in enumerate(levels)}
    login(page, site.editor.username)
    page.goto(step_url(assessment, "start_nu"))
    trail: list[dict] = []

    def press(key: str) -> dict | None:
        page.keyboard.press(key)
        state = page.evaluate(FOCUS_STATE)
        for _ in range(60):  # a layout change after an autosave may still move things
            if state is None or state["inViewport"]:
                break
            page.wait_for_timeout(50)
            state = page.evaluate(FOCUS_STATE)
        trail.append(state)
        if state and state["id"] != "main":
            assert state["focusVisible"] and state["outline"] >= 2, (
                f"geen zichtbare focus na {key}: {state}"
            )
            assert state["inViewport"], f"focus buiten beeld na {key}: {state}"
        return state

    state = press("Tab")
    assert state["text"] == "Naar de inhoud", state
    state = press("Enter")
    assert state["id"] == "main", state
    done, notes = set(), set()
    for _ in range(400):
        state = press("Tab")
        if state is None:
            continue
        code = state["question"]
        if state["type"] == "radio" and code not in done:
            # A group without a choice: its first radio ("0", or "voldaan" for a duty).
            assert state["value"] == ("0" if code in plan else "voldaan"), state
            press("Space")
            moves = plan.get(code, 0)
            for _ in range(abs(moves)):
                state = press("ArrowRight" if moves > 0 else "ArrowLeft")
            done.add(code)
        elif state["type"] == "text" and state["tag"] == "input" and code not in done:
            page.keyboard.type("12")  # an indicator's number
            done.add(code)
        elif state["tag"] == "textarea" and code not in notes:
            page.keyboard.type(f"Toetsenbord {code}")
            notes.add(code)
        elif state["tag"] == "button" and "Alle antwoorden" in state["text"]:
            wait_until_idle(page)
            with page.expect_navigation():
                page.keyboard.press("Enter")
            break
    else:
        raise AssertionError(f"de opslaanknop is niet bereikt: {trail[-5:]}")

    expect(page.get_by_role("status")).to_contain_text("Uw antwoorden zijn opgeslagen")
    total = len(questions)
    expect(page.get_by_text(f"{total} van {total} beantwoord").first).to_be_visible()
    value = {0: "0", 1: "1", 2: "2", 3: "3", 4: "4", -2: "weet_niet"}
    other = {"legal_duty": "voldaan", "indicator": ""}
    assert saved_answers(assessment, site.editor) == {
        q.code: (
            value[plan[q.code]] if q.code in plan else other[q.kind],
            f"Toetsenbord {q.code}",
        )
        for q in questions
    }


def test_without_javascript_the_step_save_button_saves_the_answers(site, new_context):
    """Flow 5: JavaScript off (so no htmx, no autosave): the plain form still saves."""
    page = new_context(java_script_enabled=False).new_page()
    autosaves = []
    page.on("request", lambda r: autosaves.append(r.url) if "/antwoord/" in r.url else None)
    assessment = site.open_round
    login(page, site.editor.username)
    page.goto(step_url(assessment, "samenwerking"))
    expect(page.get_by_text("Antwoorden worden ook meteen opgeslagen")).to_be_hidden()
    questions = step_questions(assessment, "samenwerking")[:3]
    expected = {
        questions[0].code: (LEVELS[1], "Zonder JavaScript ingevuld."),
        questions[1].code: (LEVELS[3], ""),
        questions[2].code: ("Weet niet", "Eerst uitzoeken."),
    }
    for code, (level, note) in expected.items():
        question = page.locator(f"#vraag-{code}")
        question.get_by_label(level, exact=True).check()
        question.get_by_label("Toelichting of bewijs").fill(note)
    page.get_by_role("button", name="Alle antwoorden van deze stap opslaan").click()
    expect(page.get_by_role("status")).to_contain_text("Uw antwoorden zijn opgeslagen")
    for code, (level, note) in expected.items():
        expect_answer(page, code, level, note)
    assert autosaves == []
    assert saved_answers(assessment, site.editor) == {
        questions[0].code: ("1", "Zonder JavaScript ingevuld."),
        questions[1].code: ("3", ""),
        questions[2].code: ("weet_niet", "Eerst uitzoeken."),
    }


def test_an_autosave_without_network_says_not_saved_and_saves_when_the_network_is_back(
    site, new_context, artifacts
):
    """Flow 6: the network is cut (Playwright's offline mode) during autosaves: the
    status says "niet opgeslagen" (in an aria-live region) and the answers are saved by
    themselves once the network is back."""
    context = new_context()
    page = context.new_page()
    assessment = site.open_round
    first, second = step_questions(assessment, "wijkbasis")[:2]
    login(page, site.editor.username)
    page.goto(step_url(assessment, "wijkbasis"))
    autosave(page, first.code, LEVELS[1])

    context.set_offline(True)
    page.locator(f"#vraag-{first.code}").get_by_label(LEVELS[3], exact=True).check()
    note = page.locator(f"#vraag-{second.code}").get_by_label("Toelichting of bewijs")
    note.fill("Geschreven zonder verbinding.")
    note.press("Tab")
    for question in (first, second):
        status = page.locator(f"#status-{question.pk}")
        expect(status).to_contain_text(NOT_SAVED_OFFLINE)
        expect(status).to_have_attribute("aria-live", "polite")
        expect(page.locator(f"#vraag-{question.code}")).to_have_attribute("data-unsaved", "true")
    page.locator(f"#vraag-{first.code}").screenshot(path=artifacts / "flow6-offline.png")
    assert saved_answers(assessment, site.editor) == {first.code: ("1", "")}

    context.set_offline(False)
    for question in (first, second):
        expect(page.locator(f"#status-{question.pk}")).to_contain_text(SAVED, timeout=15_000)
    wait_until_idle(page)
    assert saved_answers(assessment, site.editor) == {
        first.code: ("3", ""),
        second.code: ("", "Geschreven zonder verbinding."),
    }
    page.reload()
    expect_answer(page, first.code, LEVELS[3])
    expect(
        page.locator(f"#vraag-{second.code}").get_by_label("Toelichting of bewijs")
    ).to_have_value("Geschreven zonder verbinding.")
