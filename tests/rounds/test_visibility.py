"""Who sees respondents' names and colleagues' levels: one rule (access.visibility), asked
by the round page, the history, the results, the exports, the PDF, the ZIP and the API.

Coordinators see names; editors, viewers and consultants see "Invuller 2 (Wonen)". While a
round is open an editor sees colleagues' levels on a statement only after answering it,
and gets no concept report (it shows every level).
"""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from assessments import access
from assessments.api.services import create_api_token
from assessments.models import Assessment, ReportFile
from assessments.reports import jobs
from assessments.rounds.services import save_answer, set_perspective
from readiness.models import Question
from tests.factories import close_round

NAME = "Bram Collega"
ROLES = ["coordinator", "editor", "viewer", "consultant"]


@pytest.fixture
def answered(settings, assessment, editor, second_editor):
    """Bram Collega (perspective wonen) answered the first statement; the editor the second."""
    settings.RESPONSE_COUNT_THRESHOLD = 0
    second_editor.first_name, second_editor.last_name = "Bram", "Collega"
    second_editor.save()
    first, second = Question.objects.filter(framework=assessment.framework).order_by("order")[:2]
    set_perspective(assessment=assessment, user=second_editor, perspective="wonen")
    save_answer(assessment=assessment, user=second_editor, question=first, value="3", note="")
    save_answer(assessment=assessment, user=editor, question=second, value="1", note="")
    return first, second


def loaded(user, assessment) -> Assessment:
    return access.get_assessment_for_view(user, assessment.pk)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ROLES)
def test_the_rule_gives_names_to_coordinators_only(request, assessment, answered, persona):
    user = request.getfixturevalue(persona)
    seen = access.visibility(loaded(user, assessment), user)
    assert seen.names is (persona == "coordinator")
    first, second = answered
    # Open round: the editor answered the second statement only.
    assert seen.sees_answers_to(first.code) is (persona != "editor")
    assert seen.sees_answers_to(second.code)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ROLES)
def test_after_closing_everyone_sees_every_level_but_names_stay_with_coordinators(
    request, assessment, answered, coordinator, persona
):
    close_round(assessment, coordinator)
    user = request.getfixturevalue(persona)
    seen = access.visibility(loaded(user, assessment), user)
    assert seen.all_answers
    assert seen.names is (persona == "coordinator")


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ROLES)
def test_the_round_page_shows_names_to_coordinators_and_numbers_to_the_rest(
    request, client, assessment, answered, persona
):
    client.force_login(request.getfixturevalue(persona))
    body = client.get(reverse("assessments:detail", args=[assessment.pk])).content.decode()
    if persona == "coordinator":
        assert NAME in body
    else:
        assert NAME not in body
        assert "Invuller 1 (Wonen)" in body


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ROLES)
def test_the_history_shows_names_to_coordinators_only(
    request, client, assessment, answered, persona
):
    first, _second = answered
    client.force_login(request.getfixturevalue(persona))
    url = reverse("assessments:answer_history", args=[assessment.pk, first.pk])
    body = client.get(url).content.decode()
    assert (NAME in body) is (persona == "coordinator")


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ROLES)
def test_no_export_names_a_respondent(request, client, assessment, answered, persona):
    client.force_login(request.getfixturevalue(persona))
    for name in ("answers_xlsx", "answers_csv", "scores_csv", "actions_xlsx"):
        response = client.get(reverse(f"assessments:{name}", args=[assessment.pk]))
        assert response.status_code == 200
        content = response.getvalue()
        if name.endswith("xlsx"):
            cells = " ".join(
                str(c)
                for sheet in load_workbook(io.BytesIO(content)).worksheets
                for row in sheet.iter_rows(values_only=True)
                for c in row
            )
            assert NAME not in cells and "Collega" not in cells, name
        else:
            assert NAME.encode() not in content, name


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "status"),
    [("coordinator", 200), ("viewer", 200), ("consultant", 200), ("editor", 403)],
)
def test_the_concept_report_is_not_for_an_editor_of_an_open_round(
    request, client, assessment, answered, persona, status
):
    ReportFile.objects.create(
        assessment=assessment, status=ReportFile.Status.READY, pdf=b"%PDF-", filename="r.pdf"
    )
    client.force_login(request.getfixturevalue(persona))
    for name in ("report", "report_status", "report_download"):
        response = client.get(reverse(f"assessments:{name}", args=[assessment.pk]))
        assert response.status_code == status, (name, response.status_code)
    response = client.post(reverse("assessments:report_make", args=[assessment.pk]))
    assert response.status_code in ({200, 302} if status == 200 else {403})


@pytest.mark.django_db
def test_an_editors_zip_of_an_open_round_has_no_report_and_only_their_answers(
    assessment, answered, editor
):
    round_files, reused = jobs._round_files(loaded(editor, assessment), editor)
    files = dict(round_files)
    assert not reused
    assert not any(name.endswith(".pdf") for name in files)
    answers = next(content for name, content in files.items() if "antwoorden" in name)
    cells = {
        str(cell)
        for row in load_workbook(io.BytesIO(answers)).worksheets[0].iter_rows(values_only=True)
        for cell in row
    }
    first, second = answered
    assert first.statement not in cells
    assert second.statement in cells


@pytest.mark.django_db
def test_the_api_never_names_a_respondent(client, assessment, answered, coordinator):
    _token, secret = create_api_token(user=coordinator, name="t", days=1)
    headers = {"Authorization": f"Bearer {secret}"}
    for url in (
        reverse("api:rounds"),
        reverse("api:round", args=[assessment.pk]),
        reverse("api:round_scores", args=[assessment.pk]),
        reverse("api:round_actions", args=[assessment.pk]),
    ):
        response = client.get(url, headers=headers)
        assert response.status_code == 200, url
        assert NAME not in response.content.decode() and "Bram" not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["outsider", "region_coordinator"])
@pytest.mark.parametrize(
    "name", ["detail", "results", "answers_xlsx", "report", "report_download", "api:round"]
)
def test_outsiders_and_region_coordinators_see_no_respondent_anywhere(
    request, client, assessment, answered, persona, name
):
    """Neither is a member of the municipality: every surface with respondents is a 404
    (a region coordinator sees only the shared theme scores, on the region's own page)."""
    client.force_login(request.getfixturevalue(persona))
    url = reverse(name if ":" in name else f"assessments:{name}", args=[assessment.pk])
    assert client.get(url).status_code == 404
    first, _second = answered
    history = reverse("assessments:answer_history", args=[assessment.pk, first.pk])
    assert client.get(history).status_code == 404
