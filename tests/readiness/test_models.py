"""Database rules of the readiness model: unique codes, weights, frozen versions."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from readiness.models import FrameworkVersion, Question
from tests.factories import AssessmentFactory, make_framework


@pytest.mark.django_db
def test_question_code_is_unique_per_framework():
    framework = make_framework(questions=8)
    question = framework.questions.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Question.objects.create(
            framework=framework,
            theme=question.theme,
            code=question.code,
            order=99,
            statement="Dubbel",
            help_text="x",
            sources="S1",
            weight=1,
        )


@pytest.mark.django_db
def test_the_same_code_may_exist_in_another_framework():
    first = make_framework(questions=8)
    second = make_framework(questions=8)
    assert first.questions.filter(code="A1").exists()
    assert second.questions.filter(code="A1").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("weight", [0, 4])
def test_weight_outside_1_to_3_is_refused_by_the_database(weight):
    framework = make_framework(questions=8)
    question = framework.questions.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Question.objects.filter(pk=question.pk).update(weight=weight)


@pytest.mark.django_db
def test_published_framework_in_use_cannot_change():
    framework = make_framework(questions=8)
    AssessmentFactory(framework=framework)
    question = framework.questions.first()
    question.statement = "Andere tekst"
    with pytest.raises(ValidationError, match="nieuwe versie"):
        question.save()
    with pytest.raises(ValidationError):
        question.delete()
    framework.refresh_from_db()
    framework.description = "Anders"
    with pytest.raises(ValidationError):
        framework.save()
    with pytest.raises(ValidationError):
        framework.delete()
    assert Question.objects.get(pk=question.pk).statement != "Andere tekst"


@pytest.mark.django_db
def test_published_framework_not_in_use_can_still_change():
    framework = make_framework(questions=8)
    question = framework.questions.first()
    question.statement = "Betere tekst"
    question.save()
    assert Question.objects.get(pk=question.pk).statement == "Betere tekst"


@pytest.mark.django_db
def test_draft_framework_in_use_is_not_locked():
    framework = make_framework(questions=8, published=False)
    AssessmentFactory(framework=framework)
    assert not framework.is_locked
    assert FrameworkVersion.objects.published().count() == 0


@pytest.mark.django_db
def test_only_a_published_version_has_a_cache_key_and_it_holds_the_content_hash():
    draft = make_framework(published=False)
    published = make_framework()
    FrameworkVersion.objects.filter(pk=published.pk).update(content_hash="abc")
    published.refresh_from_db()
    assert draft.cache_key is None
    assert FrameworkVersion(name="nieuw", version="x").cache_key is None  # not saved
    assert published.cache_key == (published.pk, "abc")
