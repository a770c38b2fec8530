"""Personal API tokens: made once, stored hashed, revocable."""

from __future__ import annotations

import datetime
import secrets

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.common.securitylog import actor_label, log_event
from assessments.common.tokens import token_hash
from assessments.models import (
    ApiToken,
)

API_TOKEN_PREFIX = "bts_"  # noqa: S105 (a public marker that tells scanners what it is)
API_TOKEN_MAX_DAYS = 366


def create_api_token(*, user, name: str, days: int, ip: str = "") -> tuple[ApiToken, str]:
    """A new personal API token; returns the row and the secret, which is never stored."""
    if not 1 <= days <= API_TOKEN_MAX_DAYS:
        raise ValidationError(_("Kies een geldigheid van 1 tot 366 dagen."))
    secret = API_TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name.strip(),
        prefix=secret[: len(API_TOKEN_PREFIX) + 6],
        token_hash=token_hash(secret),
        expires_at=timezone.now() + datetime.timedelta(days=days),
    )
    log_event(
        "api_token_created",
        ip=ip,
        actor=actor_label(user),
        action="API-sleutel maken",
        obj=str(token.pk),
    )
    return token, secret


def revoke_api_token(*, token: ApiToken, revoked_by, ip: str = "") -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        log_event(
            "api_token_revoked",
            ip=ip,
            actor=actor_label(revoked_by),
            action="API-sleutel intrekken",
            obj=str(token.pk),
        )
