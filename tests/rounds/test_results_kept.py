"""An open round's scores are kept per process by everything they are computed from
(assessments/rounds/results.py, ``compute_results``): the same inputs give the same object,
and every change of an input gives new, right results; the results page keeps what it
draws from them by their token."""

import re

import pytest
from django.test import override_settings
from django.urls import reverse

from assessments.models import AgreedLevel, Response
from assessments.rounds import results as results_module
from assessments.rounds.agreement import set_agreed_level
from assessments.rounds.results import compute_results, load_results
from assessments.rounds.services import (
    AnswerInput,
    close_assessment,
    save_answers,
    set_targets,
)
from readiness.models import Question, QuestionKind
from tests.factories import AssessmentFactory, make_framework


def _questions(assessment):
    """The round's statements with levels, in order."""
    return list(
        Question.objects.filter(
            framework=assessment.framework, kind=QuestionKind.MATURITY
        ).order_by("order")
    )


def _answer_all(assessment, user, value, note=""):
    items = [AnswerInput(q, value, note) for q in _questions(assessment)]
    save_answers(assessment=assessment, user=user, items=items)


@pytest.mark.django_db
def test_the_same_answers_give_the_kept_results_without_scoring_again(assessment, editor):
    _answer_all(assessment, editor, "2")
    first = compute_results(assessment)
    assert compute_results(assessment) is first
    assert results_module._scored.cache_info().hits == 1


@pytest.mark.django_db
def test_every_input_that_changes_is_another_key(assessment, editor, second_editor):
    _answer_all(assessment, editor, "2")
    before = compute_results(assessment)
    assert before.scores.overall.score == 50

    _answer_all(assessment, editor, "4")  # a changed level
    changed = compute_results(assessment)
    assert changed.scores.overall.score == 100

    _answer_all(assessment, editor, "4", note="bewijs")  # only a note
    noted = compute_results(assessment)
    assert noted is not changed
    assert {a.note for rows in noted.answers.values() for a in rows} == {"bewijs"}

    first_step = before.steps[0].code
    set_targets(assessment=assessment, targets={first_step: 2})
    assessment.refresh_from_db()
    assert compute_results(assessment).steps[0].target == 2

    question = _questions(assessment)[0]
    set_agreed_level(
        assessment=assessment, user=editor, question=question, level=1, rationale="samen"
    )
    agreed = compute_results(assessment)
    assert agreed.agreed[question.code].level == 1
    assert agreed.scores.consolidated[question.code].level == 1

    _answer_all(assessment, second_editor, "0")  # another respondent
    assert len(compute_results(assessment).perspectives) == 2
    Response.objects.filter(assessment=assessment, respondent=second_editor).update(
        is_included=False
    )
    assert len(compute_results(assessment).perspectives) == 1


@pytest.mark.django_db
def test_the_counting_threshold_is_part_of_the_key(assessment, editor):
    question = _questions(assessment)[0]
    save_answers(assessment=assessment, user=editor, items=[AnswerInput(question, "3", "")])
    with override_settings(RESPONSE_COUNT_THRESHOLD=0):
        assert compute_results(assessment).perspectives
    with override_settings(RESPONSE_COUNT_THRESHOLD=100):
        assert not compute_results(assessment).perspectives


@pytest.mark.django_db
def test_a_drafts_results_are_computed_every_time(municipality, editor):
    draft = AssessmentFactory(
        municipality=municipality, framework=make_framework(questions=4, published=False)
    )
    _answer_all(draft, editor, "2")
    assert compute_results(draft) is not compute_results(draft)
    assert results_module._scored.cache_info().currsize == 0


def _overall(html: str) -> str:
    """The overall score as the page shows it: "Gereedheid totaal: 50 · oranje"."""
    found = re.search(r"(?:Gereedheid totaal|Overall readiness): <span[^>]*>([^<]*)</span>", html)
    assert found, "no overall score on the page"
    return found.group(1)


@pytest.mark.django_db
def test_the_results_pages_cached_parts_follow_every_change_of_the_results(
    client, assessment, editor
):
    """The score table, charts, priorities and agreed levels are fragments kept per state
    of the results: a change shows at once, going back shows the earlier state, and the
    other language has its own."""
    url = reverse("assessments:results", args=[assessment.pk])
    client.force_login(editor)
    _answer_all(assessment, editor, "2")
    first = client.get(url).content.decode()
    assert _overall(first) == "50 · oranje"
    _answer_all(assessment, editor, "4")
    assert _overall(client.get(url).content.decode()) == "100 · groen"
    question = _questions(assessment)[0]
    set_agreed_level(
        assessment=assessment, user=editor, question=question, level=1, rationale="samen gekozen"
    )
    assert "samen gekozen" in client.get(url).content.decode()
    client.cookies["django_language"] = "en"
    english = client.get(url).content.decode()
    for dutch, translated in (
        ("Gereedheid totaal", "Overall readiness"),
        ("Grafieken", "Charts"),
        ("Eerst uitzoeken", "Investigate first"),
        ("Vastgesteld in gesprek", "Agreed in discussion"),
    ):
        assert translated in english
        assert dutch not in english
    assert "samen gekozen" in english
    del client.cookies["django_language"]
    AgreedLevel.objects.filter(assessment=assessment).delete()
    _answer_all(assessment, editor, "2")
    again = client.get(url).content.decode()
    assert _overall(again) == "50 · oranje"
    assert "samen gekozen" not in again


@pytest.mark.django_db
def test_a_snapshot_holds_no_token_and_a_closed_round_is_drawn_from_it(
    client, assessment, editor, coordinator
):
    _answer_all(assessment, editor, "3")
    assert compute_results(assessment).token
    assert "token" not in compute_results(assessment).to_dict()
    close_assessment(assessment=assessment, user=coordinator)
    assessment.refresh_from_db()
    assert not load_results(assessment).token
    client.force_login(editor)
    html = client.get(reverse("assessments:results", args=[assessment.pk])).content.decode()
    assert _overall(html) == "75 · groen"


@pytest.mark.django_db
def test_the_same_results_show_each_user_only_the_answers_they_may_see(
    client, assessment, editor, second_editor, coordinator, viewer
):
    """Two users, one state of the results: an editor who has not answered a statement
    sees no colleague's level on it, a viewer sees them all, whatever was drawn first."""
    _answer_all(assessment, second_editor, "0")
    _answer_all(assessment, coordinator, "4")
    save_answers(
        assessment=assessment,
        user=editor,
        items=[AnswerInput(q, "4", "") for q in _questions(assessment)[1:]],
    )
    first = _questions(assessment)[0]
    url = reverse("assessments:results", args=[assessment.pk])
    for user, sees in ((viewer, True), (editor, False), (viewer, True), (editor, False)):
        client.force_login(user)
        html = client.get(url).content.decode()
        item = re.search(rf"<li><a [^>]*>{first.code}\. .*?</li>", html, re.S)
        assert item, first.code
        assert ("zodra u deze vraag zelf heeft beantwoord" in item.group(0)) != sees
