"""Celery task entry points, thin: the work is in the features.

The PDF report and batch exports are made outside the web request
(``assessments/reports/jobs.py``); reminder e-mails are sent on Celery beat's schedule
(``CELERY_BEAT_SCHEDULE``, ``assessments/reminders/services.py``). With a broker the tasks
run in a worker. Without one the report and export tasks run in a background thread of the
web process (``assessments/common/background.py``), so that the request returns at once
and the page shows the progress; any other task runs in-process when it is sent
(config/celery.py). The task names are given explicitly: beat's schedule and queued
messages refer to them.
"""

from __future__ import annotations

import datetime
import logging
from functools import partial

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from assessments.common import background
from assessments.models import BatchExport, ReportFile
from assessments.models.jobs import BackgroundJob
from assessments.reminders import services as reminders
from assessments.reports import jobs

logger = logging.getLogger("assessments.tasks")


@shared_task(name="assessments.tasks.render_report")
def render_report(report_file_id: int) -> str:
    """Render the requested report into its row; returns the status it ends with."""
    return jobs.render_report_file(report_file_id)


@shared_task(name="assessments.tasks.build_batch_export")
def build_batch_export(batch_export_id: int) -> str:
    """Build the ZIP of several rounds into its row; returns the status it ends with."""
    return jobs.build_batch_zip(batch_export_id)


def _queue(task, model: type[BackgroundJob], pk: int) -> None:
    """Send a job to the worker, or without a broker to a background thread of this
    process; called after the commit, so that the job sees the row.

    A broker that does not answer fails this row instead of the user's request: the page
    then says so and offers a new attempt.
    """
    try:
        if settings.TASKS_IN_THREAD:
            background.submit(partial(_run_here, task, model, pk))
        else:
            task.delay(pk)
    except Exception as exc:
        logger.exception("Queueing %s %s failed", model.__name__, pk)
        model.fail(pk, exc)


def _run_here(task, model: type[BackgroundJob], pk: int) -> None:
    """The task in this process (``apply``: with its signals, as a worker runs it). The
    work fails its own row on an error; this catches what happens before it can."""
    try:
        task.apply(args=(pk,), throw=True)
    except Exception as exc:
        logger.exception("Running %s %s in the background failed", model.__name__, pk)
        model.fail(pk, exc)


def queue_render(report_file_id: int) -> None:
    _queue(render_report, ReportFile, report_file_id)


def queue_batch_export(batch_export_id: int) -> None:
    _queue(build_batch_export, BatchExport, batch_export_id)


@shared_task(name="assessments.tasks.delete_expired_batch_exports")
def delete_expired_batch_exports() -> int:
    """Hourly: delete the batch export ZIPs whose 24 hours are over."""
    deleted, _by_model = BatchExport.objects.filter(expires_at__lte=timezone.now()).delete()
    return deleted


@shared_task(name="assessments.tasks.send_round_reminders")
def send_round_reminders(now: datetime.datetime | None = None) -> int:
    """Daily: remind unfinished respondents of rounds due within a week (once each).

    ``now`` is the clock, for tests; beat passes nothing (the current time).
    """
    return reminders.send_round_reminders(now=now)


@shared_task(name="assessments.tasks.send_action_digests")
def send_action_digests(now: datetime.datetime | None = None) -> int:
    """Weekly: one digest per owner member of the actions due within two weeks."""
    return reminders.send_action_digests(now=now)
