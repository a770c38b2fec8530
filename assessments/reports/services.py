"""Requests for stored files: a round's PDF report and a batch export of several rounds."""

from __future__ import annotations

import datetime
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import (
    AgreedLevel,
    Answer,
    Assessment,
    BatchExport,
    ReportFile,
)
from assessments.reports.contents import FULL, REPORT_LANGUAGE
from assessments.tasks import queue_batch_export, queue_render


def request_report(
    *, assessment: Assessment, user, language: str = REPORT_LANGUAGE, variant: str = FULL
) -> ReportFile:
    """Have the round's PDF report of one variant ("volledig" or "bestuurlijk") rendered
    in a language, or reuse the one already there. Each variant has its own file and its
    own rules below; one variant's request never touches the other's file.

    A closed round's report never changes: once rendered (or on its way) it is reused, and
    only a failed or stuck render is tried again. An open round's answers change, so each
    request renders anew and replaces the previous file; a render still running for the
    replaced row finds it gone and stores nothing. The render runs after the commit, in a
    worker (without a broker in a background thread of the web process, decision 0008),
    so that it sees the row.
    """
    with transaction.atomic():
        # Two clicks at once on the same round: the second waits, then sees the first's row
        # (and the round's status as it is now, not as the view read it).
        locked = Assessment.objects.select_for_update().only("status").get(pk=assessment.pk)
        existing = (
            ReportFile.objects.for_round(assessment, language, variant)
            .only("status", "is_final", "requested_at")
            .first()
        )
        if existing is not None:
            if existing.serves(locked):
                return existing
            existing.delete()
        report_file = ReportFile.objects.create(
            assessment=assessment,
            language=language,
            variant=variant,
            requested_by=user,
            is_final=not locked.is_open,
        )
        transaction.on_commit(partial(queue_render, report_file.pk))
    return report_file


def reports_ahead(report_file: ReportFile) -> int:
    """How many reports, of any round, wait to be rendered before this waiting one: the
    workers take them in the order they were asked for, so the report page can say where
    it stands in the queue. 0 once it runs. Stuck requests (``BackgroundJob.TIMEOUT``) are
    no longer waited for and do not count."""
    if report_file.status != ReportFile.Status.WAITING:
        return 0
    return ReportFile.objects.filter(
        status=ReportFile.Status.WAITING,
        requested_at__lt=report_file.requested_at,
        requested_at__gt=timezone.now() - ReportFile.TIMEOUT,
    ).count()


def round_changed_since(assessment: Assessment, moment: datetime.datetime) -> bool:
    """Whether an answer or an agreed level of the round changed after ``moment``. (The
    services that change the rest of what a report shows, such as the ambition and which
    responses count, drop the round's concept files themselves.)"""
    answers = Answer.objects.filter(response__assessment=assessment, updated_at__gt=moment)
    agreed = AgreedLevel.objects.filter(assessment=assessment, decided_at__gt=moment)
    return (
        Assessment.objects.filter(pk=assessment.pk)
        .filter(Exists(answers) | Exists(agreed))
        .exists()
    )


def servable_report(
    assessment: Assessment, language: str, variant: str = FULL
) -> tuple[ReportFile | None, bool]:
    """The stored report of a variant a download may serve, and whether a stored one is
    outdated.

    A closed round's downloads and ZIPs use its final report only, never a concept made
    while it was open. An open round's concept is outdated as soon as an answer changed
    after its render began: it is not served, and the report page offers a new one.
    """
    report_file = (
        ReportFile.objects.for_round(assessment, language, variant)
        .ready()
        .only("pdf", "filename", "is_final", "started_at", "requested_at")
        .first()
    )
    if report_file is None:
        return None, False
    if is_stale(assessment, report_file):
        return None, assessment.is_open
    return report_file, False


def is_stale(assessment: Assessment, report_file: ReportFile) -> bool:
    """Whether a ready file no longer matches the round: a concept of a round since closed,
    or a file of an open round whose answers changed after its render began."""
    if not assessment.is_open:
        return not report_file.is_final
    return round_changed_since(assessment, report_file.started_at or report_file.requested_at)


def request_batch_export(*, user, assessments: list[Assessment]) -> BatchExport:
    """Queue one ZIP with the reports and answer workbooks of rounds the user may read.

    ``assessments`` come from ``access.assessments_for_user``; the task loads them again
    through it. The ZIP is kept for ``BatchExport.KEEP``, for the requester only.
    """
    if not assessments:
        raise ValidationError(_("Kies minstens één meting."))
    with transaction.atomic():
        export = BatchExport.objects.create(
            requester=user,
            assessment_ids=[a.pk for a in assessments],
            total=len(assessments),
            expires_at=timezone.now() + BatchExport.KEEP,
        )
        transaction.on_commit(partial(queue_batch_export, export.pk))
    return export
