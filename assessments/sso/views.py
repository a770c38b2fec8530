"""The login through the identity provider: start, callback (with a Dutch message when it is
refused) and the logout that also ends the provider's session.

The views are mozilla-django-oidc's; these subclasses answer 404 while single sign-on is
off (``OIDC_ENABLED``), so the URLs can always be there.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import resolve_url
from django.utils.translation import gettext_lazy
from mozilla_django_oidc import views as oidc_views

from assessments.accounts.middleware import record_provider_mfa
from assessments.common.securitylog import log_event
from assessments.sso.backend import MFA_ATTRIBUTE, REFUSAL_ATTRIBUTE
from assessments.sso.claims import Refusal

REFUSAL_MESSAGES = {
    Refusal.UNKNOWN_DOMAIN: gettext_lazy(
        "U bent niet ingelogd. Uw organisatie is niet aangesloten op de scan en er staat "
        "geen uitnodiging voor uw e-mailadres klaar. Vraag de coördinator van uw gemeente "
        "om een uitnodiging."
    ),
    Refusal.WRONG_ISSUER: gettext_lazy(
        "U bent niet ingelogd. U logde in bij een andere inlogdienst dan die van uw "
        "gemeente. Vraag de beheerder van de scan om hulp."
    ),
    Refusal.NO_EMAIL: gettext_lazy(
        "U bent niet ingelogd. De inlogdienst van uw organisatie gaf geen bevestigd "
        "e-mailadres door. Vraag de beheerder van uw organisatie om hulp."
    ),
    Refusal.WRONG_AUDIENCE: gettext_lazy(
        "U bent niet ingelogd. De inlogdienst gaf een bewijs af dat niet voor deze scan "
        "bedoeld is. Vraag de beheerder van de scan om hulp."
    ),
    Refusal.EXPIRED: gettext_lazy(
        "U bent niet ingelogd. Het bewijs van de inlogdienst was al verlopen. Probeer het opnieuw."
    ),
    Refusal.INVALID_TOKEN: gettext_lazy(
        "U bent niet ingelogd. Het bewijs van de inlogdienst klopte niet. Probeer het "
        "opnieuw of vraag de beheerder van de scan om hulp."
    ),
    Refusal.PROVIDER_ERROR: gettext_lazy(
        "U bent niet ingelogd. Inloggen via uw organisatie is afgebroken of mislukt. "
        "Probeer het opnieuw, of log in met uw gebruikersnaam en wachtwoord."
    ),
    Refusal.STALE_REQUEST: gettext_lazy(
        "U bent niet ingelogd. Deze inlogpoging is verlopen of al gebruikt. Probeer het opnieuw."
    ),
    Refusal.INACTIVE: gettext_lazy(
        "U bent niet ingelogd. Uw account is uitgeschakeld. Vraag de coördinator van uw "
        "gemeente om hulp."
    ),
}


def _require_sso() -> None:
    if not settings.OIDC_ENABLED:
        raise Http404


class AuthenticationRequestView(oidc_views.OIDCAuthenticationRequestView):
    """Sends the browser to the provider's login page."""

    def get(self, request: HttpRequest) -> HttpResponse:
        _require_sso()
        return super().get(request)


class AuthenticationCallbackView(oidc_views.OIDCAuthenticationCallbackView):
    """The provider sends the browser back here with a code (or an error)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        _require_sso()
        try:
            return super().get(request)
        except SuspiciousOperation:
            # A state this browser never asked for: an old tab, the back button, a replay.
            setattr(request, REFUSAL_ATTRIBUTE, Refusal.STALE_REQUEST)
            return self.login_failure()

    @property
    def failure_url(self) -> str:
        # mozilla-django-oidc redirects to the setting as it is; a URL name needs resolving.
        return resolve_url(settings.LOGIN_REDIRECT_URL_FAILURE)

    def login_success(self) -> HttpResponse:
        response = super().login_success()  # logs in: the login signal clears an old mark
        if getattr(self.request, MFA_ATTRIBUTE, False):
            record_provider_mfa(self.request.session)
            log_event(
                "2fa_by_provider",
                request=self.request,
                action="tweestapsverificatie door de inlogdienst",
            )
        return response

    def login_failure(self) -> HttpResponse:
        reason = getattr(self.request, REFUSAL_ATTRIBUTE, None) or self._unexplained_failure()
        messages.error(self.request, REFUSAL_MESSAGES[reason])
        log_event(
            "sso_refused",
            request=self.request,
            action="inloggen via de organisatie",
            result=reason.value,
        )
        return super().login_failure()

    def _unexplained_failure(self) -> Refusal:
        """Why, when the backend left no reason: it did not run, or found an inactive user."""
        user = getattr(self, "user", None)  # set by the parent once it authenticated
        if user is not None and not user.is_active:
            return Refusal.INACTIVE
        if "code" in self.request.GET:
            # No login under way in this session; or two accounts share the address.
            if "oidc_states" not in self.request.session:
                return Refusal.STALE_REQUEST
            return Refusal.INVALID_TOKEN
        return Refusal.PROVIDER_ERROR  # the provider sent an error: cancelled, refused


def provider_logout_url(request: HttpRequest) -> str:
    """Where the logout sends the browser (``OIDC_OP_LOGOUT_URL_METHOD``): after a login
    through the provider, to its end_session_endpoint (RP-Initiated Logout 1.0), which
    ends its session and sends the browser back to our login page; else to that page."""
    login_page = resolve_url(settings.LOGOUT_REDIRECT_URL)
    id_token = request.session.get("oidc_id_token")
    endpoint = settings.OIDC_OP_LOGOUT_ENDPOINT
    if not (settings.OIDC_ENABLED and endpoint and id_token):
        return login_page
    query = urlencode(
        {
            "id_token_hint": id_token,
            "client_id": settings.OIDC_RP_CLIENT_ID,
            "post_logout_redirect_uri": request.build_absolute_uri(login_page),
        }
    )
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"


class LogoutView(oidc_views.OIDCLogoutView):
    """POST only, like Django's: ends our session, and the provider's where it can."""
