"""A real Celery worker against the broker of ``CELERY_BROKER_URL`` (Redis), for the tests
that run tasks as production does.

The worker runs in threads of the test process (``celery.contrib.testing.worker``), so the
test must be transactional: the worker's own database connections see committed rows
only. It listens on a queue of its own, so that another worker on the same Redis (a
colleague's ``make serve``, another test run) cannot take the tasks; ``tasks`` are sent to
that queue whenever the code under test calls their ``delay``.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.db import connections
from kombu import Exchange, Queue

from config.celery import app as celery_app

BROKER_URL = os.environ.get("CELERY_BROKER_URL", "").strip()
REQUIRED = os.environ.get("CI_REQUIRE_E2E") == "1"


def require_broker() -> None:
    """Skip without a broker URL (fail under ``CI_REQUIRE_E2E=1``); fail when it is set
    but does not answer: a CI that meant to test the worker must not pass without it."""
    if not BROKER_URL:
        if REQUIRED:
            pytest.fail("CI_REQUIRE_E2E=1, but CELERY_BROKER_URL is not set: no worker test.")
        pytest.skip("CELERY_BROKER_URL is not set: no broker to run a Celery worker against.")
    try:
        with celery_app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1, timeout=3)
    except Exception as exc:
        pytest.fail(f"CELERY_BROKER_URL is set, but the broker does not answer: {exc!r}")


def _close_worker_connections(**kwargs) -> None:
    # A worker thread's connection would outlive the test and keep the test database
    # from being flushed or dropped.
    connections.close_all()


@contextmanager
def running_worker(monkeypatch, tasks, *, concurrency: int, timeout: float) -> Iterator[list]:
    """A worker with ``concurrency`` threads on a queue of its own; yields the results of
    the ``tasks`` sent (through their ``delay``) while it runs."""
    queue = f"test-worker-{uuid.uuid4().hex}"
    sent: list = []
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
    for task in tasks:
        monkeypatch.setattr(
            task,
            "delay",
            lambda *args, task=task: sent.append(task.apply_async(args, queue=queue)) or sent[-1],
        )
    task_postrun.connect(_close_worker_connections, weak=False)
    try:
        with start_worker(
            celery_app,
            concurrency=concurrency,
            pool="threads" if concurrency > 1 else "solo",
            queues=[queue],
            perform_ping_check=False,
            shutdown_timeout=timeout,
        ):
            yield sent
    finally:
        task_postrun.disconnect(_close_worker_connections)
        # The queue is this test's alone: leave no binding of it behind in Redis.
        with celery_app.connection_for_write() as connection:
            bound = Queue(queue, Exchange(queue), routing_key=queue)(connection.default_channel)
            bound.declare()  # so that this channel knows the binding it then deletes
            bound.delete()
