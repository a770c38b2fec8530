"""The work behind the report tasks: render one round's PDF, build a ZIP of several rounds.

``assessments/tasks.py`` holds the task entry points (their names are what beat and the
broker know); the work is here, on the one job shape of ``models/jobs.py``.
"""

from __future__ import annotations

import io
import logging
import zipfile

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.text import slugify

from assessments import access
from assessments.common.metrics import timed_render
from assessments.models import BatchExport, ReportFile
from assessments.plans import exports
from assessments.reports.build import build_report
from assessments.reports.contents import FULL, REPORT_LANGUAGE
from assessments.reports.render import render_pdf

logger = logging.getLogger("assessments.tasks")  # the name these messages always had

SKIPPED = "overgeslagen"


def render_report_file(report_file_id: int) -> str:
    """Render the requested report into its row; returns the status it ends with."""
    # A second delivery of the message, or a row that a newer request replaced (deleted)
    # in the meantime, changes nothing.
    claimed = ReportFile.claim(report_file_id, started_at=timezone.now())
    report_file = (
        ReportFile.objects.filter(pk=report_file_id)
        .select_related("assessment__municipality", "assessment__framework")
        .defer("pdf")
        .first()
    )
    if not claimed or report_file is None:
        return SKIPPED
    try:
        with timed_render("report"):
            report = build_report(
                report_file.assessment,
                language=report_file.language,
                variant=report_file.variant,
            )
            pdf = render_pdf(report)
    except Exception as exc:  # any failure: the user gets a message and a retry
        logger.exception(
            "Rendering report file %s of round %s failed", report_file_id, report_file.assessment_id
        )
        ReportFile.fail(report_file_id, exc)
        return ReportFile.Status.FAILED
    ReportFile.finish(
        report_file_id, pdf=pdf, filename=report.filename, is_final=not report.is_concept
    )
    return ReportFile.Status.READY


def build_batch_zip(batch_export_id: int) -> str:
    """Build one ZIP with, per round, its PDF report and its answers and action plan
    (XLSX); progress is counted in the row after every round."""
    claimed = BatchExport.claim(batch_export_id)
    export = BatchExport.objects.filter(pk=batch_export_id).defer("zip").first()
    if not claimed or export is None:
        return SKIPPED
    requester = get_user_model().objects.get(pk=export.requester_id)
    # Through access.py again: a round the requester lost access to since is left out.
    rounds = list(
        access.assessments_for_user(requester)
        .filter(pk__in=export.assessment_ids)
        .order_by("municipality__name", "-created_at")
    )
    buffer = io.BytesIO()
    try:
        with timed_render("batch"), zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for done, assessment in enumerate(rounds, start=1):
                folder = f"{slugify(assessment.municipality.name)}-{assessment.pk}"
                for name, content in _round_files(assessment, requester):
                    archive.writestr(f"{folder}/{name}", content)
                BatchExport.objects.filter(pk=batch_export_id).update(done=done)
    except Exception as exc:  # any failure: the user gets a message and can ask again
        logger.exception("Building batch export %s failed", batch_export_id)
        BatchExport.fail(batch_export_id, exc)
        return BatchExport.Status.FAILED
    BatchExport.finish(batch_export_id, zip=buffer.getvalue(), done=len(rounds), total=len(rounds))
    return BatchExport.Status.READY


def _round_files(assessment, user) -> list[tuple[str, bytes]]:
    """The files of one round in a batch export, with the same rules as its pages: an
    editor of an open round gets only the answers to the questions they answered."""
    today = timezone.localdate()
    seen = access.visibility(assessment, user)
    files = [
        (
            exports.export_filename("antwoorden", assessment, today),
            exports.answers_workbook(assessment, only_questions=seen.only_questions),
        ),
        (
            exports.export_filename("actieplan", assessment, today),
            exports.actions_workbook(assessment),
        ),
    ]
    if not seen.all_answers:
        # A concept report shows every colleague's levels: not for an editor of an open
        # round, who answers independently (access.visibility).
        return files
    stored = (
        ReportFile.objects.for_round(assessment, REPORT_LANGUAGE, FULL)
        .ready()
        .filter(is_final=True)  # never a concept made while the round was open
        .only("pdf", "filename")
        if not assessment.is_open
        else ReportFile.objects.none()
    ).first()
    if stored is not None:  # a closed round's report never changes: reuse the file
        pdf_name, pdf = stored.filename, bytes(stored.pdf)
    else:
        report = build_report(assessment, language=REPORT_LANGUAGE, variant=FULL)
        pdf_name, pdf = report.filename, render_pdf(report)
    return [(pdf_name, pdf), *files]
