"""The test identity provider (tests/oidc/provider.mjs: oidc-provider on Node.js) and the
settings that point the app at it.

``make test`` installs oidc-provider with ``npm ci --prefix tests/oidc``. Without Node.js
or that package the tests that need the provider skip with the reason; with
``CI_REQUIRE_E2E=1`` (CI) they fail instead.
"""

from __future__ import annotations

import contextlib
import copy
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from assessments.sso.discovery import discover

REPO = Path(__file__).resolve().parents[2]
PROVIDER_DIR = REPO / "tests" / "oidc"
PROVIDER_SCRIPT = PROVIDER_DIR / "provider.mjs"
PEOPLE = json.loads((PROVIDER_DIR / "accounts.json").read_text())
DOMAIN: str = PEOPLE["domain"]
ACCOUNTS: dict[str, dict[str, str]] = PEOPLE["accounts"]
CLIENT_ID = "gereedheidsscan-test"
CLIENT_SECRET = "alleen-voor-tests-niet-geheim"
CALLBACK_PATH = "/accounts/sso/terug/"
LOGIN_PATH = "/accounts/login/"
BACKEND = "assessments.sso.backend.OIDCBackend"
# How long the provider may take to start (Node.js loads oidc-provider, makes a key).
START_TIMEOUT = 30


def missing() -> str:
    """Why the test provider cannot run here, or "" when it can."""
    reasons = []
    if shutil.which("node") is None:
        reasons.append("Node.js ontbreekt (apt-get install nodejs npm)")
    if not (PROVIDER_DIR / "node_modules" / "oidc-provider" / "package.json").exists():
        reasons.append(
            "oidc-provider ontbreekt in tests/oidc/node_modules "
            "(make test draait npm ci --prefix tests/oidc; daarvoor is npm nodig)"
        )
    return "; ".join(reasons)


def require_provider() -> None:
    """Skip the calling test with the reason, or fail it when CI requires the provider."""
    reason = missing()
    if not reason:
        return
    if os.environ.get("CI_REQUIRE_E2E") == "1":
        pytest.fail(f"De test-inlogdienst is vereist (CI_REQUIRE_E2E=1), maar: {reason}")
    pytest.skip(f"Test-inlogdienst niet beschikbaar: {reason}")


@dataclass
class TestProvider:
    """A running provider: its issuer and the OIDC_OP_* settings from its discovery."""

    __test__ = False  # not a test class, whatever its name

    issuer: str
    endpoints: dict[str, str] = field(default_factory=dict)

    def app_settings(self) -> dict[str, object]:
        """What an installation's environment would set, as Django settings."""
        return {
            **self.endpoints,
            "OIDC_ENABLED": True,
            "OIDC_RP_CLIENT_ID": CLIENT_ID,
            "OIDC_RP_CLIENT_SECRET": CLIENT_SECRET,
            "OIDC_RP_SIGN_ALGO": "RS256",
        }


# A provider that is never called: for tests that need single sign-on switched on but
# never reach the provider (the permission matrix, the backend's unit tests).
UNREACHABLE = TestProvider(
    issuer="https://inlog.zonnedal.example",
    endpoints={
        "OIDC_OP_ISSUER": "https://inlog.zonnedal.example",
        "OIDC_OP_AUTHORIZATION_ENDPOINT": "https://inlog.zonnedal.example/auth",
        "OIDC_OP_TOKEN_ENDPOINT": "https://inlog.zonnedal.example/token",
        "OIDC_OP_USER_ENDPOINT": "https://inlog.zonnedal.example/me",
        "OIDC_OP_JWKS_ENDPOINT": "https://inlog.zonnedal.example/jwks",
        "OIDC_OP_LOGOUT_ENDPOINT": "https://inlog.zonnedal.example/session/end",
    },
)


def configure(settings, provider: TestProvider) -> None:
    """Switch single sign-on on against ``provider``, as config/settings.py does when the
    environment sets OIDC_RP_CLIENT_ID and the endpoints (``settings``: pytest-django's)."""
    for name, value in provider.app_settings().items():
        setattr(settings, name, value)
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, BACKEND]
    policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
    policy["DIRECTIVES"]["form-action"].append(provider.issuer)  # the logout's redirect
    settings.CONTENT_SECURITY_POLICY = policy


@contextlib.contextmanager
def running_provider(*, site_url: str) -> Iterator[TestProvider]:
    """Start the provider on a free loopback port for the app at ``site_url``; stop it after."""
    command = [
        "node",
        str(PROVIDER_SCRIPT),
        "--client-id",
        CLIENT_ID,
        "--client-secret",
        CLIENT_SECRET,
        "--redirect-uri",
        site_url + CALLBACK_PATH,
        "--post-logout-redirect-uri",
        site_url + LOGIN_PATH,
    ]
    # Its warnings go to a file, not a pipe: a pipe nobody reads could fill up and stall it.
    with tempfile.TemporaryFile(mode="w+") as errors:
        process = subprocess.Popen(  # its stdin closing (this process ending) stops it too
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
            cwd=PROVIDER_DIR,
        )
        try:
            try:
                # The first line says where it listens; nothing before it means it failed.
                issuer = json.loads(_first_line(process))["issuer"]
            except (ValueError, KeyError, TimeoutError) as exc:
                process.kill()
                process.wait()
                errors.seek(0)
                raise RuntimeError(
                    f"De test-inlogdienst startte niet: {exc}\n{errors.read()}"
                ) from exc
            yield TestProvider(issuer=issuer, endpoints=discover(issuer, timeout=5))
        finally:
            process.terminate()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            process.stdin.close()
            process.stdout.close()


def _first_line(process: subprocess.Popen) -> str:
    import selectors

    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        if not selector.select(timeout=START_TIMEOUT):
            raise TimeoutError(f"geen antwoord binnen {START_TIMEOUT} s")
    return process.stdout.readline()
