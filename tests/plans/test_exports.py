"""The XLSX exports of the action plan and the answers: who may download them, and what the
files hold when opened with openpyxl (as Excel and LibreOffice would read them)."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from assessments.models import Action, AgreedLevel, Assessment, Response
from assessments.plans.exports import XLSX_CONTENT_TYPE, actions_workbook, answers_workbook
from assessments.plans.services import ActionInput, add_action, propose_actions
from assessments.rounds.results import load_results
from assessments.rounds.services import close_assessment, save_answer, set_perspective
from readiness.models import Question
from tests.helpers.actions import ActionFactory, answer_all

ACTION_HEADINGS = [
    "Prioriteit",
    "Actie",
    "Omschrijving",
    "Klaar als",
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
    "Niveau",
    "Toelichting",
    "Geconsolideerd niveau",
    "Vastgesteld niveau",
    "Soort stelling",
    "Getal",
]
M = "Volwassenheid"  # the kind of every statement of the factories' framework
MN = [M, None]  # ... and no number
N_MN = [None, M, None]
NAMES = ["actions_xlsx", "answers_xlsx"]


def url(assessment: Assessment, name: str) -> str:
    return reverse(f"assessments:{name}", args=[assessment.pk])


def sheet(content: bytes) -> Worksheet:
    return load_workbook(io.BytesIO(content)).active


def values(ws: Worksheet) -> list[list]:
    return [list(row) for row in ws.iter_rows(values_only=True)]


def question(assessment: Assessment, code: str) -> Question:
    return Question.objects.get(framework=assessment.framework, code=code)


def include_all(assessment: Assessment) -> None:
    """Let every response count, however few answers it has (the coordinator's choice)."""
    Response.objects.filter(assessment=assessment).update(is_included=True)


def close(assessment: Assessment, user) -> None:
    """Close the round; it closes only once a response counts."""
    if not Response.objects.filter(assessment=assessment).exists():
        save_answer(
            assessment=assessment, user=user, question=question(assessment, "A1"), value="", note=""
        )
    include_all(assessment)
    close_assessment(assessment=assessment, user=user)


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
    assert sheet(response.getvalue()).max_row == 1  # only the headings: nothing in the round yet


@pytest.mark.django_db
@pytest.mark.parametrize("name", NAMES)
def test_a_closed_round_can_still_be_downloaded(client, assessment, editor, viewer, name):
    close(assessment, editor)
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
    ws = sheet(client.get(url(assessment, "actions_xlsx")).getvalue())
    rows = values(ws)
    assert rows[0] == ACTION_HEADINGS
    assert rows[1:] == [
        [
            9,
            "Actie voor thema H",
            "Doe iets concreets.",
            None,  # klaar als: not set
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
            None,  # klaar als: not set
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
            None,  # klaar als: not set
            None,
            "Beleidsadviseur wonen",
            "Wonen",
            datetime.datetime(2026, 12, 31),
            "Bezig",
            "Bestuurlijk",
        ],
    ]
    assert ws["H2"].is_date and ws["H2"].number_format == "DD-MM-YYYY"


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
    ActionFactory(assessment=assessment, title=text, owner=text, description=text, done_when=text)
    ws = sheet(actions_workbook(assessment))
    for cell in (ws["B2"], ws["C2"], ws["D2"], ws["F2"]):
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
    close(assessment, editor)
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
    include_all(assessment)
    client.force_login(viewer)
    response = client.get(url(assessment, "answers_xlsx"))
    ws = sheet(response.getvalue())
    rows = values(ws)
    assert rows[0] == ANSWER_HEADINGS
    wijk, samen = "1. Stevige basis in de wijk", "2. Samenwerken over domeinen en met partners"
    assert rows[1:] == [
        [
            wijk,
            "A. Thema A",
            "A1",
            "Stelling A1",
            1,
            "Wonen",
            "3 · Ingericht",
            3,
            "Zie nota.",
            3,
            None,
            M,
            None,
        ],
        [wijk, "A. Thema A", "A1", "Stelling A1", 2, None, "Weet niet", None, None, 3, None, *MN],
        [samen, "B. Thema B", "B2", "Stelling B2", 1, "Wonen", "N.v.t.", None, None, None, *N_MN],
        [samen, "B. Thema B", "B2", "Stelling B2", 2, None, None, None, "=1+1", None, *N_MN],
    ]
    assert ws["I5"].data_type == "s"
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
    close(assessment, editor)
    q.answers.update(value="4", note="later")
    assert values(sheet(answers_workbook(assessment)))[1][6:9] == [
        "2 · In ontwikkeling",
        2,
        "eerst",
    ]


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


# --- For a data analyst: levels, scores, metadata, CSV ---------------------------------------


def workbook_sheets(content: bytes) -> dict[str, list[list]]:
    workbook = load_workbook(io.BytesIO(content))
    return {ws.title: values(ws) for ws in workbook.worksheets}


@pytest.mark.django_db
def test_the_consolidated_level_is_the_lower_median_and_an_agreed_level_stands_beside_it(
    assessment, editor, second_editor, coordinator
):
    answer_all(assessment, editor, "1", A1="1")
    answer_all(assessment, second_editor, "3", A1="4")
    AgreedLevel.objects.create(
        assessment=assessment, question=question(assessment, "A1"), level=2, rationale="Gesprek"
    )
    rows = workbook_sheets(answers_workbook(assessment))["Antwoorden"]
    a1 = [row for row in rows[1:] if row[2] == "A1"]
    b1 = [row for row in rows[1:] if row[2] == "B1"]
    # (answer label, level, consolidated, agreed)
    assert [(r[6], r[7], r[9], r[10]) for r in a1] == [
        ("1 · Verkennend", 1, 1, 2),
        ("4 · Geborgd en lerend", 4, 1, 2),
    ]
    assert [(r[7], r[9], r[10]) for r in b1] == [(1, 1, None), (3, 1, None)]


@pytest.mark.django_db
def test_the_scores_sheet_has_every_step_with_its_themes_and_the_whole_round(assessment, editor):
    answer_all(assessment, editor, "2")
    sheets = workbook_sheets(answers_workbook(assessment))
    assert list(sheets) == ["Antwoorden", "Scores", "Metadata"]
    scores = sheets["Scores"]
    assert scores[0] == [
        "Soort",
        "Code",
        "Naam",
        "Score",
        "Stoplicht",
        "Voldoende beantwoord",
        "Beantwoord",
        "Van toepassing",
        "Stellingen",
        "Ambitie",
    ]
    results = load_results(assessment)
    expected = []
    for step in results.steps:
        group = results.scores.steps[step.code]
        expected.append(["Stap", step.code, f"{step.order}. {step.title}", 50.0, "oranje", "ja"])
        expected[-1] += [group.answered, group.applicable, group.total, 3]
        for theme in (t for t in results.themes if t.step == step.code):
            group = results.scores.themes[theme.code]
            expected.append(["Thema", theme.code, theme.title, 50.0, "oranje", "ja"])
            expected[-1] += [group.answered, group.applicable, group.total, 3]
    expected.append(["Totaal", "overall", "Hele meting", 50.0, "oranje", "ja", 16, 16, 16, None])
    assert scores[1:] == expected
    assert [row[0] for row in scores[1:]].count("Stap") == 3


@pytest.mark.django_db
def test_a_score_of_too_few_answers_is_left_empty(assessment, editor):
    answer_all(assessment, editor, "2")
    include_all(assessment)
    question(assessment, "A1").answers.update(value="")
    question(assessment, "A2").answers.update(value="")
    theme_a = next(
        r for r in workbook_sheets(answers_workbook(assessment))["Scores"] if r[1] == "A"
    )
    assert theme_a[3:6] == [None, None, "nee"]


@pytest.mark.django_db
def test_the_metadata_sheet_names_municipality_round_dates_and_framework(
    assessment, municipality, editor
):
    assessment.due_date = datetime.date(2099, 1, 31)
    assessment.save()
    today = datetime.date(2026, 12, 2)
    metadata = dict(
        (row[0], row[1])
        for row in workbook_sheets(answers_workbook(assessment, today=today))["Metadata"][1:]
    )
    assert metadata == {
        "Gemeente": "Zonnedal",
        "CBS-code": municipality.code,
        "Provincie": "Utrecht",
        "Meting": assessment.title,
        "Nummer van de meting": assessment.pk,
        "Status": "Open",
        "Gestart op": datetime.datetime.combine(
            timezone.localdate(assessment.created_at), datetime.time()
        ),
        "Invullen vóór": datetime.datetime(2099, 1, 31),
        "Afgesloten op": None,
        "Vragenlijst": assessment.framework.name,
        "Versie van de vragenlijst": assessment.framework.version,
        "Invullers die meetellen": 0,
        "Invullingen die niet meetellen": 0,
        "Gegevens": "stand van nu",
        "Geëxporteerd op": datetime.datetime(2026, 12, 2),
    }


def read_csv(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf")  # the byte order mark Excel needs
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


@pytest.mark.django_db
def test_the_answers_csv_holds_the_sheets_rows_led_by_the_rounds_key(
    client, assessment, municipality, editor, second_editor, viewer
):
    set_perspective(assessment=assessment, user=editor, perspective="wonen")
    a1 = question(assessment, "A1")
    save_answer(assessment=assessment, user=editor, question=a1, value="3", note="Zie; nota.")
    save_answer(assessment=assessment, user=second_editor, question=a1, value="2", note="=1+1")
    include_all(assessment)
    client.force_login(viewer)
    response = client.get(url(assessment, "answers_csv"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="antwoorden-zonnedal-{today}.csv"'
    )
    assert "no-store" in response["Cache-Control"]
    rows = read_csv(response.getvalue())
    key = [municipality.code, str(assessment.pk), assessment.framework.version]
    assert rows[0] == ["CBS-code", "Meting", "Versie", *ANSWER_HEADINGS]
    wijk = "1. Stevige basis in de wijk"
    assert rows[1:] == [
        [
            *key,
            wijk,
            "A. Thema A",
            "A1",
            "Stelling A1",
            "1",
            "Wonen",
            "3 · Ingericht",
            "3",
            "Zie; nota.",
            "2",
            "",
            M,
            "",
        ],
        [
            *key,
            wijk,
            "A. Thema A",
            "A1",
            "Stelling A1",
            "2",
            "",
            "2 · In ontwikkeling",
            "2",
            "'=1+1",
            "2",
            "",
            M,
            "",
        ],
    ]


@pytest.mark.django_db
def test_the_scores_csv_has_a_decimal_comma(client, assessment, editor, second_editor):
    answer_all(assessment, editor, "2")
    answer_all(assessment, second_editor, "3", A1="2")  # A1: median 2; the rest: 2
    client.force_login(editor)
    response = client.get(url(assessment, "scores_csv"))
    assert response.status_code == 200
    rows = read_csv(response.getvalue())
    assert rows[0][3:] == [
        "Soort",
        "Code",
        "Naam",
        "Score",
        "Stoplicht",
        "Voldoende beantwoord",
        "Beantwoord",
        "Van toepassing",
        "Stellingen",
        "Ambitie",
    ]
    overall = rows[-1][3:]
    assert overall == [
        "Totaal",
        "overall",
        "Hele meting",
        "50,0",
        "oranje",
        "ja",
        "16",
        "16",
        "16",
        "",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["answers_csv", "scores_csv"])
def test_csv_exports_keep_outsiders_out(client, assessment, outsider, name):
    assert client.get(url(assessment, name)).status_code == 302
    client.force_login(outsider)
    assert client.get(url(assessment, name)).status_code == 404


@pytest.mark.django_db
def test_an_editor_of_an_open_round_gets_only_the_answers_to_what_they_answered(
    client, assessment, editor, second_editor
):
    answer_all(assessment, second_editor, "3")
    save_answer(
        assessment=assessment, user=editor, question=question(assessment, "B1"), value="1", note=""
    )
    client.force_login(editor)
    rows = read_csv(client.get(url(assessment, "answers_csv")).getvalue())
    assert {row[5] for row in rows[1:]} == {"B1"}
