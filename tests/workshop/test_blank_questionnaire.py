"""The printable blank questionnaire: per step and for the whole round, for every member."""

from __future__ import annotations

import pytest
from django.urls import reverse

from assessments.reports import blank
from assessments.reports.blank import (
    blank_questionnaire_pdf,
    build_blank_questionnaire,
)
from tests.factories import make_framework
from tests.helpers.pdf import pdf_text

GENERIC_LEVEL_0 = "Niet aanwezig en (nog) geen aandacht voor."


def _text(pdf: bytes) -> str:
    _reader, pages = pdf_text(pdf)
    # Lines wrap anywhere: compare without line breaks.
    return " ".join(" ".join(pages).split())


def test_the_built_questionnaire_has_each_statements_own_level_texts_or_the_generic_ones(
    assessment,
):
    questionnaire = build_blank_questionnaire(assessment.framework, "wijkbasis", "nl")
    assert [s.code for s in questionnaire.steps] == ["wijkbasis"]
    questions = {q.code: q for s in questionnaire.steps for t in s.themes for q in t.questions}
    assert sorted(questions) == ["A1", "A2", "E1", "E2"]
    a1, a2 = questions["A1"], questions["A2"]
    # Five levels, then weet niet and n.v.t.: seven tick boxes.
    assert [level.label for level in a1.levels] == [
        "0 · Afwezig",
        "1 · Verkennend",
        "2 · In ontwikkeling",
        "3 · Ingericht",
        "4 · Geborgd en lerend",
        "Weet niet",
        "N.v.t.",
    ]
    assert [level.text for level in a1.levels[:5]] == [f"niveau {n}" for n in range(5)]
    assert a2.levels[0].text == GENERIC_LEVEL_0
    assert a1.is_critical and a1.help_text == "Waarom dit ertoe doet."
    assert questionnaire.question_count == 4


@pytest.mark.django_db
def test_the_step_pdf_holds_the_steps_statements_level_texts_and_room_for_notes(
    client, editor, assessment
):
    client.force_login(editor)
    url = reverse("assessments:blank_step_questionnaire", args=[assessment.pk, "wijkbasis"])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="vragenlijst-zonnedal-stap-1.pdf"' in response["Content-Disposition"]
    text = _text(b"".join(response.streaming_content))
    assert "Lege vragenlijst: stap 1, Stevige basis in de wijk" in text
    for code in ("A1", "A2", "E1", "E2"):
        assert f"{code}. Stelling {code}" in text
    assert "Stelling B1" not in text  # another step
    for n in range(5):
        assert f"niveau {n}" in text  # A1's own level texts
    assert GENERIC_LEVEL_0 in text  # the generic scale for the others
    assert "4 · Geborgd en lerend" in text
    assert "Weet niet" in text and "N.v.t." in text
    assert "Waarom dit ertoe doet." in text
    assert text.count("Toelichting of bewijs") == 4  # a box for notes per statement


@pytest.mark.django_db
def test_the_whole_round_pdf_holds_every_statement(client, viewer, assessment):
    client.force_login(viewer)
    response = client.get(reverse("assessments:blank_questionnaire", args=[assessment.pk]))
    assert response.status_code == 200
    assert 'filename="vragenlijst-zonnedal.pdf"' in response["Content-Disposition"]
    reader, pages = pdf_text(b"".join(response.streaming_content))
    text = " ".join(" ".join(pages).split())
    assert "Lege vragenlijst: alle stappen" in text
    for letter, count in {"A": 2, "B": 2, "C": 2, "D": 2, "E": 2, "F": 2, "G": 2, "H": 2}.items():
        for n in range(1, count + 1):
            assert f"{letter}{n}. Stelling {letter}{n}" in text
    for title in (
        "Stap 1: Stevige basis in de wijk",
        "Stap 2: Samenwerken over domeinen en met partners",
        "Stap 3: Start nu",
    ):
        assert title in text
    # Tagged like the report.
    assert reader.trailer["/Root"]["/MarkInfo"]["/Marked"]


@pytest.mark.django_db
def test_an_unknown_step_is_404(client, coordinator, assessment):
    client.force_login(coordinator)
    url = reverse("assessments:blank_step_questionnaire", args=[assessment.pk, "onbekend"])
    assert client.get(url).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["blank_questionnaire", "blank_step_questionnaire"])
def test_another_municipalitys_round_is_404_and_anonymous_goes_to_login(
    client, outsider, assessment, name
):
    args = [assessment.pk] + (["wijkbasis"] if name == "blank_step_questionnaire" else [])
    url = reverse(f"assessments:{name}", args=args)
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    client.force_login(outsider)
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_a_consultant_and_a_closed_round_get_it_too(client, consultant, assessment):
    assessment.status = assessment.Status.CLOSED
    assessment.save()
    client.force_login(consultant)
    response = client.get(reverse("assessments:blank_questionnaire", args=[assessment.pk]))
    assert response.status_code == 200


@pytest.mark.django_db
def test_the_round_page_and_the_step_page_link_to_it(client, editor, assessment):
    client.force_login(editor)
    page = client.get(reverse("assessments:detail", args=[assessment.pk])).content.decode()
    assert reverse("assessments:blank_questionnaire", args=[assessment.pk]) in page
    for step in ("wijkbasis", "samenwerking", "start_nu"):
        url = reverse("assessments:blank_step_questionnaire", args=[assessment.pk, step])
        assert url in page
    step_page = client.get(
        reverse("assessments:questionnaire", args=[assessment.pk, "samenwerking"])
    ).content.decode()
    assert (
        reverse("assessments:blank_step_questionnaire", args=[assessment.pk, "samenwerking"])
        in step_page
    )


@pytest.mark.django_db
def test_a_published_version_is_rendered_once_per_step_and_language(monkeypatch, assessment):
    renders = []

    def fake_render(questionnaire):
        renders.append((questionnaire.step_code, questionnaire.language))
        return f"%PDF-{len(renders)}".encode()

    monkeypatch.setattr(blank, "render_blank_questionnaire", fake_render)
    framework = assessment.framework
    first = blank_questionnaire_pdf(framework, "wijkbasis", "nl")
    assert blank_questionnaire_pdf(framework, "wijkbasis", "nl") == first
    blank_questionnaire_pdf(framework, None, "nl")
    blank_questionnaire_pdf(framework, "wijkbasis", "en")
    blank_questionnaire_pdf(framework, None, "nl")
    assert renders == [("wijkbasis", "nl"), (None, "nl"), ("wijkbasis", "en")]


@pytest.mark.django_db
def test_a_draft_version_is_rendered_every_time(monkeypatch):
    draft = make_framework(questions=8, published=False)
    renders = []
    monkeypatch.setattr(
        blank, "render_blank_questionnaire", lambda q: renders.append(q) or b"%PDF-"
    )
    blank_questionnaire_pdf(draft, None, "nl")
    blank_questionnaire_pdf(draft, None, "nl")
    assert len(renders) == 2


@pytest.mark.django_db
def test_an_english_reader_gets_english_headings_and_its_own_file_name(client, editor, assessment):
    client.force_login(editor)
    client.cookies["django_language"] = "en"
    response = client.get(reverse("assessments:blank_questionnaire", args=[assessment.pk]))
    assert response.status_code == 200
    assert 'filename="vragenlijst-zonnedal-en.pdf"' in response["Content-Disposition"]
    text = _text(b"".join(response.streaming_content))
    assert "Stelling A1" in text  # the content stays Dutch
    # The scale in the reader's language (the new headings follow once translated).
    assert "0 · Absent" in text and "Don't know" in text
    assert "0 · Afwezig" not in text


@pytest.mark.django_db
def test_a_cached_questionnaire_costs_the_access_check_only(
    client, coordinator, assessment, django_assert_max_num_queries
):
    client.force_login(coordinator)
    url = reverse("assessments:blank_questionnaire", args=[assessment.pk])
    first = b"".join(client.get(url).streaming_content)
    with django_assert_max_num_queries(3):  # session, user, the round with the role
        response = client.get(url)
    assert b"".join(response.streaming_content) == first
