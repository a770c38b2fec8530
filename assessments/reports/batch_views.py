"""One ZIP with the reports and workbooks of several rounds (a consultant's portfolio).

HTTP only: the rounds to choose from come from ``access.assessments_for_user``; the ZIP is
built by a task per round (``tasks.build_batch_export`` fans out) and only its requester
can see or download it.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from assessments import access
from assessments.common.downloads import download
from assessments.common.refusals import refusal_on_form
from assessments.models import BatchExport
from assessments.reports import services as report_services
from assessments.reports.forms import BatchExportForm


@require_http_methods(["GET", "POST"])
@access.member_required
def batch_export_new(request: HttpRequest) -> HttpResponse:
    form = BatchExportForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        with refusal_on_form(form):
            export = report_services.request_batch_export(
                user=request.user, assessments=list(form.cleaned_data["rounds"])
            )
            return redirect("assessments:batch_export", export_id=export.pk)
    return render(
        request,
        "assessments/reports/batch_export_new.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@require_GET
@access.member_required
def batch_export(request: HttpRequest, export_id: int) -> HttpResponse:
    return _export_page(request, export_id, "assessments/reports/batch_export.html")


@require_GET
@access.member_required
def batch_export_status(request: HttpRequest, export_id: int) -> HttpResponse:
    """The progress fragment that the status page polls (htmx) until the ZIP is ready."""
    return _export_page(request, export_id, "assessments/reports/_batch_export_status.html")


def _export_page(request: HttpRequest, export_id: int, template: str) -> HttpResponse:
    """The export with the parts the requester may still see."""
    export = access.get_batch_export_for_requester(request.user, export_id)
    parts = access.batch_export_parts_for_requester(request.user, export)
    return render(request, template, {"export": export, "parts": parts})


@require_GET
@access.member_required
def batch_export_download(request: HttpRequest, export_id: int) -> HttpResponse:
    export = access.get_batch_export_for_download(request.user, export_id)
    if not export.is_ready:
        return redirect("assessments:batch_export", export_id=export.pk)
    data = BatchExport.objects.filter(pk=export.pk).values_list("zip", flat=True).get()
    return download(bytes(data), filename=export.filename, content_type="application/zip")
