"""Which responses count: the threshold, the coordinator's choice, and where it shows."""

from __future__ import annotations

import pytest
from django.urls import reverse

from assessments.models import Assessment, Response
from assessments.reports.build import build_report
from assessments.rounds.overall import overall_scores
from assessments.rounds.results import compute_results
from assessments.rounds.services import AnswerInput, save_answers
from readiness.models import Question


def answer_first(assessment: Assessment, user, count: int, value: str = "3") -> Response:
    questions = Question.objects.filter(framework=assessment.framework).order_by("order")
    save_answers(
        assessment=assessment,
        user=user,
        items=[AnswerInput(q, value, "") for q in questions[:count]],
    )
    return Response.objects.get(assessment=assessment, respondent=user)


def include_url(assessment: Assessment, response: Response) -> str:
    return reverse("assessments:response_include", args=[assessment.pk, response.pk])


@pytest.mark.django_db
def test_a_response_counts_from_half_of_the_statements(assessment, editor, second_editor):
    answer_first(assessment, editor, 8, "1")  # 8 of 16: exactly half
    answer_first(assessment, second_editor, 7, "4")  # 7 of 16: too few
    results = compute_results(assessment)
    assert len(results.perspectives) == 1
    assert results.left_out == 1
    assert results.scores.consolidated["A1"].levels == (1,)
    assert {a.respondent for rows in results.answers.values() for a in rows} == {1}


@pytest.mark.django_db
def test_the_threshold_is_a_setting(settings, assessment, editor):
    answer_first(assessment, editor, 4)
    assert compute_results(assessment).perspectives == []
    settings.RESPONSE_COUNT_THRESHOLD = 25
    assert compute_results(assessment).perspectives == [""]


@pytest.mark.django_db
def test_the_coordinator_includes_and_excludes_a_response(
    client, assessment, coordinator, editor, second_editor
):
    few = answer_first(assessment, editor, 5, "0")
    full = answer_first(assessment, second_editor, 16, "4")
    client.force_login(coordinator)

    response = client.post(include_url(assessment, few), {"included": "ja"})
    assert response.status_code == 302
    few.refresh_from_db()
    assert few.is_included is True
    assert len(compute_results(assessment).perspectives) == 2

    client.post(include_url(assessment, full), {"included": "nee"})
    results = compute_results(assessment)
    assert len(results.perspectives) == 1
    assert results.scores.consolidated["A1"].levels == (0,)

    client.post(include_url(assessment, few), {"included": "auto"})
    few.refresh_from_db()
    assert few.is_included is None
    assert compute_results(assessment).perspectives == []


@pytest.mark.django_db
def test_an_editor_cannot_include_a_response(client, assessment, editor):
    few = answer_first(assessment, editor, 1)
    client.force_login(editor)
    assert client.post(include_url(assessment, few), {"included": "ja"}).status_code == 403
    few.refresh_from_db()
    assert few.is_included is None


@pytest.mark.django_db
def test_a_response_of_another_round_is_a_404(client, assessment, coordinator, editor):
    other = Assessment.objects.create(
        municipality=assessment.municipality, framework=assessment.framework, title="Ander"
    )
    few = answer_first(other, editor, 1)
    client.force_login(coordinator)
    assert client.post(include_url(assessment, few), {"included": "ja"}).status_code == 404


@pytest.mark.django_db
def test_the_round_page_says_which_responses_count(client, assessment, coordinator, editor):
    answer_first(assessment, editor, 5)
    client.force_login(coordinator)
    page = client.get(reverse("assessments:detail", args=[assessment.pk])).content.decode()
    assert "minstens 50% van de vragen" in page
    row = page.split("5 van 16 beantwoord")[1].split("</tr>")[0]
    assert ">nee" in row.replace("<td>", ">")


@pytest.mark.django_db
def test_the_portfolio_score_leaves_out_responses_that_do_not_count(
    assessment, editor, second_editor
):
    answer_first(assessment, editor, 16, "4")
    answer_first(assessment, second_editor, 2, "0")  # would pull A1 and A2 down
    overall = overall_scores([assessment])[assessment.pk]
    assert overall.score == compute_results(assessment).scores.overall.score == 100.0


@pytest.mark.django_db
def test_the_report_counts_and_lists_only_counted_respondents(assessment, editor, second_editor):
    answer_first(assessment, editor, 16)
    answer_first(assessment, second_editor, 5)
    report = build_report(assessment)
    assert len(report.respondents) == 1
    assert all(a.respondent == 1 for row in report.appendix for a in row.answers)
