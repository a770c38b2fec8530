"""The PDF report of a round: HTTP only; ``assessments.report`` builds and renders it."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from . import access
from .report import build_report, render_pdf


@require_GET
@access.member_required
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """Every member of the municipality may download it, viewers included."""
    assessment = access.get_assessment_for_view(request.user, pk)
    report = build_report(assessment)
    response = HttpResponse(render_pdf(report), content_type="application/pdf")
    # The filename is a slug and an ISO date, so it needs no quoting beyond the quotes.
    response["Content-Disposition"] = f'attachment; filename="{report.filename}"'
    # One municipality's report must not stay behind in a shared cache or proxy.
    patch_cache_control(response, private=True, no_store=True)
    return response
