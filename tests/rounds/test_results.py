"""The results page: access, empty state, scores shown, bounded queries, ambition."""

import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from assessments.models import Answer, Assessment
from assessments.rounds.results import compute_results
from assessments.rounds.results_page import ScoreRow
from assessments.rounds.services import AnswerInput, close_assessment, save_answers, set_perspective
from readiness.models import Question
from readiness.scoring import GroupScore, Light
from tests.factories import AssessmentFactory, MembershipFactory, UserFactory, make_framework


def results_url(assessment: Assessment) -> str:
    return reverse("assessments:results", args=[assessment.pk])


def targets_url(assessment: Assessment) -> str:
    return reverse("assessments:targets", args=[assessment.pk])


def answer_everything(assessment: Assessment, user, value: str = "2") -> None:
    questions = Question.objects.filter(framework=assessment.framework)
    save_answers(
        assessment=assessment,
        user=user,
        items=[AnswerInput(question=q, value=value, note="") for q in questions],
    )


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client, assessment):
    for url in (results_url(assessment), targets_url(assessment)):
        response = client.get(url) if url == results_url(assessment) else client.post(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_outsider_gets_404(client, assessment, outsider):
    client.force_login(outsider)
    assert client.get(results_url(assessment)).status_code == 404
    assert client.post(targets_url(assessment), {"wijkbasis": "4"}).status_code == 404
    assessment.refresh_from_db()
    assert assessment.targets == {}


@pytest.mark.django_db
def test_empty_round_shows_an_empty_state(client, assessment, viewer):
    client.force_login(viewer)
    response = client.get(results_url(assessment))
    assert response.status_code == 200
    assert "nog geen antwoorden" in response.content.decode()


@pytest.mark.django_db
def test_results_show_scores_lights_priorities_and_charts(client, assessment, editor, viewer):
    answer_everything(assessment, editor, "1")
    client.force_login(viewer)
    body = client.get(results_url(assessment)).content.decode()
    # Everything at level 1 scores 25: red, in text as well as colour.
    assert "25 · rood" in body
    assert body.count('role="img"') == 4  # the radar and one bar chart per step
    assert "Eerst aanpakken" in body
    critical = Question.objects.get(framework=assessment.framework, code="A1")
    assert critical.statement in body
    assert f"#vraag-{critical.code}" in body
    assert "Ambitie opslaan" not in body  # viewers cannot set the ambition


@pytest.mark.django_db
def test_disagreement_lists_perspectives_not_names(
    client, settings, assessment, editor, second_editor
):
    settings.RESPONSE_COUNT_THRESHOLD = 0  # one answer each: let every answer count
    q = Question.objects.get(framework=assessment.framework, code="A1")
    save_answers(assessment=assessment, user=editor, items=[AnswerInput(q, "0", "")])
    save_answers(assessment=assessment, user=second_editor, items=[AnswerInput(q, "3", "")])
    set_perspective(assessment=assessment, user=editor, perspective="wonen")
    client.force_login(editor)
    body = client.get(results_url(assessment)).content.decode()
    assert "Wonen: 0" in body
    assert "invuller 2: 3" in body
    assert second_editor.username not in body.split("Verschil van inzicht")[1]


@pytest.mark.django_db
def test_to_investigate_lists_unanswered_critical_questions(client, settings, assessment, editor):
    settings.RESPONSE_COUNT_THRESHOLD = 0  # one answer: let it count
    q = Question.objects.get(framework=assessment.framework, code="E1")
    save_answers(assessment=assessment, user=editor, items=[AnswerInput(q, "weet_niet", "")])
    client.force_login(editor)
    section = client.get(results_url(assessment)).content.decode().split("Eerst uitzoeken")[1]
    assert q.statement in section


@pytest.mark.django_db
@pytest.mark.parametrize(("size", "respondents"), [(60, 1), (120, 1), (60, 5), (120, 5)])
def test_results_queries_do_not_grow(
    client, municipality, django_assert_max_num_queries, size, respondents
):
    assessment = AssessmentFactory(
        municipality=municipality, framework=make_framework(questions=size)
    )
    users = [
        MembershipFactory(municipality=municipality, user=UserFactory()).user
        for _ in range(respondents)
    ]
    for user in users:
        answer_everything(assessment, user, "3")
    client.force_login(users[0])
    url = results_url(assessment)
    with django_assert_max_num_queries(9):
        response = client.get(url)
    assert response.status_code == 200


@pytest.mark.django_db
def test_editor_sets_the_ambition(client, assessment, editor):
    client.force_login(editor)
    data = {"wijkbasis": "4", "samenwerking": "2", "start_nu": "3"}
    response = client.post(targets_url(assessment), data)
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.targets == {"wijkbasis": 4, "samenwerking": 2, "start_nu": 3}


@pytest.mark.django_db
def test_ambition_outside_the_scale_is_a_400(client, assessment, editor):
    client.force_login(editor)
    data = {"wijkbasis": "5", "samenwerking": "2", "start_nu": "3"}
    response = client.post(targets_url(assessment), data)
    assert response.status_code == 400
    assert "niveau van 0 tot en met 4" in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.targets == {}


@pytest.mark.django_db
def test_viewer_cannot_set_the_ambition(client, assessment, viewer):
    client.force_login(viewer)
    response = client.post(targets_url(assessment), {"wijkbasis": "4"})
    assert response.status_code == 403
    assessment.refresh_from_db()
    assert assessment.targets == {}


@pytest.mark.django_db
def test_closed_round_keeps_its_results(client, assessment, editor, coordinator):
    answer_everything(assessment, editor, "1")
    close_assessment(assessment=assessment, user=coordinator)
    client.force_login(editor)

    def page() -> str:
        html = client.get(results_url(assessment)).content.decode().split("</header>")[1]
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)  # new per page

    before = page()
    # Even a change behind the app's back (the app refuses it) does not alter the page.
    Answer.objects.filter(response__assessment=assessment).update(value="4")
    after = page()
    assert "25 · rood" in after
    assert before == after
    response = client.post(targets_url(assessment), {"wijkbasis": "4"})
    assert response.status_code == 403


@pytest.mark.django_db
def test_a_snapshot_rebuilds_exactly_the_same_results(assessment, editor, second_editor):
    import json

    from assessments.rounds.results import Results, compute_results

    answer_everything(assessment, editor, "1")
    answer_everything(assessment, second_editor, "4")
    results = compute_results(assessment)
    stored = json.loads(json.dumps(results.to_dict()))
    assert Results.from_dict(stored) == results


# --- The traffic light -------------------------------------------------------------------


def _score_row(**score) -> ScoreRow:
    defaults = dict(
        key="A", score=62.5, answered=3, applicable=4, total=4, coverage=0.75,
        is_sufficient=True, is_capped=False, light=Light.ORANGE,
    )  # fmt: skip
    return ScoreRow("A", "Thema <A>", GroupScore(**{**defaults, **score}))


@pytest.mark.parametrize(
    ("row", "text"),
    [
        (_score_row(), "63 · oranje"),
        (_score_row(score=20.0, light=Light.RED, is_capped=True), "20 · rood"),
        (_score_row(score=85.0, light=Light.GREEN), "85 · groen"),
        (
            _score_row(score=10.0, answered=1, coverage=0.25, is_sufficient=False, light=None),
            "onvoldoende beantwoord",
        ),
    ],
)
def test_the_traffic_light_says_score_and_colour_in_words(row, text):
    with translation.override("nl"):
        html = render_to_string("assessments/common/_light.html", {"row": row})
    assert text in html
    assert ("begrensd door een basisvoorwaarde" in html) == row.score.is_capped


@pytest.mark.django_db
def test_the_ambition_selects_show_each_steps_target(client, assessment, editor):
    """The selects are drawn once per language and set of targets (a cached fragment):
    a changed ambition, or the other language, must still show its own levels."""
    client.force_login(editor)
    for language in ("nl", "en"):
        client.cookies["django_language"] = language
        for targets in ({"wijkbasis": 4, "samenwerking": 2}, {"wijkbasis": 1, "samenwerking": 2}):
            Assessment.objects.filter(pk=assessment.pk).update(targets=targets)
            html = client.get(results_url(assessment)).content.decode()
            chosen = {**{"start_nu": 3}, **targets}
            for step, level in chosen.items():
                select = re.search(rf'<select name="{step}"[^>]*>(.*?)</select>', html, re.S)
                assert select, step
                selected = re.findall(r'<option value="(\d)" selected>', select.group(1))
                assert selected == [str(level)]
                assert ("Embedded and learning" in select.group(1)) == (language == "en")


# --- Queries: the framework's outline is cached (readiness.content) ---------------------


@pytest.mark.django_db
def test_results_cost_two_queries_once_the_outline_is_cached(
    assessment, editor, django_assert_num_queries
):
    answer_everything(assessment, editor, "2")
    loaded = Assessment.objects.select_related("framework").get(pk=assessment.pk)
    first = compute_results(loaded)
    # The answers and the agreed levels; steps, themes and questions are cached.
    with django_assert_num_queries(2):
        second = compute_results(loaded)
    assert second == first


@pytest.mark.django_db
def test_the_targets_form_asks_for_every_step(client, assessment, editor):
    client.force_login(editor)
    client.get(results_url(assessment))
    response = client.post(targets_url(assessment), {"wijkbasis": "1", "samenwerking": "2"})
    assert response.status_code == 400  # start_nu is missing: every step is asked for
    response = client.post(
        targets_url(assessment), {"wijkbasis": "1", "samenwerking": "2", "start_nu": "4"}
    )
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.targets == {"wijkbasis": 1, "samenwerking": 2, "start_nu": 4}
