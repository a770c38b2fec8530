"""A database that cannot be reached: every page and ``/healthz`` answer 503 with
``Retry-After`` (with a session cookie too), and after the database is back the same
browser is served again without a restart."""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import DataError, IntegrityError, OperationalError, ProgrammingError, connection
from django.http import HttpRequest, HttpResponse
from django.urls import path, reverse
from django.utils import translation

from assessments.common import outage
from config import urls as project_urls
from tests.factories import UserFactory

UNAVAILABLE = "De scan is even niet beschikbaar. Wat u als opgeslagen zag, is bewaard."

# Views that raise one database error each, to tell an outage from a query that is wrong.
ERRORS = {
    "operational": OperationalError,
    "integrity": IntegrityError,
    "programming": ProgrammingError,
    "data": DataError,
}


def _raise(request: HttpRequest, kind: str) -> HttpResponse:
    raise ERRORS[kind]("raised by the test view")


urlpatterns = [path("kapot/<str:kind>/", _raise), *project_urls.urlpatterns]
handler500 = project_urls.handler500


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def database_unreachable(tmp_path: Path) -> Iterator[None]:
    """Really make every new connection fail, as a stopped server does: a port where
    nothing listens (PostgreSQL), or a file in a directory that does not exist (SQLite).
    Closing a connection inside a test's transaction would end that transaction, so the
    tests that use this run with ``transaction=True``."""
    settings_dict = connection.settings_dict
    saved = {key: settings_dict[key] for key in ("NAME", "HOST", "PORT")}
    connection.close()
    if connection.vendor == "sqlite":
        settings_dict["NAME"] = str(tmp_path / "no-such-directory" / "db.sqlite3")
    else:
        settings_dict["HOST"] = "127.0.0.1"
        settings_dict["PORT"] = str(_free_port())
    try:
        yield
    finally:
        connection.close()
        settings_dict.update(saved)


@pytest.fixture
def browser(client):
    """The test client, but a failing middleware answers as it does in a real server: the
    client would otherwise re-raise the exception Django has already turned into a page."""
    client.raise_request_exception = False
    return client


@pytest.fixture
def logged_in(browser):
    browser.force_login(UserFactory())
    return browser


def assert_unavailable(response, content_type: str = "text/html") -> None:
    assert response.status_code == 503
    assert response["Retry-After"] == str(outage.RETRY_AFTER_SECONDS)
    assert "no-cache" in response["Cache-Control"]
    assert response["Content-Type"].startswith(content_type)


@pytest.mark.django_db(transaction=True)
def test_a_page_with_a_session_answers_503_in_dutch_not_500(logged_in, tmp_path, caplog):
    with database_unreachable(tmp_path), caplog.at_level(logging.WARNING):
        response = logged_in.get(reverse("assessments:home"))

    assert_unavailable(response)
    body = response.content.decode()
    assert UNAVAILABLE in body
    assert "Probeer het over een minuut opnieuw." in body
    for leak in ("Traceback", "OperationalError", "127.0.0.1"):
        assert leak not in body
    # One line for the people running the server.
    outage_lines = [r for r in caplog.records if r.name == "assessments.outage"]
    assert len(outage_lines) == 1
    assert outage_lines[0].levelno == logging.WARNING
    assert "\n" not in outage_lines[0].getMessage()


@pytest.mark.django_db(transaction=True)
def test_an_anonymous_login_answers_503(browser, tmp_path):
    with database_unreachable(tmp_path):
        response = browser.post(reverse("login"), {"username": "a", "password": "b"})

    assert_unavailable(response)
    assert UNAVAILABLE in response.content.decode()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("with_session", [False, True], ids=["no cookie", "session cookie"])
def test_healthz_answers_503_with_its_short_body(browser, tmp_path, with_session):
    if with_session:
        browser.force_login(UserFactory())

    with database_unreachable(tmp_path):
        response = browser.get(reverse("healthz"))

    assert_unavailable(response, "text/plain")
    assert response.content == b"database unavailable\n"


@pytest.mark.django_db(transaction=True)
def test_an_htmx_request_gets_a_short_text(logged_in, tmp_path):
    with database_unreachable(tmp_path):
        response = logged_in.get(reverse("assessments:home"), headers={"HX-Request": "true"})

    assert_unavailable(response, "text/plain")
    assert response.content.decode().startswith(UNAVAILABLE)
    assert "<" not in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_same_browser_is_served_again_when_the_database_is_back(logged_in, tmp_path):
    home = reverse("assessments:home")
    with database_unreachable(tmp_path):
        assert logged_in.get(home).status_code == 503

    response = logged_in.get(home)

    assert response.status_code == 200
    assert "Retry-After" not in response


@pytest.mark.django_db(transaction=True)
def test_a_connection_the_server_dropped_is_replaced_on_the_next_request(logged_in):
    # A server restarted under a kept connection (CONN_MAX_AGE): the next query on the old
    # connection fails; the one after that must get a new connection.
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no server that can end a connection")
    home = reverse("assessments:home")
    assert logged_in.get(home).status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    other = connection.get_new_connection(connection.get_connection_params())
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    finally:
        other.close()

    assert_unavailable(logged_in.get(home))
    assert logged_in.get(home).status_code == 200


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_a_view_that_cannot_reach_the_database_answers_503(client):
    response = client.get("/kapot/operational/")

    assert_unavailable(response)


@pytest.mark.django_db
@pytest.mark.urls(__name__)
@pytest.mark.parametrize("kind", ["integrity", "programming", "data"])
def test_other_database_errors_stay_500(client, kind):
    with pytest.raises(ERRORS[kind]):
        client.get(f"/kapot/{kind}/")

    client.raise_request_exception = False
    response = client.get(f"/kapot/{kind}/")

    assert response.status_code == 500
    assert "Retry-After" not in response
    assert UNAVAILABLE not in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_page_is_english_when_the_user_chose_english(logged_in, tmp_path, settings):
    logged_in.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    # LocaleMiddleware leaves the language it activated behind in this thread; leaving the
    # override puts back the one from before, so later tests do not run in English.
    with database_unreachable(tmp_path), translation.override(settings.LANGUAGE_CODE):
        response = logged_in.get(reverse("assessments:home"))

    assert_unavailable(response)
    body = response.content.decode()
    assert '<html lang="en">' in body
    assert "The scan is briefly unavailable." in body
