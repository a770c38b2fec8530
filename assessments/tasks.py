"""Celery tasks: the PDF report is rendered here, outside the web request; reminder
e-mails are sent from here on Celery beat's schedule (``CELERY_BEAT_SCHEDULE``).

``render_report`` takes a ``ReportFile`` row that ``services.request_report`` wrote, builds
and renders the report with ``assessments.report`` and stores the bytes in the row. With a
broker it runs in a worker; without one, in-process when it is sent (config/celery.py).
"""

from __future__ import annotations

import datetime
import io
import logging
import zipfile

from celery import shared_task
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.text import slugify

from . import access, exports, reminders
from .models import BatchExport, ReportFile
from .report import REPORT_LANGUAGE, build_report, render_pdf

logger = logging.getLogger(__name__)

# Kept in the row for staff; a full traceback is in the worker's log.
ERROR_MAX_LENGTH = 2000


@shared_task
def render_report(report_file_id: int) -> str:
    """Render the requested report into its row; returns the status it ends with."""
    # Claim the row: a second delivery of the message, or a row that a newer request
    # replaced (deleted) in the meantime, changes nothing.
    claimed = ReportFile.objects.filter(pk=report_file_id, status=ReportFile.Status.WAITING).update(
        status=ReportFile.Status.RUNNING, started_at=timezone.now()
    )
    report_file = (
        ReportFile.objects.filter(pk=report_file_id)
        .select_related("assessment__municipality", "assessment__framework")
        .defer("pdf")
        .first()
    )
    if not claimed or report_file is None:
        return "overgeslagen"
    try:
        report = build_report(report_file.assessment, language=report_file.language)
        pdf = render_pdf(report)
    except Exception as exc:  # any failure: the user gets a message and a retry
        logger.exception(
            "Rendering report file %s of round %s failed", report_file_id, report_file.assessment_id
        )
        _finish(
            report_file_id,
            status=ReportFile.Status.FAILED,
            error=f"{type(exc).__name__}: {exc}"[:ERROR_MAX_LENGTH],
        )
        return ReportFile.Status.FAILED
    # filter().update(): a row deleted while rendering stays deleted.
    _finish(
        report_file_id,
        status=ReportFile.Status.READY,
        pdf=pdf,
        filename=report.filename,
        is_final=not report.is_concept,
    )
    return ReportFile.Status.READY


def queue_render(report_file_id: int) -> None:
    """Send the render to the worker (or run it, without a broker); called after the commit.

    A broker that does not answer fails this row instead of the user's request: the report
    page then says so and offers a new attempt.
    """
    try:
        render_report.delay(report_file_id)
    except Exception as exc:
        logger.exception("Queueing the render of report file %s failed", report_file_id)
        _finish(
            report_file_id,
            status=ReportFile.Status.FAILED,
            error=f"{type(exc).__name__}: {exc}"[:ERROR_MAX_LENGTH],
        )


def _finish(report_file_id: int, **fields) -> None:
    ReportFile.objects.filter(pk=report_file_id).update(finished_at=timezone.now(), **fields)


@shared_task
def build_batch_export(batch_export_id: int) -> str:
    """Build one ZIP with, per round, its PDF report and its answers and action plan
    (XLSX); progress is counted in the row after every round."""
    claimed = BatchExport.objects.filter(
        pk=batch_export_id, status=BatchExport.Status.WAITING
    ).update(status=BatchExport.Status.RUNNING)
    export = BatchExport.objects.filter(pk=batch_export_id).defer("zip").first()
    if not claimed or export is None:
        return "overgeslagen"
    requester = get_user_model().objects.get(pk=export.requester_id)
    # Through access.py again: a round the requester lost access to since is left out.
    rounds = list(
        access.assessments_for_user(requester)
        .filter(pk__in=export.assessment_ids)
        .order_by("municipality__name", "-created_at")
    )
    buffer = io.BytesIO()
    try:
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for done, assessment in enumerate(rounds, start=1):
                folder = f"{slugify(assessment.municipality.name)}-{assessment.pk}"
                for name, content in _round_files(assessment, requester):
                    archive.writestr(f"{folder}/{name}", content)
                BatchExport.objects.filter(pk=batch_export_id).update(done=done)
    except Exception as exc:  # any failure: the user gets a message and can ask again
        logger.exception("Building batch export %s failed", batch_export_id)
        BatchExport.objects.filter(pk=batch_export_id).update(
            status=BatchExport.Status.FAILED,
            error=f"{type(exc).__name__}: {exc}"[:ERROR_MAX_LENGTH],
            finished_at=timezone.now(),
        )
        return BatchExport.Status.FAILED
    BatchExport.objects.filter(pk=batch_export_id).update(
        status=BatchExport.Status.READY,
        zip=buffer.getvalue(),
        done=len(rounds),
        total=len(rounds),
        finished_at=timezone.now(),
    )
    return BatchExport.Status.READY


def _round_files(assessment, user) -> list[tuple[str, bytes]]:
    """The files of one round in a batch export, with the same rules as its pages: an
    editor of an open round gets only the answers to the questions they answered."""
    today = timezone.localdate()
    stored = (
        ReportFile.objects.for_round(assessment, REPORT_LANGUAGE).ready().only("pdf", "filename")
        if not assessment.is_open
        else ReportFile.objects.none()
    ).first()
    if stored is not None:  # a closed round's report never changes: reuse the file
        pdf_name, pdf = stored.filename, bytes(stored.pdf)
    else:
        report = build_report(assessment, language=REPORT_LANGUAGE)
        pdf_name, pdf = report.filename, render_pdf(report)
    only = (
        None
        if access.sees_all_answers(assessment)
        else access.answered_question_codes(assessment, user)
    )
    return [
        (pdf_name, pdf),
        (
            exports.export_filename("antwoorden", assessment, today),
            exports.answers_workbook(assessment, only_questions=only),
        ),
        (
            exports.export_filename("actieplan", assessment, today),
            exports.actions_workbook(assessment),
        ),
    ]


def queue_batch_export(batch_export_id: int) -> None:
    """Send the build to the worker (or run it, without a broker); called after the commit."""
    try:
        build_batch_export.delay(batch_export_id)
    except Exception as exc:
        logger.exception("Queueing batch export %s failed", batch_export_id)
        BatchExport.objects.filter(pk=batch_export_id).update(
            status=BatchExport.Status.FAILED,
            error=f"{type(exc).__name__}: {exc}"[:ERROR_MAX_LENGTH],
            finished_at=timezone.now(),
        )


@shared_task
def delete_expired_batch_exports() -> int:
    """Hourly: delete the batch export ZIPs whose 24 hours are over."""
    deleted, _by_model = BatchExport.objects.filter(expires_at__lte=timezone.now()).delete()
    return deleted


@shared_task
def send_round_reminders(now: datetime.datetime | None = None) -> int:
    """Daily: remind unfinished respondents of rounds due within a week (once each).

    ``now`` is the clock, for tests; beat passes nothing (the current time).
    """
    return reminders.send_round_reminders(now=now)


@shared_task
def send_action_digests(now: datetime.datetime | None = None) -> int:
    """Weekly: one digest per owner member of the actions due within two weeks."""
    return reminders.send_action_digests(now=now)
