"""The report comes in the language of the interface of whoever makes it."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from assessments.models import ReportFile
from assessments.reports import jobs as report_jobs
from config.celery import app as celery_app


@pytest.fixture
def renders(monkeypatch):
    """The task runs in-process (as without a broker); a stand-in for WeasyPrint."""
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
    calls = []
    monkeypatch.setattr(report_jobs, "render_pdf", lambda report: calls.append(report) or b"%PDF-")
    return calls


@pytest.mark.django_db
@pytest.mark.parametrize(("interface", "expected"), [("en", "en"), ("nl", "nl")])
def test_the_report_is_made_in_the_users_language(
    client, assessment, viewer, renders, django_capture_on_commit_callbacks, interface, expected
):
    client.force_login(viewer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = interface

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("assessments:report_make", args=[assessment.pk]))

    assert [r.language for r in renders] == [expected]
    assert list(ReportFile.objects.values_list("language", flat=True)) == [expected]
    download = client.get(reverse("assessments:report_download", args=[assessment.pk]))
    assert download.status_code == 200
    # In the other language there is no report yet: to the report page.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl" if interface == "en" else "en"
    other = client.get(reverse("assessments:report_download", args=[assessment.pk]))
    assert other.status_code == 302
