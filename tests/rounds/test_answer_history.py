"""The history of one question: respondents answer independently (issue 13, item 2).

While a round is open an editor sees colleagues' versions only after answering the question
themselves, and never their names (only their perspective). Coordinators and viewers see
everything, but only coordinators see names (access.visibility); once the round is closed,
editors see every answer too (still without names).
"""

import pytest
from django.urls import reverse

from assessments.models import Response
from assessments.rounds.services import close_assessment, save_answer, set_perspective
from readiness.models import Question


def first_question(assessment):
    return Question.objects.filter(framework=assessment.framework).order_by("order").first()


@pytest.fixture
def colleague_answered(settings, assessment, editor, second_editor):
    """Editor 2 ("Bram Collega", perspective wonen) answered the first question; the editor
    answered only the second. Every response counts, however few answers it has."""
    settings.RESPONSE_COUNT_THRESHOLD = 0
    second_editor.first_name, second_editor.last_name = "Bram", "Collega"
    second_editor.save()
    question, other = Question.objects.filter(framework=assessment.framework).order_by("order")[:2]
    set_perspective(assessment=assessment, user=second_editor, perspective="wonen")
    save_answer(assessment=assessment, user=second_editor, question=question, value="4", note="")
    save_answer(
        assessment=assessment, user=second_editor, question=question, value="3", note="Zorgnota"
    )
    save_answer(assessment=assessment, user=editor, question=other, value="1", note="eigen")
    return question


def history_page(client, user, assessment, question):
    client.force_login(user)
    response = client.get(reverse("assessments:answer_history", args=[assessment.pk, question.pk]))
    assert response.status_code == 200
    return response.getvalue().decode()


@pytest.mark.django_db
def test_an_editor_who_has_not_answered_sees_no_colleague_answer(
    client, assessment, editor, colleague_answered
):
    body = history_page(client, editor, assessment, colleague_answered)
    assert "Zorgnota" not in body
    assert "Ingericht" not in body  # level 3 of the colleague
    assert "Bram" not in body
    assert "U heeft deze vraag nog niet beantwoord." in body
    assert "zodra u deze vraag zelf heeft beantwoord" in body


@pytest.mark.django_db
def test_an_editor_sees_only_own_versions_before_answering_the_question(
    client, assessment, editor, colleague_answered
):
    save_answer(assessment=assessment, user=editor, question=colleague_answered, value="", note="x")
    body = history_page(client, editor, assessment, colleague_answered)
    # A note without a level is not an answer yet: only the editor's own version shows.
    assert "Zorgnota" not in body
    assert body.count("<tr>") == 2  # header and the one own version


@pytest.mark.django_db
def test_an_editor_who_answered_sees_colleagues_by_perspective_not_by_name(
    client, assessment, editor, colleague_answered
):
    save_answer(assessment=assessment, user=editor, question=colleague_answered, value="2", note="")
    body = history_page(client, editor, assessment, colleague_answered)
    assert "Zorgnota" in body
    assert "Collega (Wonen)" in body
    assert "Bram" not in body and "editor2" not in body
    assert "Gewijzigd door" not in body


@pytest.mark.django_db
def test_an_editor_sees_every_answer_of_a_closed_round_without_names(
    client, assessment, editor, coordinator, colleague_answered
):
    close_assessment(assessment=assessment, user=coordinator)
    body = history_page(client, editor, assessment, colleague_answered)
    assert "Zorgnota" in body
    assert "Collega (Wonen)" in body
    assert "Bram" not in body


@pytest.mark.django_db
def test_coordinators_see_every_answer_with_names(
    client, assessment, colleague_answered, coordinator
):
    body = history_page(client, coordinator, assessment, colleague_answered)
    assert "Zorgnota" in body
    assert "Bram Collega" in body
    assert "Gewijzigd door" in body


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["viewer", "consultant"])
def test_viewers_and_consultants_see_every_answer_without_names(
    request, client, assessment, colleague_answered, persona
):
    body = history_page(client, request.getfixturevalue(persona), assessment, colleague_answered)
    assert "Zorgnota" in body
    assert "Bram Collega" not in body
    assert "Gewijzigd door" not in body
    assert "Collega (Wonen)" in body


@pytest.mark.django_db
def test_the_history_page_makes_a_bounded_number_of_queries(
    client, assessment, editor, colleague_answered, django_assert_max_num_queries
):
    save_answer(assessment=assessment, user=editor, question=colleague_answered, value="2", note="")
    assert Response.objects.count() == 2
    client.force_login(editor)
    url = reverse("assessments:answer_history", args=[assessment.pk, colleague_answered.pk])
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200


# --- The answers export follows the same rule ------------------------------------------------


def exported_notes(client, user, assessment) -> set[str]:
    import io

    from openpyxl import load_workbook

    client.force_login(user)
    response = client.get(reverse("assessments:answers_xlsx", args=[assessment.pk]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.getvalue()))["Antwoorden"]
    header, *rows = sheet.iter_rows(values_only=True)
    note = header.index("Toelichting")
    return {row[note] for row in rows if row[note]}


@pytest.mark.django_db
def test_an_editor_exports_only_the_answers_to_questions_they_answered(
    client, assessment, editor, colleague_answered
):
    assert exported_notes(client, editor, assessment) == {"eigen"}
    save_answer(assessment=assessment, user=editor, question=colleague_answered, value="2", note="")
    assert exported_notes(client, editor, assessment) == {"eigen", "Zorgnota"}


@pytest.mark.django_db
def test_viewers_and_editors_of_a_closed_round_export_every_answer(
    client, assessment, editor, viewer, coordinator, colleague_answered
):
    assert exported_notes(client, viewer, assessment) == {"eigen", "Zorgnota"}
    close_assessment(assessment=assessment, user=coordinator)
    assert exported_notes(client, editor, assessment) == {"eigen", "Zorgnota"}


@pytest.mark.django_db
def test_the_results_pages_disagreements_show_levels_only_after_answering(
    client, settings, assessment, editor, second_editor, coordinator
):
    settings.RESPONSE_COUNT_THRESHOLD = 0
    question, other = Question.objects.filter(framework=assessment.framework).order_by("order")[:2]
    set_perspective(assessment=assessment, user=second_editor, perspective="wonen")
    set_perspective(assessment=assessment, user=coordinator, perspective="oov")
    save_answer(assessment=assessment, user=second_editor, question=question, value="4", note="")
    save_answer(assessment=assessment, user=coordinator, question=question, value="0", note="")
    save_answer(assessment=assessment, user=editor, question=other, value="2", note="")
    url = reverse("assessments:results", args=[assessment.pk])

    client.force_login(editor)
    body = client.get(url).getvalue().decode()
    assert f"{question.code}. " in body  # the statement is listed as a difference
    assert "zodra u deze vraag zelf heeft beantwoord" in body
    assert "Wonen: 4" not in body

    save_answer(assessment=assessment, user=editor, question=question, value="2", note="")
    body = client.get(url).getvalue().decode()
    assert "Wonen: 4" in body
    client.force_login(coordinator)
    assert "Wonen: 4" in client.get(url).getvalue().decode()
