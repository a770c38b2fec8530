"""Forms of the report's cover branding and of a batch export."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments import access
from assessments.common.fields import IdModelMultipleChoiceField
from assessments.reports.branding import MAX_LOGO_BYTES, validate_logo


class BatchExportForm(forms.Form):
    rounds = IdModelMultipleChoiceField(
        label=gettext_lazy("Metingen"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Kies minstens één meting.")},
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Only what the user may read: another municipality's round is not a valid choice.
        self.fields["rounds"].queryset = access.assessments_for_user(user).order_by(
            "municipality__name", "-created_at"
        )
        self.fields["rounds"].label_from_instance = lambda a: (
            f"{a.municipality.name} · {a.title} · {a.get_status_display()}"
        )


LOGO_HELP = gettext_lazy("PNG of SVG, hoogstens %(kb)s kB. Een SVG mag geen scripts bevatten.")


class BrandingForm(forms.Form):
    consultant_name = forms.CharField(
        label=gettext_lazy("Naam van het adviesbureau"),
        max_length=100,
        required=False,
        help_text=gettext_lazy("Staat op het voorblad van het rapport. Leeg: geen begeleiding."),
    )
    logo = forms.FileField(label=gettext_lazy("Logo van de gemeente"), required=False)
    remove_logo = forms.BooleanField(
        label=gettext_lazy("Logo van de gemeente weghalen"), required=False
    )
    consultant_logo = forms.FileField(
        label=gettext_lazy("Logo van het adviesbureau"), required=False
    )
    remove_consultant_logo = forms.BooleanField(
        label=gettext_lazy("Logo van het adviesbureau weghalen"), required=False
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in ("logo", "consultant_logo"):
            self.fields[name].help_text = LOGO_HELP % {"kb": MAX_LOGO_BYTES // 1024}
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Opslaan")))

    def _clean_logo(self, name: str) -> bytes | None:
        upload = self.cleaned_data.get(name)
        if not upload:
            return None
        # Read one byte more than allowed: enough to refuse a file that is too big.
        data = upload.read(MAX_LOGO_BYTES + 1)
        validate_logo(data)
        return data

    def clean_logo(self) -> bytes | None:
        return self._clean_logo("logo")

    def clean_consultant_logo(self) -> bytes | None:
        return self._clean_logo("consultant_logo")
