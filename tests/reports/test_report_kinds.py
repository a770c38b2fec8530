"""The report and the exports with legal duties, indicators and statements for one role:
shown apart, never in a score."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from assessments.models import Assessment, Response
from assessments.plans.exports import answers_csv, answers_workbook
from assessments.reports.build import build_report
from assessments.reports.contents import DutyLine, DutyTotals, IndicatorLine, StatementLine
from assessments.reports.render import render_pdf
from assessments.rounds.services import save_answer
from readiness.models import Question
from tests.factories import AssessmentFactory, add_statement_kinds, make_framework
from tests.helpers.pdf import pdf_text


@pytest.fixture
def regio(municipality, editor) -> Assessment:
    """A regiogemeente's round: every maturity statement at level 2, W1 voldaan, W2 deels,
    K1 14,5 weeks; the response counts."""
    municipality.region_role = "regiogemeente"
    municipality.save()
    framework = add_statement_kinds(make_framework(questions=16))
    assessment = AssessmentFactory(municipality=municipality, framework=framework)
    questions = {q.code: q for q in Question.objects.filter(framework=framework)}
    for code, question in questions.items():
        if question.kind == "maturity" and code not in {"C9", "P1"}:
            save_answer(assessment=assessment, user=editor, question=question, value="2", note="")
    for code, value in (("W1", "voldaan"), ("W2", "deels")):
        save_answer(
            assessment=assessment, user=editor, question=questions[code], value=value, note=""
        )
    save_answer(
        assessment=assessment,
        user=editor,
        question=questions["K1"],
        value="",
        note="",
        number=Decimal("14.5"),
    )
    Response.objects.filter(assessment=assessment).update(is_included=True)
    return assessment


@pytest.mark.django_db
def test_the_report_holds_duties_indicators_and_the_other_roles_statements_apart(regio):
    report = build_report(regio)
    assert report.duty_totals == DutyTotals(met=1, applicable=2)
    assert report.duty_totals.text == "wettelijke plichten: 1 van 2 voldaan"
    assert report.duties == (
        DutyLine("W1", "Stelling W1", "Wgs art. 4a", "Voldaan", True),
        DutyLine("W2", "Stelling W2", "Wvggz art. 5:1", "Deels voldaan", False),
        DutyLine("W3", "Stelling W3", "", "N.v.t.", False),
    )
    assert report.indicators == (
        IndicatorLine("K1", "Stelling K1", "14,5", "weken", "2026", ()),
        IndicatorLine("K2", "Stelling K2", "–", "huishoudens", "2026", ()),
    )
    assert report.not_for_role == (
        StatementLine("W3", "Stelling W3"),
        StatementLine("C9", "Stelling C9"),
    )
    # Level 2 everywhere: exactly 50, whatever the duties and indicators said.
    assert report.overall.value == 50
    codes = {g.code for step in report.steps for t in step.themes for g in t.gaps}
    assert not codes & {"W1", "W2", "W3", "K1", "K2", "C9"}
    appendix = {row.code: row.result for row in report.appendix}
    assert (appendix["W2"], appendix["K1"], appendix["C9"]) == (
        "Deels voldaan",
        "14,5",
        "N.v.t. voor deze gemeente",
    )


@pytest.mark.django_db
def test_the_pdf_says_how_many_legal_duties_are_met(regio):
    _reader, pages = pdf_text(render_pdf(build_report(regio)))
    text = re.sub(r"\s+", " ", " ".join(pages))
    assert "wettelijke plichten: 1 van 2 voldaan" in text
    assert "Wettelijke plichten en indicatoren" in text
    assert "Wvggz art. 5:1" in text and "14,5" in text


@pytest.mark.django_db
def test_the_answers_workbook_has_the_kinds_in_their_own_columns_and_sheet(regio):
    workbook = load_workbook(io.BytesIO(answers_workbook(regio)))
    assert workbook.sheetnames == ["Antwoorden", "Scores", "Plichten en indicatoren", "Metadata"]
    answers = list(workbook["Antwoorden"].values)
    header = list(answers[0])
    rows = {row[2]: dict(zip(header, row, strict=True)) for row in answers[1:]}
    assert (rows["W2"]["Antwoord"], rows["W2"]["Niveau"], rows["W2"]["Soort stelling"]) == (
        "Deels voldaan",
        None,
        "Wettelijke plicht",
    )
    assert (rows["K1"]["Getal"], rows["K1"]["Niveau"], rows["K1"]["Soort stelling"]) == (
        14.5,
        None,
        "Indicator",
    )
    assert rows["A1"]["Soort stelling"] == "Volwassenheid" and rows["A1"]["Niveau"] == 2
    kinds = list(workbook["Plichten en indicatoren"].values)
    assert kinds[0] == (
        "Soort stelling",
        "Vraag",
        "Stelling",
        "Grondslag",
        "Uitkomst",
        "Getal",
        "Eenheid",
        "Periode",
    )
    duty, none3 = "Wettelijke plicht", (None, None, None)
    assert kinds[1:] == [
        (duty, None, "wettelijke plichten: 1 van 2 voldaan", None, None, *none3),
        (duty, "W1", "Stelling W1", "Wgs art. 4a", "Voldaan", *none3),
        (duty, "W2", "Stelling W2", "Wvggz art. 5:1", "Deels voldaan", *none3),
        (duty, "W3", "Stelling W3", None, "N.v.t.", *none3),
        ("Indicator", "K1", "Stelling K1", None, None, 14.5, "weken", "2026"),
        ("Indicator", "K2", "Stelling K2", None, None, None, "huishoudens", "2026"),
    ]
    # Scores never list a duty or an indicator.
    scores = [row[1] for row in workbook["Scores"].values]
    assert not {"W1", "K1"} & set(scores)


@pytest.mark.django_db
def test_the_answers_csv_has_the_kind_and_the_number(regio):
    text = answers_csv(regio).decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0].endswith(";Soort stelling;Getal")
    k1 = next(line for line in lines if ";K1;" in line)
    assert k1.endswith(";Indicator;14,5")
    w1 = next(line for line in lines if ";W1;" in line)
    assert ";Voldaan;" in w1 and w1.endswith(";Wettelijke plicht;")
