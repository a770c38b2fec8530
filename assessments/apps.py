from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Metingen")

    def ready(self) -> None:
        """Connect the signal receivers: security logging of logins and lock-outs."""
        from axes.signals import user_locked_out
        from django.contrib.auth import signals as auth_signals

        from assessments.accounts import signals

        auth_signals.user_logged_in.connect(signals.log_login, dispatch_uid="scan.login")
        auth_signals.user_login_failed.connect(
            signals.log_login_failed, dispatch_uid="scan.login_failed"
        )
        auth_signals.user_logged_out.connect(signals.log_logout, dispatch_uid="scan.logout")
        user_locked_out.connect(signals.log_lockout, dispatch_uid="scan.lockout")
