"""Actions and answers for tests of the action plan, the exports, reminders and trends."""

from __future__ import annotations

import factory

from assessments.models import Action, Assessment
from assessments.rounds.services import AnswerInput, save_answers
from readiness.models import ActionTemplate, FrameworkVersion, Question
from tests.factories import AssessmentFactory


class ActionFactory(factory.django.DjangoModelFactory):
    """An action a user added (no template)."""

    class Meta:
        model = Action

    assessment = factory.SubFactory(AssessmentFactory)
    title = factory.Sequence(lambda n: f"Eigen actie {n}")
    description = "Wat we gaan doen."
    owner = "Beleidsadviseur"
    order = factory.Sequence(lambda n: n)


def answer(assessment: Assessment, user, **levels: str) -> None:
    """Save ``user``'s answers by question code: ``answer(a, editor, A1="2", B2="weet_niet")``."""
    questions = Question.objects.filter(framework=assessment.framework_id, code__in=levels)
    save_answers(
        assessment=assessment,
        user=user,
        items=[AnswerInput(question=q, value=levels[q.code], note="") for q in questions],
    )


def answer_all(assessment: Assessment, user, value: str, **exceptions: str) -> None:
    """Answer every question with ``value``, except the codes given."""
    codes = Question.objects.filter(framework=assessment.framework_id).values_list(
        "code", flat=True
    )
    answer(assessment, user, **{code: exceptions.get(code, value) for code in codes})


def add_question_template(
    framework: FrameworkVersion, question_code: str, **fields
) -> ActionTemplate:
    """An action template for one question; only before a round uses the framework."""
    question = Question.objects.get(framework=framework, code=question_code)
    defaults = {
        "code": f"{question_code}-vraag",
        "order": 100 + question.order,
        "title": f"Actie voor vraag {question_code}",
        "description": "Regel dit bestuurlijk.",
        "owner_domain": "wonen",
        "horizon_months": 12,
        "level": "bestuurlijk",
    }
    return ActionTemplate.objects.create(
        framework=framework, theme=question.theme, question=question, **{**defaults, **fields}
    )
