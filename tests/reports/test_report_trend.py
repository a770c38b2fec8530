"""The report's "since the previous measurement" and its timeline: checked as data, and the
PDF smoke-tested by its text."""

from __future__ import annotations

import datetime
import io

import pytest
from pypdf import PdfReader

from assessments.models import Action, Assessment
from assessments.reports.build import build_report
from assessments.reports.render import render_pdf
from assessments.reports.trend import StepChangeLine
from assessments.rounds import services as round_services
from readiness.models import Question
from tests.helpers.actions import answer_all

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def later_round(assessment, coordinator, editor, settings):
    settings.WOONPLAATSBEGINSEL_DATE = D(2998, 1, 1)
    answer_all(assessment, editor, "1")
    round_services.close_assessment(assessment=assessment, user=coordinator)
    later = round_services.start_assessment(
        municipality=assessment.municipality,
        user=coordinator,
        title="Herhaalmeting",
        framework=assessment.framework,
    )
    answer_all(later, editor, "2", A1="4")
    Action.objects.create(
        assessment=later, title="Te laat", status="bezig", due_date=D(2000, 1, 1), order=0
    )
    after = Action.objects.create(
        assessment=later, title="Na invoering", due_date=D(2999, 1, 1), order=1
    )
    after.questions.add(Question.objects.get(framework=later.framework, code="A1"))
    Action.objects.create(assessment=later, title="Zonder datum", order=2)
    return Assessment.objects.get(pk=later.pk)


def test_the_report_says_what_changed_per_step_since_the_previous_round(later_round):
    report = build_report(later_round)
    since = report.since_previous
    assert (since.title, since.same_version, since.new_questions) == ("Nulmeting voorjaar", True, 0)
    wijkbasis, samenwerking, start_nu = since.steps
    assert samenwerking == StepChangeLine(
        2, "Samenwerken over domeinen en met partners", 25, 50, 25, "up"
    )
    assert start_nu.delta == 25
    assert wijkbasis.previous == 25 and wijkbasis.current > 50


def test_a_first_round_has_no_since_previous(assessment, editor):
    answer_all(assessment, editor, "2")
    assert build_report(assessment).since_previous is None


def test_the_timeline_lists_dated_actions_with_their_flags(later_round):
    report = build_report(later_round)
    assert [(e.title, e.is_overdue, e.is_after_transition) for e in report.timeline] == [
        ("Te laat", True, False),
        ("Na invoering", False, True),
    ]
    assert (report.overdue_count, report.after_transition_count) == (1, 1)


def test_the_pdf_has_the_section_and_the_timeline(later_round):
    pdf = render_pdf(build_report(later_round))
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Sinds de vorige meting" in text
    assert "▲ +25" in text
    assert "Tijdlijn" in text
    assert "1 actie is te laat" in text
