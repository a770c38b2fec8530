"""Forms: they validate input and give Dutch messages; views call services with the result."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from html import escape

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.safestring import SafeString, mark_safe
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

    def select_rows(self) -> list[SelectRow]:
        """The fields as plain values for the markup written out in _target_selects.html.

        That markup replaces ``{{ form|crispy }}``, whose template tree per field was about
        a tenth of the results page's CPU; tests/assessments/test_results.py holds the two
        to the same markup, errors included.
        """
        rows = []
        for name, field in self.fields.items():
            bound = self[name]
            value = bound.value()
            chosen = "" if value is None else str(value)
            rows.append(
                SelectRow(
                    name=bound.html_name,
                    id=bound.auto_id,
                    label=str(bound.label),
                    required=field.required,
                    options=_options(field.choices, chosen),
                    errors=[str(error) for error in bound.errors],
                )
            )
        return rows


def _options(choices: Iterable[tuple[object, object]], chosen: str) -> SafeString:
    """A select's options as Django's Select widget draws them (without its template)."""
    return mark_safe(  # every value is escaped
        "".join(
            f'<option value="{escape(str(value))}"{" selected" if str(value) == chosen else ""}>'
            f"{escape(str(label))}</option>"
            for value, label in choices
        )
    )


@dataclass(frozen=True)
class SelectRow:
    """One select field of a form, ready for hand-written markup."""

    name: str
    id: str
    label: str
    required: bool
    options: SafeString
    errors: list[str]
