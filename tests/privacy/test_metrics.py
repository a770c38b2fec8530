"""/metrics: Prometheus' format for loopback or the token holder, a 404 for anyone else."""

from __future__ import annotations

import pytest
from django.urls import reverse

from assessments.models import ReportFile
from assessments.reports.jobs import render_report_file

pytestmark = pytest.mark.django_db

ELSEWHERE = "203.0.113.9"


def test_loopback_reads_the_metrics(client):
    response = client.get(reverse("metrics"), REMOTE_ADDR="127.0.0.1")

    assert response.status_code == 200
    text = response.content.decode()
    assert "django_http_requests_total_by_method_total" in text
    assert 'scan_jobs_pending{kind="report"} 0.0' in text
    assert "scan_render_seconds" in text


def test_ipv6_loopback_reads_the_metrics(client):
    assert client.get(reverse("metrics"), REMOTE_ADDR="::1").status_code == 200


def test_another_address_without_the_token_is_refused(client, settings):
    settings.METRICS_TOKEN = "geheim-meettoken"

    response = client.get(reverse("metrics"), REMOTE_ADDR=ELSEWHERE)

    assert response.status_code == 404
    assert b"scan_" not in response.content


def test_a_wrong_token_is_refused(client, settings):
    settings.METRICS_TOKEN = "geheim-meettoken"

    response = client.get(
        reverse("metrics"), REMOTE_ADDR=ELSEWHERE, headers={"Authorization": "Bearer fout"}
    )

    assert response.status_code == 404


def test_no_token_configured_refuses_an_empty_bearer(client, settings):
    settings.METRICS_TOKEN = ""

    response = client.get(
        reverse("metrics"), REMOTE_ADDR=ELSEWHERE, headers={"Authorization": "Bearer "}
    )

    assert response.status_code == 404


def test_the_token_opens_the_metrics_from_anywhere(client, settings):
    settings.METRICS_TOKEN = "geheim-meettoken"

    response = client.get(
        reverse("metrics"),
        REMOTE_ADDR=ELSEWHERE,
        headers={"Authorization": "Bearer geheim-meettoken"},
    )

    assert response.status_code == 200
    assert b"scan_jobs_pending" in response.content


def test_loopback_can_be_switched_off_for_a_proxy_on_the_same_machine(client, settings):
    settings.METRICS_ALLOW_LOOPBACK = False

    assert client.get(reverse("metrics"), REMOTE_ADDR="127.0.0.1").status_code == 404


def _sample(text: str, series: str) -> float:
    """The value of one series (name and labels) in Prometheus' text format; 0 if absent."""
    for line in text.splitlines():
        if line.startswith(series + " "):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def test_a_failed_render_is_counted_and_timed(client, assessment, monkeypatch):
    from assessments.reports import jobs

    def broken(report):
        raise RuntimeError("WeasyPrint viel om")

    monkeypatch.setattr(jobs, "render_pdf", broken)
    before = client.get(reverse("metrics")).content.decode()
    row = ReportFile.objects.create(assessment=assessment)

    assert render_report_file(row.pk) == ReportFile.Status.FAILED

    after = client.get(reverse("metrics")).content.decode()
    failures = 'scan_render_failures_total{kind="report"}'
    count = 'scan_render_seconds_count{kind="report"}'
    assert _sample(after, failures) == _sample(before, failures) + 1
    assert _sample(after, count) == _sample(before, count) + 1
    assert 'scan_jobs_failed_stored{kind="report"} 1.0' in after
