"""No log line holds a respondent's name, e-mail address or note: the JSON lines of a
request that saves an answer with a note, and of one that fails with a server error."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import reverse

from assessments.rounds import questionnaire
from config.logs import console_formatter, json_formatter
from readiness.models import Question
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

NOTE = "Geheime toelichting over de woonafspraken"
NAME = ("Annemarie", "Bloemendaal")
EMAIL = "annemarie.bloemendaal@zonnedal.nl"


@pytest.fixture
def respondent(municipality):
    # Invited users log in with their e-mail address (members.services.accept_invitation).
    user = UserFactory(username=EMAIL, email=EMAIL, first_name=NAME[0], last_name=NAME[1])
    MembershipFactory(user=user, municipality=municipality, role="editor", perspective="wonen")
    return user


@pytest.fixture
def log_output() -> Iterator[io.StringIO]:
    """Every line the app logs while the test runs, as the production handler writes it."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(json_formatter())
    loggers = [logging.getLogger(), logging.getLogger("scan.security")]
    for logger in loggers:
        logger.addHandler(handler)
    yield stream
    for logger in loggers:
        logger.removeHandler(handler)


def _post_answer(client, assessment, question):
    return client.post(
        reverse("assessments:answer", args=[assessment.pk, question.pk]),
        {f"q-{question.pk}-value": "3", f"q-{question.pk}-note": NOTE},
        headers={"HX-Request": "true"},
    )


def _assert_no_personal_data(text: str) -> None:
    for secret in (NOTE, EMAIL, *NAME):
        assert secret not in text, secret


def test_saving_an_answer_with_a_note_logs_no_personal_data(
    client, respondent, assessment, log_output
):
    client.force_login(respondent)
    question = Question.objects.filter(framework=assessment.framework).first()
    log_output.seek(0)
    log_output.truncate()  # the lines of the saving request alone (logins: the test below)

    response = _post_answer(client, assessment, question)

    assert response.status_code == 200
    assert question.answers.get().note == NOTE  # the note was really sent and saved
    lines = [json.loads(line) for line in log_output.getvalue().splitlines()]
    assert {"request_started", "request_finished"} <= {line["event"] for line in lines}
    assert all(line["user_id"] == respondent.pk and line["request_id"] for line in lines)
    _assert_no_personal_data(log_output.getvalue())


def test_a_server_error_logs_the_traceback_without_personal_data(
    respondent, assessment, log_output, monkeypatch
):
    def fail(*, assessment, user, question, value, note, number=None):
        raise RuntimeError("opslaan mislukt")  # ``note`` is a local of this frame

    monkeypatch.setattr(questionnaire, "save_answer", fail)
    client = Client(raise_request_exception=False)
    client.force_login(respondent)
    question = Question.objects.filter(framework=assessment.framework).first()

    response = _post_answer(client, assessment, question)

    assert response.status_code == 500
    text = log_output.getvalue()
    assert "opslaan mislukt" in text and "request_failed" in text  # the error is logged
    _assert_no_personal_data(text)


def test_logging_in_and_a_failed_login_log_no_name_or_address(client, respondent, log_output):
    """The security log names a user by id and a typed-in login name by a keyed hash."""
    respondent.set_password("een-lang-genoeg-wachtwoord")
    respondent.save()
    login_url = reverse("login")
    client.post(login_url, {"username": EMAIL, "password": "fout-wachtwoord"})
    client.post(login_url, {"username": EMAIL, "password": "een-lang-genoeg-wachtwoord"})
    lines = [json.loads(line) for line in log_output.getvalue().splitlines()]
    security = [json.loads(line["event"]) for line in lines if line["logger"] == "scan.security"]
    events = {event["event"]: event for event in security}
    assert events["login_failed"]["actor"].startswith("login:")
    assert events["login"]["actor"] == f"user:{respondent.pk}"
    _assert_no_personal_data(log_output.getvalue())


def test_the_readable_format_under_debug_has_no_locals_either(respondent, assessment):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(console_formatter())
    logger = logging.getLogger("tests.privacy")
    logger.addHandler(handler)
    try:
        note = NOTE  # a local of the frame that raises
        raise ValueError(f"mislukt voor {len(note)} tekens")
    except ValueError:
        logger.exception("render mislukt")
    finally:
        logger.removeHandler(handler)

    assert "render mislukt" in stream.getvalue() and "ValueError" in stream.getvalue()
    assert NOTE not in stream.getvalue()
