"""Session limits and the two-factor requirement, applied to every request."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django_otp import user_has_device

from assessments.models import Membership, RegionMembership

LOGIN_AT = "scan_login_at"
LAST_SEEN = "scan_last_seen"
# Set when this session's login went through an identity provider whose ID token says it
# asked for a second factor (assessments/sso/): that counts as our two-factor step.
PROVIDER_MFA = "scan_provider_mfa"
# Write the idle timestamp at most once a minute: a session write on every request would
# cost a query per request for nothing.
LAST_SEEN_RESOLUTION = 60


def start_session_clock(session) -> None:
    """Called at login: the working day and the idle hour start now."""
    now = int(time.time())
    session[LOGIN_AT] = now
    session[LAST_SEEN] = now


def record_provider_mfa(session) -> None:
    """Called after a login through the identity provider that did the second factor."""
    session[PROVIDER_MFA] = True


def forget_provider_mfa(session) -> None:
    """Called at every login: a second factor counts for the login it was part of only."""
    session.pop(PROVIDER_MFA, None)


def second_factor_passed(request: HttpRequest) -> bool:
    """Our own TOTP (django-otp) in this session, or the identity provider's."""
    return request.user.is_verified() or request.session.get(PROVIDER_MFA, False) is True


class DutchUnlessChosenMiddleware:
    """Dutch unless the user chose English in the header (the language cookie).

    The browser's Accept-Language is ignored: many civil servants run an English browser,
    and the questions themselves are Dutch. Runs before LocaleMiddleware.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class SessionLimitsMiddleware:
    """End a session after a working day (absolute) and after an idle hour."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            session = request.session
            login_at = session.get(LOGIN_AT, now)
            last_seen = session.get(LAST_SEEN, now)
            if (
                now - login_at > settings.SESSION_COOKIE_AGE
                or now - last_seen > settings.SESSION_IDLE_TIMEOUT
            ):
                logout(request)
                messages.info(request, _("U bent uitgelogd omdat uw sessie is verlopen."))
            elif now - last_seen >= LAST_SEEN_RESOLUTION or LOGIN_AT not in session:
                session.setdefault(LOGIN_AT, now)
                session[LAST_SEEN] = now
        return self.get_response(request)


# The roles that see more than one respondent's own answers, or more than one
# municipality: a stolen password of theirs exposes the most.
TWO_FACTOR_ROLES = {Membership.Role.COORDINATOR, Membership.Role.CONSULTANT}


# How long the answer of ``requires_two_factor`` is kept for a user. It changes with the
# user's memberships, which forget it when saved or deleted (``forget_two_factor_role``);
# the limit covers a consultant's access that simply runs out (``valid_until``), after
# which TOTP is asked a little longer than needed, never less.
TWO_FACTOR_ROLE_SECONDS = 300


def _two_factor_key(user_id: int) -> str:
    return f"two-factor-role:{user_id}"


def requires_two_factor(user) -> bool:
    """Staff, coordinators, consultants and region coordinators must use TOTP.

    Asked on every request of a user who has not passed TOTP (editors and viewers above
    all): the answer is kept in the shared cache rather than asked of the database each
    time.
    """
    if not settings.TWO_FACTOR_REQUIRED or not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    key = _two_factor_key(user.pk)
    required = cache.get(key)
    if required is None:
        required = (
            Membership.objects.current().filter(user=user, role__in=TWO_FACTOR_ROLES).exists()
            or RegionMembership.objects.filter(user=user).exists()
        )
        cache.set(key, required, TWO_FACTOR_ROLE_SECONDS)
    return required


def forget_two_factor_role(sender, instance, **kwargs) -> None:
    """A membership or region membership was saved or deleted: its user's roles changed.
    Connected in ``AssessmentsConfig.ready()``."""
    cache.delete(_two_factor_key(instance.user_id))


class TwoFactorMiddleware:
    """Staff, coordinators, consultants and region coordinators must pass TOTP before any
    page but the 2FA pages themselves (``requires_two_factor``), unless the identity
    provider they logged in through did a second factor (``second_factor_passed``)."""

    # set_language only sets the language cookie and returns to a same-site page: without
    # it, the language switch on the two-factor pages would do nothing for a coordinator.
    EXEMPT_NAMES = ("two_factor_setup", "two_factor_verify", "logout", "set_language")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not second_factor_passed(request)
            and requires_two_factor(user)  # cached: cheaper than the exempt paths below
            and not self._exempt(request)
        ):
            target = "two_factor_verify" if user_has_device(user) else "two_factor_setup"
            if request.htmx:
                return HttpResponse(
                    _("Bevestig eerst uw inlog met de tweestapsverificatie."),
                    status=401,
                    content_type="text/plain; charset=utf-8",
                )
            return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    def _exempt(self, request: HttpRequest) -> bool:
        path = request.path_info
        if path.startswith(("/static/", "/healthz")):
            return True
        return any(path == reverse(name) for name in self.EXEMPT_NAMES)
