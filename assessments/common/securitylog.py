"""Structured security events: one JSON line per event on the ``scan.security`` logger.

Each line has: time, event, actor, action, object, result, ip. Ship it to the
municipality's SIEM or log store (BIO: logging of access and security events).
"""

from __future__ import annotations

import json
import logging

from django.http import HttpRequest
from django.utils import timezone

logger = logging.getLogger("scan.security")


def client_ip(request: HttpRequest | None) -> str:
    if request is None:
        return ""
    # REMOTE_ADDR only: X-Forwarded-For is set by the client unless a trusted proxy strips it.
    return request.META.get("REMOTE_ADDR", "")


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
        actor = user.get_username() if user is not None and user.is_authenticated else "anoniem"
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
