"""The PDF report of a round: HTTP only.

"Rapport maken" asks ``report_services.request_report`` for a render, which runs in a task
(``assessments.tasks``); the report page shows its progress and links to the stored file.
Every member of the municipality may make and download the report, viewers included: it
changes nothing of the round.

A round has two reports, the bestuurlijke rapportage and the full one: the same views serve
both, with the variant as a parameter (``?variant=bestuurlijk``, or a field of the POST;
the full report when none is given), so both have the same access rules.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from assessments import access
from assessments.common.downloads import download
from assessments.models import Assessment, ReportFile
from assessments.reports import services as report_services
from assessments.reports.blank import blank_filename, blank_questionnaire_pdf, blank_steps
from assessments.reports.build import report_language
from assessments.reports.contents import FULL, VARIANTS
from assessments.reports.progress import build_progress_report
from assessments.reports.render import render_progress_pdf


def _get_assessment_for_report(user, pk: int) -> Assessment:
    """A round whose report the user may see: the report shows every respondent's levels
    (numbered, never named), so not to an editor of an open round, who answers
    independently (``access.visibility``)."""
    assessment = access.get_assessment_for_view(user, pk)
    if not access.visibility(assessment, user).all_answers:
        raise PermissionDenied(
            _(
                "Het conceptrapport toont de antwoorden van collega's. Als invuller ziet u "
                "het rapport zodra de meting is afgesloten."
            )
        )
    return assessment


def _variant(data: QueryDict) -> str:
    """The report variant asked for: "bestuurlijk" or "volledig" (the default)."""
    variant = data.get("variant", FULL)
    if variant not in VARIANTS:
        raise Http404(_("Dit rapport bestaat niet."))
    return variant


@require_POST
@access.member_required
def report_make(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = _get_assessment_for_report(request.user, pk)
    # In the language of the interface: an English one makes an English report.
    report_services.request_report(
        assessment=assessment,
        user=request.user,
        language=report_language(),
        variant=_variant(request.POST),
    )
    return redirect("assessments:report", pk=assessment.pk)


@require_GET
@access.member_required
def report(request: HttpRequest, pk: int) -> HttpResponse:
    """Both reports' progress; without JavaScript the page refreshes itself while one is
    pending."""
    assessment = _get_assessment_for_report(request.user, pk)
    statuses = _statuses(assessment, VARIANTS)
    return render(
        request,
        "assessments/reports/report.html",
        {
            "assessment": assessment,
            "statuses": statuses,
            "is_pending": any(s["report_file"] and s["report_file"].is_pending for s in statuses),
        },
    )


@require_GET
@access.member_required
def report_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The status fragment of one variant that the report page polls (htmx) until the
    render is done."""
    assessment = _get_assessment_for_report(request.user, pk)
    (status,) = _statuses(assessment, (_variant(request.GET),))
    return render(request, "assessments/reports/_report_status.html", status)


def _statuses(assessment: Assessment, variants: tuple[str, ...]) -> list[dict[str, object]]:
    """The status of each variant's report in the user's language, in one query."""
    files = {
        f.variant: f
        for f in ReportFile.objects.filter(
            assessment=assessment, language=report_language(), variant__in=variants
        ).defer("pdf", "error")
    }
    statuses = []
    for variant in variants:
        report_file, outdated = files.get(variant), False
        if (
            report_file is not None
            and report_file.is_ready
            and report_services.is_stale(assessment, report_file)
        ):
            # The same rule as the download: offer a new report instead of this one.
            report_file, outdated = None, assessment.is_open
        statuses.append(
            {
                "assessment": assessment,
                "variant": variant,
                "report_file": report_file,
                "is_outdated": outdated,
                "ahead": report_services.reports_ahead(report_file) if report_file else 0,
                # No button while a render runs, nor for a closed round's final report.
                "can_make": report_file is None
                or not (report_file.is_pending or report_file.serves(assessment)),
            }
        )
    return statuses


@require_GET
@access.member_required
def report_download(request: HttpRequest, pk: int) -> HttpResponse:
    # Access as it is now, at the download, not as it was when the file was made.
    assessment = _get_assessment_for_report(request.user, pk)
    report_file, outdated = report_services.servable_report(
        assessment, report_language(), _variant(request.GET)
    )
    if report_file is None:
        if outdated:
            messages.info(
                request,
                _(
                    "Er zijn antwoorden gewijzigd sinds dit concept is gemaakt. Maak het "
                    "rapport opnieuw."
                ),
            )
        else:
            messages.info(request, _("Het rapport is nog niet klaar."))
        return redirect("assessments:report", pk=assessment.pk)
    return download(
        bytes(report_file.pdf), filename=report_file.filename, content_type="application/pdf"
    )


@require_GET
@access.member_required
def progress_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The voortgangsrapportage. Everyone who may see the round may have it, editors of an
    open round too: like the plan page it shows the actions only, no respondent and no
    level (``access.visibility`` has nothing to hide in it).

    Rendered in the request, like the regional PDF and unlike the report (decision 0005):
    it is two or three pages (well under a second in the tests, against some 3 s for the
    report), and it is the state of today, so there is nothing worth keeping."""
    assessment = access.get_assessment_for_view(request.user, pk)
    report = build_progress_report(assessment, report_language())
    return download(
        render_progress_pdf(report), filename=report.filename, content_type="application/pdf"
    )


@require_GET
@access.member_required
def blank_questionnaire(request: HttpRequest, pk: int, step: str | None = None) -> HttpResponse:
    """The blank questionnaire of one step or of the whole round, to print for a workshop.

    Every member who may see the round may have it: it holds the framework's statements
    and level texts only, nothing of anyone's answers. Kept in the cache per published
    version, step and language (``reports/blank.py``)."""
    assessment = access.get_assessment_for_view(request.user, pk)
    steps = blank_steps(assessment.framework)
    if step is not None and step not in steps:
        raise Http404(_("Deze stap bestaat niet."))
    language = report_language()
    pdf = blank_questionnaire_pdf(assessment.framework, step, language)
    filename = blank_filename(assessment.municipality.name, steps.get(step or ""), language)
    return download(pdf, filename=filename, content_type="application/pdf")
