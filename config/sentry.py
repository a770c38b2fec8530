"""Optional error reporting to Sentry (or a compatible service) when ``SENTRY_DSN`` is set.

No personal data leaves. sentry-sdk 3 replaced ``send_default_pii`` by ``data_collection``:
no user identity (no e-mail, username or IP address), no cookies, no query strings, no
request bodies, no stack frame variables, no database query parameters, and only
allowed headers. ``scrub_event`` (``before_send``) then removes what could
still hold a name, an e-mail address or a note (the request's data, cookies and headers,
frame variables, breadcrumb data, e-mail addresses in messages). Tested in
tests/privacy/test_sentry.py.
"""

from __future__ import annotations

import re
from typing import Any

EMAIL = re.compile(r"[^\s@<>()\"',;:]+@[^\s@<>()\"',;:]+\.[A-Za-z]{2,}")
_KEEP_HEADERS = {"content-type", "content-length", "user-agent", "accept", "host"}


def _scrub_text(value: Any) -> Any:
    return EMAIL.sub("[e-mail]", value) if isinstance(value, str) else value


def scrub_event(event: dict[str, Any], hint: dict[str, Any] | None = None) -> dict[str, Any]:
    """``before_send``: the event without anything that may identify a person."""
    request = event.get("request")
    if isinstance(request, dict):
        for key in ("data", "cookies", "query_string", "env"):
            request.pop(key, None)
        headers = request.get("headers")
        if isinstance(headers, dict):
            request["headers"] = {k: v for k, v in headers.items() if k.lower() in _KEEP_HEADERS}
    user = event.get("user")
    event["user"] = {"id": user["id"]} if isinstance(user, dict) and "id" in user else {}
    event.pop("extra", None)
    event.pop("server_name", None)
    for exception in (event.get("exception") or {}).get("values", []) or []:
        exception["value"] = _scrub_text(exception.get("value"))
        for frame in (exception.get("stacktrace") or {}).get("frames", []) or []:
            frame.pop("vars", None)
    for thread in (event.get("threads") or {}).get("values", []) or []:
        for frame in (thread.get("stacktrace") or {}).get("frames", []) or []:
            frame.pop("vars", None)
    logentry = event.get("logentry")
    if isinstance(logentry, dict):
        logentry["message"] = _scrub_text(logentry.get("message"))
        logentry["formatted"] = _scrub_text(logentry.get("formatted"))
        logentry.pop("params", None)
    if "message" in event:
        event["message"] = _scrub_text(event["message"])
    breadcrumbs = event.get("breadcrumbs")
    values = breadcrumbs.get("values", []) if isinstance(breadcrumbs, dict) else breadcrumbs
    for crumb in values or []:
        crumb.pop("data", None)
        crumb["message"] = _scrub_text(crumb.get("message"))
    return event


def sentry_options(dsn: str, *, environment: str = "", release: str = "") -> dict[str, Any]:
    """The arguments of ``sentry_sdk.init``: errors only, nothing personal."""
    return {
        "dsn": dsn,
        "environment": environment or None,
        "release": release or None,
        # sentry-sdk 3's successor of send_default_pii=False, stricter per category.
        "data_collection": {
            "user_info": False,
            "cookies": {"mode": "off"},
            "http_headers": {"request": {"mode": "allowlist", "terms": sorted(_KEEP_HEADERS)}},
            "http_bodies": [],
            "url_query_params": {"mode": "off"},
            "stack_frame_variables": False,
            "database_query_data": False,
            "gen_ai": {"inputs": False, "outputs": False},
        },
        "max_request_body_size": "never",
        "before_send": scrub_event,
        "traces_sample_rate": 0.0,
    }


def init_sentry(dsn: str, *, environment: str = "", release: str = "") -> None:
    import sentry_sdk

    sentry_sdk.init(**sentry_options(dsn, environment=environment, release=release))
