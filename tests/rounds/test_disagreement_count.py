"""One count of *verschil van inzicht* (readiness.scoring.disagreements) on the results
page, in the report and on the dialogue agenda and its workshop mode (issue 21)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from assessments.reports.build import build_report
from assessments.rounds import agreement
from assessments.rounds.services import AnswerInput, save_answers
from readiness.models import Question

COUNT = (
    "2 stellingen met verschil van inzicht: de invullers liggen twee niveaus of meer uit elkaar."
)


@pytest.fixture
def differing(assessment, coordinator, editor, second_editor):
    """A1 spread 2 and B1 spread 4 (open), C1 spread 1 (no difference), D1 spread 2 with
    an agreed level (settled)."""
    questions = list(Question.objects.filter(framework=assessment.framework).order_by("order"))
    for user, levels in (
        (editor, {"A1": "1", "B1": "0", "C1": "2", "D1": "0"}),
        (second_editor, {"A1": "3", "B1": "4", "C1": "3", "D1": "2"}),
    ):
        values = {q.code: "2" for q in questions} | levels
        save_answers(
            assessment=assessment,
            user=user,
            items=[AnswerInput(q, values[q.code], "") for q in questions],
        )
    d1 = next(q for q in questions if q.code == "D1")
    agreement.set_agreed_level(
        assessment=assessment, user=coordinator, question=d1, level=1, rationale="Samen"
    )
    return assessment


@pytest.mark.django_db
def test_results_report_agenda_and_workshop_show_the_same_count(client, differing, coordinator):
    assert build_report(differing).disagreement_count == 2
    client.force_login(coordinator)
    pages = [
        reverse("assessments:results", args=[differing.pk]),
        reverse("assessments:dialogue", args=[differing.pk]),
        reverse("assessments:workshop", args=[differing.pk, 1]),
    ]
    for url in pages:
        assert COUNT in client.get(url).text, url


@pytest.mark.django_db
def test_the_agenda_lists_the_differences_and_the_agreed_one_not_a_spread_of_one(
    client, differing, coordinator
):
    client.force_login(coordinator)
    workshop = client.get(reverse("assessments:workshop", args=[differing.pk, 1])).text
    assert "Vraag 1 van 3" in workshop  # B1, A1 and the agreed D1; C1 is no difference
    assert client.get(reverse("assessments:workshop", args=[differing.pk, 4])).status_code == 404
