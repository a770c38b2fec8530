"""Where a report or a batch export is made: without a broker in a background thread of
the web process (``make run``), with one in the Celery worker and never in a web process.

The other report tests run the task in the request (tests/conftest.py) to look at the
result at once. Here the thread is on: the tests are transactional, because the thread
has its own database connection and sees committed rows only. A stand-in render waits
for the test's signal, so that "still busy when the response came" is certain, not a
race; ``background.wait()`` then finishes the jobs before the test looks again.
"""

from __future__ import annotations

import logging
import runpy
import threading
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connections
from django.urls import reverse

from assessments import tasks
from assessments.common import background
from assessments.models import BatchExport, ReportFile
from assessments.reports import jobs as report_jobs
from tests.factories import AssessmentFactory, ResponseFactory, answer_all

FAKE_PDF = b"%PDF-1.7 stand-in"
SETTINGS_FILE = Path(django_settings.BASE_DIR) / "config" / "settings.py"
WAIT = 30  # seconds: only reached when the test fails


class HeldRender:
    """A stand-in for WeasyPrint that renders only when the test lets it, and notes the
    thread it ran in."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.threads: list[str] = []

    def __call__(self, report) -> bytes:
        self.threads.append(threading.current_thread().name)
        assert self.release.wait(WAIT), "the test never released the render"
        return FAKE_PDF


@pytest.fixture
def held_render(monkeypatch):
    render = HeldRender()
    monkeypatch.setattr(report_jobs, "render_pdf", render)
    yield render
    render.release.set()  # a failing test must not leave a thread waiting
    background.wait()


@pytest.fixture
def in_thread(settings):
    """The setting as without a broker (``make run``)."""
    settings.TASKS_IN_THREAD = True
    yield
    background.wait()


@pytest.fixture
def with_broker(settings, monkeypatch):
    """A broker is configured: the tasks are sent to it. The send is caught here."""
    from config.celery import app as celery_app

    settings.TASKS_IN_THREAD = False
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
    sent: list[tuple[str, tuple]] = []
    for task in (tasks.render_report, tasks.build_batch_export):
        monkeypatch.setattr(task, "delay", lambda *args, name=task.name: sent.append((name, args)))
    return sent


# --- The settings -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("broker", "in_thread", "eager"),
    [("", True, True), ("redis://127.0.0.1:6379/0", False, False)],
)
def test_the_thread_is_used_only_without_a_broker(monkeypatch, broker, in_thread, eager):
    monkeypatch.setenv("CELERY_BROKER_URL", broker)

    values = runpy.run_path(str(SETTINGS_FILE))

    assert values["TASKS_IN_THREAD"] is in_thread
    assert values["CELERY_TASK_ALWAYS_EAGER"] is eager


def test_the_thread_refuses_work_when_a_broker_is_configured(settings):
    settings.TASKS_IN_THREAD = False

    with pytest.raises(ImproperlyConfigured):
        background.submit(lambda: None)


# --- Without a broker: a background thread of the web process --------------------------


@pytest.mark.django_db(transaction=True)
def test_without_a_broker_the_report_request_returns_at_once_and_shows_progress(
    client, assessment, viewer, in_thread, held_render
):
    client.force_login(viewer)

    response = client.post(reverse("assessments:report_make", args=[assessment.pk]))

    # The render has not finished (it cannot: the test holds it), yet the request is done.
    assert response.status_code == 302
    assert response["Location"] == reverse("assessments:report", args=[assessment.pk])
    report_file = ReportFile.objects.get(assessment=assessment)
    assert report_file.is_pending
    page = client.get(response["Location"]).getvalue().decode()
    assert "Bezig met het rapport…" in page
    assert 'hx-trigger="every 2s"' in page

    held_render.release.set()
    background.wait()

    report_file.refresh_from_db()
    assert report_file.status == ReportFile.Status.READY
    assert held_render.threads and held_render.threads[0].startswith("task")
    status = client.get(reverse("assessments:report_status", args=[assessment.pk]))
    assert "Het rapport is klaar." in status.getvalue().decode()
    download = client.get(reverse("assessments:report_download", args=[assessment.pk]))
    assert download.getvalue() == FAKE_PDF


@pytest.mark.django_db(transaction=True)
def test_without_a_broker_the_batch_zip_is_built_in_the_background_with_progress(
    client, assessment, other_municipality, framework, consultant, in_thread, held_render
):
    other = AssessmentFactory(municipality=other_municipality, framework=framework)
    for round_ in (assessment, other):
        answer_all(ResponseFactory(assessment=round_), value="2")
    client.force_login(consultant)

    response = client.post(
        reverse("assessments:batch_export_new"), {"rounds": [assessment.pk, other.pk]}
    )

    export = BatchExport.objects.get()
    assert response["Location"] == reverse("assessments:batch_export", args=[export.pk])
    assert export.is_pending
    page = client.get(response["Location"]).getvalue().decode()
    assert "Bezig: 0 van 2 metingen klaar." in page

    held_render.release.set()
    background.wait()

    export.refresh_from_db()
    assert (export.status, export.done, export.total) == (BatchExport.Status.READY, 2, 2)
    assert len(held_render.threads) == 2
    assert all(name.startswith("task") for name in held_render.threads)
    page = client.get(response["Location"]).getvalue().decode()
    assert "ZIP-bestand downloaden" in page


@pytest.mark.django_db(transaction=True)
def test_a_job_that_breaks_in_the_thread_fails_its_row_with_a_dutch_message(
    client, assessment, coordinator, in_thread, monkeypatch, caplog
):
    def broken(report_file_id):
        raise RuntimeError("database weg")

    # Before the work could fail its own row: the thread's guard does it.
    monkeypatch.setattr(report_jobs, "render_report_file", broken)
    client.force_login(coordinator)

    with caplog.at_level(logging.ERROR, logger="assessments.tasks"):
        client.post(reverse("assessments:report_make", args=[assessment.pk]))
        background.wait()

    report_file = ReportFile.objects.get(assessment=assessment)
    assert report_file.status == ReportFile.Status.FAILED
    assert report_file.error == "RuntimeError: database weg"
    assert "database weg" in caplog.text
    page = client.get(reverse("assessments:report", args=[assessment.pk])).getvalue().decode()
    assert "Het rapport kon niet worden gemaakt. Probeer het opnieuw." in page
    assert "database weg" not in page


@pytest.mark.django_db(transaction=True)
def test_the_thread_closes_its_database_connection_after_each_job(in_thread):
    used = []

    def job():
        connection = connections["default"]  # this thread's own
        connection.ensure_connection()
        used.append(connection)

    background.submit(job)
    background.wait()

    [connection] = used
    assert connection is not connections["default"]
    assert connection.connection is None


# --- With a broker: the worker, never the web process -----------------------------------


@pytest.mark.django_db(transaction=True)
def test_with_a_broker_the_report_is_sent_to_it_and_not_rendered_here(
    client, assessment, viewer, with_broker, monkeypatch
):
    rendered = []
    monkeypatch.setattr(report_jobs, "render_report_file", rendered.append)
    monkeypatch.setattr(background, "submit", rendered.append)
    client.force_login(viewer)

    response = client.post(reverse("assessments:report_make", args=[assessment.pk]))

    assert response.status_code == 302
    report_file = ReportFile.objects.get(assessment=assessment)
    assert with_broker == [("assessments.tasks.render_report", (report_file.pk,))]
    assert rendered == []
    assert report_file.status == ReportFile.Status.WAITING
    page = client.get(response["Location"]).getvalue().decode()
    assert "Bezig met het rapport…" in page


@pytest.mark.django_db(transaction=True)
def test_with_a_broker_the_batch_zip_is_sent_to_it_and_not_built_here(
    client, assessment, consultant, with_broker, monkeypatch
):
    built = []
    monkeypatch.setattr(report_jobs, "start_batch_export", built.append)
    monkeypatch.setattr(background, "submit", built.append)
    client.force_login(consultant)

    client.post(reverse("assessments:batch_export_new"), {"rounds": [assessment.pk]})

    export = BatchExport.objects.get()
    assert with_broker == [("assessments.tasks.build_batch_export", (export.pk,))]
    assert built == []
    assert export.status == BatchExport.Status.WAITING
