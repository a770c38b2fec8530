"""Importing a workshop's answers or agreed levels from an XLSX file: every row checked,
errors per row in Dutch, nothing imported unless everything is valid."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.common import spreadsheets
from assessments.models import AgreedLevel, Answer, Assessment, Membership, Response
from assessments.plans.exports import answers_workbook
from assessments.rounds.agreement import set_agreed_level
from assessments.rounds.imports import ImportKind, import_workbook
from assessments.rounds.services import AnswerInput, save_answers
from readiness.models import Question
from tests.factories import AssessmentFactory, add_statement_kinds, make_framework
from tests.helpers.workbooks import xlsx


def _upload(data: bytes, name: str = "werksessie.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=spreadsheets.XLSX_CONTENT_TYPE)


def _url(assessment: Assessment) -> str:
    return reverse("assessments:answers_import", args=[assessment.pk])


def _membership(user, assessment) -> Membership:
    return Membership.objects.get(user=user, municipality=assessment.municipality)


def _post(client, assessment, data: bytes, **fields):
    return client.post(_url(assessment), {"kind": "antwoorden", "file": _upload(data), **fields})


def _question(assessment, code: str) -> Question:
    return Question.objects.get(framework=assessment.framework, code=code)


def _answers(assessment, user) -> dict[str, tuple[str, str]]:
    return {
        a.question.code: (a.value, a.note)
        for a in Answer.objects.filter(
            response__assessment=assessment, response__respondent=user
        ).select_related("question")
    }


WORKSHOP = [
    {"Vraag": "A1", "Niveau": 3, "Toelichting": "Besproken met de wijkteams."},
    {"Vraag": "A2", "Antwoord": "Weet niet"},
    {"Vraag": "B1", "Antwoord": "2 · In ontwikkeling", "Niveau": 2},
    {"Vraag": "B2", "Niveau": "n.v.t."},
]


# --- answers -------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_valid_file_fills_the_chosen_response_and_the_history_names_the_importer(
    client, coordinator, editor, assessment
):
    save_answers(
        assessment=assessment,
        user=editor,
        items=[AnswerInput(_question(assessment, "A1"), "1", "oud")],
    )
    client.force_login(coordinator)
    response = _post(
        client,
        assessment,
        xlsx(WORKSHOP),
        respondent=_membership(editor, assessment).pk,
        perspective="wonen",
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("assessments:detail", args=[assessment.pk])
    assert _answers(assessment, editor) == {
        "A1": ("3", "Besproken met de wijkteams."),
        "A2": ("weet_niet", ""),
        "B1": ("2", ""),
        "B2": ("nvt", ""),
    }
    assert _answers(assessment, coordinator) == {}  # not the coordinator's own response
    assert Response.objects.get(assessment=assessment, respondent=editor).perspective == "wonen"
    a1 = Answer.objects.get(response__respondent=editor, question__code="A1")
    assert a1.updated_by == coordinator
    versions = list(Answer.history.filter(id=a1.pk).order_by("history_date", "history_id"))
    assert [(v.value, v.history_user) for v in versions] == [("1", editor), ("3", coordinator)]
    assert Answer.history.filter(history_user=coordinator).count() == 4
    page = client.get(response["Location"]).content.decode()
    assert "Geïmporteerd: 4 antwoorden gelezen, waarvan 4 nieuw of veranderd." in page


@pytest.mark.django_db
def test_the_coordinators_own_response_is_the_default(client, coordinator, assessment):
    client.force_login(coordinator)
    page = client.get(_url(assessment))
    assert 'enctype="multipart/form-data"' in page.content.decode()
    form = page.context["form"]
    assert form.fields["respondent"].initial == _membership(coordinator, assessment).pk
    response = _post(
        client, assessment, xlsx(WORKSHOP), respondent=_membership(coordinator, assessment).pk
    )
    assert response.status_code == 302
    assert _answers(assessment, coordinator)["A1"] == ("3", "Besproken met de wijkteams.")


@pytest.mark.django_db
def test_one_bad_row_imports_nothing_and_names_that_row(client, coordinator, assessment):
    rows = [*WORKSHOP, {"Vraag": "B3", "Niveau": "vijf"}]
    rows[4] = {"Vraag": "C1", "Niveau": "vijf"}  # spreadsheet row 6
    client.force_login(coordinator)
    response = _post(
        client, assessment, xlsx(rows), respondent=_membership(coordinator, assessment).pk
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Er is niets geïmporteerd." in page
    assert "Rij 6: onbekend niveau &#x27;vijf&#x27; bij C1" in page
    assert not Answer.objects.filter(response__assessment=assessment).exists()
    assert not Response.objects.filter(assessment=assessment).exists()


@pytest.mark.django_db
def test_every_bad_row_is_listed_in_row_order(coordinator, assessment):
    rows = [
        {"Vraag": "A1", "Niveau": 3},  # row 2: fine
        {"Vraag": "Z9", "Niveau": 3},  # row 3
        {"Vraag": "A2", "Niveau": 7},  # row 4
        {"Vraag": "B1", "Niveau": "=1+2"},  # row 5: a formula
        {"Vraag": "B2", "Niveau": 2, "Toelichting": "x" * 5001},  # row 6
        {"Vraag": "A1", "Niveau": 2},  # row 7: A1 again
        {"Vraag": "C1", "Antwoord": "Weet niet", "Niveau": 2},  # row 8: contradiction
        {"Vraag": None, "Niveau": 2},  # row 9: no code
    ]
    with pytest.raises(ValidationError) as caught:
        import_workbook(
            assessment=assessment, user=coordinator, data=xlsx(rows), kind=ImportKind.ANSWERS
        )
    assert caught.value.messages == [
        "Rij 3: onbekende vraag 'Z9'. Gebruik de code uit de kolom Vraag, zoals B3.",
        "Rij 4: onbekend niveau '7' bij A2",
        "Rij 5: bij B1 staat een formule in de kolom Niveau. Zet er het niveau in.",
        "Rij 6: de tekst bij B2 in de kolom Toelichting is te lang: 5001 tekens, maximaal 5000.",
        "Rij 7: vraag A1 staat ook al in rij 2. Eén invulling heeft één antwoord per vraag: "
        "laat één rij staan.",
        "Rij 8: bij C1 spreken de kolommen Antwoord en Niveau elkaar tegen.",
        "Rij 9: de kolom Vraag is leeg. Zet er de code van de stelling in.",
    ]
    assert not Answer.objects.exists()


@pytest.mark.django_db
def test_a_statement_may_be_named_by_its_key_and_empty_rows_change_nothing(coordinator, assessment):
    question = _question(assessment, "A2")
    Question.objects.filter(pk=question.pk).update(key="plek-herstel")
    save_answers(
        assessment=assessment,
        user=coordinator,
        items=[AnswerInput(_question(assessment, "B1"), "4", "blijft")],
    )
    rows = [{"Vraag": "plek-herstel", "Niveau": 1}, {"Vraag": "B1"}]
    result = import_workbook(
        assessment=assessment, user=coordinator, data=xlsx(rows), kind=ImportKind.ANSWERS
    )
    assert (result.total, result.changed) == (1, 1)
    assert _answers(assessment, coordinator) == {"A2": ("1", ""), "B1": ("4", "blijft")}


@pytest.mark.django_db
def test_checking_only_stores_nothing_and_counts_what_would_change(client, coordinator, assessment):
    save_answers(
        assessment=assessment,
        user=coordinator,
        items=[AnswerInput(_question(assessment, "A1"), "3", "Besproken met de wijkteams.")],
    )
    client.force_login(coordinator)
    response = _post(
        client,
        assessment,
        xlsx(WORKSHOP),
        respondent=_membership(coordinator, assessment).pk,
        check_only="on",
    )
    assert response.status_code == 200
    assert "4 antwoorden gelezen, waarvan 3 nieuw of veranderd." in response.content.decode()
    assert _answers(assessment, coordinator) == {"A1": ("3", "Besproken met de wijkteams.")}


@pytest.mark.django_db
def test_answers_cannot_go_into_a_viewers_or_an_outsiders_response(
    client, coordinator, viewer, outsider, assessment
):
    client.force_login(coordinator)
    response = _post(
        client, assessment, xlsx(WORKSHOP), respondent=_membership(viewer, assessment).pk
    )
    assert response.status_code == 400
    assert "Kies een invuller uit de lijst." in response.content.decode()
    with pytest.raises(ValidationError, match="Kies een invuller die bij deze gemeente hoort"):
        import_workbook(
            assessment=assessment,
            user=coordinator,
            data=xlsx(WORKSHOP),
            kind=ImportKind.ANSWERS,
            respondent=outsider,
        )
    assert not Answer.objects.exists()


@pytest.mark.django_db
def test_an_exported_file_of_one_respondent_imports_back_unchanged(coordinator, assessment):
    save_answers(
        assessment=assessment,
        user=coordinator,
        items=[
            AnswerInput(_question(assessment, "A1"), "3", "=SOM(A1:A3) is geen formule"),
            AnswerInput(_question(assessment, "A2"), "weet_niet", ""),
            AnswerInput(_question(assessment, "B1"), "nvt", "Geen regiotaak."),
        ],
    )
    Response.objects.filter(assessment=assessment).update(is_included=True)  # in the export
    exported = answers_workbook(assessment)
    result = import_workbook(
        assessment=assessment, user=coordinator, data=exported, kind=ImportKind.ANSWERS
    )
    assert (result.total, result.changed) == (3, 0)


@pytest.mark.django_db
def test_an_export_of_several_respondents_is_refused_for_one_response(
    coordinator, editor, assessment
):
    for user in (coordinator, editor):
        save_answers(
            assessment=assessment,
            user=user,
            items=[AnswerInput(_question(assessment, "A1"), "2", "")],
        )
    Response.objects.filter(assessment=assessment).update(is_included=True)
    with pytest.raises(ValidationError) as caught:
        import_workbook(
            assessment=assessment,
            user=coordinator,
            data=answers_workbook(assessment),
            kind=ImportKind.ANSWERS,
        )
    assert caught.value.messages[0].startswith("Rij 3: vraag A1 staat ook al in rij 2.")


# --- agreed levels -------------------------------------------------------------------

AGREED_HEADINGS = ["Vraag", "Stelling", "Vastgesteld niveau", "Onderbouwing"]


@pytest.mark.django_db
def test_agreed_levels_are_imported_with_their_rationale_and_the_importer(
    client, coordinator, assessment
):
    data = xlsx(
        [
            {"Vraag": "A1", "Vastgesteld niveau": 2, "Onderbouwing": "Plan is er, geen geld."},
            {
                "Vraag": "B1",
                "Vastgesteld niveau": "Ingericht",
                "Onderbouwing": "In het contract.",
            },
            {"Vraag": "B2", "Stelling": "geen niveau afgesproken"},
        ],
        headings=AGREED_HEADINGS,
    )
    client.force_login(coordinator)
    response = client.post(_url(assessment), {"kind": "vastgesteld", "file": _upload(data)})
    assert response.status_code == 302
    agreed = {
        a.question.code: (a.level, a.rationale, a.decided_by)
        for a in AgreedLevel.objects.filter(assessment=assessment).select_related("question")
    }
    assert agreed == {
        "A1": (2, "Plan is er, geen geld.", coordinator),
        "B1": (3, "In het contract.", coordinator),
    }
    assert AgreedLevel.history.filter(history_user=coordinator, history_type="+").count() == 2
    page = client.get(response["Location"]).content.decode()
    assert "2 vastgestelde niveaus gelezen, waarvan 2 nieuw of veranderd." in page


@pytest.mark.django_db
def test_agreed_levels_are_checked_row_by_row_and_all_or_nothing(coordinator, assessment):
    rows = [
        {"Vraag": "A1", "Vastgesteld niveau": 2, "Onderbouwing": "Goed"},  # row 2
        {"Vraag": "A1", "Vastgesteld niveau": 3, "Onderbouwing": "Anders"},  # row 3
        {"Vraag": "A2", "Vastgesteld niveau": "weet niet", "Onderbouwing": "?"},  # row 4
        {"Vraag": "B1", "Vastgesteld niveau": 1},  # row 5: no rationale
        {"Vraag": "B2", "Vastgesteld niveau": 2, "Onderbouwing": "x" * 1001},  # row 6
    ]
    with pytest.raises(ValidationError) as caught:
        import_workbook(
            assessment=assessment,
            user=coordinator,
            data=xlsx(rows, headings=AGREED_HEADINGS),
            kind=ImportKind.AGREED,
        )
    assert caught.value.messages == [
        "Rij 3: bij A1 staat in rij 2 een ander vastgesteld niveau (2). Eén vraag heeft één "
        "vastgesteld niveau.",
        "Rij 4: bij A2 is 'Weet niet' geen vastgesteld niveau: kies 0 tot en met 4.",
        "Rij 6: de tekst bij B2 in de kolom Onderbouwing is te lang: 1001 tekens, maximaal 1000.",
    ]
    # Rows 2-4 and 6 with errors fixed, only the missing rationale (row 5) is left.
    with pytest.raises(ValidationError) as caught:
        import_workbook(
            assessment=assessment,
            user=coordinator,
            data=xlsx([rows[0], rows[3]], headings=AGREED_HEADINGS),
            kind=ImportKind.AGREED,
        )
    assert caught.value.messages == [
        "Rij 3: schrijf bij B1 op waarom u dit niveau samen vaststelt (kolom Onderbouwing)."
    ]
    assert not AgreedLevel.objects.exists()


@pytest.mark.django_db
def test_an_exported_file_keeps_the_agreed_levels_and_their_rationale(
    coordinator, editor, assessment
):
    a1 = _question(assessment, "A1")
    save_answers(
        assessment=assessment, user=editor, items=[AnswerInput(a1, "1", "Mijn eigen notitie")]
    )
    set_agreed_level(
        assessment=assessment, user=coordinator, question=a1, level=2, rationale="Samen besproken"
    )
    Response.objects.filter(assessment=assessment).update(is_included=True)
    result = import_workbook(
        assessment=assessment,
        user=coordinator,
        data=answers_workbook(assessment),
        kind=ImportKind.AGREED,
    )
    assert (result.total, result.changed) == (1, 0)
    assert AgreedLevel.objects.get().rationale == "Samen besproken"


# --- the round, the file and who may -------------------------------------------------


@pytest.mark.django_db
def test_a_closed_round_refuses_the_import(client, coordinator, assessment):
    Assessment.objects.filter(pk=assessment.pk).update(status=Assessment.Status.CLOSED)
    client.force_login(coordinator)
    assert client.get(_url(assessment)).status_code == 403
    response = _post(client, assessment, xlsx(WORKSHOP))
    assert response.status_code == 403
    assessment.refresh_from_db()
    with pytest.raises(ValidationError, match="afgesloten"):
        import_workbook(
            assessment=assessment, user=coordinator, data=xlsx(WORKSHOP), kind=ImportKind.ANSWERS
        )
    assert not Answer.objects.exists()


@pytest.mark.django_db
def test_another_municipality_gets_404_and_non_coordinators_403(
    client, outsider, editor, viewer, consultant, assessment
):
    response = client.get(_url(assessment))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    client.force_login(outsider)
    assert client.get(_url(assessment)).status_code == 404
    assert _post(client, assessment, xlsx(WORKSHOP)).status_code == 404
    for user in (editor, viewer, consultant):
        client.force_login(user)
        assert client.get(_url(assessment)).status_code == 403
        assert _post(client, assessment, xlsx(WORKSHOP)).status_code == 403
    assert not Answer.objects.exists()


@pytest.mark.django_db
def test_the_round_page_links_coordinators_to_the_import(client, coordinator, editor, assessment):
    client.force_login(coordinator)
    assert (
        _url(assessment)
        in client.get(reverse("assessments:detail", args=[assessment.pk])).content.decode()
    )
    client.force_login(editor)
    assert (
        _url(assessment)
        not in client.get(reverse("assessments:detail", args=[assessment.pk])).content.decode()
    )


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


NOT_READABLE = "Dit bestand kunnen we niet lezen. Kies een Excel-bestand (.xlsx)"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("antwoorden.csv", b"Vraag;Niveau\nA1;3\n", "Kies een Excel-bestand dat eindigt op .xlsx"),
        ("antwoorden.xlsx", b"Vraag;Niveau\nA1;3\n", NOT_READABLE),
        ("antwoorden.xlsx", b"PK\x03\x04 kapot", NOT_READABLE),
        ("antwoorden.xlsx", _zip({"word/document.xml": b"<w/>"}), NOT_READABLE),
        ("antwoorden.xlsx", _zip({"xl/workbook.xml": b"<kapot"}), NOT_READABLE),
        (
            "antwoorden.xlsx",
            xlsx([{"Code": "A1", "Score": 3}], headings=["Code", "Score"]),
            "In de eerste rij van het blad staat geen kolom &#x27;Vraag&#x27;.",
        ),
        ("antwoorden.xlsx", xlsx([]), "Het bestand bevat niets om te importeren."),
    ],
)
def test_a_file_that_is_not_a_usable_xlsx_gets_a_clear_message(
    client, coordinator, assessment, name, data, message
):
    client.force_login(coordinator)
    response = client.post(_url(assessment), {"kind": "antwoorden", "file": _upload(data, name)})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Answer.objects.exists()


@pytest.mark.django_db
def test_files_over_the_limits_are_refused_before_they_are_read(
    monkeypatch, client, coordinator, assessment
):
    client.force_login(coordinator)
    big = xlsx(WORKSHOP) + b"\0" * spreadsheets.MAX_FILE_BYTES
    response = client.post(_url(assessment), {"kind": "antwoorden", "file": _upload(big)})
    assert "Het bestand is te groot. Het mag hoogstens 2 MB zijn." in response.content.decode()
    # A small file that unpacks into much more.
    monkeypatch.setattr(spreadsheets, "MAX_UNZIPPED_BYTES", 1000)
    bomb = _zip({"xl/workbook.xml": b" " * 5000})
    response = client.post(_url(assessment), {"kind": "antwoorden", "file": _upload(bomb)})
    assert "Het bestand is uitgepakt te groot." in response.content.decode()
    monkeypatch.undo()
    monkeypatch.setattr(spreadsheets, "MAX_ROWS", 3)
    response = _post(client, assessment, xlsx(WORKSHOP))
    assert "Het bestand heeft meer dan 3 gevulde rijen." in response.content.decode()
    assert not Answer.objects.exists()


@pytest.mark.django_db
def test_the_import_page_needs_few_queries(
    client, coordinator, editor, second_editor, assessment, django_assert_max_num_queries
):
    client.force_login(coordinator)
    with django_assert_max_num_queries(6):
        assert client.get(_url(assessment)).status_code == 200


# --- legal duties and indicators -----------------------------------------------------------


@pytest.fixture
def kinds_round(municipality) -> Assessment:
    """A regiogemeente's round with legal duties W1, W2, W3 (centrumgemeenten only) and the
    indicators K1 (weken) and K2 (huishoudens): tests.factories.add_statement_kinds."""
    municipality.region_role = "regiogemeente"
    municipality.save()
    return AssessmentFactory(
        municipality=municipality, framework=add_statement_kinds(make_framework(questions=16))
    )


def _refused(assessment, user, data: bytes, kind: str = ImportKind.ANSWERS) -> list[str]:
    """The messages of an import that is refused."""
    with pytest.raises(ValidationError) as caught:
        import_workbook(assessment=assessment, user=user, data=data, kind=kind)
    return caught.value.messages


def _stored(assessment, user) -> dict[str, tuple[str, str, Decimal | None]]:
    return {
        a.question.code: (a.value, a.note, a.number)
        for a in Answer.objects.filter(
            response__assessment=assessment, response__respondent=user
        ).select_related("question")
    }


@pytest.mark.django_db
def test_legal_duty_and_indicator_rows_are_imported_as_the_export_writes_them(
    coordinator, kinds_round
):
    rows = [
        {"Vraag": "A1", "Niveau": 3, "Soort stelling": "Volwassenheid"},
        {"Vraag": "W1", "Antwoord": "Voldaan", "Soort stelling": "Wettelijke plicht"},
        {"Vraag": "W2", "Antwoord": "Deels voldaan", "Toelichting": "Nog geen convenant."},
        {"Vraag": "K1", "Getal": 12.5, "Soort stelling": "Indicator"},
        # A decimal comma, as a number typed as text in Dutch Excel.
        {"Vraag": "K2", "Getal": "1204,5", "Toelichting": "Uit de BRP."},
    ]
    result = import_workbook(
        assessment=kinds_round, user=coordinator, data=xlsx(rows), kind=ImportKind.ANSWERS
    )
    assert (result.total, result.changed) == (5, 5)
    assert _stored(kinds_round, coordinator) == {
        "A1": ("3", "", None),
        "W1": ("voldaan", "", None),
        "W2": ("deels", "Nog geen convenant.", None),
        "K1": ("", "", Decimal("12.5")),
        "K2": ("", "Uit de BRP.", Decimal("1204.5")),
    }


@pytest.mark.django_db
def test_duty_and_indicator_rows_are_checked_row_by_row_and_all_or_nothing(
    coordinator, kinds_round
):
    rows = [
        {"Vraag": "W1", "Antwoord": "Voldaan"},  # row 2: fine
        {"Vraag": "W2", "Antwoord": "ja"},  # row 3
        {"Vraag": "K2", "Getal": "1234567890123"},  # row 4: too many digits
        {"Vraag": "K1", "Getal": "veel"},  # row 5
        {"Vraag": "B1", "Antwoord": "Weet niet", "Getal": 4},  # row 6: no indicator
        {"Vraag": "W3", "Antwoord": "Niet voldaan"},  # row 7: for centrumgemeenten only
        {"Vraag": "A2", "Getal": "=1+2"},  # row 8: a formula
        {"Vraag": "A1", "Niveau": 3},  # row 9: fine
    ]
    assert _refused(kinds_round, coordinator, xlsx(rows)) == [
        "Rij 3: onbekende waarde 'ja' bij W2; kies voldaan, deels, niet of n.v.t.",
        "Rij 4: het getal bij K2 past niet: hoogstens 12 cijfers, met hoogstens 2 cijfers "
        "achter de komma.",
        "Rij 5: 'veel' bij K1 is geen getal; vul een getal in, zoals 12 of 3,5.",
        "Rij 6: bij B1 hoort geen getal: alleen een indicator heeft een getal. Maak de kolom "
        "Getal leeg.",
        "Rij 7: W3 geldt alleen voor een centrumgemeente en is voor deze gemeente n.v.t. Laat "
        "de rij leeg of haal hem weg.",
        "Rij 8: bij A2 hoort geen getal: alleen een indicator heeft een getal. Maak de kolom "
        "Getal leeg.",
    ]
    assert not Answer.objects.exists()


@pytest.mark.django_db
def test_a_level_for_a_duty_and_an_answer_for_an_indicator_are_refused(coordinator, kinds_round):
    rows = [
        {"Vraag": "W1", "Niveau": 3},  # row 2
        {"Vraag": "K1", "Antwoord": "Voldaan", "Getal": 3},  # row 3
        {"Vraag": "W2", "Antwoord": "Voldaan", "Niveau": "Niet voldaan"},  # row 4
    ]
    assert _refused(kinds_round, coordinator, xlsx(rows)) == [
        "Rij 2: onbekende waarde '3' bij W1; kies voldaan, deels, niet of n.v.t.",
        "Rij 3: bij K1 hoort een getal in de kolom Getal, geen waarde in de kolom Antwoord.",
        "Rij 4: bij W2 spreken de kolommen Antwoord en Niveau elkaar tegen.",
    ]


@pytest.mark.django_db
def test_an_exported_round_with_duties_and_indicators_imports_back_unchanged(
    coordinator, editor, kinds_round
):
    save_answers(
        assessment=kinds_round,
        user=coordinator,
        items=[
            AnswerInput(_question(kinds_round, "A1"), "2", ""),
            AnswerInput(_question(kinds_round, "W1"), "deels", "Nog geen convenant."),
            AnswerInput(_question(kinds_round, "W2"), "nvt", ""),
            AnswerInput(_question(kinds_round, "K1"), "", "", Decimal("14.25")),
        ],
    )
    Response.objects.filter(assessment=kinds_round).update(is_included=True)
    exported = answers_workbook(kinds_round)
    result = import_workbook(
        assessment=kinds_round, user=coordinator, data=exported, kind=ImportKind.ANSWERS
    )
    assert (result.total, result.changed) == (4, 0)
    # Into a colleague's empty response, the same file gives the same answers.
    import_workbook(
        assessment=kinds_round,
        user=coordinator,
        data=exported,
        kind=ImportKind.ANSWERS,
        respondent=editor,
    )
    assert _stored(kinds_round, editor) == _stored(kinds_round, coordinator)


@pytest.mark.django_db
def test_a_duty_or_indicator_row_gets_no_agreed_level(coordinator, kinds_round):
    rows = [
        {"Vraag": "A1", "Vastgesteld niveau": 3, "Onderbouwing": "Samen besproken."},
        {"Vraag": "W1", "Vastgesteld niveau": 2, "Onderbouwing": "x"},
        {"Vraag": "K1", "Vastgesteld niveau": "Voldaan"},
        {"Vraag": "K2", "Onderbouwing": "Alleen een onderbouwing: geen niveau, geen fout."},
    ]
    refused = _refused(
        kinds_round, coordinator, xlsx(rows, headings=AGREED_HEADINGS), ImportKind.AGREED
    )
    assert refused == [
        "Rij 3: W1 is een wettelijke plicht en krijgt geen vastgesteld niveau. Maak de kolom "
        "Vastgesteld niveau leeg.",
        "Rij 4: K1 is een indicator en krijgt geen vastgesteld niveau. Maak de kolom "
        "Vastgesteld niveau leeg.",
    ]
    assert not AgreedLevel.objects.exists()
