"""The PDF report: its data exactly, then the PDF smoke-tested through its extracted text.

Rendering a PDF takes about a second, so the PDF tests share renders where they can; the
data tests (``build_report``) render nothing.
"""

from __future__ import annotations

import dataclasses
import datetime
import gc
import logging
import re
from pathlib import Path

import pytest
from django.utils import timezone

from assessments.common.charts import ChartPoint
from assessments.models import Action, Answer, Assessment, Response
from assessments.reports import contents as report_module
from assessments.reports import render as render_module
from assessments.reports.build import build_report
from assessments.reports.contents import (
    AppendixAnswer,
    AppendixRow,
    Decision,
    Disagreement,
    GapLine,
    OpenQuestion,
    Report,
    ScaleLevel,
    Score,
    SourceLine,
    StepSummary,
    Strength,
    ThemeSummary,
    View,
)
from assessments.reports.render import LocalOnlyFetcher, render_pdf
from assessments.rounds.results import ActionRow
from assessments.rounds.services import (
    AnswerInput,
    close_assessment,
    save_answers,
    start_assessment,
)
from readiness.models import ActionTemplate, Question
from readiness.questionbank import QUESTIONBANK_DIR, load_questionbank
from tests.factories import AssessmentFactory, UserFactory, make_framework
from tests.helpers.pdf import pdf_text

SCRIPT = "<script>alert(1)</script>"
LONG_WORD = "x" * 300

# Answers of the three respondents per question (None: no answer row at all). The
# expected report below follows from these by the rules of docs/scoring.md.
ANSWERS: dict[str, tuple[str | None, str | None, str | None]] = {
    "A1": ("1", "1", "2"),  # critical, level 1: caps A, wijkbasis and the round
    "A2": ("3", "4", "3"),
    "E1": ("weet_niet", "weet_niet", None),  # critical, nobody knows: eerst uitzoeken
    "E2": ("4", "2", "0"),  # spread 4: verschil van inzicht
    "B1": ("2", "2", "2"),
    "B2": ("3", "3", "3"),
    "D1": ("0", "1", ""),  # the third respondent only wrote a note
    "D2": ("nvt", "nvt", "nvt"),
    "F1": ("4", "4", "4"),
    "F2": ("1", "3", "weet_niet"),  # spread 2: verschil van inzicht
    "G1": (None, None, None),
    "G2": ("2", None, None),
    "C1": ("2", "2", "2"),  # start_nu has ambition 2: at target
    "C2": ("1", "1", "1"),
    "H1": ("3", None, None),
    "H2": ("0", "0", "0"),
}
NOTES = {
    ("A1", 1): "Crisisdienst is er 's nachts niet.",
    ("B2", 2): SCRIPT,
    ("C2", 1): LONG_WORD,
    ("D1", 3): "Weet ik pas na overleg.",
}


@pytest.fixture
def round_(municipality, editor, second_editor) -> Assessment:
    """An open round of the 16-question test framework, answered as in ANSWERS."""
    framework = make_framework(questions=16)
    # Before any round uses the framework: one bestuurlijk template, for the decisions.
    ActionTemplate.objects.filter(framework=framework, code="F-1").update(level="bestuurlijk")
    assessment = AssessmentFactory(
        municipality=municipality,
        framework=framework,
        title="Nulmeting voorjaar",
        targets={"start_nu": 2},
    )
    third = UserFactory(username="derde")
    responses = [
        Response.objects.create(assessment=assessment, respondent=editor, perspective="wmo_zorg"),
        Response.objects.create(
            assessment=assessment, respondent=second_editor, perspective="wonen"
        ),
        Response.objects.create(assessment=assessment, respondent=third, perspective=""),
    ]
    questions = {q.code: q for q in Question.objects.filter(framework=framework)}
    Answer.objects.bulk_create(
        Answer(
            response=response,
            question=questions[code],
            value=value,
            note=NOTES.get((code, number), ""),
        )
        for code, values in ANSWERS.items()
        for number, (response, value) in enumerate(zip(responses, values, strict=True), 1)
        if value is not None
    )
    crisis = Action.objects.create(
        assessment=assessment,
        title="Crisisbereikbaarheid regelen",
        owner="Team Wmo",
        owner_domain="wmo_zorg",
        status="bezig",
        level="ambtelijk",
        priority=8,
        order=0,
    )
    crisis.questions.set([questions["A1"]])
    table = Action.objects.create(
        assessment=assessment,
        title="Bestuurlijke tafel met partners",
        description="Met aanbieders en corporaties.",
        owner="Wethouder zorg",
        owner_domain="bestuur",
        due_date=datetime.date(2027, 3, 1),
        level="bestuurlijk",
        priority=6,
        order=1,
    )
    table.questions.set([questions["F2"]])
    Action.objects.create(
        assessment=assessment,
        title="Raadsinformatiebrief",
        status="vervallen",
        level="bestuurlijk",
        order=2,
    )
    return Assessment.objects.select_related("municipality", "framework").get(pk=assessment.pk)


def score(value, light, coverage, *, capped=False, sufficient=True) -> Score:
    return Score(
        value=value,
        light=light,
        light_label=light or "onvoldoende beantwoord",
        coverage=coverage,
        is_sufficient=sufficient,
        is_capped=capped,
    )


TARGET_LABELS = {2: "In ontwikkeling", 3: "Ingericht"}


def gap(code, theme, level, label, target, size, priority, critical=False) -> GapLine:
    # The test framework describes the levels of each theme's first question only.
    described = code.endswith("1")
    return GapLine(
        code,
        f"Stelling {code}",
        theme,
        level,
        label,
        target,
        size,
        priority,
        critical,
        target_label=TARGET_LABELS[target],
        level_text=f"niveau {level}" if described else "",
        target_text=f"niveau {target}" if described else "",
    )


def theme(code, value, light, coverage, strengths, gaps, capped=False) -> ThemeSummary:
    return ThemeSummary(
        code=code,
        title=f"Thema {code}",
        score=score(value, light, coverage, capped=capped),
        strengths=tuple(strengths),
        gaps=tuple(gaps),
    )


def strength(code, level, label) -> Strength:
    return Strength(code, f"Stelling {code}", level, label)


GAP_A1 = gap("A1", "A", 1, "Verkennend", 3, 2, 8, critical=True)
GAP_E2 = gap("E2", "E", 2, "In ontwikkeling", 3, 1, 3)
GAP_B1 = gap("B1", "B", 2, "In ontwikkeling", 3, 1, 2)
GAP_D1 = gap("D1", "D", 0, "Afwezig", 3, 3, 6)
GAP_F2 = gap("F2", "F", 1, "Verkennend", 3, 2, 6)
GAP_G2 = gap("G2", "G", 2, "In ontwikkeling", 3, 1, 3)
GAP_C2 = gap("C2", "C", 1, "Verkennend", 2, 1, 3)
GAP_H2 = gap("H2", "H", 0, "Afwezig", 2, 2, 6)


def expected_report(assessment: Assessment, *, date: datetime.date) -> Report:
    """Everything but the appendix, scale and method texts, which have their own tests."""
    return Report(
        language="nl",
        municipality="Zonnedal",
        consultant_name="",
        logo=None,
        consultant_logo=None,
        title="Nulmeting voorjaar",
        status=assessment.status,
        is_concept=assessment.is_open,
        date=date,
        framework_name="Testscan",
        framework_version=assessment.framework.version,
        woonplaatsbeginsel_date=None,
        respondents=("Wmo en zorg", "Wonen", ""),
        # (2×1 + 3×3 + 3×2 + 2×2 + 3×3 + 2×0 + 2×4 + 3×1 + 3×2 + 2×2 + 3×1 + 2×3 + 3×0)
        # ÷ (4 × 33) = 60 ÷ 132 = 45.5; 13 of the 15 applicable questions answered.
        overall=score(45, "oranje", 87, capped=True),
        steps=(
            StepSummary(
                code="wijkbasis",
                number=1,
                title="Stevige basis in de wijk",
                description="",
                target=3,
                target_label="Ingericht",
                score=score(53, "oranje", 75, capped=True),  # 17 ÷ 32
                themes=(
                    theme("A", 55, "oranje", 100, [strength("A2", 3, "Ingericht")], [GAP_A1], True),
                    theme("E", 50, "oranje", 50, [], [GAP_E2]),
                ),
            ),
            StepSummary(
                code="samenwerking",
                number=2,
                title="Samenwerken over domeinen en met partners",
                description="",
                target=3,
                target_label="Ingericht",
                score=score(50, "oranje", 86),  # 30 ÷ 60; D2 n.v.t., G1 empty
                themes=(
                    theme("B", 65, "oranje", 100, [strength("B2", 3, "Ingericht")], [GAP_B1]),
                    theme("D", 0, "rood", 100, [], [GAP_D1]),
                    theme(
                        "F", 55, "oranje", 100, [strength("F1", 4, "Geborgd en lerend")], [GAP_F2]
                    ),
                    theme("G", 50, "oranje", 50, [], [GAP_G2]),
                ),
            ),
            StepSummary(
                code="start_nu",
                number=3,
                title="Start nu",
                description="",
                target=2,
                target_label="In ontwikkeling",
                score=score(33, "rood", 100),  # 13 ÷ 40 = 32.5, rounded half up
                themes=(
                    theme("C", 35, "rood", 100, [strength("C1", 2, "In ontwikkeling")], [GAP_C2]),
                    theme("H", 30, "rood", 100, [strength("H1", 3, "Ingericht")], [GAP_H2]),
                ),
            ),
        ),
        chart_points=(
            ChartPoint("A", "A Thema A", 55.0, "oranje", 75),
            ChartPoint("E", "E Thema E", 50.0, "oranje", 75),
            ChartPoint("B", "B Thema B", 65.0, "oranje", 75),
            ChartPoint("D", "D Thema D", 0.0, "rood", 75),
            ChartPoint("F", "F Thema F", 55.0, "oranje", 75),
            ChartPoint("G", "G Thema G", 50.0, "oranje", 75),
            ChartPoint("C", "C Thema C", 35.0, "rood", 50),
            ChartPoint("H", "H Thema H", 30.0, "rood", 50),
        ),
        top_priorities=(GAP_A1, GAP_D1, GAP_F2, GAP_H2, GAP_E2),
        decisions=(
            Decision(
                title="Bestuurlijke tafel met partners",
                description="Met aanbieders en corporaties.",
                question_codes=("F2",),
                owner="Wethouder zorg",
                due_date=datetime.date(2027, 3, 1),
                is_from_plan=True,
            ),
        ),
        to_investigate=(OpenQuestion("E1", "Stelling E1", "Weet niet"),),
        disagreements=(
            Disagreement(
                code="E2",
                statement="Stelling E2",
                spread=4,
                views=(View(1, "Wmo en zorg", 4), View(2, "Wonen", 2), View(3, "", 0)),
            ),
            Disagreement(
                code="F2",
                statement="Stelling F2",
                spread=2,
                views=(View(1, "Wmo en zorg", 1), View(2, "Wonen", 3)),
            ),
        ),
        actions=(
            ActionRow(
                title="Crisisbereikbaarheid regelen",
                description="",
                question_codes=("A1",),
                owner="Team Wmo",
                owner_domain_code="wmo_zorg",
                due_date=None,
                status_code="bezig",
                level_code="ambtelijk",
                priority=8,
                order=0,
            ),
            ActionRow(
                title="Bestuurlijke tafel met partners",
                description="Met aanbieders en corporaties.",
                question_codes=("F2",),
                owner="Wethouder zorg",
                owner_domain_code="bestuur",
                due_date=datetime.date(2027, 3, 1),
                status_code="gepland",
                level_code="bestuurlijk",
                priority=6,
                order=1,
            ),
            ActionRow(
                title="Raadsinformatiebrief",
                description="",
                question_codes=(),
                owner="",
                owner_domain_code="",
                due_date=None,
                status_code="vervallen",
                level_code="bestuurlijk",
                priority=0,
                order=2,
            ),
        ),
        appendix=(),
        scale=(),
        method=(),
        sources=(SourceLine("S1", "Bronartikel", ""),),
    )


def without_texts(report: Report) -> Report:
    # The timeline depends on today (overdue or not): tests/reports/test_report_trend.py
    # checks it exactly with fixed dates.
    return dataclasses.replace(
        report, appendix=(), scale=(), method=(), benchmark=None, timeline=()
    )


# --- The report's data --------------------------------------------------------------


@pytest.mark.django_db
def test_report_of_an_open_round_is_exactly_its_results(round_):
    report = build_report(round_)

    assert without_texts(report) == expected_report(round_, date=timezone.localdate())
    assert report.is_concept
    assert report.disagreement_count == 2


@pytest.mark.django_db
def test_appendix_lists_every_question_with_each_respondents_answer_and_note(round_):
    appendix = build_report(round_).appendix

    assert [row.code for row in appendix] == list(ANSWERS)
    by_code = {row.code: row for row in appendix}
    assert by_code["A1"] == AppendixRow(
        step="Stevige basis in de wijk",
        theme="A Thema A",
        code="A1",
        statement="Stelling A1",
        sources="S1",
        result="1 · Verkennend",
        answers=(
            AppendixAnswer(
                1, "Wmo en zorg", "1 · Verkennend", "Crisisdienst is er 's nachts niet."
            ),
            AppendixAnswer(2, "Wonen", "1 · Verkennend", ""),
            AppendixAnswer(3, "", "2 · In ontwikkeling", ""),
        ),
    )
    assert by_code["D1"].answers[2] == AppendixAnswer(
        3, "", "Geen antwoord", "Weet ik pas na overleg."
    )
    assert by_code["D2"].result == "N.v.t."
    assert by_code["E1"].result == "Weet niet"
    assert by_code["G1"].result == "Niet beantwoord"
    # A respondent who left a question open (no answer, no note) has no row in it.
    assert by_code["G1"].answers == ()
    assert [a.respondent for a in by_code["G2"].answers] == [1]
    # User text stays as typed in the data; the template escapes it.
    assert by_code["B2"].answers[1].note == SCRIPT


@pytest.mark.django_db
def test_method_section_has_the_scale_and_the_rules(round_):
    report = build_report(round_)

    assert [(s.level, s.label) for s in report.scale] == [
        (0, "Afwezig"),
        (1, "Verkennend"),
        (2, "In ontwikkeling"),
        (3, "Ingericht"),
        (4, "Geborgd en lerend"),
    ]
    assert all(isinstance(s, ScaleLevel) and s.description for s in report.scale)
    assert len(report.method) == 8
    assert any("hoog vanaf 6" in t and "midden van 3 tot 6" in t for t in report.method)
    assert any("rood onder 40, oranje van 40 tot 70, groen vanaf 70" in t for t in report.method)


@pytest.mark.django_db
def test_without_bestuurlijk_actions_the_decisions_are_proposed_from_the_gaps(round_):
    Action.objects.filter(assessment=round_, level="bestuurlijk").delete()

    report = build_report(round_)

    # Template F-1 (bestuurlijk, theme-wide) addresses F's only gap.
    assert report.decisions == (
        Decision(
            title="Actie voor thema F",
            description="Doe iets concreets.",
            question_codes=("F2",),
            owner="",
            due_date=None,
            is_from_plan=False,
        ),
    )


@pytest.mark.django_db
def test_report_shows_the_woonplaatsbeginsel_date_when_it_is_set(round_, settings):
    settings.WOONPLAATSBEGINSEL_DATE = datetime.date(2028, 1, 1)

    assert build_report(round_).woonplaatsbeginsel_date == datetime.date(2028, 1, 1)


@pytest.mark.django_db
def test_build_report_needs_a_bounded_number_of_queries(round_, django_assert_max_num_queries):
    # Results (5), action plan (2), sources (1), templates for proposed decisions (1),
    # the cover's logos (1), the closed rounds before it for "sinds de vorige meting" (1),
    # whatever the number of questions, respondents and actions.
    Action.objects.filter(assessment=round_, level="bestuurlijk").delete()
    with django_assert_max_num_queries(11):
        build_report(round_)


@pytest.mark.django_db
def test_filename_is_a_slug_of_the_municipality_and_the_date(round_):
    report = dataclasses.replace(
        build_report(round_), municipality="'s-Hertogenbosch", date=datetime.date(2026, 11, 23)
    )

    assert report.filename == "actieplan-beschermd-thuis-s-hertogenbosch-2026-11-23-volledig-nl.pdf"


@pytest.mark.django_db
def test_report_of_a_round_without_answers_says_not_enough_answers(assessment):
    report = build_report(assessment)

    assert report.overall == Score(None, None, "onvoldoende beantwoord", 0, False, False)
    assert [step.score.light_label for step in report.steps] == ["onvoldoende beantwoord"] * 3
    assert report.respondents == ()
    assert report.top_priorities == report.decisions == report.disagreements == ()
    assert all(point.score is None for point in report.chart_points)


# --- The PDF ------------------------------------------------------------------------


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def struct_elements(node):
    """Every structure element of a tagged PDF under ``node``, depth first."""
    kids = node.get_object().get("/K")
    if kids is None:
        return
    for kid in kids if isinstance(kids, list) else [kids]:
        kid = kid.get_object()
        if isinstance(kid, dict) and kid.get("/Type", "/StructElem") == "/StructElem":
            yield kid
            yield from struct_elements(kid)


@pytest.mark.django_db
def test_pdf_of_an_open_round(round_, caplog):
    report = build_report(round_)
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        pdf = render_pdf(report)

    # No CSS WeasyPrint ignores, no resource it could not (or may not) load.
    assert [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint")] == []
    assert pdf.startswith(b"%PDF-")
    reader, pages = pdf_text(pdf)
    text = flat(" ".join(pages))
    for expected in [
        "Zonnedal",
        "Bestuurlijke samenvatting",
        "Stevige basis in de wijk",
        "Samenwerken over domeinen en met partners",
        "Start nu",
        "A1 Stelling A1",  # the top priority
        "Gevraagde besluiten van het college",
        "Bestuurlijke tafel met partners",
        "Invoering woonplaatsbeginsel nog niet vastgesteld",
        SCRIPT,  # printed as text, not run or dropped as markup
    ]:
        assert expected in text, expected
    # Every page: the concept marker, the municipality and "pagina n van N".
    for number, page in enumerate(pages, start=1):
        assert "Concept" in page
        assert "Zonnedal" in page
        assert f"pagina {number} van {len(pages)}" in page
    # The 300-character word wraps over several lines instead of running off the page.
    runs = re.findall(r"x{20,}", "\n".join(pages))
    assert "".join(runs) == LONG_WORD
    assert len(runs) > 1

    # Accessible and archivable: tagged PDF/UA, Dutch, a title, bookmarks per section.
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "nl"
    assert root["/MarkInfo"]["/Marked"]
    assert "/StructTreeRoot" in root
    assert b"pdfuaid:part" in root["/Metadata"].get_object().get_data()
    assert reader.metadata.title == "Actieplan beschermd thuis Zonnedal: Nulmeting voorjaar"
    outline = {
        item.title: reader.get_destination_page_number(item)
        for item in reader.outline
        if not isinstance(item, list)
    }
    assert list(outline) == [
        "Bestuurlijke samenvatting",
        "Prioriteiten en ontwikkeling",
        "Grafieken",
        "Resultaten per stap en thema",
        "Vergelijking met andere gemeenten",
        "Eerst uitzoeken en verschil van inzicht",
        "Actieplan",
        "Werkwijze",
        "Bijlage: alle antwoorden en toelichtingen",
    ]
    # The summary is exactly one page: the priorities start on the next one.
    assert outline["Prioriteiten en ontwikkeling"] == outline["Bestuurlijke samenvatting"] + 1
    # The charts (the radar and one bar chart per step) are figures with alternate text.
    figures = [e for e in struct_elements(root["/StructTreeRoot"]) if e["/S"] == "/Figure"]
    assert [str(f["/Alt"]).split(". ")[0] for f in figures] == [
        "Score per thema",
        "Thema's van stap 1: Stevige basis in de wijk",
        "Thema's van stap 2: Samenwerken over domeinen en met partners",
        "Thema's van stap 3: Start nu",
        "Tijdlijn van het actieplan",
    ]


@pytest.mark.django_db
def test_closed_round_report_never_changes_and_is_no_concept(round_, editor, municipality):
    close_assessment(assessment=round_, user=editor)
    closed = Assessment.objects.select_related("municipality", "framework").get(pk=round_.pk)
    before = build_report(closed)

    # Later: a new framework version, a new round for the same municipality, answered;
    # and the old round's answers and actions change in the database behind its back.
    newer = make_framework(version="2")
    again = start_assessment(
        municipality=municipality, user=editor, title="Herhaling", framework=newer
    )
    save_answers(
        assessment=again,
        user=editor,
        items=[AnswerInput(q, "4", "Beter") for q in Question.objects.filter(framework=newer)],
    )
    Answer.objects.filter(response__assessment=round_).update(value="4")
    Action.objects.filter(assessment=round_).update(title="Gewijzigd")
    after = build_report(
        Assessment.objects.select_related("municipality", "framework").get(pk=round_.pk)
    )

    assert after == before
    assert without_texts(before) == expected_report(
        closed, date=timezone.localdate(closed.closed_at)
    )
    assert not before.is_concept
    _reader, pages = pdf_text(render_pdf(before))
    assert not any("Concept" in page for page in pages)


@pytest.mark.django_db
def test_fully_answered_round_of_the_real_question_bank_fits_in_5_to_32_pages(municipality):
    load_questionbank(QUESTIONBANK_DIR / "beschermd-thuis-2026.1.toml")
    users = [UserFactory(username=f"invuller{n}") for n in range(3)]
    assessment = start_assessment(municipality=municipality, user=users[0], title="Nulmeting")
    questions = list(Question.objects.filter(framework=assessment.framework).order_by("order"))
    for n, user in enumerate(users):
        save_answers(
            assessment=assessment,
            user=user,
            items=[
                AnswerInput(q, str((i + n) % 5), "Besproken met de partners." if i % 3 else "")
                for i, q in enumerate(questions)
            ],
        )
    for n in range(30):
        Action.objects.create(assessment=assessment, title=f"Actie {n}", order=n, priority=n)

    reader, pages = pdf_text(render_pdf(build_report(assessment)))

    # 32: the priorities and the trend have had a page of their own since issue 23, so
    # that the summary with the decisions stays on one page.
    assert 5 <= len(reader.pages) <= 32
    assert "Concept" in pages[-1]


@pytest.mark.django_db
def test_notes_keep_their_line_breaks_and_labels_stay_whole(round_):
    note = (
        "We hebben dit besproken in het regio-overleg. De afspraken staan in het werkplan, "
        "maar de uitvoering hangt nog af van een paar mensen. Volgend kwartaal evalueren we."
    )
    views = [(1, "Wmo en zorg", "3 · Ingericht"), (2, "Wonen", "3 · Ingericht")]
    answers = [
        AppendixAnswer(n, perspective, answer, f"{note} ({code})")
        for n, perspective, answer in views
        for code in ["A1", "A10", "B2"]
    ]
    answers.append(AppendixAnswer(3, "", "Geen antwoord", "Eerste regel\nTweede regel"))
    row = dataclasses.replace(build_report(round_).appendix[0], answers=tuple(answers))
    report = dataclasses.replace(build_report(round_), appendix=(row,))

    _reader, pages = pdf_text(render_pdf(report))

    lines = "\n".join(pages).splitlines()
    # Before, WeasyPrint broke "Invuller 2" in two in front of such notes (white-space:
    # pre-wrap), leaving "Invuller" alone on a line.
    assert [line for line in lines if line.strip() == "Invuller"] == []
    assert sum(line.startswith("Invuller 2, Wonen: 3 · Ingericht.") for line in lines) == 3
    assert "Invuller 3: Geen antwoord. Eerste regel" in lines
    assert "Tweede regel" in lines


@pytest.mark.django_db
def test_the_render_pauses_the_garbage_collector_and_restores_it(round_, monkeypatch):
    report = build_report(round_)
    during = []
    monkeypatch.setattr(
        render_module, "_write_pdf", lambda html: during.append(gc.isenabled()) or b"%PDF-"
    )

    assert gc.isenabled()
    render_pdf(report)
    assert during == [False]
    assert gc.isenabled()

    # A collector that was switched off stays off.
    gc.disable()
    try:
        render_pdf(report)
        assert not gc.isenabled()
    finally:
        gc.enable()
    assert during == [False, False]


def test_fetcher_refuses_anything_but_local_static_files_and_data(tmp_path: Path):
    (tmp_path / "style.css").write_text("p {}")
    fetcher = LocalOnlyFetcher(tmp_path)

    assert fetcher((tmp_path / "style.css").as_uri()).read() == b"p {}"
    assert fetcher("data:text/plain,hoi").read() == b"hoi"
    for url in ["https://example.org/style.css", "http://127.0.0.1/", Path("/etc/passwd").as_uri()]:
        with pytest.raises(ValueError, match="may not"):
            fetcher(url)


# --- Priority bands and the report's language ------------------------------------------


@pytest.mark.parametrize(
    ("priority", "band"),
    [(0, ""), (1, "laag"), (2, "laag"), (3, "midden"), (5, "midden"), (6, "hoog"), (24, "hoog")],
)
def test_a_priority_is_shown_as_a_band(priority, band):
    assert report_module.priority_band(priority) == band


@pytest.mark.django_db
def test_the_report_names_bands_and_basisvoorwaarden_not_numbers_or_kritiek(round_):
    _reader, pages = pdf_text(render_pdf(build_report(round_)))
    text = flat(" ".join(pages))

    # A1: a critical gap of 2 on weight 2, priority 8; F2's action: priority 6; B1: 2.
    assert "A1 · 2 niveaus te gaan · prioriteit hoog basisvoorwaarde" in text
    assert "Nu: 1 · Verkennend – niveau 1 Doel: 3 · Ingericht – niveau 3" in text
    assert "B1 · 1 niveau te gaan · prioriteit laag" in text
    assert "kritiek" not in text.lower()
    assert "Instemmen met: Bestuurlijke tafel met partners. Uitvoering: Wethouder zorg." in text
    # One date format throughout: the decision's and the action's due date alike.
    assert text.count("1 maart 2027") == 2
    assert "01-03-2027" not in text
    # The owner is named, or else the domain that takes the action up.
    assert "Wmo en zorg (nog geen eigenaar)" not in text  # the crisis action has an owner
    assert "Team Wmo" in text


@pytest.mark.django_db
def test_an_english_report_keeps_the_statements_dutch(round_):
    report = build_report(round_, language="en")

    assert report.language == "en"
    assert build_report(round_, language="xx").language == "nl"
    reader, pages = pdf_text(render_pdf(report))
    assert reader.trailer["/Root"]["/Lang"] == "en"
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert titles[0] == "Executive summary"
    assert "Stelling A1" in flat(" ".join(pages))


@pytest.mark.django_db
def test_an_english_report_marks_the_dutch_statements_lang_nl(round_, monkeypatch):
    # WeasyPrint writes the document's language only (not one per structure element), so
    # this looks at the HTML it gets.
    html = []
    monkeypatch.setattr(render_module, "_write_pdf", lambda h: html.append(h) or b"%PDF-")

    render_pdf(build_report(round_, language="en"))

    assert '<html lang="en">' in html[0]
    assert '<span class="muted" lang="nl">Stelling A1</span>' in html[0]
    assert '<h3 lang="nl">A1 Stelling A1</h3>' in html[0]
    # In the priorities table, through the dutch filter.
    assert '<span class="qcode">A1</span> <span lang="nl">Stelling A1</span>' in html[0]


@pytest.mark.django_db
def test_a_dutch_report_puts_no_empty_span_round_its_dutch_texts(round_, monkeypatch):
    # In a Dutch report a lang="nl" mark would only repeat the document's language, and an
    # empty span still costs WeasyPrint an inline box of its own.
    html = []
    monkeypatch.setattr(render_module, "_write_pdf", lambda h: html.append(h) or b"%PDF-")

    render_pdf(build_report(round_))

    body = html[0].split("<body>", 1)[1]
    assert "<span>" not in body
    assert 'lang="nl"' not in body
    assert '<span class="qcode">A1</span> Stelling A1' in body
