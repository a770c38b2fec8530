"""The results page when answers exist but no response counts yet (issue 21)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from assessments.models import Assessment, Response
from assessments.rounds.services import AnswerInput, save_answers
from readiness.models import Question


def answer_first(assessment: Assessment, user, count: int) -> Response:
    questions = Question.objects.filter(framework=assessment.framework).order_by("order")
    items = [AnswerInput(q, "3", "") for q in questions[:count]]
    save_answers(assessment=assessment, user=user, items=items)
    return Response.objects.get(assessment=assessment, respondent=user)


@pytest.mark.django_db
def test_the_page_says_how_many_answers_do_not_count_yet_and_why(client, assessment, editor):
    answer_first(assessment, editor, 6)  # 6 of 16: below half
    client.force_login(editor)
    page = client.get(reverse("assessments:results", args=[assessment.pk])).content.decode()
    assert "nog geen antwoorden" not in page
    assert "Er zijn 6 antwoorden, maar nog geen invulling telt mee" in page
    assert "vanaf 50% beantwoorde stellingen" in page


@pytest.mark.django_db
def test_the_page_names_a_response_the_coordinator_left_out(client, assessment, editor):
    response = answer_first(assessment, editor, 16)
    Response.objects.filter(pk=response.pk).update(is_included=False)
    client.force_login(editor)
    page = client.get(reverse("assessments:results", args=[assessment.pk])).content.decode()
    assert "Er zijn 16 antwoorden, maar nog geen invulling telt mee" in page
    assert "De coördinator heeft 1 invulling buiten de telling gehouden." in page


@pytest.mark.django_db
def test_a_round_without_answers_still_says_so(client, assessment, editor):
    client.force_login(editor)
    page = client.get(reverse("assessments:results", args=[assessment.pk])).content.decode()
    assert "Er zijn nog geen antwoorden in deze meting" in page
