"""Filling in the scan: every URL checked for anonymous, outsider, viewer, editor, closed."""

import threading

import pytest
from django.db import connection
from django.urls import reverse

from assessments.models import Answer, Assessment, Response
from assessments.rounds.services import save_answer
from readiness.models import Question
from tests.factories import AssessmentFactory, close_round, make_framework

HX = {"HTTP_HX_REQUEST": "true"}


def field(question: Question, name: str) -> str:
    return f"q-{question.pk}-{name}"


def first_question(assessment: Assessment, step: str = "wijkbasis") -> Question:
    return (
        Question.objects.filter(framework=assessment.framework, theme__step__code=step)
        .order_by("order")
        .first()
    )


# --- URLs and what each persona may do -------------------------------------------------


def urls(assessment: Assessment) -> dict[str, str]:
    q = first_question(assessment)
    return {
        "home": reverse("assessments:home"),
        "start": reverse("assessments:start", args=[assessment.municipality_id]),
        "detail": reverse("assessments:detail", args=[assessment.pk]),
        "perspective": reverse("assessments:perspective", args=[assessment.pk]),
        "questionnaire": reverse("assessments:questionnaire", args=[assessment.pk, "wijkbasis"]),
        "answer": reverse("assessments:answer", args=[assessment.pk, q.pk]),
        "close": reverse("assessments:close", args=[assessment.pk]),
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", ["home", "start", "detail", "perspective", "questionnaire", "answer", "close"]
)
def test_anonymous_is_sent_to_login(client, assessment, name):
    url = urls(assessment)[name]
    response = client.post(url) if name in {"perspective", "answer"} else client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_anonymous_autosave_gets_401_not_a_login_page(client, assessment):
    response = client.post(urls(assessment)["answer"], {}, **HX)
    assert response.status_code == 401
    assert "niet opgeslagen" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("start", "get"),
        ("start", "post"),
        ("detail", "get"),
        ("perspective", "post"),
        ("questionnaire", "get"),
        ("questionnaire", "post"),
        ("answer", "post"),
        ("close", "get"),
        ("close", "post"),
    ],
)
def test_outsider_gets_404(client, assessment, outsider, name, method):
    client.force_login(outsider)
    response = getattr(client, method)(urls(assessment)[name], {"title": "x"})
    assert response.status_code == 404
    assert not Answer.objects.exists()
    assert Assessment.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("start", "get"),
        ("start", "post"),
        ("perspective", "post"),
        ("questionnaire", "post"),
        ("answer", "post"),
        ("close", "get"),
        ("close", "post"),
    ],
)
def test_viewer_writing_gets_403(client, assessment, viewer, name, method):
    client.force_login(viewer)
    q = first_question(assessment)
    data = {"title": "Nieuw", field(q, "value"): "3", "perspective": "wonen"}
    response = getattr(client, method)(urls(assessment)[name], data)
    assert response.status_code == 403
    assert not Answer.objects.exists()
    assert not Response.objects.exists()
    assert Assessment.objects.count() == 1
    assert Assessment.objects.get().is_open


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["home", "detail", "questionnaire"])
def test_viewer_can_read(client, assessment, viewer, name):
    client.force_login(viewer)
    response = client.get(urls(assessment)[name])
    assert response.status_code == 200
    if name == "questionnaire":
        assert b"disabled" in response.content


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("perspective", {"perspective": "wonen"}),
        ("questionnaire", {}),
        ("answer", {}),
    ],
)
def test_closed_round_refuses_every_write_with_a_message(client, assessment, editor, name, data):
    close_round(assessment, editor)
    before = list(Response.objects.values_list("pk", "perspective"))
    client.force_login(editor)
    q = first_question(assessment)
    data = data or {field(q, "value"): "3"}
    response = client.post(urls(assessment)[name], data)
    assert response.status_code == 403
    assert "afgesloten" in response.content.decode()
    assert not Answer.objects.exists()
    assert list(Response.objects.values_list("pk", "perspective")) == before


@pytest.mark.django_db
def test_closing_an_already_closed_round_is_refused(client, assessment, coordinator):
    close_round(assessment, coordinator)
    client.force_login(coordinator)
    response = client.post(urls(assessment)["close"])
    assert response.status_code == 403
    assert "afgesloten" in response.content.decode()


# --- What editors and coordinators do -----------------------------------------------------


@pytest.mark.django_db
def test_home_lists_the_users_municipalities_and_rounds(client, assessment, editor, consultant):
    client.force_login(consultant)
    other = AssessmentFactory(
        municipality=consultant.memberships.exclude(municipality=assessment.municipality)
        .get()
        .municipality,
        title="Meting van de buren",
    )
    AssessmentFactory(title="Geheime meting")  # a municipality the consultant is not in
    response = client.get(urls(assessment)["home"])
    body = response.content.decode()
    assert response.status_code == 200
    assert assessment.title in body and other.title in body
    assert "Geheime meting" not in body
    assert "Nieuwe meting starten" not in body  # an editor answers; a coordinator starts


@pytest.mark.django_db
def test_coordinator_starts_a_round(client, municipality, framework, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse("assessments:start", args=[municipality.pk]), {"title": "Nulmeting voorjaar 2027"}
    )
    created = Assessment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("assessments:detail", args=[created.pk])
    assert created.title == "Nulmeting voorjaar 2027"
    assert created.framework == framework
    assert created.created_by == coordinator
    assert created.is_open


@pytest.mark.django_db
def test_starting_a_round_without_title_is_a_400_and_creates_nothing(
    client, municipality, framework, coordinator
):
    client.force_login(coordinator)
    response = client.post(reverse("assessments:start", args=[municipality.pk]), {"title": " "})
    assert response.status_code == 400
    assert not Assessment.objects.exists()


@pytest.mark.django_db
def test_editor_autosaves_one_answer(client, assessment, editor):
    client.force_login(editor)
    q = first_question(assessment)
    response = client.post(
        urls(assessment)["answer"], {field(q, "value"): "3", field(q, "note"): "Zie nota."}, **HX
    )
    assert response.status_code == 200
    assert "Opgeslagen om" in response.content.decode()
    answer = Answer.objects.get()
    assert (answer.value, answer.note, answer.question) == ("3", "Zie nota.", q)
    assert answer.response.respondent == editor
    assert answer.updated_by == editor


@pytest.mark.django_db
def test_autosave_without_htmx_redirects_back_to_the_step(client, assessment, editor):
    client.force_login(editor)
    q = first_question(assessment)
    response = client.post(urls(assessment)["answer"], {field(q, "value"): "weet_niet"})
    assert response.status_code == 302
    assert response["Location"] == urls(assessment)["questionnaire"]
    assert Answer.objects.get().value == "weet_niet"


@pytest.mark.django_db
def test_step_form_without_javascript_saves_every_answer(client, assessment, editor):
    client.force_login(editor)
    questions = list(
        Question.objects.filter(framework=assessment.framework, theme__step__code="wijkbasis")
    )
    data = {field(q, "value"): "2" for q in questions}
    data[field(questions[0], "note")] = "Toelichting"
    data[field(questions[1], "value")] = "nvt"
    response = client.post(urls(assessment)["questionnaire"], data)
    assert response.status_code == 302
    saved = {a.question_id: a for a in Answer.objects.all()}
    assert len(saved) == len(questions)
    assert saved[questions[0].pk].note == "Toelichting"
    assert saved[questions[1].pk].value == "nvt"
    follow = client.get(response["Location"])
    assert "zijn opgeslagen" in follow.content.decode()
    assert f"{len(questions)} van {len(questions)} beantwoord" in follow.content.decode()


@pytest.mark.django_db
def test_editor_sets_a_perspective(client, assessment, editor):
    client.force_login(editor)
    response = client.post(urls(assessment)["perspective"], {"perspective": "oov"})
    assert response.status_code == 302
    assert Response.objects.get(respondent=editor).perspective == "oov"


@pytest.mark.django_db
def test_coordinator_closes_a_round(client, assessment, coordinator):
    save_answer(
        assessment=assessment,
        user=coordinator,
        question=first_question(assessment),
        value="2",
        note="",
    )
    Response.objects.filter(assessment=assessment).update(is_included=True)
    client.force_login(coordinator)
    assert client.get(urls(assessment)["close"]).status_code == 200
    response = client.post(urls(assessment)["close"])
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert not assessment.is_open
    assert assessment.closed_by == coordinator


@pytest.mark.django_db
def test_editor_cannot_close_a_round(client, assessment, editor):
    client.force_login(editor)
    assert client.post(urls(assessment)["close"]).status_code == 403
    assessment.refresh_from_db()
    assert assessment.is_open


@pytest.mark.django_db
def test_round_page_shows_respondents_progress_and_where_the_user_left_off(
    client, assessment, editor, second_editor
):
    q1 = first_question(assessment, "wijkbasis")
    q2 = first_question(assessment, "samenwerking")
    save_answer(assessment=assessment, user=second_editor, question=q1, value="1", note="")
    save_answer(assessment=assessment, user=editor, question=q1, value="3", note="")
    save_answer(assessment=assessment, user=editor, question=q2, value="2", note="")
    client.force_login(editor)
    body = client.get(urls(assessment)["detail"]).content.decode()
    total = assessment.framework.questions.count()
    assert f"2 van {total} beantwoord" in body
    assert f"1 van {total} beantwoord" in body
    # The next unanswered statement after the one saved last (issue 21).
    q3 = Question.objects.filter(
        framework=assessment.framework, theme__step__code="samenwerking"
    ).order_by("order")[1]
    continue_url = reverse("assessments:questionnaire", args=[assessment.pk, "samenwerking"])
    assert f"{continue_url}#vraag-{q3.code}" in body


# --- Bad input ------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("value", "note", "message"),
    [
        ("5", "", "Kies een niveau van 0 tot en met 4"),
        ("-1", "", "Kies een niveau van 0 tot en met 4"),
        ("hoog", "", "Kies een niveau van 0 tot en met 4"),
        ("3", "x" * 5001, "maximaal 5000 tekens"),
    ],
)
def test_bad_autosave_is_a_400_with_a_dutch_message_and_stores_nothing(
    client, assessment, editor, value, note, message
):
    client.force_login(editor)
    q = first_question(assessment)
    response = client.post(
        urls(assessment)["answer"], {field(q, "value"): value, field(q, "note"): note}, **HX
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Answer.objects.exists()


@pytest.mark.django_db
def test_a_question_of_another_framework_is_a_400(client, assessment, editor):
    client.force_login(editor)
    foreign = make_framework(questions=8).questions.first()
    url = reverse("assessments:answer", args=[assessment.pk, foreign.pk])
    response = client.post(url, {field(foreign, "value"): "3"}, **HX)
    assert response.status_code == 400
    assert "hoort niet bij deze meting" in response.content.decode()
    assert not Answer.objects.exists()


@pytest.mark.django_db
def test_one_bad_answer_in_the_step_form_stores_none_and_keeps_the_input(
    client, assessment, editor
):
    client.force_login(editor)
    questions = list(
        Question.objects.filter(framework=assessment.framework, theme__step__code="wijkbasis")
    )
    data = {field(q, "value"): "2" for q in questions}
    data[field(questions[0], "note")] = "Mijn toelichting"
    data[field(questions[1], "value")] = "9"
    response = client.post(urls(assessment)["questionnaire"], data)
    body = response.content.decode()
    assert response.status_code == 400
    assert "Niet opgeslagen" in body
    assert "Mijn toelichting" in body
    assert not Answer.objects.exists()


# --- Queries ------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("size", [60, 120])
def test_questionnaire_queries_do_not_grow_with_questions(
    client, municipality, editor, django_assert_max_num_queries, size
):
    assessment = AssessmentFactory(
        municipality=municipality, framework=make_framework(questions=size)
    )
    for q in Question.objects.filter(framework=assessment.framework)[:10]:
        save_answer(assessment=assessment, user=editor, question=q, value="2", note="n")
    client.force_login(editor)
    url = reverse("assessments:questionnaire", args=[assessment.pk, "samenwerking"])
    with django_assert_max_num_queries(7):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.count(b'class="question') == size // 2


@pytest.mark.django_db
def test_saving_one_answer_runs_at_most_6_queries(
    client, assessment, editor, django_assert_max_num_queries
):
    client.force_login(editor)
    q = first_question(assessment)
    url = urls(assessment)["answer"]
    client.post(url, {field(q, "value"): "1"}, **HX)
    with django_assert_max_num_queries(6):
        response = client.post(url, {field(q, "value"): "2"}, **HX)
    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["home", "detail"])
def test_list_pages_have_bounded_queries(
    client, assessment, editor, second_editor, django_assert_max_num_queries, name
):
    for user in (editor, second_editor):
        for q in Question.objects.filter(framework=assessment.framework)[:5]:
            save_answer(assessment=assessment, user=user, question=q, value="2", note="")
    client.force_login(editor)
    url = urls(assessment)[name]
    with django_assert_max_num_queries(8):
        assert client.get(url).status_code == 200


# --- Double saves and colleagues at the same time ----------------------------------------


@pytest.mark.django_db
def test_saving_the_same_answer_twice_leaves_one_answer_with_the_last_value(
    client, assessment, editor
):
    client.force_login(editor)
    q = first_question(assessment)
    client.post(urls(assessment)["answer"], {field(q, "value"): "1", field(q, "note"): "a"}, **HX)
    client.post(urls(assessment)["answer"], {field(q, "value"): "3", field(q, "note"): "b"}, **HX)
    answer = Answer.objects.get()
    assert (answer.value, answer.note) == ("3", "b")
    assert Response.objects.count() == 1


@pytest.mark.django_db
def test_two_editors_answering_the_same_question_keep_their_own_answers(
    client, assessment, editor, second_editor
):
    q = first_question(assessment)
    other_client = client.__class__()
    client.force_login(editor)
    other_client.force_login(second_editor)
    client.post(urls(assessment)["answer"], {field(q, "value"): "1"}, **HX)
    other_client.post(urls(assessment)["answer"], {field(q, "value"): "4"}, **HX)
    client.post(
        urls(assessment)["answer"], {field(q, "note"): "later", field(q, "value"): "1"}, **HX
    )
    answers = {a.response.respondent: a for a in Answer.objects.select_related("response")}
    assert answers[editor].value == "1" and answers[editor].note == "later"
    assert answers[second_editor].value == "4"
    assert Response.objects.filter(assessment=assessment).count() == 2


@pytest.mark.django_db(transaction=True)
def test_concurrent_saves_by_two_editors_never_overwrite_each_other(
    municipality, framework, editor, second_editor
):
    """Real threads, each with its own database connection, saving at the same time."""
    assessment = AssessmentFactory(municipality=municipality, framework=framework)
    questions = list(Question.objects.filter(framework=framework))
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def answer_all(user, value):
        try:
            barrier.wait(timeout=10)
            for q in questions:
                save_answer(assessment=assessment, user=user, question=q, value=value, note=value)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=answer_all, args=(editor, "1")),
        threading.Thread(target=answer_all, args=(second_editor, "4")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    for user, value in ((editor, "1"), (second_editor, "4")):
        mine = Answer.objects.filter(response__respondent=user, response__assessment=assessment)
        assert mine.count() == len(questions)
        assert set(mine.values_list("value", flat=True)) == {value}


@pytest.mark.django_db
def test_the_questionnaire_says_levels_are_cumulative_and_statement_levels_prevail(
    client, assessment, editor
):
    client.force_login(editor)
    response = client.get(urls(assessment)["questionnaire"])
    assert "een niveau telt alleen als ook de lagere niveaus kloppen" in response.text
    assert "Heeft een stelling eigen niveaus, dan gelden die." in response.text
