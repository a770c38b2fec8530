"""Stored report files, the cover's branding and batch exports (with a part per round)."""

from __future__ import annotations

import datetime
from functools import cached_property

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .fields import actor_field, round_field, user_field
from .jobs import BackgroundJob
from .municipalities import Municipality
from .rounds import Assessment


class ReportFileQuerySet(models.QuerySet["ReportFile"]):
    def for_round(
        self, assessment: Assessment, language: str, variant: str = "volledig"
    ) -> ReportFileQuerySet:
        """The round's file of one variant in one language (at most one: the named
        constraint)."""
        return self.filter(assessment=assessment, language=language, variant=variant)

    def ready(self) -> ReportFileQuerySet:
        return self.filter(status=ReportFile.Status.READY)

    def concepts(self) -> ReportFileQuerySet:
        """Renders of a round while it was open: outdated once its answers change."""
        return self.filter(is_final=False)


class ReportFile(BackgroundJob):
    """A rendered PDF report of a round, in one variant and language, stored in the
    database.

    A closed round's report never changes, so it is rendered once and served from here
    afterwards. An open round's answers change: every request renders anew and replaces
    the row (one per round, variant and language). The bytes live in the row, not on a disk that
    web servers and workers would have to share: docs/decisions/0005-pdf-in-a-task.md.
    """

    assessment = round_field(related_name="report_files")
    # The report itself is Dutch today (assessments.reports.build.REPORT_LANGUAGE); the language
    # is part of the key so that an English report can be added without a new table.
    language = models.CharField(_("taal"), max_length=10, default="nl")

    class Variant(models.TextChoices):
        # The values are assessments.reports.contents.FULL and BRIEF; they name the file.
        FULL = "volledig", _("Volledig rapport")
        BRIEF = "bestuurlijk", _("Bestuurlijke rapportage")

    # Rows from before the bestuurlijke rapportage are full reports: the default.
    variant = models.CharField(
        _("soort rapport"), max_length=20, choices=Variant.choices, default=Variant.FULL
    )
    # Rendered from a closed round's snapshot: the final report, never rendered again.
    is_final = models.BooleanField(_("definitief"), default=False)
    pdf = models.BinaryField(_("PDF"), null=True, blank=True, editable=False)
    filename = models.CharField(_("bestandsnaam"), max_length=200, blank=True)
    requested_by = actor_field(_("aangevraagd door"))
    requested_at = models.DateTimeField(_("aangevraagd op"), auto_now_add=True)
    started_at = models.DateTimeField(_("begonnen op"), null=True, blank=True)

    objects = ReportFileQuerySet.as_manager()

    class Meta:
        verbose_name = _("rapportbestand")
        verbose_name_plural = _("rapportbestanden")
        ordering = ["-requested_at"]
        constraints = [
            # "Keep only the newest render": a new request replaces the row. Its index
            # also serves the report page's lookup by round and language (both variants).
            models.UniqueConstraint(
                fields=["assessment", "language", "variant"],
                name="assessments_report_one_per_language_variant",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.assessment_id} · {self.variant} · {self.language} · {self.get_status_display()}"
        )

    @property
    def queued_at(self) -> datetime.datetime:
        return self.requested_at

    def serves(self, assessment: Assessment) -> bool:
        """Whether a new request for the round's report reuses this file: a closed round's
        final report, ready or on its way. Anything else is rendered (again)."""
        return not assessment.is_open and self.is_final and not self.has_failed


class ReportBranding(models.Model):
    """The logos and the consultant's name on a municipality's report cover.

    A row of its own rather than fields on Municipality: the logos are bytes that nearly
    every page, which loads the municipality with its round, should not carry along. Kept
    in the database like the rendered reports (docs/decisions/0005-pdf-in-a-task.md);
    ``assessments.reports.branding`` validates them (PNG, or SVG without scripts or external
    references) before they are stored.
    """

    municipality = models.OneToOneField(
        Municipality,
        on_delete=models.CASCADE,
        related_name="report_branding",
        verbose_name=_("gemeente"),
    )
    consultant_name = models.CharField(_("naam adviesbureau"), max_length=100, blank=True)
    logo = models.BinaryField(_("logo gemeente"), null=True, blank=True, editable=False)
    consultant_logo = models.BinaryField(
        _("logo adviesbureau"), null=True, blank=True, editable=False
    )
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    class Meta:
        verbose_name = _("huisstijl van het rapport")
        verbose_name_plural = _("huisstijlen van het rapport")
        ordering = ["municipality"]

    def __str__(self) -> str:
        return str(self.municipality_id)


class BatchExportQuerySet(models.QuerySet["BatchExport"]):
    def current(self) -> BatchExportQuerySet:
        """Exports that may still be downloaded (kept for ``BatchExport.KEEP``)."""
        return self.filter(expires_at__gt=timezone.now())


class BatchExport(BackgroundJob):
    """One ZIP with the reports (PDF) and answers (XLSX) of several rounds, for its
    requester only; built by ``tasks.build_batch_export``, deleted after ``KEEP``."""

    KEEP = datetime.timedelta(hours=24)

    requester = user_field(_("aangevraagd door"), related_name="batch_exports")
    # Ids, not a relation: what was asked; the task loads them again through access.py,
    # so a round the requester lost access to in the meantime is left out.
    assessment_ids = models.JSONField(_("metingen"), default=list)
    done = models.PositiveIntegerField(_("klaar"), default=0)
    total = models.PositiveIntegerField(_("totaal"), default=0)
    zip = models.BinaryField(_("ZIP-bestand"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("aangevraagd op"), auto_now_add=True)
    expires_at = models.DateTimeField(_("verloopt op"))

    objects = BatchExportQuerySet.as_manager()

    class Meta:
        verbose_name = _("export van meerdere metingen")
        verbose_name_plural = _("exports van meerdere metingen")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.requester} · {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def queued_at(self) -> datetime.datetime:
        return self.created_at

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def filename(self) -> str:
        return f"metingen-{self.created_at:%Y-%m-%d-%H%M}.zip"

    @cached_property
    def failed_parts(self) -> int:
        """How many rounds could not be made (the ZIP lists them in niet-gelukt.txt)."""
        return self.parts.filter(status=self.Status.FAILED).count()


class BatchExportPart(BackgroundJob):
    """One round of a batch export: made by a task of its own (``tasks.build_batch_part``),
    so that the rounds of one export are rendered side by side by several workers; the
    last part to finish has the ZIP written (docs/decisions/0012-batch-export-fan-out.md).
    """

    export = models.ForeignKey(
        BatchExport,
        on_delete=models.CASCADE,
        related_name="parts",
        verbose_name=_("export"),
    )
    assessment = round_field(related_name="+")
    # The round's files (PDF and workbooks) as a small uncompressed ZIP, copied into the
    # export's ZIP at the end; emptied then, as the export keeps the bytes.
    files = models.BinaryField(_("bestanden"), null=True, blank=True, editable=False)
    # Its stored final report was used, not rendered again (for the page and the benchmark).
    is_reused = models.BooleanField(_("bewaard rapport gebruikt"), default=False)
    created_at = models.DateTimeField(_("aangevraagd op"), auto_now_add=True)

    class Meta:
        verbose_name = _("meting in een export")
        verbose_name_plural = _("metingen in een export")
        ordering = ["export", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["export", "assessment"], name="assessments_batch_part_one_per_round"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.export_id} · {self.assessment_id} · {self.get_status_display()}"

    @property
    def queued_at(self) -> datetime.datetime:
        return self.created_at
