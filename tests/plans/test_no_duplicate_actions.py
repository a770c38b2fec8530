"""Carrying actions forward and then proposing never gives one action twice.

2026.1 and 2027.1 renumber their action templates (2026.1 C-5 is 2027.1 I-1), and nine
rules keep their title. A round on 2027.1 that carried the open actions of a 2026.1 round
used to get those nine again from "Stel acties voor", the carried copy overdue and
without owner."""

from __future__ import annotations

import datetime
from collections import Counter

import pytest

from assessments.models import Action, Assessment
from assessments.plans.services import propose_actions
from assessments.rounds.services import (
    AnswerInput,
    close_assessment,
    save_answers,
    start_assessment,
)
from readiness.models import ActionTemplate, Question
from readiness.questionbank import QUESTIONBANK_DIR, load_questionbank

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 23)


def answer_all_low(assessment: Assessment, user) -> None:
    questions = Question.objects.filter(framework=assessment.framework_id)
    save_answers(
        assessment=assessment, user=user, items=[AnswerInput(q, "1", "") for q in questions]
    )


def assert_no_duplicates(assessment: Assessment) -> None:
    actions = Action.objects.filter(assessment=assessment)
    titles = Counter(a.title.casefold() for a in actions)
    assert [t for t, n in titles.items() if n > 1] == []
    templates = Counter(a.template_id for a in actions if a.template_id)
    assert [t for t, n in templates.items() if n > 1] == []


def test_carry_forward_across_versions_then_propose_gives_no_duplicates(municipality, editor):
    load_questionbank(QUESTIONBANK_DIR / "beschermd-thuis-2026.1.toml")
    first = start_assessment(municipality=municipality, user=editor, title="Nulmeting")
    answer_all_low(first, editor)
    propose_actions(assessment=first, user=editor, today=TODAY)
    close_assessment(assessment=first, user=editor)
    load_questionbank(QUESTIONBANK_DIR / "beschermd-thuis-2027.1.toml")

    second = start_assessment(
        municipality=municipality, user=editor, title="Herhaalmeting", carry_actions=True
    )
    assert second.framework.version == "2027.1"
    carried = Action.objects.filter(assessment=second)
    # The carried actions whose rule continues in 2027.1 keep it as their template.
    linked = carried.filter(template__isnull=False).select_related("template")
    assert linked.count() == 9
    assert all(a.template.title == a.title for a in linked)
    answer_all_low(second, editor)

    created = propose_actions(assessment=second, user=editor, today=TODAY)

    assert created  # 2027.1 has rules of its own for the gaps
    assert_no_duplicates(second)
    # Proposing again adds nothing.
    assert propose_actions(assessment=second, user=editor, today=TODAY) == []


def test_carry_forward_within_a_version_then_propose_gives_no_duplicates(municipality, editor):
    framework = load_questionbank(QUESTIONBANK_DIR / "beschermd-thuis-2027.1.toml").framework
    first = start_assessment(municipality=municipality, user=editor, title="Nulmeting")
    answer_all_low(first, editor)
    proposed = propose_actions(assessment=first, user=editor, today=TODAY)
    close_assessment(assessment=first, user=editor)

    second = start_assessment(
        municipality=municipality,
        user=editor,
        title="Herhaalmeting",
        framework=framework,
        carry_answers=True,
        carry_actions=True,
    )
    assert Action.objects.filter(assessment=second, template__isnull=False).count() == len(proposed)
    answer_all_low(second, editor)
    assert propose_actions(assessment=second, user=editor, today=TODAY) == []
    assert_no_duplicates(second)


def test_a_template_whose_title_is_already_in_the_plan_is_not_proposed(municipality, editor):
    """A round carried before the link existed (its actions without template), or a user's
    own action of the same title: the rule is not proposed a second time."""
    load_questionbank(QUESTIONBANK_DIR / "beschermd-thuis-2027.1.toml")
    round_ = start_assessment(municipality=municipality, user=editor, title="Nulmeting")
    answer_all_low(round_, editor)
    template = ActionTemplate.objects.filter(framework=round_.framework).first()
    Action.objects.create(assessment=round_, title=f" {template.title.upper()} ")
    propose_actions(assessment=round_, user=editor, today=TODAY)
    assert not Action.objects.filter(assessment=round_, template=template).exists()
    assert_no_duplicates(round_)
