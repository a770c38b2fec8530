from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Metingen")

    def ready(self) -> None:
        """Connect the signal receivers (security logging of logins and lock-outs) and
        register the ``id`` path converter that every URL with an id uses."""
        from axes.signals import user_locked_out
        from django.contrib.auth import signals as auth_signals

        from assessments.accounts import signals
        from assessments.common import converters  # noqa: F401 (registers "id")

        auth_signals.user_logged_in.connect(signals.log_login, dispatch_uid="scan.login")
        auth_signals.user_login_failed.connect(
            signals.log_login_failed, dispatch_uid="scan.login_failed"
        )
        auth_signals.user_logged_out.connect(signals.log_logout, dispatch_uid="scan.logout")
        user_locked_out.connect(signals.log_lockout, dispatch_uid="scan.lockout")
