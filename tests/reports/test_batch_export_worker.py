"""A batch export of several rounds through a real Celery worker with two threads and the
broker (Redis), as in production: the rounds are made side by side and the last one has
the ZIP written. Runs when ``CELERY_BROKER_URL`` is set (as tests/reports/test_report_worker.py).
"""

from __future__ import annotations

import io
import threading
import time
import zipfile

import pytest
from celery.signals import task_postrun, task_prerun
from django.urls import reverse

from assessments import tasks
from assessments.models import BatchExport, BatchExportPart
from tests.factories import AssessmentFactory, ResponseFactory, answer_all
from tests.helpers.worker import require_broker, running_worker

TIMEOUT = 120  # seconds; four renders of the test round take a few

pytestmark = [
    # Celery's Redis result backend stores a result with SETEX, which redis-py 8 marks as
    # deprecated; harmless, and not ours to change.
    pytest.mark.filterwarnings("ignore:Call to deprecated setex:DeprecationWarning"),
]


class Overlap:
    """How many rounds' tasks ran at the same time, at most."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.running = 0
        self.most = 0

    def started(self, sender=None, **kwargs) -> None:
        if sender.name == tasks.build_batch_part.name:
            with self.lock:
                self.running += 1
                self.most = max(self.most, self.running)

    def ended(self, sender=None, **kwargs) -> None:
        if sender.name == tasks.build_batch_part.name:
            with self.lock:
                self.running -= 1


@pytest.fixture
def worker(monkeypatch):
    require_broker()
    overlap = Overlap()
    task_prerun.connect(overlap.started, weak=False)
    task_postrun.connect(overlap.ended, weak=False)
    chain = (tasks.build_batch_export, tasks.build_batch_part, tasks.write_batch_zip)
    try:
        with running_worker(monkeypatch, chain, concurrency=2, timeout=TIMEOUT) as sent:
            yield sent, overlap
    finally:
        task_prerun.disconnect(overlap.started)
        task_postrun.disconnect(overlap.ended)


@pytest.mark.django_db(transaction=True)
def test_two_worker_threads_make_the_rounds_of_an_export_side_by_side(
    client, municipality, other_municipality, framework, consultant, worker
):
    sent, overlap = worker
    rounds = [
        AssessmentFactory(municipality=place, framework=framework, title=f"Meting {n}")
        for n, place in enumerate([municipality, municipality, other_municipality] * 2)
    ]
    for round_ in rounds:
        answer_all(ResponseFactory(assessment=round_), value="2")
    client.force_login(consultant)

    response = client.post(
        reverse("assessments:batch_export_new"), {"rounds": [a.pk for a in rounds]}
    )

    export = BatchExport.objects.get()
    assert response["Location"] == reverse("assessments:batch_export", args=[export.pk])
    sent[0].get(timeout=TIMEOUT)  # the fan-out
    deadline = time.monotonic() + TIMEOUT
    while export.is_pending and time.monotonic() < deadline:
        time.sleep(0.2)
        export.refresh_from_db()
    assert (export.status, export.done, export.total) == (BatchExport.Status.READY, 6, 6)
    assert len(sent) == 1 + 6 + 1  # the fan-out, a task per round, the ZIP
    assert overlap.most == 2  # two rounds were rendered at the same time
    parts = list(BatchExportPart.objects.values_list("status", flat=True))
    assert parts == ["klaar"] * 6
    names = zipfile.ZipFile(io.BytesIO(bytes(export.zip))).namelist()
    assert len([n for n in names if n.endswith(".pdf")]) == 6
    download = client.get(reverse("assessments:batch_export_download", args=[export.pk]))
    assert download.status_code == 200
