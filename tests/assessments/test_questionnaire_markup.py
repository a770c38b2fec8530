"""The step page's cached question markup (assessments/questionnaire.py) against the
template it is cut from: the same HTML, escaped values, and no cache for draft content."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from assessments import access, questionnaire
from assessments.services import AnswerInput, save_answers
from readiness.models import AnswerValue, Question
from tests.factories import AssessmentFactory, make_framework

NASTY_NOTE = "Zie <script>alert(\"x\")</script> & 'rapport'\nregel twee"


def _page(assessment, user, step="wijkbasis", *, can_edit=True):
    loaded = access.get_assessment_for_view(user, assessment.pk)
    return questionnaire.build_step_page(loaded, user, step, can_edit=can_edit)


@pytest.fixture
def answered(assessment, editor):
    """Every value once, a note with markup in it, and some questions left open."""
    questions = list(Question.objects.filter(framework=assessment.framework).order_by("order"))
    values = ["", *AnswerValue.values]
    save_answers(
        assessment=assessment,
        user=editor,
        items=[
            AnswerInput(question=q, value=values[i % len(values)], note=NASTY_NOTE if i else "")
            for i, q in enumerate(questions[:-3])
        ],
    )
    return assessment


@pytest.mark.django_db
@pytest.mark.parametrize("can_edit", [True, False])
@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("step", ["wijkbasis", "samenwerking", "start_nu"])
def test_cached_markup_is_exactly_what_the_template_renders(
    answered, editor, can_edit, language, step
):
    with translation.override(language):
        page = _page(answered, editor, step, can_edit=can_edit)
        assert page.rows
        for row in page.rows:
            first, cached = row.markup(), row.markup()  # the second comes from the cache
            assert first == cached == row.render(), row.question.code


@pytest.mark.django_db
def test_the_fast_path_escapes_the_note_and_checks_the_saved_value(answered, editor):
    page = _page(answered, editor)
    row = next(r for r in page.rows if r.note)
    html = row.markup()
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;rapport&#x27;" in html
    if row.value:
        assert f'value="{row.value}" checked' in html
    assert html.count(" checked") == (1 if row.value else 0)
    assert reverse("assessments:answer", args=[answered.pk, row.question.pk]) in html
    assert reverse("assessments:answer_history", args=[answered.pk, row.question.pk]) in html


@pytest.mark.django_db
def test_the_saved_time_reads_as_the_date_filter_would_write_it(assessment, editor):
    question = Question.objects.filter(framework=assessment.framework).order_by("order").first()
    save_answers(
        assessment=assessment,
        user=editor,
        items=[AnswerInput(question=question, value="2", note="")],
    )
    saved_at = datetime.datetime(2027, 3, 5, 23, 30, tzinfo=datetime.UTC)  # 6 March in NL
    row = _page(assessment, editor).rows[0]
    row.saved_at = saved_at
    assert "Laatst opgeslagen: 6 maart 00:30" in row.markup()
    with translation.override("en"):
        assert "6 March 00:30" in row.markup()


@pytest.mark.django_db
def test_a_row_with_errors_is_rendered_in_full_with_its_messages(assessment, editor):
    row = _page(assessment, editor).rows[0]
    row.bind({f"{row.prefix}-value": "9", f"{row.prefix}-note": "x" * 5001})
    html = row.markup()
    assert "is-invalid" in html
    assert 'aria-invalid="true"' in html
    assert html == row.render()


@pytest.mark.django_db
def test_a_published_framework_is_read_once_per_process(client, assessment, editor):
    client.force_login(editor)
    url = reverse("assessments:questionnaire", args=[assessment.pk, "wijkbasis"])
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    tables = " ".join(q["sql"] for q in queries.captured_queries)
    assert "readiness_question" not in tables


@pytest.mark.django_db
def test_draft_content_is_never_cached(municipality, editor):
    draft = make_framework(questions=16, published=False)
    assessment = AssessmentFactory(municipality=municipality, framework=draft)
    question = Question.objects.filter(framework=draft).order_by("order").first()
    assert "Eerste versie" not in _page(assessment, editor).rows[0].markup()
    Question.objects.filter(pk=question.pk).update(statement="Eerste versie van de stelling")
    assert "Eerste versie van de stelling" in _page(assessment, editor).rows[0].markup()
    Question.objects.filter(pk=question.pk).update(statement="Tweede versie van de stelling")
    assert "Tweede versie van de stelling" in _page(assessment, editor).rows[0].markup()
    assert not questionnaire._outlines
    assert not questionnaire._markup


@pytest.mark.django_db
def test_other_content_under_a_reused_id_is_not_served_from_the_cache(assessment, editor):
    _page(assessment, editor).rows[0].markup()
    framework = assessment.framework
    question = Question.objects.filter(framework=framework).order_by("order").first()
    # What a restored or reloaded database could hold under the same ids: other content,
    # and so another content hash.
    Question.objects.filter(pk=question.pk).update(statement="Andere inhoud, zelfde id")
    type(framework).objects.filter(pk=framework.pk).update(content_hash="een-andere-hash")
    assert "Andere inhoud, zelfde id" in _page(assessment, editor).rows[0].markup()


@pytest.mark.django_db
def test_the_step_page_answers_query_needs_no_join_for_the_users_own_response(answered, editor):
    loaded = access.get_assessment_for_view(editor, answered.pk)
    with CaptureQueriesContext(connection) as queries:
        questionnaire.build_step_page(loaded, editor, "wijkbasis", can_edit=True)
    assert len(queries) <= 2  # the answers, and the outline the first time
    answers_sql = queries.captured_queries[-1]["sql"]
    assert "assessments_answer" in answers_sql
    assert "JOIN" not in answers_sql


@pytest.mark.django_db
def test_an_unknown_step_gives_none(assessment, editor):
    assert _page(assessment, editor, "bestaat-niet") is None


def test_saved_at_in_the_past_uses_the_local_time_zone():
    row = questionnaire.QuestionRow(
        question=None,  # type: ignore[arg-type]  # status() does not look at the question
        framework=None,  # type: ignore[arg-type]
        can_edit=True,
        answer_url="",
        history_url="",
        saved_at=timezone.make_aware(datetime.datetime(2026, 7, 1, 12, 0), datetime.UTC),
    )
    with translation.override("nl"):
        assert "1 juli 14:00" in row.status()  # summer time in Amsterdam
