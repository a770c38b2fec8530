"""Accounts: the login lock-out page, two-factor authentication and security logging of logins.

Two-factor uses django-otp: a TOTP device (an authenticator app) plus ten one-time
recovery codes (a static device). The requirement itself lives in
``assessments.accounts.middleware.TwoFactorMiddleware``.
"""

from __future__ import annotations

import base64
import secrets

import segno
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from assessments.accounts.forms import TokenForm
from assessments.common.securitylog import log_event

RECOVERY_CODE_COUNT = 10

LOCKED_MESSAGE = gettext_lazy(
    "Te veel mislukte pogingen om in te loggen. Deze inlog is 15 minuten geblokkeerd. "
    "Probeer het daarna opnieuw of vraag uw coördinator om hulp."
)


class LoginView(auth_views.LoginView):
    """Django's login, with the way in through the organisation's identity provider when
    single sign-on is on (assessments/sso/)."""

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "sso_enabled": settings.OIDC_ENABLED}


def lockout_response(request: HttpRequest, original_response=None, credentials=None):
    """The same Dutch message whether or not the username exists."""
    from django.contrib.auth.forms import AuthenticationForm

    form = AuthenticationForm(request)
    return render(
        request,
        "registration/login.html",
        {"form": form, "locked_message": LOCKED_MESSAGE, "sso_enabled": settings.OIDC_ENABLED},
        status=429,
    )


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return settings.LOGIN_REDIRECT_URL


def _qr_data_uri(device: TOTPDevice) -> str:
    # An <img> needs a standalone SVG: svg_inline() leaves out the SVG namespace (it is
    # meant for inline <svg> in HTML), and browsers then show no image at all.
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, dark="#101828")


@require_http_methods(["GET", "POST"])
@login_required
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Connect an authenticator app: scan the code, type one code, get recovery codes."""
    if user_has_device(request.user):
        return redirect("two_factor_verify")
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name="authenticator", confirmed=False)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"].strip()):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            codes = _new_recovery_codes(request.user)
            log_event("2fa_enabled", request=request, action="tweestapsverificatie aanzetten")
            return render(
                request,
                "registration/two_factor_codes.html",
                {"codes": codes, "next": _next_url(request)},
            )
        form.add_error("token", _("Deze code klopt niet. Probeer de nieuwste code uit de app."))
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return render(
        request,
        "registration/two_factor_setup.html",
        {"form": form, "qr": _qr_data_uri(device), "secret": secret, "next": _next_url(request)},
        status=400 if form.errors else 200,
    )


def _new_recovery_codes(user) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(user=user, name="herstelcodes")
    device.token_set.all().delete()
    codes = [secrets.token_hex(5) for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@require_http_methods(["GET", "POST"])
@login_required
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    if not user_has_device(request.user):
        return redirect("two_factor_setup")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"].strip())
        if device is not None:
            otp_login(request, device)
            log_event("2fa_verified", request=request, action="tweestapsverificatie")
            return redirect(_next_url(request))
        log_event("2fa_failed", request=request, action="tweestapsverificatie", result="mislukt")
        form.add_error("token", _("Deze code klopt niet of is al gebruikt."))
    return render(
        request,
        "registration/two_factor_verify.html",
        {"form": form, "next": _next_url(request)},
        status=400 if form.errors else 200,
    )
