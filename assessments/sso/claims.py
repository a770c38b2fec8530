"""Reading an identity provider's claims: plain functions over plain data, no database.

Why a login is refused is one of ``Refusal``; the login page shows its Dutch message
(``assessments.sso.views.REFUSAL_MESSAGES``) and the security log its value.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping


class Refusal(enum.StrEnum):
    UNKNOWN_DOMAIN = "onbekend_domein"
    WRONG_ISSUER = "andere_uitgever"
    NO_EMAIL = "geen_emailadres"
    WRONG_AUDIENCE = "verkeerde_audience"
    EXPIRED = "verlopen_token"
    INVALID_TOKEN = "ongeldig_token"  # noqa: S105 (a reason, not a secret)
    PROVIDER_ERROR = "fout_bij_inlogdienst"
    STALE_REQUEST = "verlopen_inlogpoging"
    INACTIVE = "account_uitgeschakeld"


class Refused(Exception):
    """A login through the identity provider that must not go on, and why."""

    def __init__(self, reason: Refusal) -> None:
        super().__init__(reason.value)
        self.reason = reason


def normalized_email(claims: Mapping[str, object]) -> str:
    """The ``email`` claim, trimmed and in lower case; "" when there is none."""
    email = claims.get("email")
    return email.strip().lower() if isinstance(email, str) else ""


def email_domain(email: str) -> str:
    """The part after the last @, in lower case ("" without an @)."""
    _local, at, domain = email.strip().lower().rpartition("@")
    return domain if at else ""


def check_audience(claims: Mapping[str, object], client_id: str) -> None:
    """An ID token is for this client only: ``aud`` names it, and when it names several
    parties, ``azp`` must be this client (OpenID Connect Core 3.1.3.7).

    mozilla-django-oidc checks the signature, the nonce and the expiry, not the audience:
    a token the same provider issued to another application would otherwise log in here.
    """
    audience = claims.get("aud")
    audiences = [audience] if isinstance(audience, str) else list(audience or [])
    if client_id not in audiences:
        raise Refused(Refusal.WRONG_AUDIENCE)
    if len(audiences) > 1 and claims.get("azp") != client_id:
        raise Refused(Refusal.WRONG_AUDIENCE)
    if "exp" not in claims:  # PyJWT checks an expiry only when there is one
        raise Refused(Refusal.INVALID_TOKEN)


def provider_did_mfa(
    claims: Mapping[str, object], *, amr_values: Iterable[str], acr_values: Iterable[str]
) -> bool:
    """Whether the ID token says the provider asked for more than a password: one of its
    ``amr`` methods (RFC 8176: "mfa", "otp", ...) is in ``amr_values``, or its ``acr`` is
    in ``acr_values``."""
    amr = claims.get("amr")
    listed = [amr] if isinstance(amr, str) else amr if isinstance(amr, list) else []
    methods = {method for method in listed if isinstance(method, str)}
    acr = claims.get("acr")
    return bool(methods & set(amr_values)) or (isinstance(acr, str) and acr in set(acr_values))
