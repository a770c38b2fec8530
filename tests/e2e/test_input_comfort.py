"""Input comfort on the step page (issue 13, item 6), in Chromium with the real CSP:

- arrow keys through a radio group save once, after the run, not once per level passed;
- a level chosen right before leaving the page is still saved;
- the note has a counter that grows with the text and is announced only near the limit,
  and the field grows with its content.
"""

from __future__ import annotations

import time

from playwright.sync_api import Page, expect

from assessments.models import Answer
from tests.helpers.browser import is_autosave, login, saved_answers, step_questions, step_url


def history_values(assessment, user, question) -> list[str]:
    return list(
        Answer.history.filter(
            response__assessment=assessment, response__respondent=user, question=question
        )
        .order_by("history_id")
        .values_list("value", flat=True)
    )


def wait_for(condition, timeout: float = 10.0) -> None:
    """Poll the database (a request from a page that is gone is not awaited by Playwright)."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "niet opgeslagen binnen de tijd"
        time.sleep(0.1)


def test_arrow_keys_through_a_radio_group_save_one_version(site, new_context):
    page = new_context().new_page()
    assessment = site.open_round
    question = step_questions(assessment, "wijkbasis")[0]
    saves = []
    page.on("request", lambda r: saves.append(r.url) if "/antwoord/" in r.url else None)
    login(page, site.editor.username)
    page.goto(step_url(assessment, "wijkbasis"))
    group = page.locator(f"#vraag-{question.code}")
    group.get_by_label("0 · Afwezig", exact=True).focus()
    with page.expect_response(is_autosave) as saved:
        page.keyboard.press("Space")  # level 0
        for _ in range(4):  # 1, 2, 3, 4: each a change event, none a save of its own
            page.keyboard.press("ArrowRight")
    assert saved.value.status == 200
    expect(group.locator(".save-status")).to_contain_text("Opgeslagen om")
    page.wait_for_timeout(1500)  # long past the pause: no late save of a level passed
    assert len(saves) == 1, saves
    assert history_values(assessment, site.editor, question) == ["4"]
    expect(group.get_by_label("4 · Geborgd en lerend", exact=True)).to_be_checked()


def test_a_level_chosen_right_before_leaving_the_page_is_saved(site, new_context):
    page = new_context().new_page()
    assessment = site.open_round
    first, second = step_questions(assessment, "wijkbasis")[:2]
    login(page, site.editor.username)
    page.goto(step_url(assessment, "wijkbasis"))
    page.locator(f"#vraag-{first.code}").get_by_label("2 · In ontwikkeling", exact=True).check()
    page.locator(f"#vraag-{second.code}").get_by_label("Weet niet", exact=True).check()
    # At once, well within the pause: the saves are still waiting when the page goes. (A
    # link to another step would keep this page alive until the next one arrives, often
    # longer than the pause; an empty page replaces it at once.)
    page.goto("about:blank")
    wait_for(lambda: len(saved_answers(assessment, site.editor)) == 2)
    assert saved_answers(assessment, site.editor) == {
        first.code: ("2", ""),
        second.code: ("weet_niet", ""),
    }
    assert history_values(assessment, site.editor, first) == ["2"]


def test_the_note_counter_grows_with_the_text_and_speaks_only_near_the_limit(site, new_context):
    page: Page = new_context().new_page()
    assessment = site.open_round
    question = step_questions(assessment, "wijkbasis")[0]
    login(page, site.editor.username)
    page.goto(step_url(assessment, "wijkbasis"))
    group = page.locator(f"#vraag-{question.code}")
    note = group.get_by_label("Toelichting of bewijs")
    counter = group.locator(".note-counter")
    expect(counter).to_have_text("0 van 5000 tekens")
    expect(note).to_have_attribute("aria-describedby", f"count-{question.pk}")
    height = note.bounding_box()["height"]

    note.press_sequentially("Zie nota")
    expect(counter).to_have_text("8 van 5000 tekens")
    expect(counter).not_to_have_attribute("aria-live", "polite")

    note.fill("regel\n" * 12)
    expect(counter).to_have_text("72 van 5000 tekens")
    assert note.bounding_box()["height"] > height * 3  # grown with its twelve lines
    assert note.evaluate("el => el.scrollHeight <= el.clientHeight + 1")  # all of it shows

    note.fill("a" * 4499)
    expect(counter).to_have_text("4499 van 5000 tekens")
    expect(counter).not_to_have_attribute("aria-live", "polite")
    note.press("End")
    note.press_sequentially("b")  # 4500: 90% of the limit
    expect(counter).to_have_text("4500 van 5000 tekens")
    expect(counter).to_have_attribute("aria-live", "polite")

    note.fill("c" * 6000)  # a paste longer than the limit: the field keeps 5000
    expect(counter).to_have_text("5000 van 5000 tekens: de toelichting is vol.")
    with page.expect_response(is_autosave) as saved:
        note.press("Tab")
    assert saved.value.status == 200
    assert saved_answers(assessment, site.editor) == {question.code: ("", "c" * 5000)}

    page.reload()
    expect(page.locator(f"#vraag-{question.code} .note-counter")).to_have_text(
        "5000 van 5000 tekens: de toelichting is vol."
    )
