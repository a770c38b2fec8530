"""What production sees: security headers on a page, /healthz without a login, and
``manage.py check --deploy`` clean with production variables."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_security_headers_on_a_normal_page(client, settings, editor):
    client.force_login(editor)
    response = client.get(reverse("assessments:home"), secure=True)
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    script_src = next(p for p in csp.split(";") if p.strip().startswith("script-src"))
    assert "'self'" in script_src and "unsafe-inline" not in script_src
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert settings.SESSION_COOKIE_SECURE and settings.SESSION_COOKIE_HTTPONLY
    assert settings.CSRF_COOKIE_SECURE


@pytest.mark.django_db
def test_healthz_answers_without_login(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"


def test_check_deploy_is_clean_with_production_variables():
    env = {
        k: v for k, v in os.environ.items() if k not in {"DEBUG", "HTTPS", "TWO_FACTOR_REQUIRED"}
    }
    env.update(
        SECRET_KEY="x" * 20 + "-production-like-secret-key-of-enough-length-and-variety-1234",
        ALLOWED_HOSTS="scan.gemeente.example",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
