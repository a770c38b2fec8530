"""The national comparison per theme on the results page and in the report.

Figures only from at least five other municipalities (BENCHMARK_MINIMUM_MUNICIPALITIES),
each by its latest closed round on the same framework version; the viewer's own
municipality never counts; no single municipality's figure is ever shown.
"""

import re

import pytest
from django.urls import reverse

from assessments.models import Assessment, Municipality
from assessments.reports.build import build_report
from assessments.reports.render import render_pdf
from assessments.rounds.benchmark import benchmark_for, latest_theme_scores
from assessments.rounds.results import load_results
from assessments.rounds.services import (
    AnswerInput,
    close_assessment,
    reopen_assessment,
    save_answers,
)
from readiness.benchmark import Distribution
from readiness.models import Question
from tests.factories import AssessmentFactory, MunicipalityFactory, UserFactory, make_framework
from tests.helpers.pdf import pdf_text


def answer_everything(assessment: Assessment, value: str) -> None:
    user = UserFactory()
    questions = Question.objects.filter(framework=assessment.framework)
    save_answers(
        assessment=assessment,
        user=user,
        items=[AnswerInput(question=q, value=value, note="") for q in questions],
    )


def closed_round(framework, value: str, *, municipality: Municipality | None = None):
    """A closed round in which every statement has ``value``: every theme scores
    value × 25 (the weights cancel out)."""
    round_ = AssessmentFactory(
        municipality=municipality or MunicipalityFactory(), framework=framework
    )
    answer_everything(round_, value)
    close_assessment(assessment=round_, user=UserFactory())
    return round_


def section(html: str) -> str:
    """The text of the page's comparison section, without its tags."""
    part = html.split('id="vergelijking"')[1].split("</section>")[0]
    return re.sub(r"<[^>]*>", " ", part.split(">", 1)[1])


@pytest.fixture
def own_round(assessment):
    answer_everything(assessment, "3")
    return assessment


@pytest.mark.django_db
def test_four_other_municipalities_give_no_figures(client, own_round, viewer):
    for value in ("1", "1", "2", "4"):
        closed_round(own_round.framework, value)
    benchmark = benchmark_for(own_round, load_results(own_round))
    assert [row.distribution for row in benchmark.rows] == [None] * 8
    assert not benchmark.has_figures

    client.force_login(viewer)
    html = section(client.get(reverse("assessments:results", args=[own_round.pk])).text)
    assert "nog te weinig gemeenten voor een vergelijking" in html
    # The only number in the section is the minimum: no score, median or count.
    assert set(re.findall(r"\d+", html)) == {"5"}


@pytest.mark.django_db
def test_five_give_quartiles_that_match_a_hand_calculation(client, own_round, viewer):
    # Scores 0, 25, 50, 75, 100 (levels 0..4): with n = 5 the inclusive quartiles sit at
    # positions 1, 2 and 3 of 0..4, so Q1 = 25, median = 50, Q3 = 75.
    for value in ("4", "0", "2", "1", "3"):
        closed_round(own_round.framework, value)
    benchmark = benchmark_for(own_round, load_results(own_round))
    assert [row.code for row in benchmark.rows] == list("AEBDFGCH")
    assert {row.distribution for row in benchmark.rows} == {Distribution(5, 25.0, 50.0, 75.0)}
    assert {row.own for row in benchmark.rows} == {75}

    client.force_login(viewer)
    html = section(client.get(reverse("assessments:results", args=[own_round.pk])).text)
    assert "nog te weinig" not in html
    assert " ".join(html.split()).count("75 50 25–75 5") == 8


@pytest.mark.django_db
def test_the_viewers_own_round_is_left_out_of_its_comparison(
    own_round, coordinator, django_capture_on_commit_callbacks
):
    close_assessment(assessment=own_round, user=coordinator)  # all at level 3: 75
    for value in ("0", "0", "0", "0"):
        closed_round(own_round.framework, value)
    # Five municipalities have a closed round, but four are *other* ones.
    assert len(latest_theme_scores(own_round.framework_id)) == 5
    assert not benchmark_for(own_round, load_results(own_round)).has_figures

    with django_capture_on_commit_callbacks(execute=True):  # the cache is dropped on commit
        closed_round(own_round.framework, "0")
    rows = benchmark_for(own_round, load_results(own_round)).rows
    assert {row.distribution for row in rows} == {Distribution(5, 0.0, 0.0, 0.0)}


@pytest.mark.django_db
def test_only_the_latest_closed_round_of_the_same_version_counts(own_round):
    framework = own_round.framework
    others = [closed_round(framework, "0") for _ in range(4)]
    # One of them closes a newer round at level 4: that one counts, the older does not.
    closed_round(framework, "4", municipality=others[0].municipality)
    # Not counted: an open round, a round on another version, a demo municipality.
    open_round = AssessmentFactory(framework=framework)
    answer_everything(open_round, "4")
    closed_round(make_framework(questions=16), "4")
    closed_round(framework, "4", municipality=MunicipalityFactory(is_demo=True))

    scores = latest_theme_scores(framework.pk)
    assert sorted(s["A"] for s in scores.values()) == [0.0, 0.0, 0.0, 100.0]
    assert not benchmark_for(own_round, load_results(own_round)).has_figures


@pytest.mark.django_db
def test_closing_or_reopening_a_round_refreshes_the_cached_scores(
    own_round, django_capture_on_commit_callbacks
):
    framework = own_round.framework
    for _ in range(4):
        closed_round(framework, "2")
    assert not benchmark_for(own_round, load_results(own_round)).has_figures  # now cached

    with django_capture_on_commit_callbacks(execute=True):
        fifth = closed_round(framework, "2")
    assert benchmark_for(own_round, load_results(own_round)).has_figures

    with django_capture_on_commit_callbacks(execute=True):
        reopen_assessment(assessment=fifth, user=UserFactory(), reason="Nog een invuller")
    assert not benchmark_for(own_round, load_results(own_round)).has_figures


@pytest.mark.django_db
def test_the_report_shows_the_comparison_only_with_enough_municipalities(
    own_round, django_capture_on_commit_callbacks
):
    for value in ("1", "1", "1", "4"):
        closed_round(own_round.framework, value)
    report = build_report(own_round)
    assert report.benchmark is not None and not report.benchmark.has_figures
    _reader, pages = pdf_text(render_pdf(report))
    text = " ".join(" ".join(pages).split())
    part = text.split("Vergelijking met andere gemeenten")[2].split("Eerst uitzoeken")[0]
    assert "nog te weinig gemeenten voor een vergelijking" in part
    # No other municipality's score (25 or 100), nor a median or count, in the section.
    assert not {"25", "100", "4"} & set(re.findall(r"\d+", part))

    with django_capture_on_commit_callbacks(execute=True):
        closed_round(own_round.framework, "4")
    report = build_report(own_round)
    assert {row.distribution for row in report.benchmark.rows} == {
        Distribution(5, 25.0, 25.0, 100.0)
    }
    _reader, pages = pdf_text(render_pdf(report))
    part = " ".join(" ".join(pages).split()).split("Vergelijking met andere gemeenten")[2]
    assert "25–100" in part.split("Eerst uitzoeken")[0]
