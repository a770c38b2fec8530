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

from assessments.rounds import services as round_services
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


def _forget_login(stream: io.StringIO) -> None:
    """Drop the security log's login line: it names the actor by username (for an invited
    user their e-mail address) by design, for the SIEM (docs/security.md). This test is
    about the lines of the request itself."""
    stream.seek(0)
    stream.truncate()


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
    _forget_login(log_output)
    question = Question.objects.filter(framework=assessment.framework).first()

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
    def fail(*, assessment, user, question, value, note):
        raise RuntimeError("opslaan mislukt")  # ``note`` is a local of this frame

    monkeypatch.setattr(round_services, "save_answer", fail)
    client = Client(raise_request_exception=False)
    client.force_login(respondent)
    _forget_login(log_output)
    question = Question.objects.filter(framework=assessment.framework).first()

    response = _post_answer(client, assessment, question)

    assert response.status_code == 500
    text = log_output.getvalue()
    assert "opslaan mislukt" in text and "request_failed" in text  # the error is logged
    _assert_no_personal_data(text)


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
