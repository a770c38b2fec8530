"""Closing with too few answers, and reopening a closed round."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessments.models import Assessment, ReportFile
from assessments.rounds import services as round_services
from assessments.rounds.services import AnswerInput, save_answers
from readiness.models import Question


def answer_first(assessment: Assessment, user, count: int, value: str = "3") -> None:
    questions = Question.objects.filter(framework=assessment.framework).order_by("order")
    save_answers(
        assessment=assessment,
        user=user,
        items=[AnswerInput(q, value, "") for q in questions[:count]],
    )


def close_url(a: Assessment) -> str:
    return reverse("assessments:close", args=[a.pk])


def reopen_url(a: Assessment) -> str:
    return reverse("assessments:reopen", args=[a.pk])


@pytest.mark.django_db
def test_a_round_without_a_counted_response_cannot_be_closed(
    client, assessment, coordinator, editor
):
    answer_first(assessment, editor, 3)  # below the threshold
    with pytest.raises(ValidationError, match="geen invulling die meetelt"):
        round_services.close_assessment(assessment=assessment, user=coordinator)
    client.force_login(coordinator)
    page = client.get(close_url(assessment)).content.decode()
    assert "nog geen invulling die meetelt" in page
    assert "Ja, meting afsluiten" not in page
    client.post(close_url(assessment))
    assessment.refresh_from_db()
    assert assessment.is_open and assessment.snapshot is None


@pytest.mark.django_db
def test_closing_warns_when_coverage_is_low(client, assessment, coordinator, editor, second_editor):
    answer_first(assessment, editor, 16, "weet_niet")  # counts, but answers nothing scorable
    answer_first(assessment, second_editor, 2)
    client.force_login(coordinator)
    page = client.get(close_url(assessment)).content.decode()
    assert "Let op: pas 0% van de vragen is beantwoord" in page
    assert "1 invulling telt niet mee" in page
    assert "Ja, meting afsluiten" in page  # a warning, not a refusal


@pytest.fixture
def closed(assessment, coordinator, editor):
    answer_first(assessment, editor, 16)
    round_services.close_assessment(assessment=assessment, user=coordinator)
    ReportFile.objects.create(
        assessment=assessment, status=ReportFile.Status.READY, is_final=True, pdf=b"%PDF-"
    )
    return assessment


@pytest.mark.django_db
def test_the_coordinator_reopens_a_closed_round_with_a_reason(client, closed, coordinator):
    client.force_login(coordinator)
    assert client.get(reopen_url(closed)).status_code == 200
    response = client.post(reopen_url(closed), {"reason": "Twee collega's vullen nog in"})
    assert response.status_code == 302
    closed.refresh_from_db()
    assert closed.is_open
    assert closed.snapshot is None and closed.closed_at is None and closed.closed_by is None
    assert not ReportFile.objects.filter(assessment=closed).exists()
    last = closed.history.order_by("-history_date", "-history_id").first()
    assert last.history_change_reason == "Twee collega's vullen nog in"
    assert last.history_user == coordinator
    assert last.status == Assessment.Status.OPEN


@pytest.mark.django_db
def test_reopening_needs_a_reason(client, closed, coordinator):
    client.force_login(coordinator)
    assert client.post(reopen_url(closed), {"reason": "  "}).status_code == 400
    closed.refresh_from_db()
    assert not closed.is_open
    assert ReportFile.objects.filter(assessment=closed).exists()


@pytest.mark.django_db
def test_only_a_coordinator_reopens_and_only_a_closed_round(client, closed, editor, coordinator):
    client.force_login(editor)
    assert client.post(reopen_url(closed), {"reason": "Graag"}).status_code == 403
    closed.refresh_from_db()
    assert not closed.is_open
    client.force_login(coordinator)
    client.post(reopen_url(closed), {"reason": "Nog niet klaar"})
    assert client.get(reopen_url(closed)).status_code == 403  # open now: nothing to reopen
    with pytest.raises(ValidationError, match="al open"):
        round_services.reopen_assessment(assessment=closed, user=coordinator, reason="Nog eens")


@pytest.mark.django_db
def test_a_reopened_round_is_scored_from_the_answers_again(client, closed, coordinator, editor):
    client.force_login(coordinator)
    client.post(reopen_url(closed), {"reason": "Aanvulling"})
    closed.refresh_from_db()
    answer_first(closed, editor, 16, "1")
    page = client.get(reverse("assessments:results", args=[closed.pk])).content.decode()
    assert "vastgelegd bij het afsluiten" not in page
    assert "25 · rood" in page
