"""The XLSX exports of the action plan and the answers: who may download them, and what the
files hold when opened with openpyxl (as Excel and LibreOffice would read them)."""

from __future__ import annotations

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from assessments.exports import XLSX_CONTENT_TYPE, actions_workbook, answers_workbook
from assessments.models import Action, Assessment
from assessments.services import (
    ActionInput,
    add_action,
    close_assessment,
    propose_actions,
    save_answer,
    set_perspective,
)
from readiness.models import Question
from tests.assessments.action_factories import ActionFactory, answer_all

ACTION_HEADINGS = [
    "Prioriteit",
    "Actie",
    "Omschrijving",
    "Vragen",
    "Eigenaar",
    "Domein",
    "Deadline",
    "Status",
    "Niveau",
]
ANSWER_HEADINGS = [
    "Stap",
    "Thema",
    "Vraag",
    "Stelling",
    "Invuller",
    "Perspectief",
    "Antwoord",
    "Toelichting",
]
NAMES = ["actions_xlsx", "answers_xlsx"]


def url(assessment: Assessment, name: str) -> str:
    return reverse(f"assessments:{name}", args=[assessment.pk])


def sheet(content: bytes) -> Worksheet:
    return load_workbook(io.BytesIO(content)).active


def values(ws: Worksheet) -> list[list]:
    return [list(row) for row in ws.iter_rows(values_only=True)]


def question(assessment: Assessment, code: str) -> Question:
    return Question.objects.get(framework=assessment.framework, code=code)


# --- Who may download ------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("name", NAMES)
def test_anonymous_is_sent_to_login(client, assessment, name):
    response = client.get(url(assessment, name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
@pytest.mark.parametrize("name", NAMES)
def test_outsider_gets_404(client, assessment, outsider, name):
    client.force_login(outsider)
    assert client.get(url(assessment, name)).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("persona", ["viewer", "editor", "coordinator"])
def test_every_member_downloads(client, assessment, request, persona, name):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(url(assessment, name))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    kind = "actieplan" if name == "actions_xlsx" else "antwoorden"
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="{kind}-zonnedal-{today}.xlsx"'
    )
    assert "no-store" in response["Cache-Control"]
    assert sheet(response.content).max_row == 1  # only the headings: nothing in the round yet


@pytest.mark.django_db
@pytest.mark.parametrize("name", NAMES)
def test_a_closed_round_can_still_be_downloaded(client, assessment, editor, viewer, name):
    close_assessment(assessment=assessment, user=editor)
    client.force_login(viewer)
    assert client.get(url(assessment, name)).status_code == 200


@pytest.mark.django_db
def test_the_file_name_uses_the_municipality_slug(client, municipality, assessment, viewer):
    municipality.name = "Súdwest-Fryslân"
    municipality.save()
    client.force_login(viewer)
    response = client.get(url(assessment, "actions_xlsx"))
    assert "actieplan-sudwest-fryslan-" in response["Content-Disposition"]


# --- The action plan -------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_action_plan_holds_one_row_per_action_in_plan_order(client, assessment, editor):
    answer_all(assessment, editor, "3", A1="2", H2="0")
    propose_actions(assessment=assessment, user=editor, today=datetime.date(2026, 1, 31))
    add_action(
        assessment=assessment,
        user=editor,
        data=ActionInput(
            title="Eigen actie",
            description="Zelf bedacht.",
            owner="Beleidsadviseur wonen",
            owner_domain="wonen",
            due_date=datetime.date(2026, 12, 31),
            status="bezig",
            level="bestuurlijk",
        ),
    )
    client.force_login(editor)
    ws = sheet(client.get(url(assessment, "actions_xlsx")).content)
    rows = values(ws)
    assert rows[0] == ACTION_HEADINGS
    assert rows[1:] == [
        [
            9,
            "Actie voor thema H",
            "Doe iets concreets.",
            "H2",
            None,
            "Wmo en zorg",
            datetime.datetime(2026, 7, 31),
            "Gepland",
            "Ambtelijk",
        ],
        [
            4,
            "Actie voor thema A",
            "Doe iets concreets.",
            "A1",
            None,
            "Wmo en zorg",
            datetime.datetime(2026, 7, 31),
            "Gepland",
            "Ambtelijk",
        ],
        [
            None,  # added by a user: no priority
            "Eigen actie",
            "Zelf bedacht.",
            None,
            "Beleidsadviseur wonen",
            "Wonen",
            datetime.datetime(2026, 12, 31),
            "Bezig",
            "Bestuurlijk",
        ],
    ]
    assert ws["G2"].is_date and ws["G2"].number_format == "DD-MM-YYYY"


@pytest.mark.django_db
def test_the_headings_are_bold_and_frozen_and_columns_have_widths(assessment):
    ws = sheet(actions_workbook(assessment))
    assert all(cell.font.b for cell in ws[1])
    assert ws.freeze_panes == "A2"
    assert ws.column_dimensions["C"].width > ws.column_dimensions["A"].width
    assert ws.title == "Actieplan"


@pytest.mark.django_db
@pytest.mark.parametrize("text", ["=1+1", "+31 6 1234", "-2", "@SUM(A1)", '=HYPERLINK("x")'])
def test_text_that_looks_like_a_formula_stays_text(assessment, editor, text):
    ActionFactory(assessment=assessment, title=text, owner=text, description=text)
    ws = sheet(actions_workbook(assessment))
    for cell in (ws["B2"], ws["C2"], ws["E2"]):
        assert cell.value == text
        assert cell.data_type == "s"
        assert cell.quotePrefix


@pytest.mark.django_db
def test_an_ordinary_text_has_no_text_mark(assessment):
    ActionFactory(assessment=assessment, title="Kernteam instellen")
    ws = sheet(actions_workbook(assessment))
    assert ws["B2"].value == "Kernteam instellen"
    assert not ws["B2"].quotePrefix


@pytest.mark.django_db
def test_control_characters_from_a_paste_do_not_break_the_file(assessment):
    # (PostgreSQL refuses NUL itself, and Django's form fields refuse it before that.)
    ActionFactory(assessment=assessment, title="Tab\tvoor\x0bkomen\x1f", description="a\nb")
    ws = sheet(actions_workbook(assessment))
    assert ws["B2"].value == "Tab\tvoorkomen"
    assert ws["C2"].value == "a\nb"


@pytest.mark.django_db
def test_a_closed_rounds_plan_is_exported_as_it_was_frozen(assessment, editor):
    action = ActionFactory(assessment=assessment, title="Zoals het was")
    close_assessment(assessment=assessment, user=editor)
    Action.objects.filter(pk=action.pk).update(title="Later veranderd")
    assert values(sheet(actions_workbook(assessment)))[1][1] == "Zoals het was"


# --- The answers -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_answers_hold_one_row_per_respondent_answer_with_numbers_not_names(
    client, assessment, editor, second_editor, viewer
):
    set_perspective(assessment=assessment, user=editor, perspective="wonen")
    a1, b2 = question(assessment, "A1"), question(assessment, "B2")
    save_answer(assessment=assessment, user=editor, question=a1, value="3", note="Zie nota.")
    save_answer(assessment=assessment, user=second_editor, question=a1, value="weet_niet", note="")
    save_answer(assessment=assessment, user=second_editor, question=b2, value="", note="=1+1")
    save_answer(assessment=assessment, user=editor, question=b2, value="nvt", note="")
    client.force_login(viewer)
    response = client.get(url(assessment, "answers_xlsx"))
    ws = sheet(response.content)
    rows = values(ws)
    assert rows[0] == ANSWER_HEADINGS
    wijk, samen = "1. Stevige basis in de wijk", "2. Samenwerken over domeinen en met partners"
    assert rows[1:] == [
        [wijk, "A. Thema A", "A1", "Stelling A1", 1, "Wonen", "3 · Ingericht", "Zie nota."],
        [wijk, "A. Thema A", "A1", "Stelling A1", 2, None, "Weet niet", None],
        [samen, "B. Thema B", "B2", "Stelling B2", 1, "Wonen", "N.v.t.", None],
        [samen, "B. Thema B", "B2", "Stelling B2", 2, None, None, "=1+1"],
    ]
    assert ws["H5"].data_type == "s"
    assert ws.title == "Antwoorden"
    assert all(cell.font.b for cell in ws[1]) and ws.freeze_panes == "A2"
    every_text = " ".join(str(v) for row in rows for v in row if v is not None)
    for user in (editor, second_editor):
        assert user.username not in every_text
        assert user.last_name not in every_text


@pytest.mark.django_db
def test_a_closed_rounds_answers_are_exported_as_they_were_frozen(assessment, editor):
    q = question(assessment, "A1")
    save_answer(assessment=assessment, user=editor, question=q, value="2", note="eerst")
    close_assessment(assessment=assessment, user=editor)
    q.answers.update(value="4", note="later")
    assert values(sheet(answers_workbook(assessment)))[1][6:] == ["2 · In ontwikkeling", "eerst"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", NAMES)
def test_exports_have_bounded_queries(
    client, assessment, editor, second_editor, django_assert_max_num_queries, name
):
    for user in (editor, second_editor):
        answer_all(assessment, user, "1")
    propose_actions(assessment=assessment, user=editor)
    client.force_login(editor)
    with django_assert_max_num_queries(10):
        assert client.get(url(assessment, name)).status_code == 200
