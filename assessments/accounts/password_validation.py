"""Password validators whose messages Django's Dutch catalogue does not (yet) translate.

Django 5.2 reworded the minimum-length error ("... at least %d character(s)." through
``get_error_message``) and its shipped Dutch catalogue only has the older wording, so that
one message fell back to English on every page that sets a password (the invitation, the
password reset). The other validators' messages are translated by Django and stay its own.
"""

from __future__ import annotations

from django.contrib.auth import password_validation
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's validator, with the error message in the project's own catalogue."""

    def get_error_message(self) -> str:
        return ngettext(
            "Dit wachtwoord is te kort. Het moet minstens %(min_length)d teken hebben.",
            "Dit wachtwoord is te kort. Het moet minstens %(min_length)d tekens hebben.",
            self.min_length,
        ) % {"min_length": self.min_length}
