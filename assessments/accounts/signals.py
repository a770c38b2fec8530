"""Security logging of logins, failed logins, logouts and lock-outs.

The receivers are connected in ``AssessmentsConfig.ready()`` (assessments/apps.py).
"""

from __future__ import annotations

from assessments.accounts.middleware import forget_provider_mfa, start_session_clock
from assessments.common.securitylog import actor_label, log_event, login_name_label


def log_login(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        start_session_clock(request.session)
        forget_provider_mfa(request.session)
    log_event("login", request=request, actor=actor_label(user), action="inloggen")


def log_login_failed(sender, credentials, request=None, **kwargs) -> None:
    log_event(
        "login_failed",
        request=request,
        actor=login_name_label(str(credentials.get("username", ""))),
        action="inloggen",
        result="mislukt",
    )


def log_logout(sender, request, user, **kwargs) -> None:
    if user is not None:
        log_event("logout", request=request, actor=actor_label(user), action="uitloggen")


def log_lockout(sender, request, username, ip_address, **kwargs) -> None:
    log_event(
        "lockout",
        request=request,
        actor=login_name_label(username or ""),
        action="inloggen",
        result="geblokkeerd",
    )
