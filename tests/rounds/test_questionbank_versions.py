"""Question-bank versions side by side: old rounds keep their results, proposals and report;
new rounds get the newest published version. The tests of 2027.1's bound actions load
2026.1 and 2027.1 only, as a deployment did before 2027.2 shipped (2027.2 has its own
tests in tests/readiness/test_questionbank_v3.py)."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import call_command

from assessments.demo import create_example_round
from assessments.models import Action, Assessment
from assessments.plans.services import propose_actions
from assessments.reports.build import build_report
from assessments.rounds.proposals import template_proposals
from assessments.rounds.results import compute_results
from assessments.rounds.services import (
    AnswerInput,
    close_assessment,
    save_answers,
    start_assessment,
)
from readiness.models import ActionTemplate, FrameworkVersion, Question
from readiness.questionbank import QUESTIONBANK_DIR, load_questionbank
from tests.factories import MunicipalityFactory, UserFactory

TODAY = datetime.date(2026, 11, 23)


def load_2026_1_and_2027_1() -> None:
    for version in ("2026.1", "2027.1"):
        load_questionbank(QUESTIONBANK_DIR / f"beschermd-thuis-{version}.toml")


def answer_all(assessment: Assessment, user, level_of) -> None:
    questions = Question.objects.filter(framework=assessment.framework).order_by("order")
    save_answers(
        assessment=assessment,
        user=user,
        items=[AnswerInput(q, level_of(q), "") for q in questions],
    )


def proposals_of(assessment: Assessment) -> list[tuple[str, tuple[str, ...], int]]:
    templates = ActionTemplate.objects.filter(framework=assessment.framework).select_related(
        "theme", "question"
    )
    _by_code, proposals = template_proposals(compute_results(assessment), templates)
    return [(p.template_code, p.question_codes, p.priority) for p in proposals]


@pytest.mark.django_db
def test_a_closed_2026_1_report_is_the_same_after_loading_2027_1(municipality, editor):
    load_questionbank(QUESTIONBANK_DIR / "beschermd-thuis-2026.1.toml")
    round_ = start_assessment(municipality=municipality, user=editor, title="Nulmeting")
    answer_all(round_, editor, lambda q: str(len(q.code) % 4))
    propose_actions(assessment=round_, user=editor, today=TODAY)
    close_assessment(assessment=round_, user=editor)
    before = build_report(Assessment.objects.get(pk=round_.pk))

    call_command("load_questionbank", stdout=StringIO())  # every file: 2026.1 unchanged

    assert FrameworkVersion.objects.count() == len(
        list(QUESTIONBANK_DIR.glob("beschermd-thuis-*.toml"))
    )
    after = build_report(Assessment.objects.get(pk=round_.pk))
    assert after == before


@pytest.mark.django_db
def test_an_open_2026_1_round_keeps_exactly_its_theme_bound_proposals(municipality, editor):
    load_questionbank(QUESTIONBANK_DIR / "beschermd-thuis-2026.1.toml")
    round_ = start_assessment(municipality=municipality, user=editor, title="Nulmeting")
    # A gap on A12 only: 2026.1's theme template A-4 ("aanspreekpunt voor naasten") fires
    # on it too. That is the old binding, kept so old rounds do not change.
    answer_all(round_, editor, lambda q: "1" if q.code == "A12" else "4")

    assert proposals_of(round_) == [
        ("A-1", ("A12",), 2),
        ("A-2", ("A12",), 2),
        ("A-4", ("A12",), 2),
        ("A-5", ("A12",), 2),
    ]


@pytest.mark.django_db
def test_a_2027_1_action_is_proposed_only_for_gaps_on_its_own_statements(municipality, editor):
    load_2026_1_and_2027_1()
    round_ = start_assessment(municipality=municipality, user=editor, title="Herhaling")
    assert round_.framework.version == "2027.1"
    # A gap on ervaringsdeskundigen in de ondersteuning (A11) only.
    answer_all(
        round_, editor, lambda q: "1" if q.key == "ervaringsdeskundigen-ondersteuning" else "4"
    )

    assert proposals_of(round_) == [("A-8", ("A11",), 4)]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "start"),
    [
        ("", "Maak in de regio een overgangsplan"),
        ("centrumgemeente", "Maak met de regiogemeenten een overgangsplan"),
        ("regiogemeente", "Maak met de centrumgemeente een overgangsplan"),
    ],
)
def test_a_proposed_action_gets_the_wording_for_the_region_role_and_its_done_when(role, start):
    load_2026_1_and_2027_1()
    municipality = MunicipalityFactory(region_role=role)
    user = UserFactory()
    round_ = start_assessment(municipality=municipality, user=user, title="Meting")
    answer_all(round_, user, lambda q: "0" if q.key == "overgang-clienten" else "4")

    (action,) = propose_actions(assessment=round_, user=user, today=TODAY)

    assert action.description.startswith(start)
    assert action.done_when == "De colleges in de regio hebben het overgangsplan vastgesteld."
    assert action.owner == "wethouder zorg"
    assert action.owner_domain == "regio"
    assert list(Action.objects.get(pk=action.pk).questions.values_list("code", flat=True)) == ["F5"]


@pytest.mark.django_db
def test_the_demo_round_stays_on_2026_1(municipality, editor):
    call_command("load_questionbank", stdout=StringIO())

    round_ = create_example_round(municipality, editor)

    assert round_.framework.version == "2026.1"
