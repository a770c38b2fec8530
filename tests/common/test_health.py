"""``/healthz``: what a load balancer sees when the database answers and when it does not."""

from __future__ import annotations

import logging
from unittest import mock

import pytest
from django.db import OperationalError
from django.urls import reverse

from assessments.common import health
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_healthz_answers_200_when_the_database_answers(client):
    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert response["Content-Type"].startswith("text/plain")
    assert "no-cache" in response["Cache-Control"]


def test_healthz_answers_503_without_a_traceback_when_the_database_is_down(client, caplog):
    down = mock.MagicMock()
    down.cursor.side_effect = OperationalError(
        'connection to server at "10.0.0.5", port 5432 failed: Connection refused'
    )
    with mock.patch.object(health, "connection", down), caplog.at_level(logging.ERROR):
        response = client.get(reverse("healthz"))

    assert response.status_code == 503
    assert response.content == b"database unavailable\n"
    body = response.content.decode()
    for leak in ("Traceback", "OperationalError", "10.0.0.5", "5432", "Connection refused"):
        assert leak not in body
    assert "no-cache" in response["Cache-Control"]
    # The cause goes to the log for the people running the server, not to the client.
    assert "database unavailable" in caplog.text


def test_healthz_needs_no_login(client):
    response = client.get(reverse("healthz"))

    assert response.status_code == 200  # not a redirect to the login page


def test_healthz_skips_two_factor_for_a_logged_in_staff_member(client, settings):
    settings.TWO_FACTOR_REQUIRED = True
    client.force_login(UserFactory(is_staff=True))

    response = client.get(reverse("healthz"))

    assert response.status_code == 200


def test_healthz_answers_over_plain_http_when_https_is_required(client, settings):
    # Load balancers probe over plain http: no redirect to https for this one path.
    settings.SECURE_SSL_REDIRECT = True

    assert client.get(reverse("healthz")).status_code == 200
    assert client.get(reverse("login")).status_code == 301


def test_healthz_only_answers_get(client):
    assert client.post(reverse("healthz")).status_code == 405
