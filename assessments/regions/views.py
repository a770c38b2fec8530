"""A region's heat map and PDF (region coordinators) and a round's consent to share with
its regions (coordinators of the municipality): HTTP only."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from assessments import access
from assessments.common.downloads import download
from assessments.common.securitylog import client_ip
from assessments.regions import services as region_services
from assessments.regions.overview import SORT_BY_NAME, build_region_overview, render_region_pdf
from assessments.reports.build import report_language


@require_GET
@access.member_required
def region(request: HttpRequest, region_id: int) -> HttpResponse:
    region = access.get_region_for_view(request.user, region_id)
    overview = build_region_overview(region, sort=request.GET.get("sorteer", SORT_BY_NAME))
    return render(request, "assessments/regions/region.html", {"overview": overview})


@require_GET
@access.member_required
def region_pdf(request: HttpRequest, region_id: int) -> HttpResponse:
    region = access.get_region_for_view(request.user, region_id)
    overview = build_region_overview(region)
    return download(
        render_region_pdf(overview, language=report_language()),
        filename=overview.filename,
        content_type="application/pdf",
    )


@require_POST
@access.member_required
def region_consent(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = access.get_assessment_for_consent(request.user, pk)
    shares = request.POST.get("delen") == "ja"
    region_services.set_region_consent(
        assessment=assessment, user=request.user, shares=shares, ip=client_ip(request)
    )
    if shares:
        messages.success(request, _("Deze meting wordt gedeeld met de regio."))
    else:
        messages.success(request, _("Deze meting wordt niet meer gedeeld met de regio."))
    return redirect("assessments:results", pk=assessment.pk)
