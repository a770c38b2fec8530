"""The questionnaire's step page (assessments/rounds/questionnaire.py and its template): the
respondent's answers in place, escaped, with their save time and validation messages."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from assessments import access
from assessments.models import Answer
from assessments.rounds import questionnaire
from assessments.rounds.services import AnswerInput, save_answers
from readiness.models import AnswerValue, Question

NASTY_NOTE = "Zie <script>alert(\"x\")</script> & 'rapport'\nregel twee"
ESCAPED_NOTE = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;rapport&#x27;"


def _page(assessment, user, step="wijkbasis"):
    loaded = access.get_assessment_for_view(user, assessment.pk)
    return questionnaire.build_step_page(loaded, user, step)


def _step_url(assessment, step="wijkbasis"):
    return reverse("assessments:questionnaire", args=[assessment.pk, step])


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


def _fieldset(html: str, code: str) -> str:
    start = html.index(f'id="vraag-{code}"')
    return html[start : html.index("</fieldset>", start)]


@pytest.mark.django_db
@pytest.mark.parametrize("step", ["wijkbasis", "samenwerking", "start_nu"])
def test_each_question_shows_the_saved_value_checked_and_the_note_escaped(
    client, answered, editor, step
):
    client.force_login(editor)
    html = client.get(_step_url(answered, step)).content.decode()
    page = _page(answered, editor, step)
    assert page.rows
    for row in page.rows:
        fieldset = _fieldset(html, row.question.code)
        assert fieldset.count(" checked") == (1 if row.value else 0), row.question.code
        if row.value:
            assert f'value="{row.value}" checked' in fieldset
        assert "<script>" not in fieldset
        if row.note:
            assert ESCAPED_NOTE in fieldset
        assert reverse("assessments:answer", args=[answered.pk, row.question.pk]) in fieldset
        assert (
            reverse("assessments:answer_history", args=[answered.pk, row.question.pk]) in fieldset
        )


@pytest.mark.django_db
def test_a_viewer_sees_the_questions_disabled_without_autosave(client, answered, viewer):
    client.force_login(viewer)
    html = client.get(_step_url(answered)).content.decode()
    assert "data-autosave" not in html
    assert "disabled" in _fieldset(html, "A1")
    assert "Alle antwoorden van deze stap opslaan" not in html


@pytest.mark.django_db
def test_the_saved_time_is_shown_in_the_local_time_zone_and_language(client, assessment, editor):
    question = Question.objects.filter(framework=assessment.framework).order_by("order").first()
    save_answers(
        assessment=assessment,
        user=editor,
        items=[AnswerInput(question=question, value="2", note="")],
    )
    saved_at = datetime.datetime(2027, 3, 5, 23, 30, tzinfo=datetime.UTC)  # 6 March in NL
    Answer.objects.filter(question=question).update(updated_at=saved_at)
    client.force_login(editor)
    html = client.get(_step_url(assessment)).content.decode()
    assert "Laatst opgeslagen: 6 maart 00:30" in _fieldset(html, question.code)
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        html = client.get(_step_url(assessment)).content.decode()
    assert "6 March 00:30" in _fieldset(html, question.code)


@pytest.mark.django_db
def test_a_rejected_plain_post_shows_each_questions_messages(client, assessment, editor):
    client.force_login(editor)
    question = Question.objects.filter(framework=assessment.framework).order_by("order").first()
    prefix = f"q-{question.pk}"
    response = client.post(
        _step_url(assessment), {f"{prefix}-value": "9", f"{prefix}-note": "x" * 5001}
    )
    assert response.status_code == 400
    fieldset = _fieldset(response.content.decode(), question.code)
    assert "is-invalid" in fieldset
    assert 'aria-invalid="true"' in fieldset
    assert "Kies een niveau van 0 tot en met 4" in fieldset
    assert not Answer.objects.filter(question=question).exists()
    # The messages belong to that request: the statement's cached fragment never has them.
    fieldset = _fieldset(client.get(_step_url(assessment)).content.decode(), question.code)
    assert "is-invalid" not in fieldset
    assert "Kies een niveau van 0 tot en met 4" not in fieldset


@pytest.mark.django_db
def test_an_unknown_step_gives_none(assessment, editor):
    assert _page(assessment, editor, "bestaat-niet") is None


@pytest.mark.django_db
def test_a_questions_source_note_is_shown_behind_bron(client, assessment, editor):
    question = Question.objects.filter(framework=assessment.framework).order_by("order").first()
    Question.objects.filter(pk=question.pk).update(source_note="S1: een breed palet van steun")
    client.force_login(editor)
    fieldset = _fieldset(client.get(_step_url(assessment)).content.decode(), question.code)
    assert "<summary>Bron</summary>" in fieldset
    assert "S1: een breed palet van steun" in fieldset


@pytest.mark.django_db
def test_a_basic_condition_is_called_basisvoorwaarde_not_kritiek(client, assessment, editor):
    critical = Question.objects.filter(framework=assessment.framework, is_critical=True).first()
    client.force_login(editor)
    fieldset = _fieldset(client.get(_step_url(assessment)).content.decode(), critical.code)
    assert "basisvoorwaarde" in fieldset
    assert "kritiek" not in fieldset


@pytest.mark.django_db
def test_the_cached_answer_scale_follows_each_respondents_own_value(
    client, assessment, editor, second_editor
):
    """The scale is a cached fragment per question, value and language: two respondents
    with different answers, and a changed answer, each see their own choice checked."""
    question = Question.objects.filter(framework=assessment.framework).order_by("order").first()
    save_answers(assessment=assessment, user=editor, items=[AnswerInput(question, "1", "")])
    save_answers(assessment=assessment, user=second_editor, items=[AnswerInput(question, "3", "")])
    for user, value in ((editor, "1"), (second_editor, "3"), (editor, "1")):
        client.force_login(user)
        fieldset = _fieldset(client.get(_step_url(assessment)).content.decode(), question.code)
        assert f'value="{value}" checked' in fieldset
        assert fieldset.count(" checked") == 1
    save_answers(assessment=assessment, user=editor, items=[AnswerInput(question, "4", "")])
    client.force_login(editor)
    client.cookies["django_language"] = "en"
    fieldset = _fieldset(client.get(_step_url(assessment)).content.decode(), question.code)
    assert 'value="4" checked' in fieldset
    assert "4 · Embedded and learning" in fieldset  # not the Dutch fragment


@pytest.mark.django_db
def test_a_drafts_statement_texts_are_drawn_anew_on_every_request(client, municipality, editor):
    """A published version's statement texts are cached fragments (they cannot change once a
    round uses it); a draft's can still change, so its page never comes from the cache."""
    from tests.factories import AssessmentFactory, make_framework

    draft = AssessmentFactory(
        municipality=municipality, framework=make_framework(questions=4, published=False)
    )
    question = Question.objects.filter(framework=draft.framework).order_by("order").first()
    client.force_login(editor)
    url = _step_url(draft, question.theme.step.code)
    assert question.statement in _fieldset(client.get(url).content.decode(), question.code)
    Question.objects.filter(pk=question.pk).update(
        statement="Nieuwe tekst", help_text="Nieuwe uitleg", level_descriptions=["a"] * 5
    )
    fieldset = _fieldset(client.get(url).content.decode(), question.code)
    assert "Nieuwe tekst" in fieldset
    assert "Nieuwe uitleg" in fieldset
    assert "<li>a</li>" in fieldset


@pytest.mark.django_db
def test_a_published_versions_statement_texts_are_cached_per_content_and_language(
    client, assessment, editor
):
    question = Question.objects.filter(framework=assessment.framework).order_by("order").first()
    client.force_login(editor)
    url = _step_url(assessment, question.theme.step.code)
    client.get(url)
    # Changed behind the version's back (a published version in use refuses changes):
    # the page keeps what the version's content hash stands for.
    Question.objects.filter(pk=question.pk).update(statement="Stiekem veranderd")
    fieldset = _fieldset(client.get(url).content.decode(), question.code)
    assert "Stiekem veranderd" not in fieldset
    assert question.statement in fieldset
    # Another content hash (a restored database, tests reusing ids) is another key.
    framework = assessment.framework
    type(framework).objects.filter(pk=framework.pk).update(content_hash="anders")
    assert "Stiekem veranderd" in _fieldset(client.get(url).content.decode(), question.code)


@pytest.mark.django_db
def test_the_cached_statement_texts_follow_the_language(client, assessment, editor):
    question = (
        Question.objects.filter(framework=assessment.framework)
        .exclude(level_descriptions=[])
        .first()
    )
    client.force_login(editor)
    url = _step_url(assessment, question.theme.step.code)
    assert "Wat betekent elk niveau" in _fieldset(client.get(url).content.decode(), question.code)
    client.cookies["django_language"] = "en"
    fieldset = _fieldset(client.get(url).content.decode(), question.code)
    assert "What does each level mean for this question?" in fieldset
    assert "Wat betekent elk niveau" not in fieldset


@pytest.mark.django_db
def test_the_cached_statement_follows_every_change_of_the_row(client, assessment, editor):
    """A statement is one cached fragment per state of its row: a changed level, note,
    number of characters, save time or carried-over mark shows at once."""
    question = Question.objects.filter(framework=assessment.framework).order_by("order").first()
    client.force_login(editor)

    def fieldset():
        return _fieldset(client.get(_step_url(assessment)).content.decode(), question.code)

    def answer(note, minute, carried):
        save_answers(assessment=assessment, user=editor, items=[AnswerInput(question, "2", note)])
        Answer.objects.filter(question=question).update(
            updated_at=datetime.datetime(2027, 3, 5, 9, minute, tzinfo=datetime.UTC),
            is_carried_over=carried,
        )

    assert " checked" not in fieldset()
    answer("eerst", 0, carried=True)
    first = fieldset()
    assert 'value="2" checked' in first
    assert ">eerst</textarea>" in first
    assert "5 van 5000 tekens" in first
    assert "5 maart 10:00" in first
    assert "overgenomen" in first
    answer("daarna", 1, carried=False)
    second = fieldset()
    assert ">daarna</textarea>" in second
    assert "6 van 5000 tekens" in second
    assert "5 maart 10:01" in second
    assert "overgenomen" not in second
    # Back to an earlier state: the page draws that state, whichever fragment it comes from.
    answer("eerst", 0, carried=True)
    assert fieldset() == first


def test_the_statement_template_shows_only_what_its_fragment_key_holds():
    """_question.html is cached whole, keyed by StepQuestion.fragment_state: every value of
    the row it shows must be in that key or derived from it, or another state's markup
    would be served. Derived: the prefix and element id (from the question), the note's
    counter (from the note), whether it was saved (from the save text), the messages
    (only on a rejected POST, which is never cached)."""
    import re
    from pathlib import Path

    from django.conf import settings

    template = Path(settings.BASE_DIR, "templates/assessments/rounds/_question.html").read_text()
    template = re.sub(r"{% comment %}.*?{% endcomment %}", "", template, flags=re.S)
    shown = set(re.findall(r"\brow\.(\w+)", template))
    derived = {"question", "prefix", "dom_id", "note_count", "saved_at"}
    derived |= {"value_errors", "note_errors", "number_errors"}
    assert shown, "the template no longer shows any row value: update this test"
    assert shown - derived <= set(questionnaire.StepQuestion.FRAGMENT_FIELDS)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "label", "hint", "history"),
    [
        ("nl", "Toelichting of bewijs", "geen gegevens over individuele inwoners", "Geschiedenis"),
        ("en", "Explanation or evidence", "no data about individual residents", "History"),
    ],
)
def test_every_statement_has_its_note_label_and_history_link_in_the_language(
    client, assessment, editor, language, label, hint, history
):
    """The texts every statement repeats are translated once above the statements
    (questionnaire.html) and used in each: every statement still shows them, in the
    page's language."""
    client.force_login(editor)
    client.cookies["django_language"] = language
    html = client.get(_step_url(assessment)).content.decode()
    rows = _page(assessment, editor).rows
    assert rows
    for row in rows:
        fieldset = _fieldset(html, row.question.code)
        prefix = f"q-{row.question.pk}"
        assert f'for="id_{prefix}-note">{label} <span' in fieldset
        assert f"({hint})</span></label>" in fieldset
        history_url = reverse("assessments:answer_history", args=[assessment.pk, row.question.pk])
        assert f'<a href="{history_url}">{history} ' in fieldset
        assert f"{row.question.code}</a>" in fieldset
