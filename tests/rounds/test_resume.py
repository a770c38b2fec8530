"""The "Verder waar u was" button goes to the next unanswered statement after the one saved last, in
step and question order, on its step page (issue 21)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import Answer
from assessments.rounds.services import AnswerInput, save_answers
from readiness.content import outline_for


def in_step_order(assessment):
    outline = outline_for(assessment.framework)
    order = {s.code: s.order for s in outline.steps}
    return sorted(outline.questions, key=lambda q: order[q.theme.step.code])


def answer(assessment, user, questions, last):
    """Save ``questions`` (level 2), ``last`` the most recently."""
    save_answers(
        assessment=assessment, user=user, items=[AnswerInput(q, "2", "") for q in questions]
    )
    earlier = timezone.now() - datetime.timedelta(hours=1)
    Answer.objects.filter(response__respondent=user).update(updated_at=earlier)
    Answer.objects.filter(response__respondent=user, question=last).update(
        updated_at=timezone.now()
    )


def resume_link(client, assessment, question) -> str:
    url = reverse("assessments:questionnaire", args=[assessment.pk, question.theme.step.code])
    return f'href="{url}#vraag-{question.code}"'


@pytest.mark.django_db
def test_resume_goes_to_the_next_unanswered_statement_after_the_last_saved(
    client, assessment, editor
):
    questions = in_step_order(assessment)
    # 1, 2, 3 and 5 answered; 2 saved last: the next unanswered one is 4.
    answer(assessment, editor, [questions[i] for i in (0, 1, 2, 4)], last=questions[1])
    client.force_login(editor)
    page = client.get(reverse("assessments:detail", args=[assessment.pk])).text
    assert resume_link(client, assessment, questions[3]) in page
    assert f"Verder waar u was (vraag {questions[3].code})" in page


@pytest.mark.django_db
def test_resume_goes_to_the_next_step_page_after_a_step_is_done(client, assessment, editor):
    questions = in_step_order(assessment)
    first_step = questions[0].theme.step.code
    done = [q for q in questions if q.theme.step.code == first_step]
    answer(assessment, editor, done, last=done[-1])
    following = questions[len(done)]
    assert following.theme.step.code != first_step
    client.force_login(editor)
    page = client.get(reverse("assessments:detail", args=[assessment.pk])).text
    assert resume_link(client, assessment, following) in page


@pytest.mark.django_db
def test_resume_wraps_to_the_first_unanswered_statement(client, assessment, editor):
    questions = in_step_order(assessment)
    answer(assessment, editor, questions[1:], last=questions[-1])
    client.force_login(editor)
    page = client.get(reverse("assessments:detail", args=[assessment.pk])).text
    assert resume_link(client, assessment, questions[0]) in page
