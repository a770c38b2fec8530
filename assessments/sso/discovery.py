"""The provider's endpoints from its discovery document (OpenID Connect Discovery 1.0).

Read once by an operator (``manage.py oidc_discovery ISSUER``), who puts the printed lines
in the environment: the app never fetches the document itself, so a provider that is
down cannot stop it from starting.
"""

from __future__ import annotations

import requests

# Our setting for each field of the discovery document.
SETTINGS = {
    "issuer": "OIDC_OP_ISSUER",
    "authorization_endpoint": "OIDC_OP_AUTHORIZATION_ENDPOINT",
    "token_endpoint": "OIDC_OP_TOKEN_ENDPOINT",
    "userinfo_endpoint": "OIDC_OP_USER_ENDPOINT",
    "jwks_uri": "OIDC_OP_JWKS_ENDPOINT",
    "end_session_endpoint": "OIDC_OP_LOGOUT_ENDPOINT",
}


class DiscoveryError(Exception):
    pass


def discover(issuer: str, *, timeout: float = 10) -> dict[str, str]:
    """Our OIDC_OP_* settings for ``issuer``, read from its discovery document."""
    url = f"{issuer.rstrip('/')}/.well-known/openid-configuration"
    try:
        response = requests.get(url, timeout=timeout)
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise DiscoveryError(f"{url}: {exc}") from exc
    if document.get("issuer") != issuer:
        # OpenID Connect Discovery 1.0, 4.3: the document must be the issuer's own.
        raise DiscoveryError(f"{url} names issuer {document.get('issuer')!r}, not {issuer!r}")
    missing = [
        field for field in SETTINGS if field != "end_session_endpoint" and field not in document
    ]
    if missing:
        raise DiscoveryError(f"{url} lacks {', '.join(missing)}")
    return {setting: document[field] for field, setting in SETTINGS.items() if field in document}
