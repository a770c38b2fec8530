"""Structured security events: one JSON line per event on the ``scan.security`` logger.

Each line has: time, event, actor, action, object, result, ip. Ship it to the
municipality's SIEM or log store (BIO: logging of access and security events).

The actor is never a name or an e-mail address (a username is often the latter): a
signed-in user is ``user:<id>`` (the id leads to the account for whoever may look it
up), and a typed-in login name is ``login:<pseudonym>``, a keyed hash that lets attempts
on one name be counted together without writing the name (docs/security.md).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

logger = logging.getLogger("scan.security")


def client_ip(request: HttpRequest | None) -> str:
    if request is None:
        return ""
    # REMOTE_ADDR only: X-Forwarded-For is set by the client unless a trusted proxy strips it.
    return request.META.get("REMOTE_ADDR", "")


def actor_label(user) -> str:
    """How the log names a user: by id, never by name or e-mail address."""
    return f"user:{user.pk}"


def login_name_label(username: str) -> str:
    """How the log names a login name that was typed in (failed logins, lock-outs)."""
    if not username:
        return "anoniem"
    key = settings.SECRET_KEY.encode()
    digest = hmac.new(key, username.strip().lower().encode(), hashlib.sha256).hexdigest()
    return f"login:{digest[:16]}"


def log_event(
    event: str,
    *,
    request: HttpRequest | None = None,
    actor: str | None = None,
    ip: str | None = None,
    action: str = "",
    obj: str = "",
    result: str = "ok",
) -> dict[str, str]:
    if actor is None and request is not None:
        user = getattr(request, "user", None)
        actor = actor_label(user) if user is not None and user.is_authenticated else "anoniem"
    record = {
        "time": timezone.now().isoformat(),
        "event": event,
        "actor": actor or "anoniem",
        "action": action,
        "object": obj,
        "result": result,
        "ip": ip if ip is not None else client_ip(request),
    }
    logger.info(json.dumps(record, ensure_ascii=False, sort_keys=True))
    return record
