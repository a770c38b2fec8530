"""Celery tasks: the PDF report is rendered here, outside the web request; reminder
e-mails are sent from here on Celery beat's schedule (``CELERY_BEAT_SCHEDULE``).

``render_report`` takes a ``ReportFile`` row that ``services.request_report`` wrote, builds
and renders the report with ``assessments.report`` and stores the bytes in the row. With a
broker it runs in a worker; without one, in-process when it is sent (config/celery.py).
"""

from __future__ import annotations

import datetime
import logging

from celery import shared_task
from django.utils import timezone

from . import reminders
from .models import ReportFile
from .report import build_report, render_pdf

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
def send_round_reminders(now: datetime.datetime | None = None) -> int:
    """Daily: remind unfinished respondents of rounds due within a week (once each).

    ``now`` is the clock, for tests; beat passes nothing (the current time).
    """
    return reminders.send_round_reminders(now=now)


@shared_task
def send_action_digests(now: datetime.datetime | None = None) -> int:
    """Weekly: one digest per owner member of the actions due within two weeks."""
    return reminders.send_action_digests(now=now)
