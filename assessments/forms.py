"""Forms: they validate input and give Dutch messages; views call services with the result."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from readiness.models import AnswerValue, Domain

from .models import NOTE_MAX_LENGTH


class StartAssessmentForm(forms.Form):
    title = forms.CharField(
        label=_("Titel van de meting"),
        max_length=200,
        help_text=_("Bijvoorbeeld: Nulmeting voorjaar, of Herhaalmeting najaar."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Meting starten")))


class AnswerForm(forms.Form):
    """One question's answer; prefixed ``q-<question id>`` so a step page holds many."""

    value = forms.ChoiceField(
        label=_("Antwoord"),
        choices=[("", _("Nog niet gekozen")), *AnswerValue.choices],
        required=False,
        error_messages={
            "invalid_choice": _("Kies een niveau van 0 tot en met 4, 'weet niet' of 'n.v.t.'.")
        },
    )
    note = forms.CharField(
        label=_("Toelichting of bewijs"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        strip=False,
        error_messages={
            "max_length": _(
                "De toelichting is te lang: maximaal %(limit_value)d tekens (nu %(show_value)d)."
            )
        },
    )

    def clean_note(self) -> str:
        # Keep the user's line breaks but not trailing spaces from a paste.
        return self.cleaned_data["note"].strip()


class PerspectiveForm(forms.Form):
    perspective = forms.ChoiceField(
        label=_("Vanuit welk domein vult u in?"),
        choices=[("", _("Geen opgegeven")), *Domain.choices],
        required=False,
    )


class TargetsForm(forms.Form):
    """The ambition: a target level per step."""

    def __init__(self, *args, steps, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        level_choices = [(str(v), label) for v, label in AnswerValue.choices if v.isdigit()]
        for step in steps:
            self.fields[step.code] = forms.TypedChoiceField(
                label=step.title,
                choices=level_choices,
                coerce=int,
                error_messages={"invalid_choice": _("Kies een niveau van 0 tot en met 4.")},
            )
