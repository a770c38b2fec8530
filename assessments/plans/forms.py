"""The form of an action in the plan: it validates input with Dutch messages.

It never saves: its field names are those of ``services.ActionInput``, and the views pass
``ActionInput(**form.cleaned_data)`` to ``services.add_action``/``update_action``. The
progress form of a closed round's action does the same with ``services.ProgressInput``.
"""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.common.fields import IdModelChoiceField
from assessments.models import Action, Assessment
from assessments.reminders.services import member_choices


class ActionForm(forms.ModelForm):
    class Meta:
        model = Action
        field_classes = {"owner_user": IdModelChoiceField}
        fields = [
            "title",
            "description",
            "done_when",
            "owner",
            "owner_user",
            "owner_domain",
            "due_date",
            "status",
            "level",
        ]
        labels = {
            "title": _("Actie"),
            "description": _("Omschrijving"),
            "done_when": _("Klaar als"),
            "owner": _("Eigenaar (naam of rol)"),
            "owner_user": _("Herinneringen naar"),
            "owner_domain": _("Domein"),
            "due_date": _("Deadline"),
            "status": _("Status"),
            "level": _("Niveau"),
        }
        help_texts = {
            "owner": _("Bijvoorbeeld: beleidsadviseur wonen, of de naam van een collega."),
            "done_when": _("Eén zin: waaraan ziet iedereen dat de actie af is?"),
            "owner_user": _(
                "Dit lid krijgt een wekelijkse e-mail als de deadline binnen twee weken valt."
            ),
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "done_when": forms.Textarea(attrs={"rows": 2}),
            # type=date: browsers send ISO dates, so render the value as ISO as well.
            "due_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        error_messages = {
            "title": {
                "required": _("Geef de actie een titel."),
                "max_length": _("De titel is te lang: maximaal %(limit_value)d tekens."),
            },
            "owner": {
                "max_length": _("De eigenaar is te lang: maximaal %(limit_value)d tekens."),
            },
            "owner_user": {"invalid_choice": _("Kies als eigenaar een lid van deze gemeente.")},
            "owner_domain": {"invalid_choice": _("Kies een domein uit de lijst.")},
            "due_date": {
                "invalid": _("Vul de deadline in als datum, bijvoorbeeld 31-12-2026."),
            },
            "status": {
                "required": _("Kies een status."),
                "invalid_choice": _("Kies een status: gepland, bezig, gereed of vervallen."),
            },
            "level": {
                "required": _("Kies het niveau."),
                "invalid_choice": _("Kies het niveau: bestuurlijk of ambtelijk."),
            },
        }

    def __init__(
        self,
        *args,
        assessment: Assessment,
        submit_label: str | None = None,
        inline: bool = False,
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        owner_user = self.fields["owner_user"]
        owner_user.queryset = member_choices(assessment)
        owner_user.label_from_instance = lambda user: user.get_full_name() or user.username
        owner_user.empty_label = _("Niemand (geen herinneringen)")
        if inline:
            # The row was just swapped in by htmx: put the keyboard focus in it.
            self.fields["title"].widget.attrs["autofocus"] = True
        self.fields["owner_domain"].choices = [
            ("", _("Geen domein gekozen")),
            *self.fields["owner_domain"].choices[1:],
        ]
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", submit_label or _("Actie opslaan")))


class ProgressForm(forms.ModelForm):
    """The follow-up of a closed round's action: only what may change during the year."""

    class Meta:
        model = Action
        fields = ["status", "owner", "owner_user", "due_date", "progress_note"]
        labels = {
            "status": _("Status"),
            "owner": _("Eigenaar (naam of rol)"),
            "owner_user": _("Herinneringen naar"),
            "due_date": _("Deadline"),
            "progress_note": _("Voortgang"),
        }
        help_texts = {
            "progress_note": _(
                "Kort: wat is er gedaan, wat staat er nog open? De datum zetten we erbij."
            ),
            "owner_user": ActionForm.Meta.help_texts["owner_user"],
        }
        widgets = {
            "progress_note": forms.Textarea(attrs={"rows": 4}),
            "due_date": ActionForm.Meta.widgets["due_date"],
        }
        error_messages = {
            name: ActionForm.Meta.error_messages[name]
            for name in ("status", "owner", "owner_user", "due_date")
        }

    def __init__(self, *args, assessment: Assessment, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        owner_user = self.fields["owner_user"]
        owner_user.queryset = member_choices(assessment)
        owner_user.label_from_instance = lambda user: user.get_full_name() or user.username
        owner_user.empty_label = _("Niemand (geen herinneringen)")
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Voortgang opslaan")))
