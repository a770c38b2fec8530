"""Work that the web process does itself, in a background thread, when there is no broker.

``make run`` has no broker and no Celery worker. The report and export tasks then run in a
thread of the web process: the request that asked for one returns at once, and the page
shows the progress exactly as it does with a worker (docs/decisions/0008). With a broker
(``make serve``, production) nothing runs here: ``settings.TASKS_IN_THREAD`` is off and
``submit`` refuses, so a render never holds a web worker.

The threads start with the first job (not at import: management commands, the Celery
worker and most requests never need them). At exit Python finishes the jobs already
submitted before the process ends.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import close_old_connections, connections

# A render is CPU-bound and holds the GIL for most of its seconds, so more threads would
# only share one core; two keep a long ZIP from making a short report wait behind it.
THREADS = 2

_lock = threading.Lock()
_executor: ThreadPoolExecutor | None = None


def submit(job: Callable[[], object]) -> Future:
    """Run ``job`` in a background thread of this process; returns at once."""
    if not settings.TASKS_IN_THREAD:
        # With a broker the work belongs to the worker, never to a web process.
        raise ImproperlyConfigured("A broker is configured: send the task to it instead.")
    global _executor
    with _lock:
        if _executor is None:
            _executor = ThreadPoolExecutor(max_workers=THREADS, thread_name_prefix="task")
        return _executor.submit(_run, job)


def _run(job: Callable[[], object]) -> object:
    close_old_connections()
    try:
        return job()
    finally:
        # Django keeps a database connection per thread. A request closes its own when it
        # ends; a job in this long-lived thread must do the same, or the connection would
        # stay open (and idle) until the process ends.
        connections.close_all()


def wait() -> None:
    """Finish every job submitted so far and stop the threads (the next ``submit`` starts
    new ones). For tests, which must know that a job is done before they look."""
    global _executor
    with _lock:
        executor, _executor = _executor, None
    if executor is not None:
        executor.shutdown(wait=True)
