"""``manage.py oidc_discovery``: the OIDC_OP_* lines from a real provider's discovery
document (tests/oidc/provider.mjs; skipped with the reason without Node.js, a failure in
CI, like the browser tests)."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from django.core.management import CommandError, call_command

from tests.helpers.oidc import TestProvider, require_provider, running_provider


@pytest.fixture(scope="module")
def provider() -> Iterator[TestProvider]:
    require_provider()
    with running_provider(site_url="http://testserver") as running:
        yield running


def test_prints_the_settings_for_the_environment(provider):
    out = io.StringIO()
    call_command("oidc_discovery", provider.issuer, stdout=out)
    issuer = provider.issuer
    assert out.getvalue().splitlines() == [
        f"OIDC_OP_ISSUER={issuer}",
        f"OIDC_OP_AUTHORIZATION_ENDPOINT={issuer}/auth",
        f"OIDC_OP_TOKEN_ENDPOINT={issuer}/token",
        f"OIDC_OP_USER_ENDPOINT={issuer}/me",
        f"OIDC_OP_JWKS_ENDPOINT={issuer}/jwks",
        f"OIDC_OP_LOGOUT_ENDPOINT={issuer}/session/end",
    ]


def test_a_document_of_another_issuer_is_refused(provider):
    """The document must be the issuer's own (OpenID Connect Discovery 1.0, 4.3)."""
    imposter = provider.issuer + "/"  # the same document, which names another issuer
    with pytest.raises(CommandError, match="names issuer"):
        call_command("oidc_discovery", imposter, stdout=io.StringIO())


def test_an_address_without_a_provider_is_refused(provider):
    with pytest.raises(CommandError, match="openid-configuration"):
        call_command("oidc_discovery", f"{provider.issuer}/geen-inlogdienst", stdout=io.StringIO())
