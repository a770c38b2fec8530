"""The PDF report of a round: HTTP only; ``assessments.report`` builds and renders it."""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from . import access
from .report import Report, build_report, render_pdf

# How much the rendering thread steps back: nice 10 gets about a tenth of the CPU that a
# page request at nice 0 gets when both want the same core, and all of it when idle.
RENDER_NICENESS = 10


@require_GET
@access.member_required
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """Every member of the municipality may download it, viewers included."""
    assessment = access.get_assessment_for_view(request.user, pk)
    report = build_report(assessment)
    response = HttpResponse(render_at_low_priority(report), content_type="application/pdf")
    # The filename is a slug and an ISO date, so it needs no quoting beyond the quotes.
    response["Content-Disposition"] = f'attachment; filename="{report.filename}"'
    # One municipality's report must not stay behind in a shared cache or proxy.
    patch_cache_control(response, private=True, no_store=True)
    return response


def render_at_low_priority(report: Report) -> bytes:
    """Render the PDF in a thread that lets page requests go first.

    A report is seconds of CPU, a page a few milliseconds; under load the reports took
    two thirds of the server's CPU and slowed every page (docs/performance.md). On Linux
    the nice value belongs to a thread (setpriority(2)), so the rendering thread lowers
    its own priority, and the other workers' page requests win the CPU when they want
    it. The report has been built already: the thread touches no database connection,
    and ``render_pdf`` sets its own language.
    """
    with ThreadPoolExecutor(max_workers=1, initializer=_step_back) as pool:
        return pool.submit(render_pdf, report).result()


def _step_back() -> None:
    try:
        current = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), current + RENDER_NICENESS)
    except (AttributeError, OSError):  # not Linux: render at normal priority
        pass
