"""The project's URLs: accounts, the admin, health, the language switch and the assessments app."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from assessments.accounts import views as accounts
from assessments.common import health, metrics
from assessments.members import views as member_views
from assessments.sso import views as sso

urlpatterns = [
    path("accounts/login/", accounts.LoginView.as_view(), name="login"),
    # Ends the identity provider's session too after a login through it (assessments/sso/).
    path("accounts/logout/", sso.LogoutView.as_view(), name="logout"),
    # Login through the municipality's identity provider (OpenID Connect); 404 while off.
    # The callback's address is the redirect URI registered at the provider.
    path("accounts/sso/", sso.AuthenticationRequestView.as_view(), name="oidc_authentication_init"),
    path(
        "accounts/sso/terug/",
        sso.AuthenticationCallbackView.as_view(),
        name="oidc_authentication_callback",
    ),
    path(
        "accounts/wachtwoord-vergeten/",
        auth_views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "accounts/wachtwoord-vergeten/verstuurd/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/nieuw-wachtwoord/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/nieuw-wachtwoord/klaar/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path(
        "accounts/wachtwoord-wijzigen/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/wachtwoord-wijzigen/klaar/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("accounts/tweestaps/instellen/", accounts.two_factor_setup, name="two_factor_setup"),
    path("accounts/tweestaps/", accounts.two_factor_verify, name="two_factor_verify"),
    path("uitnodiging/<str:token>/", member_views.accept_invitation, name="accept_invitation"),
    path("healthz", health.healthz, name="healthz"),
    # Prometheus: loopback or METRICS_TOKEN only (assessments/common/metrics.py).
    path("metrics", metrics.metrics, name="metrics"),
    # set_language: the language switch in the header; the choice lives in a cookie.
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    # The read-only JSON API (assessments/api/), with its schema and docs.
    path("api/v1/", include("assessments.api.urls")),
    path("", include("assessments.urls")),
]

handler400 = "assessments.common.errors.bad_request"
handler403 = "assessments.common.errors.permission_denied"
handler404 = "assessments.common.errors.page_not_found"
handler500 = "assessments.common.errors.server_error"
