"""The one shape of work done in a background task and kept as a row: a stored file.

A ``ReportFile`` (one round's PDF) and a ``BatchExport`` (a ZIP of several rounds) are
both asked for in a request, claimed by a task, finished with their bytes or failed with
a reason, and served from the row afterwards. The status fields and the transitions are
written once, here; each model adds what it stores.
"""

from __future__ import annotations

import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Kept in the row for staff; a full traceback is in the worker's log.
ERROR_MAX_LENGTH = 2000


class BackgroundJob(models.Model):
    """Abstract: status, error and finish time, and the transitions between them.

    Transitions are ``filter().update()`` on the id, never ``save()``: a row that a newer
    request replaced (deleted) in the meantime stays deleted, and a second delivery of a
    task's message finds nothing left to claim.
    """

    class Status(models.TextChoices):
        WAITING = "wachtend", _("Wachtend")
        RUNNING = "bezig", _("Bezig")
        READY = "klaar", _("Klaar")
        FAILED = "mislukt", _("Mislukt")

    # A job still waiting or running after this lost its worker (a restart, the task's
    # time limit): the page says it failed and offers a new attempt.
    TIMEOUT = datetime.timedelta(minutes=10)

    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.WAITING
    )
    finished_at = models.DateTimeField(_("klaar op"), null=True, blank=True)
    # For staff and the log, not shown to users: they get a plain message and a retry.
    error = models.TextField(_("foutmelding"), blank=True)

    class Meta:
        abstract = True

    @property
    def queued_at(self) -> datetime.datetime:
        """When the job was asked for (each model names its own field)."""
        raise NotImplementedError

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.READY

    @property
    def is_stuck(self) -> bool:
        """Waiting or running for longer than any job takes: its worker is gone."""
        return (
            self.status in {self.Status.WAITING, self.Status.RUNNING}
            and timezone.now() - self.queued_at > self.TIMEOUT
        )

    @property
    def is_pending(self) -> bool:
        return self.status in {self.Status.WAITING, self.Status.RUNNING} and not self.is_stuck

    @property
    def has_failed(self) -> bool:
        return self.status == self.Status.FAILED or self.is_stuck

    @classmethod
    def claim(cls, pk: int, **fields) -> bool:
        """Waiting → running, for one task only; False when there is nothing to claim."""
        return bool(
            cls._default_manager.filter(pk=pk, status=cls.Status.WAITING).update(
                status=cls.Status.RUNNING, **fields
            )
        )

    @classmethod
    def finish(cls, pk: int, **fields) -> None:
        """Ready, with what the job made (``fields``: the bytes and what goes with them)."""
        cls._default_manager.filter(pk=pk).update(
            status=cls.Status.READY, finished_at=timezone.now(), **fields
        )

    @classmethod
    def fail(cls, pk: int, exc: BaseException) -> None:
        cls._default_manager.filter(pk=pk).update(
            status=cls.Status.FAILED,
            error=f"{type(exc).__name__}: {exc}"[:ERROR_MAX_LENGTH],
            finished_at=timezone.now(),
        )
