"""Prometheus metrics beyond django-prometheus' requests: the report renders (time and
failures, counted in the worker) and the queue (read when Prometheus scrapes).

``/metrics`` serves them to loopback or to a bearer of ``METRICS_TOKEN``
(``may_read_metrics``: counts only, no municipality's data, so the gate is here rather
than in ``access.py``); what to alert on is in docs/deployment.md.
"""

from __future__ import annotations

import contextlib
import hmac
import ipaddress
import logging
import os
import time
from collections.abc import Iterator

import prometheus_client
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_safe
from prometheus_client import multiprocess
from prometheus_client.core import GaugeMetricFamily

from assessments.models import BatchExport, ReportFile

logger = logging.getLogger("assessments.metrics")

RENDER_SECONDS = prometheus_client.Histogram(
    "scan_render_seconds",
    "Time to render a report file or build a batch ZIP, in seconds.",
    ["kind"],
    buckets=(0.5, 1, 2, 3, 5, 10, 20, 30, 60, 120, 180),
)
RENDER_FAILURES = prometheus_client.Counter(
    "scan_render_failures", "Report renders and batch ZIPs that failed.", ["kind"]
)


def may_read_metrics(*, remote_addr: str, authorization: str) -> bool:
    """Whether a request may read /metrics: from loopback (unless switched off with
    ``METRICS_ALLOW_LOOPBACK``), or with ``Authorization: Bearer <METRICS_TOKEN>``."""
    token = settings.METRICS_TOKEN
    scheme, _space, given = authorization.partition(" ")
    if token and scheme.lower() == "bearer" and hmac.compare_digest(given.strip(), token):
        return True
    if not settings.METRICS_ALLOW_LOOPBACK:
        return False
    try:
        return ipaddress.ip_address(remote_addr).is_loopback
    except ValueError:
        return False


@contextlib.contextmanager
def timed_render(kind: str) -> Iterator[None]:
    """Observe the render's time; a render that raises counts as a failure."""
    start = time.perf_counter()
    try:
        yield
    except Exception:
        RENDER_FAILURES.labels(kind=kind).inc()
        raise
    finally:
        RENDER_SECONDS.labels(kind=kind).observe(time.perf_counter() - start)


def broker_queue_length() -> int | None:
    """Messages waiting in the broker's default queue; None without a Redis broker."""
    url = settings.CELERY_BROKER_URL
    if not url.startswith(("redis://", "rediss://")):
        return None
    import redis

    try:
        client = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)
        return int(client.llen("celery"))
    except redis.RedisError:
        logger.warning("metrics: the broker did not answer")
        return None


class QueueCollector:
    """Read at every scrape: the broker's queue and the jobs waiting or running."""

    def collect(self):
        length = broker_queue_length()
        if length is not None:
            yield GaugeMetricFamily(
                "scan_queue_length", "Tasks waiting in the broker's queue.", value=length
            )
        jobs = GaugeMetricFamily(
            "scan_jobs_pending", "Report files and batch ZIPs waiting or running.", labels=["kind"]
        )
        pending = [ReportFile.Status.WAITING, ReportFile.Status.RUNNING]
        jobs.add_metric(["report"], ReportFile.objects.filter(status__in=pending).count())
        jobs.add_metric(["batch"], BatchExport.objects.filter(status__in=pending).count())
        yield jobs
        failed = GaugeMetricFamily(
            "scan_jobs_failed_stored", "Failed report files still stored.", labels=["kind"]
        )
        failed.add_metric(
            ["report"], ReportFile.objects.filter(status=ReportFile.Status.FAILED).count()
        )
        yield failed


QUEUE_COLLECTOR = QueueCollector()


def _registry() -> prometheus_client.CollectorRegistry:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        # Several gunicorn workers (and the worker on this machine): one sum of all.
        registry = prometheus_client.CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = prometheus_client.CollectorRegistry()
        registry.register(_Default())
    registry.register(QUEUE_COLLECTOR)
    return registry


class _Default:
    """The process's own metrics (django-prometheus' and ours), in a fresh registry."""

    def collect(self):
        yield from prometheus_client.REGISTRY.collect()


@require_safe
def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus' text format, for loopback or the token; anyone else gets a 404."""
    if not may_read_metrics(
        remote_addr=request.META.get("REMOTE_ADDR", ""),
        authorization=request.headers.get("Authorization", ""),
    ):
        raise Http404
    return HttpResponse(
        prometheus_client.generate_latest(_registry()),
        content_type=prometheus_client.CONTENT_TYPE_LATEST,
    )
