"""readiness.content: a published version's outline is read once per process; a draft's
every time; other content under a reused id is never served from the cache."""

import pytest

from readiness import content
from readiness.models import FrameworkVersion, Question
from tests.factories import make_framework


@pytest.mark.django_db
def test_a_published_version_is_read_once(django_assert_num_queries):
    framework = make_framework(questions=16)
    first = content.outline_for(framework)
    with django_assert_num_queries(0):
        again = content.outline_for(framework)
    assert again is first
    assert [q.pk for q in first.questions] == list(
        Question.objects.filter(framework=framework).order_by("order").values_list("pk", flat=True)
    )
    # Every question's theme and step came with it: walking there costs no query.
    with django_assert_num_queries(0):
        steps = {q.theme.step.code for q in first.questions}
    assert steps == {s.code for s in first.steps}
    assert [i.code for i in first.infos] == [q.code for q in first.questions]


@pytest.mark.django_db
def test_a_draft_is_read_every_time(django_assert_num_queries):
    draft = make_framework(questions=16, published=False)
    question = Question.objects.filter(framework=draft).order_by("order").first()
    assert content.outline_for(draft).questions[0].statement == question.statement
    Question.objects.filter(pk=question.pk).update(statement="Tweede versie van de stelling")
    with django_assert_num_queries(2):  # themes with their steps, questions
        outline = content.outline_for(draft)
    assert outline.questions[0].statement == "Tweede versie van de stelling"


@pytest.mark.django_db
def test_other_content_under_the_same_id_is_read_anew():
    framework = make_framework(questions=16)
    content.outline_for(framework)
    question = Question.objects.filter(framework=framework).order_by("order").first()
    # What a restored or reloaded database could hold under the same ids: other content,
    # and so another content hash.
    Question.objects.filter(pk=question.pk).update(statement="Andere inhoud, zelfde id")
    FrameworkVersion.objects.filter(pk=framework.pk).update(content_hash="een-andere-hash")
    framework.refresh_from_db()
    assert content.outline_for(framework).questions[0].statement == "Andere inhoud, zelfde id"
