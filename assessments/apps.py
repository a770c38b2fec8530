from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Metingen")

    def ready(self) -> None:
        """Connect the signal receivers (security logging of logins and lock-outs, the
        cached two-factor requirement) and register the ``id`` path converter that every
        URL with an id uses."""
        from axes.signals import user_locked_out
        from django.contrib.auth import signals as auth_signals
        from django.db.models.signals import post_delete, post_save

        from assessments.accounts import signals
        from assessments.accounts.middleware import forget_two_factor_role
        from assessments.common import converters  # noqa: F401 (registers "id")
        from assessments.models import Membership, RegionMembership

        auth_signals.user_logged_in.connect(signals.log_login, dispatch_uid="scan.login")
        auth_signals.user_login_failed.connect(
            signals.log_login_failed, dispatch_uid="scan.login_failed"
        )
        auth_signals.user_logged_out.connect(signals.log_logout, dispatch_uid="scan.logout")
        user_locked_out.connect(signals.log_lockout, dispatch_uid="scan.lockout")
        # Whether a user must pass TOTP is cached per user (accounts/middleware.py).
        for model in (Membership, RegionMembership):
            for signal in (post_save, post_delete):
                signal.connect(
                    forget_two_factor_role,
                    sender=model,
                    dispatch_uid=f"scan.two_factor_role.{model.__name__}",
                )
