"""The prepared access query (assessments/prepared.py) gives exactly what the queryset gives."""

import threading

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments import access
from assessments.models import Assessment, Response
from assessments.prepared import PreparedQuery
from tests.factories import AssessmentFactory


def _fields(obj) -> dict:
    return {name: value for name, value in vars(obj).items() if name != "_state"}


def _through_the_orm(user, pk):
    return next(iter(access._round_for_user(user.pk, pk)), None)


def _assert_same(prepared, orm) -> None:
    assert type(prepared) is type(orm)
    assert _fields(prepared) == _fields(orm)
    assert _fields(prepared.municipality) == _fields(orm.municipality)
    assert _fields(prepared.framework) == _fields(orm.framework)
    assert not prepared._state.adding
    assert prepared._state.db == orm._state.db


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["coordinator", "editor", "viewer", "consultant"])
def test_a_member_gets_the_same_round_as_from_the_queryset(request, assessment, persona):
    user = request.getfixturevalue(persona)
    prepared = access.get_assessment_for_view(user, assessment.pk)
    _assert_same(prepared, _through_the_orm(user, assessment.pk))
    assert prepared.member_role == user.memberships.get(municipality=assessment.municipality).role
    assert prepared.my_response_id is None
    assert prepared.annotated_for_user_id == user.pk


@pytest.mark.django_db
def test_the_users_own_response_comes_with_the_round_and_not_a_colleagues(
    assessment, editor, second_editor
):
    mine = Response.objects.create(assessment=assessment, respondent=editor)
    Response.objects.create(assessment=assessment, respondent=second_editor)
    prepared = access.get_assessment_for_view(editor, assessment.pk)
    assert prepared.my_response_id == mine.pk
    _assert_same(prepared, _through_the_orm(editor, assessment.pk))


@pytest.mark.django_db
def test_values_are_converted_as_the_orm_converts_them(assessment, coordinator):
    """JSON, dates and datetimes come back as Python values on SQLite too."""
    Assessment.objects.filter(pk=assessment.pk).update(
        targets={"wijkbasis": 4}, snapshot={"version": 1}
    )
    prepared = access.get_assessment_for_view(coordinator, assessment.pk)
    assert prepared.targets == {"wijkbasis": 4}
    assert prepared.snapshot == {"version": 1}
    assert prepared.created_at.tzinfo is not None
    _assert_same(prepared, _through_the_orm(coordinator, assessment.pk))


@pytest.mark.django_db
def test_an_outsider_or_an_unknown_round_is_a_404(assessment, outsider, editor):
    other_round = AssessmentFactory()  # another municipality's
    for user, pk in [(outsider, assessment.pk), (editor, other_round.pk), (editor, 10**9)]:
        with pytest.raises(access.NotFoundForUser):
            access.get_assessment_for_view(user, pk)


@pytest.mark.django_db
def test_one_query_and_the_same_sql_whatever_the_values(assessment, editor, coordinator):
    with CaptureQueriesContext(connection) as first:
        access.get_assessment_for_view(editor, assessment.pk)
    with CaptureQueriesContext(connection) as second:
        access.get_assessment_for_view(coordinator, assessment.pk)
    assert len(first) == len(second) == 1
    assert str(editor.pk) in first[0]["sql"] and str(coordinator.pk) in second[0]["sql"]


@pytest.mark.django_db(transaction=True)
def test_each_thread_uses_its_own_connection(assessment, editor):
    """A compiled query holds its thread's connection: another thread compiles its own."""
    access.get_assessment_for_view(editor, assessment.pk)
    found = []

    def look() -> None:
        try:
            found.append(access.get_assessment_for_view(editor, assessment.pk).pk)
        finally:
            connection.close()

    thread = threading.Thread(target=look)
    thread.start()
    thread.join()
    assert found == [assessment.pk]


@pytest.mark.django_db
def test_a_query_whose_argument_is_not_a_parameter_is_refused(assessment):
    query = PreparedQuery(Assessment, lambda pk: Assessment.objects.all()[:1], "pk")
    with pytest.raises(ValueError, match="does not appear"):
        query.first(pk=assessment.pk)
    with pytest.raises(TypeError):
        access._ROUND_FOR_USER.first(pk=assessment.pk)


@pytest.mark.django_db
def test_prepared_rows_are_the_values_lists_rows(assessment, editor, second_editor):
    from assessments.results import _ROUND_ANSWERS, _round_answers
    from assessments.services import AnswerInput, save_answers
    from readiness.models import Question

    assert _ROUND_ANSWERS.rows(assessment_id=assessment.pk) == []
    questions = list(Question.objects.filter(framework=assessment.framework)[:3])
    save_answers(
        assessment=assessment,
        user=editor,
        items=[AnswerInput(q, "2", f"noot <{i}>") for i, q in enumerate(questions)],
    )
    Response.objects.create(assessment=assessment, respondent=second_editor)  # no answers
    rows = _ROUND_ANSWERS.rows(assessment_id=assessment.pk)
    assert sorted(rows, key=repr) == sorted(_round_answers(assessment.pk), key=repr)
    assert len(rows) == 4 and all(isinstance(row, tuple) for row in rows)


@pytest.mark.django_db
def test_rows_of_a_model_query_or_an_instance_of_a_values_query_are_refused(assessment):
    from assessments.results import _ROUND_ANSWERS

    with pytest.raises(ValueError, match="ModelIterable"):
        _ROUND_ANSWERS.first(assessment_id=assessment.pk)
    with pytest.raises(ValueError, match="ValuesListIterable"):
        access._ROUND_FOR_USER.rows(user_id=1, pk=assessment.pk)
