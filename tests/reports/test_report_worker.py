"""The PDF render through a real Celery worker and broker (Redis), as in production.

Runs when ``CELERY_BROKER_URL`` is set (CI sets it and starts Redis) and is skipped with
the reason when it is not. With ``CI_REQUIRE_E2E=1`` a missing broker URL is a failure,
and so, always, is a broker URL that does not answer: a CI that meant to test the worker
must not pass without it.

The worker runs in a thread of this process (``celery.contrib.testing.worker``), so the
test is transactional: the worker's own database connection must see the committed rows.
It listens on a queue of its own, so that another worker on the same Redis (``make serve``
of a colleague, another test run) cannot take the task.
"""

from __future__ import annotations

import os
import uuid

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.db import connections
from django.urls import reverse
from kombu import Exchange, Queue

from assessments import tasks
from assessments.models import ReportFile
from config.celery import app as celery_app

BROKER_URL = os.environ.get("CELERY_BROKER_URL", "").strip()
REQUIRED = os.environ.get("CI_REQUIRE_E2E") == "1"
TIMEOUT = 60  # seconds; a render of the test round takes about one

pytestmark = [
    # Celery's Redis result backend stores a result with SETEX, which redis-py 8 marks as
    # deprecated; harmless, and not ours to change.
    pytest.mark.filterwarnings("ignore:Call to deprecated setex:DeprecationWarning"),
]


def _close_worker_connections(**kwargs) -> None:
    # The worker thread's connection would outlive the test and keep the test database
    # from being flushed or dropped.
    connections.close_all()


@pytest.fixture
def worker(monkeypatch):
    if not BROKER_URL:
        if REQUIRED:
            pytest.fail("CI_REQUIRE_E2E=1, but CELERY_BROKER_URL is not set: no worker test.")
        pytest.skip("CELERY_BROKER_URL is not set: no broker to run a Celery worker against.")
    try:
        with celery_app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1, timeout=3)
    except Exception as exc:
        pytest.fail(f"CELERY_BROKER_URL is set, but the broker does not answer: {exc!r}")
    queue = f"test-report-{uuid.uuid4().hex}"
    sent = []

    def delay(*args):
        # The view queues the render with .delay(); here it goes to this test's own queue.
        sent.append(tasks.render_report.apply_async(args, queue=queue))
        return sent[-1]

    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
    monkeypatch.setattr(tasks.render_report, "delay", delay)
    task_postrun.connect(_close_worker_connections, weak=False)
    try:
        with start_worker(
            celery_app, queues=[queue], perform_ping_check=False, shutdown_timeout=TIMEOUT
        ):
            yield sent
    finally:
        task_postrun.disconnect(_close_worker_connections)
        # The queue is this test's alone: leave no binding of it behind in Redis.
        with celery_app.connection_for_write() as connection:
            bound = Queue(queue, Exchange(queue), routing_key=queue)(connection.default_channel)
            bound.declare()  # so that this channel knows the binding it then deletes
            bound.delete()


@pytest.mark.django_db(transaction=True)
def test_a_worker_renders_the_report_that_a_viewer_asked_for(client, assessment, viewer, worker):
    client.force_login(viewer)

    response = client.post(reverse("assessments:report_make", args=[assessment.pk]))

    assert response.status_code == 302
    # The request only queued the render, through the broker, after its commit.
    [result] = worker
    assert result.get(timeout=TIMEOUT) == ReportFile.Status.READY
    report_file = ReportFile.objects.get(assessment=assessment)
    assert report_file.status == ReportFile.Status.READY
    assert report_file.requested_by == viewer

    download = client.get(reverse("assessments:report_download", args=[assessment.pk]))
    assert download.status_code == 200
    assert download.getvalue().startswith(b"%PDF-")  # a streamed FileResponse
