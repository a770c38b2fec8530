"""The report's cover for a municipality: the consultant's name and two logos.

Coordinators only (``access.get_municipality_for_manage``): another municipality is a 404,
any other member a 403. ``assessments.reports.branding`` validates and stores the logos.
"""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from assessments import access
from assessments.models import ReportBranding
from assessments.reports.branding import MAX_LOGO_BYTES, save_branding, validate_logo

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


@require_http_methods(["GET", "POST"])
@access.member_required
def report_branding(request: HttpRequest, municipality_id: int) -> HttpResponse:
    municipality = access.get_municipality_for_manage(request.user, municipality_id)
    branding = (
        ReportBranding.objects.filter(municipality=municipality)
        .only("consultant_name", "logo", "consultant_logo")
        .first()
    )
    form = BrandingForm(
        request.POST or None,
        request.FILES or None,
        initial={"consultant_name": branding.consultant_name if branding else ""},
    )
    if request.method == "POST" and form.is_valid():
        try:
            save_branding(municipality=municipality, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Het voorblad van het rapport is opgeslagen."))
            return redirect("assessments:report_branding", municipality_id=municipality.pk)
    return render(
        request,
        "assessments/reports/report_branding.html",
        {
            "municipality": municipality,
            "form": form,
            "has_logo": bool(branding and branding.logo),
            "has_consultant_logo": bool(branding and branding.consultant_logo),
        },
    )
