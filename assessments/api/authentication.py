"""Personal API tokens: ``Authorization: Bearer bts_…``.

The token is looked up by its SHA-256 hash (the secret itself is not stored). An unknown,
revoked or expired token is a 401 and a security event; the reason is not told.
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, throttling
from rest_framework.request import Request

from assessments.common.securitylog import client_ip, log_event
from assessments.common.tokens import token_hash
from assessments.models import ApiToken

KEYWORD = "Bearer"


class FailedTokenThrottle(throttling.SimpleRateThrottle):
    """Wrong tokens per client address (rate ``failed_token``, ``API_RATE_FAILED_TOKEN``).

    DRF checks its throttles only after authentication succeeded, so a wrong token would
    never be throttled by them: this one is asked before a token is looked up, and only
    failures are counted.
    """

    scope = "failed_token"

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

    def get_ident(self, request) -> str:
        # REMOTE_ADDR, as the security log: DRF's default (without NUM_PROXIES) takes the
        # client's own X-Forwarded-For, and a new one per try would escape the count.
        return client_ip(request)

    def is_blocked(self, request) -> bool:
        self.key = self.get_cache_key(request, None)
        self.history = self.cache.get(self.key, [])
        self.now = self.timer()
        while self.history and self.history[-1] <= self.now - self.duration:
            self.history.pop()
        return len(self.history) >= self.num_requests

    def record_failure(self, request) -> None:
        if not hasattr(self, "history"):
            self.is_blocked(request)
        self.history.insert(0, self.now)
        self.cache.set(self.key, self.history, self.duration)


# last_used_at is written at most this often per token: not a write on every request.
LAST_USED_PRECISION = datetime.timedelta(minutes=5)


class ApiTokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request: Request):
        header = authentication.get_authorization_header(request).decode("latin-1").split()
        if not header or header[0].lower() != KEYWORD.lower():
            return None  # no token: the next class (the session) may authenticate
        throttle = FailedTokenThrottle()
        if throttle.is_blocked(request):
            raise exceptions.Throttled(wait=throttle.wait())
        if len(header) != 2:
            throttle.record_failure(request)
            raise exceptions.AuthenticationFailed(_("Ongeldige API-sleutel."))
        now = timezone.now()
        token = (
            ApiToken.objects.select_related("user").filter(token_hash=token_hash(header[1])).first()
        )
        if (
            token is None
            or token.revoked_at is not None
            or token.expires_at <= now
            or not token.user.is_active
        ):
            log_event(
                "api_token_refused",
                ip=client_ip(request),
                actor="anoniem",
                action="API-sleutel gebruiken",
                obj=str(token.pk) if token else "",
                result="geweigerd",
            )
            throttle.record_failure(request)
            raise exceptions.AuthenticationFailed(_("Ongeldige API-sleutel."))
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        # Makes DRF answer 401 (with WWW-Authenticate), not 403, without credentials.
        return KEYWORD


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """How the OpenAPI schema describes the token (loaded with this module)."""

    target_class = ApiTokenAuthentication
    name = "apiToken"

    def get_security_definition(self, auto_schema) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "Een persoonlijke API-sleutel uit uw profiel: `Bearer bts_…`.",
        }
