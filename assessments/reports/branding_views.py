"""The report's cover for a municipality: the consultant's name and two logos.

Coordinators only (``access.get_municipality_for_branding``): another municipality is a 404,
any other member a 403. ``assessments.reports.branding`` validates and stores the logos.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from assessments import access
from assessments.common.refusals import refusal_on_form
from assessments.models import ReportBranding
from assessments.reports.branding import save_branding
from assessments.reports.forms import BrandingForm


@require_http_methods(["GET", "POST"])
@access.member_required
def report_branding(request: HttpRequest, municipality_id: int) -> HttpResponse:
    municipality = access.get_municipality_for_branding(request.user, municipality_id)
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
        with refusal_on_form(form):
            save_branding(municipality=municipality, **form.cleaned_data)
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
