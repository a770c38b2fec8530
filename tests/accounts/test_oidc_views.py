"""The pages of the login through the identity provider (assessments/sso/views.py), the
logout at the provider, the two-factor rule's use of the provider's second factor, and
the settings that switch it all on."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from assessments.accounts.middleware import PROVIDER_MFA
from assessments.members.services import invite_member
from assessments.sso.backend import MFA_ATTRIBUTE
from assessments.sso.claims import Refusal
from assessments.sso.views import REFUSAL_MESSAGES
from tests.helpers.oidc import BACKEND, CLIENT_ID, UNREACHABLE, configure

ROOT = Path(__file__).resolve().parents[2]
SSO_BUTTON = "Inloggen via uw organisatie"


@pytest.fixture
def sso(settings):
    configure(settings, UNREACHABLE)
    return settings


def test_every_refusal_has_a_dutch_message_that_says_nobody_logged_in():
    assert set(REFUSAL_MESSAGES) == set(Refusal)
    assert all(str(m).startswith("U bent niet ingelogd.") for m in REFUSAL_MESSAGES.values())


@pytest.mark.django_db
def test_without_sso_the_login_page_has_no_button_and_its_urls_are_404(client):
    assert SSO_BUTTON not in client.get(reverse("login")).content.decode()
    assert client.get(reverse("oidc_authentication_init")).status_code == 404
    assert client.get(reverse("oidc_authentication_callback")).status_code == 404


@pytest.mark.django_db
def test_with_sso_the_login_page_offers_the_button_keeping_next(sso, client):
    page = client.get(reverse("login"), {"next": "/meting/1/"}).content.decode()
    assert SSO_BUTTON in page
    assert f'href="{reverse("oidc_authentication_init")}?next=/meting/1/"' in page


@pytest.mark.django_db
def test_the_button_sends_the_browser_to_the_provider_with_state_nonce_and_pkce(sso, client):
    response = client.get(reverse("oidc_authentication_init"), {"next": "/meting/1/"})
    assert response.status_code == 302
    url = urlsplit(response["Location"])
    assert f"{url.scheme}://{url.netloc}{url.path}" == sso.OIDC_OP_AUTHORIZATION_ENDPOINT
    query = parse_qs(url.query)
    assert query["client_id"] == [CLIENT_ID]
    assert query["redirect_uri"] == ["http://testserver/accounts/sso/terug/"]
    assert query["scope"] == ["openid email profile"]
    assert query["code_challenge_method"] == ["S256"]
    assert query["state"] and query["nonce"] and query["code_challenge"]
    assert client.session["oidc_login_next"] == "/meting/1/"


@pytest.mark.django_db
def test_a_login_cancelled_at_the_provider_says_so_in_dutch(sso, client, caplog):
    start = client.get(reverse("oidc_authentication_init"))
    state = parse_qs(urlsplit(start["Location"]).query)["state"][0]
    response = client.get(
        reverse("oidc_authentication_callback"),
        {"error": "access_denied", "state": state},
        follow=True,
    )
    assert response.redirect_chain == [(reverse("login"), 302)]
    assert "Inloggen via uw organisatie is afgebroken of mislukt" in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated
    events = [json.loads(r.getMessage()) for r in caplog.records if r.name == "scan.security"]
    assert [(e["event"], e["result"]) for e in events] == [("sso_refused", "fout_bij_inlogdienst")]


@pytest.mark.django_db
def test_a_callback_this_browser_never_asked_for_is_refused_without_an_error_page(sso, client):
    client.get(reverse("oidc_authentication_init"))  # a login under way, with its own state
    response = client.get(
        reverse("oidc_authentication_callback"), {"code": "c", "state": "een-andere"}, follow=True
    )
    assert response.redirect_chain == [(reverse("login"), 302)]
    assert "Deze inlogpoging is verlopen of al gebruikt" in response.content.decode()


@pytest.mark.django_db
def test_logout_after_a_provider_login_ends_the_providers_session_too(sso, client, editor):
    client.force_login(editor, backend=BACKEND)
    session = client.session
    session["oidc_id_token"] = "het.id.token"
    session.save()
    response = client.post(reverse("logout"))
    url = urlsplit(response["Location"])
    assert f"{url.scheme}://{url.netloc}{url.path}" == sso.OIDC_OP_LOGOUT_ENDPOINT
    assert parse_qs(url.query) == {
        "id_token_hint": ["het.id.token"],
        "client_id": [CLIENT_ID],
        "post_logout_redirect_uri": ["http://testserver/accounts/login/"],
    }
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
@pytest.mark.parametrize("with_sso", [True, False])
def test_logout_after_a_password_login_goes_to_the_login_page(settings, client, editor, with_sso):
    if with_sso:
        configure(settings, UNREACHABLE)
    client.force_login(editor)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_the_logout_form_may_be_answered_with_a_redirect_to_the_provider(sso, client):
    """CSP form-action also covers a form's redirects: the provider's origin is allowed."""
    response = client.get(reverse("login"))
    assert (
        "form-action 'self' https://inlog.zonnedal.example" in (response["Content-Security-Policy"])
    )


# --- Two-factor: the provider's counts ---------------------------------------------------


@pytest.mark.django_db
def test_a_coordinator_whose_provider_did_the_second_factor_is_not_asked_again(
    sso, client, coordinator
):
    sso.TWO_FACTOR_REQUIRED = True
    client.force_login(coordinator, backend=BACKEND)
    session = client.session
    session[PROVIDER_MFA] = True
    session.save()
    assert client.get(reverse("assessments:home")).status_code == 200


@pytest.mark.django_db
def test_a_coordinator_whose_provider_did_not_still_uses_our_totp(sso, client, coordinator):
    sso.TWO_FACTOR_REQUIRED = True
    client.force_login(coordinator, backend=BACKEND)
    response = client.get(reverse("assessments:home"))
    assert response["Location"].startswith(reverse("two_factor_setup"))


@pytest.mark.django_db
def test_a_new_login_forgets_an_earlier_logins_second_factor(sso, client, coordinator):
    sso.TWO_FACTOR_REQUIRED = True
    client.force_login(coordinator, backend=BACKEND)
    session = client.session
    session[PROVIDER_MFA] = True
    session.save()
    client.force_login(coordinator)  # the same person, now with a password
    assert PROVIDER_MFA not in client.session
    assert client.get(reverse("assessments:home"))["Location"].startswith(
        reverse("two_factor_setup")
    )


@pytest.mark.django_db
@pytest.mark.parametrize("mfa", [True, False])
def test_the_callback_marks_the_session_only_when_the_provider_did_it(
    sso, client, coordinator, monkeypatch, caplog, mfa
):
    """The callback view as mozilla-django-oidc runs it, with the backend's answer given."""

    def authenticate(self, request, **kwargs):
        setattr(request, MFA_ATTRIBUTE, mfa)
        coordinator.backend = BACKEND
        return coordinator

    monkeypatch.setattr("assessments.sso.backend.OIDCBackend.authenticate", authenticate)
    start = client.get(reverse("oidc_authentication_init"))
    state = parse_qs(urlsplit(start["Location"]).query)["state"][0]
    response = client.get(reverse("oidc_authentication_callback"), {"code": "c", "state": state})
    assert response["Location"] == reverse("assessments:home")
    assert client.session.get(PROVIDER_MFA, False) is mfa
    events = {
        json.loads(r.getMessage())["event"] for r in caplog.records if r.name == "scan.security"
    }
    assert ("2fa_by_provider" in events) is mfa


# --- Settings -----------------------------------------------------------------------------


def _settings_in_a_fresh_process(**env) -> subprocess.CompletedProcess:
    script = (
        "import json, django; django.setup(); from django.conf import settings; "
        "print(json.dumps([settings.OIDC_ENABLED, settings.AUTHENTICATION_BACKENDS[-1], "
        "settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['form-action']]))"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith("OIDC_")}
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", "SECRET_KEY": "x", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_sso_is_on_with_a_client_and_its_endpoints():
    endpoints = {**UNREACHABLE.endpoints, "OIDC_RP_CLIENT_ID": "scan", "OIDC_RP_CLIENT_SECRET": "s"}
    result = _settings_in_a_fresh_process(**endpoints)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [
        True,
        BACKEND,
        ["'self'", "https://inlog.zonnedal.example"],
    ]


def test_sso_is_off_without_a_client():
    result = _settings_in_a_fresh_process()
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [
        False,
        "django.contrib.auth.backends.ModelBackend",
        ["'self'"],
    ]


def test_a_client_without_its_endpoints_stops_the_start():
    result = _settings_in_a_fresh_process(OIDC_RP_CLIENT_ID="scan")
    assert result.returncode != 0
    assert "OIDC_RP_CLIENT_SECRET, OIDC_OP_AUTHORIZATION_ENDPOINT" in result.stderr


@pytest.mark.django_db
@pytest.mark.parametrize("with_sso", [True, False])
def test_the_invitation_page_offers_the_provider_when_sso_is_on(
    settings, client, assessment, coordinator, with_sso
):
    if with_sso:
        configure(settings, UNREACHABLE)
    _invitation, token = invite_member(
        municipality=assessment.municipality,
        email="nieuw@zonnedal.example",
        role="editor",
        invited_by=coordinator,
        assessment=assessment,
    )
    page = client.get(reverse("accept_invitation", args=[token])).content.decode()
    link = f'href="{reverse("oidc_authentication_init")}?next=/meting/{assessment.pk}/"'
    assert (link in page) is with_sso
    assert "Kies een wachtwoord" in page  # the password way stays


@pytest.mark.django_db
def test_a_switched_off_account_is_told_so(sso, client, editor, monkeypatch):
    editor.is_active = False
    editor.save()

    def authenticate(self, request, **kwargs):
        editor.backend = BACKEND
        return editor

    monkeypatch.setattr("assessments.sso.backend.OIDCBackend.authenticate", authenticate)
    start = client.get(reverse("oidc_authentication_init"))
    state = parse_qs(urlsplit(start["Location"]).query)["state"][0]
    response = client.get(
        reverse("oidc_authentication_callback"), {"code": "c", "state": state}, follow=True
    )
    assert "Uw account is uitgeschakeld" in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated
