"""The work behind the report tasks: render one round's PDF; a ZIP of several rounds,
made by a task per round and written when the last is done (docs/decisions/0012).

``assessments/tasks.py`` holds the task entry points (their names are what beat and the
broker know); the work is here, on the one job shape of ``models/jobs.py``.
"""

from __future__ import annotations

import io
import logging
import zipfile

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from assessments import access
from assessments.common.metrics import timed_render
from assessments.models import BatchExport, BatchExportPart, ReportFile
from assessments.plans import exports
from assessments.reports.build import build_report
from assessments.reports.contents import FULL, REPORT_LANGUAGE
from assessments.reports.render import render_pdf

logger = logging.getLogger("assessments.tasks")  # the name these messages always had

SKIPPED = "overgeslagen"
# In the ZIP when a round could not be made: which ones, and what to do.
FAILED_LIST = "niet-gelukt.txt"


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


def start_batch_export(batch_export_id: int) -> list[int] | None:
    """Fan out: one part per round the requester may still read, each made by a task of its
    own; returns the parts' ids to send (None: nothing to claim). The last part to finish
    has the ZIP written (``build_batch_part``, ``write_batch_zip``)."""
    if not BatchExport.claim(batch_export_id):
        return None
    export = BatchExport.objects.filter(pk=batch_export_id).only("requester", "assessment_ids")
    export = export.first()
    if export is None:
        return None
    requester = get_user_model().objects.get(pk=export.requester_id)
    # Through access.py again: a round the requester lost access to since is left out
    # (and each part checks once more when its own task runs).
    rounds = access.assessments_for_user(requester).filter(pk__in=export.assessment_ids)
    rounds = rounds.order_by("municipality__name", "-created_at")
    with transaction.atomic():
        parts = BatchExportPart.objects.bulk_create(
            BatchExportPart(export_id=batch_export_id, assessment_id=pk)
            for pk in rounds.values_list("pk", flat=True)
        )
        BatchExport.objects.filter(pk=batch_export_id).update(done=0, total=len(parts))
    return [part.pk for part in parts]


def build_batch_part(part_id: int) -> tuple[str, int | None]:
    """Make one round's files of a batch export into its part; returns the status it ends
    with and, when it was the export's last part, the export's id (its ZIP is due)."""
    # A second delivery of the message finds nothing to claim and changes nothing.
    claimed = BatchExportPart.claim(part_id)
    part = BatchExportPart.objects.filter(pk=part_id).defer("files").first()
    if not claimed or part is None:
        return SKIPPED, None
    requester = get_user_model().objects.get(batch_exports=part.export_id)
    # Access is checked when the task runs, not only when the export was asked for.
    assessment = access.assessments_for_user(requester).filter(pk=part.assessment_id).first()
    if assessment is None:
        return SKIPPED, _count_part(part, left_out=True)
    try:
        files, reused = _round_files(assessment, requester)
        folder = f"{slugify(assessment.municipality.name)}-{assessment.pk}"
        buffer = io.BytesIO()
        # Stored, not compressed: the export's ZIP compresses once, at the end.
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
            for name, content in files:
                archive.writestr(f"{folder}/{name}", content)
    except Exception as exc:  # any failure: the ZIP lists the round as failed
        logger.exception("Round %s of batch export %s failed", part.assessment_id, part.export_id)
        BatchExportPart.fail(part_id, exc)
        return BatchExportPart.Status.FAILED, _count_part(part)
    BatchExportPart.finish(part_id, files=buffer.getvalue(), is_reused=reused)
    return BatchExportPart.Status.READY, _count_part(part)


def _count_part(part: BatchExportPart, *, left_out: bool = False) -> int | None:
    """Count a finished part in its export (a part left out lowers the total instead);
    the export's id when no part is left to wait for. The row lock makes the parts that
    finish at the same moment count one after another, so exactly one of them is last."""
    with transaction.atomic():
        export = (
            BatchExport.objects.select_for_update()
            .filter(pk=part.export_id, status=BatchExport.Status.RUNNING)
            .only("done", "total")
            .first()
        )
        if export is None:  # replaced, expired or failed meanwhile: nothing to write
            return None
        if left_out:
            BatchExportPart.objects.filter(pk=part.pk).delete()
            export.total -= 1
        else:
            export.done += 1
        BatchExport.objects.filter(pk=export.pk).update(done=export.done, total=export.total)
    return export.pk if export.done >= export.total else None


def write_batch_zip(batch_export_id: int) -> str:
    """Write the export's ZIP from its finished parts, with a list of the rounds that
    failed; fails the export when no round could be made."""
    parts = list(
        BatchExportPart.objects.filter(
            export=batch_export_id, export__status=BatchExport.Status.RUNNING
        )
        .select_related("assessment__municipality")
        .defer("files")
        .order_by("assessment__municipality__name", "-assessment__created_at")
    )
    ready = [part for part in parts if part.status == BatchExportPart.Status.READY]
    if parts and not ready:
        BatchExport.fail(batch_export_id, RuntimeError("every round of the export failed"))
        return BatchExport.Status.FAILED
    if (
        not parts
        and not BatchExport.objects.filter(
            pk=batch_export_id, status=BatchExport.Status.RUNNING
        ).exists()
    ):
        return SKIPPED
    buffer = io.BytesIO()
    try:
        with timed_render("batch"), zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for part in ready:
                # One part's bytes at a time: twenty rounds' PDFs need not all be in memory.
                files = BatchExportPart.objects.values_list("files", flat=True).get(pk=part.pk)
                with zipfile.ZipFile(io.BytesIO(bytes(files))) as round_files:
                    for info in round_files.infolist():
                        archive.writestr(info.filename, round_files.read(info))
            failed = [part for part in parts if part not in ready]
            if failed:
                archive.writestr(FAILED_LIST, _failed_list(failed))
    except Exception as exc:  # any failure: the user gets a message and can ask again
        logger.exception("Writing the ZIP of batch export %s failed", batch_export_id)
        BatchExport.fail(batch_export_id, exc)
        return BatchExport.Status.FAILED
    BatchExport.finish(batch_export_id, zip=buffer.getvalue(), done=len(parts), total=len(parts))
    # The export keeps the bytes now; the parts keep only their status for the page.
    BatchExportPart.objects.filter(export=batch_export_id).update(files=None)
    return BatchExport.Status.READY


def _failed_list(parts: list[BatchExportPart]) -> str:
    lines = [_("Van deze metingen kon het rapport niet worden gemaakt:"), ""]
    lines += [f"- {part.assessment.municipality.name}: {part.assessment.title}" for part in parts]
    lines += ["", _("Vraag een nieuwe export aan met alleen deze metingen.")]
    return "\n".join(lines) + "\n"


def _round_files(assessment, user) -> tuple[list[tuple[str, bytes]], bool]:
    """The files of one round in a batch export, with the same rules as its pages (an
    editor of an open round gets only the answers to the questions they answered), and
    whether its stored final report was used instead of a render."""
    # Imported here: services queue tasks, and the tasks module imports this one.
    from assessments.reports.services import servable_report

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
        return files, False
    # A closed round's final report never changes: reuse the stored file when it is there
    # (servable_report: never a concept made while the round was open).
    stored = None if assessment.is_open else servable_report(assessment, REPORT_LANGUAGE, FULL)[0]
    if stored is not None:
        return [(stored.filename, bytes(stored.pdf)), *files], True
    report = build_report(assessment, language=REPORT_LANGUAGE, variant=FULL)
    return [(report.filename, render_pdf(report)), *files], False
