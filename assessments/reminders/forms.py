"""The form of a round's due date: it validates input with Dutch messages, and never saves
(the view passes the date to ``reminders.set_due_date``)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class DueDateForm(forms.Form):
    due_date = forms.DateField(
        label=_("Invullen vóór"),
        required=False,
        help_text=_(
            "Wie dan nog niet alles heeft ingevuld, krijgt een week van tevoren één "
            "herinnering per e-mail. Leeg laten: geen datum en geen herinnering."
        ),
        # type=date: browsers send ISO dates, so render the value as ISO as well.
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Vul een datum in, bijvoorbeeld 31-12-2026.")},
    )
