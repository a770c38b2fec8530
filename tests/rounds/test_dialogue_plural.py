"""The dialogue agenda says "4 niveaus", not "4 niveau(s)" (issue 21)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from assessments.rounds.services import AnswerInput, save_answers
from readiness.models import Question


@pytest.mark.django_db
def test_the_agenda_uses_a_proper_plural_for_the_spread(
    client, assessment, coordinator, editor, second_editor
):
    questions = list(Question.objects.filter(framework=assessment.framework).order_by("order"))
    for user, b1 in ((editor, "0"), (second_editor, "4")):
        values = {q.code: "2" for q in questions} | {"B1": b1}
        save_answers(
            assessment=assessment,
            user=user,
            items=[AnswerInput(q, values[q.code], "") for q in questions],
        )
    client.force_login(coordinator)
    for url in (
        reverse("assessments:dialogue", args=[assessment.pk]),
        reverse("assessments:workshop", args=[assessment.pk, 1]),
    ):
        page = client.get(url).text
        assert "De antwoorden liggen 4 niveaus uit elkaar." in page
        assert "niveau(s)" not in page
