"""Security of accounts: lock-out, two-factor, session limits, the security log of logins and
refusals. Headers and the deploy check are in tests/test_deploy.py."""

import datetime
import json
import logging
import time

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from assessments.accounts.middleware import LAST_SEEN, LOGIN_AT

LOCKED = "Te veel mislukte pogingen"


def login(client, username, password="een-lang-testwachtwoord"):
    return client.post(reverse("login"), {"username": username, "password": password})


@pytest.mark.django_db
def test_login_with_the_right_password_works(client, editor):
    response = login(client, "editor")
    assert response.status_code == 302
    assert response["Location"] == reverse("assessments:home")


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["editor", "bestaat-niet"])
def test_five_failures_lock_the_login_with_the_same_message(client, editor, username):
    for _ in range(4):
        response = login(client, username, "fout")
        assert response.status_code == 200
        assert LOCKED not in response.content.decode()
    response = login(client, username, "fout")
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    # Even the right password is refused while locked.
    response = login(client, username)
    assert response.status_code == 429
    assert LOCKED in response.content.decode()


@pytest.mark.django_db
def test_lockout_ends_after_15_minutes(client, editor):
    for _ in range(5):
        login(client, "editor", "fout")
    assert login(client, "editor").status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=16))
    response = login(client, "editor")
    assert response.status_code == 302


@pytest.mark.django_db
def test_coordinator_must_pass_totp_before_any_page(client, settings, coordinator, assessment):
    settings.TWO_FACTOR_REQUIRED = True
    assert login(client, "coordinator").status_code == 302
    for url in (
        reverse("assessments:home"),
        reverse("assessments:detail", args=[assessment.pk]),
        reverse("assessments:members", args=[assessment.municipality_id]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("two_factor_setup"))
    # Setting up: a wrong code is refused, the right one opens the app.
    setup = client.get(reverse("two_factor_setup"))
    assert setup.status_code == 200
    device = TOTPDevice.objects.get(user=coordinator)
    assert client.post(reverse("two_factor_setup"), {"token": "000000"}).status_code == 400
    # django-otp throttles after a failure (1 s, doubling); the user would wait a moment.
    TOTPDevice.objects.update(throttling_failure_count=0, throttling_failure_timestamp=None)
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    response = client.post(reverse("two_factor_setup"), {"token": code})
    assert response.status_code == 200
    assert "herstelcodes" in response.content.decode().lower()
    assert client.get(reverse("assessments:home")).status_code == 200


@pytest.mark.django_db
def test_a_recovery_code_works_once(client, settings, coordinator):
    settings.TWO_FACTOR_REQUIRED = True
    login(client, "coordinator")
    client.get(reverse("two_factor_setup"))
    device = TOTPDevice.objects.get(user=coordinator)
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    page = client.post(reverse("two_factor_setup"), {"token": code}).content.decode()
    recovery = page.split("<li>")[1].split("</li>")[0]
    client.logout()
    login(client, "coordinator")
    assert client.get(reverse("assessments:home"))["Location"].startswith(
        reverse("two_factor_verify")
    )
    assert client.post(reverse("two_factor_verify"), {"token": recovery}).status_code == 302
    client.logout()
    login(client, "coordinator")
    assert client.post(reverse("two_factor_verify"), {"token": recovery}).status_code == 400


@pytest.mark.django_db
def test_editors_do_not_need_totp(client, settings, editor):
    settings.TWO_FACTOR_REQUIRED = True
    login(client, "editor")
    assert client.get(reverse("assessments:home")).status_code == 200


@pytest.mark.django_db
def test_an_idle_hour_ends_the_session(client, editor):
    client.force_login(editor)
    assert client.get(reverse("assessments:home")).status_code == 200
    session = client.session
    session[LAST_SEEN] = int(time.time()) - 3601
    session.save()
    response = client.get(reverse("assessments:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_a_working_day_ends_the_session(client, editor):
    client.force_login(editor)
    session = client.session
    session[LOGIN_AT] = int(time.time()) - 9 * 3600 - 1
    session.save()
    response = client.get(reverse("assessments:home"))
    assert response.status_code == 302


@pytest.mark.django_db
def test_refused_access_is_logged_with_actor_object_result_and_address(
    client, caplog, assessment, outsider, viewer
):
    client.force_login(outsider)
    url = reverse("assessments:detail", args=[assessment.pk])
    with caplog.at_level(logging.INFO, logger="scan.security"):
        assert client.get(url, REMOTE_ADDR="192.0.2.7").status_code == 404
    events = [json.loads(r.getMessage()) for r in caplog.records if r.name == "scan.security"]
    refused = [e for e in events if e["event"] == "access_refused"]
    assert refused == [
        {
            "event": "access_refused",
            "actor": f"user:{outsider.pk}",
            "action": "GET",
            "object": url,
            "result": "404",
            "ip": "192.0.2.7",
            "time": refused[0]["time"],
        }
    ]
    caplog.clear()
    client.force_login(viewer)
    close_url = reverse("assessments:close", args=[assessment.pk])
    with caplog.at_level(logging.INFO, logger="scan.security"):
        assert client.post(close_url).status_code == 403
    events = [json.loads(r.getMessage()) for r in caplog.records if r.name == "scan.security"]
    assert [(e["event"], e["actor"], e["result"]) for e in events if e["event"] != "login"] == [
        ("access_refused", f"user:{viewer.pk}", "403")
    ]


@pytest.mark.django_db
def test_failed_login_and_lockout_are_logged(client, caplog, editor):
    with caplog.at_level(logging.INFO, logger="scan.security"):
        for _ in range(5):
            login(client, "editor", "fout")
    records = [json.loads(r.getMessage()) for r in caplog.records if r.name == "scan.security"]
    events = [record["event"] for record in records]
    assert events.count("login_failed") == 5
    assert "lockout" in events
    # The typed-in name is not written, but the attempts on it can be counted together.
    actors = {record["actor"] for record in records}
    assert len(actors) == 1
    assert actors.pop().startswith("login:")
    assert not any("editor" in json.dumps(record) for record in records)
