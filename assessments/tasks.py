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
from dataclasses import asdict
from functools import partial

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from assessments.common import background
from assessments.models import BatchExport, ReportFile
from assessments.models.jobs import BackgroundJob
from assessments.privacy import retention
from assessments.reminders import services as reminders
from assessments.reports import jobs

logger = logging.getLogger("assessments.tasks")


@shared_task(name="assessments.tasks.render_report")
def render_report(report_file_id: int) -> str:
    """Render the requested report into its row; returns the status it ends with."""
    return jobs.render_report_file(report_file_id)


@shared_task(name="assessments.tasks.build_batch_export")
def build_batch_export(batch_export_id: int) -> str:
    """Fan out a batch export: one ``build_batch_part`` task per round, so that several
    workers render its rounds side by side (docs/decisions/0012); returns the export's
    status after sending them (ready at once when the parts ran in-process)."""
    part_ids = jobs.start_batch_export(batch_export_id)
    if part_ids is None:
        return jobs.SKIPPED
    if not part_ids:  # no round left to make: an empty ZIP, at once
        _send(write_batch_zip, BatchExport, batch_export_id, batch_export_id)
    for part_id in part_ids:
        _send(build_batch_part, BatchExport, batch_export_id, part_id)
    return BatchExport.objects.values_list("status", flat=True).get(pk=batch_export_id)


@shared_task(name="assessments.tasks.build_batch_part")
def build_batch_part(part_id: int) -> str:
    """One round of a batch export; the last part to finish sends ``write_batch_zip``."""
    status, export_id = jobs.build_batch_part(part_id)
    if export_id is not None:
        _send(write_batch_zip, BatchExport, export_id, export_id)
    return status


@shared_task(name="assessments.tasks.write_batch_zip")
def write_batch_zip(batch_export_id: int) -> str:
    """Write the ZIP of a batch export from its finished parts."""
    return jobs.write_batch_zip(batch_export_id)


def _send(task, model: type[BackgroundJob], pk: int, *args) -> None:
    """Send a task from within a task: to the broker, or without one (in the background
    thread, in tests) run here and now (``task_always_eager``). A broker that does not
    answer fails the row ``pk`` of ``model``: its page then says so."""
    try:
        task.delay(*args)
    except Exception as exc:
        logger.exception("Sending %s for %s %s failed", task.name, model.__name__, pk)
        model.fail(pk, exc)


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


@shared_task(name="assessments.tasks.apply_retention")
def apply_retention() -> dict[str, int]:
    """Daily: anonymise long-unused accounts, delete expired invitations and stale files
    (assessments/privacy/retention.py); returns the counts."""
    return asdict(retention.apply_retention())
