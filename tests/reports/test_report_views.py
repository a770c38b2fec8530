"""The report pages: "Rapport maken", the status page and its fragment, the download.

The render runs in a task (``assessments.tasks.render_report``). Here it runs in-process,
as without a broker; ``test_report_worker.py`` runs it through a real worker. Most tests
count renders with a stand-in for ``render_pdf``; one renders a real PDF.
"""

from __future__ import annotations

import datetime
import logging

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments import tasks
from assessments.models import ReportFile
from assessments.reports import jobs as report_jobs
from assessments.reports.services import request_report
from tests.factories import AssessmentFactory, close_round
from tests.helpers.actions import answer

FAKE_PDF = b"%PDF-1.7 stand-in"
FAILED_MESSAGE = "Het rapport kon niet worden gemaakt. Probeer het opnieuw."


@pytest.fixture
def renders(monkeypatch):
    """Counts renders; a stand-in for WeasyPrint, which takes about a second."""
    calls = []

    def fake_render(report):
        calls.append(report)
        return FAKE_PDF

    monkeypatch.setattr(report_jobs, "render_pdf", fake_render)
    return calls


@pytest.fixture
def make_report(client, django_capture_on_commit_callbacks):
    """POST "Rapport maken" and run what it queues after the commit, as a worker would."""

    def post(assessment):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("assessments:report_make", args=[assessment.pk]))

    return post


def url(name: str, assessment) -> str:
    return reverse(f"assessments:{name}", args=[assessment.pk])


# --- Who may use it -----------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["report", "report_status", "report_download"])
def test_anonymous_is_sent_to_login(client, assessment, name):
    response = client.get(url(name, assessment))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_anonymous_cannot_make_a_report(client, assessment):
    response = client.post(url("report_make", assessment))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert not ReportFile.objects.exists()


@pytest.mark.django_db
def test_an_expired_session_gets_401_from_the_polled_fragment(client, assessment):
    response = client.get(url("report_status", assessment), headers={"HX-Request": "true"})

    assert response.status_code == 401


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["report", "report_status", "report_download"])
def test_outsider_gets_404(client, assessment, outsider, name):
    ReportFile.objects.create(
        assessment=assessment, status=ReportFile.Status.READY, pdf=FAKE_PDF, filename="r.pdf"
    )
    client.force_login(outsider)

    assert client.get(url(name, assessment)).status_code == 404


@pytest.mark.django_db
def test_outsider_cannot_make_a_report(client, assessment, outsider, renders):
    client.force_login(outsider)

    assert client.post(url("report_make", assessment)).status_code == 404
    assert not ReportFile.objects.exists()
    assert renders == []


@pytest.mark.django_db
def test_making_a_report_needs_a_post(client, assessment, editor):
    client.force_login(editor)

    assert client.get(url("report_make", assessment)).status_code == 405
    assert not ReportFile.objects.exists()


@pytest.mark.django_db
def test_without_a_broker_a_viewer_makes_and_downloads_a_real_pdf(
    client, assessment, viewer, make_report
):
    client.force_login(viewer)

    response = make_report(assessment)

    assert response.status_code == 302
    assert response["Location"] == url("report", assessment)
    report_file = ReportFile.objects.get(assessment=assessment)
    assert report_file.status == ReportFile.Status.READY
    assert report_file.requested_by == viewer
    assert not report_file.is_final
    assert report_file.started_at <= report_file.finished_at

    page = client.get(response["Location"])
    assert "Het rapport is klaar." in page.getvalue().decode()
    assert url("report_download", assessment) in page.getvalue().decode()

    download = client.get(url("report_download", assessment))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    today = timezone.localdate().isoformat()
    assert download["Content-Disposition"] == (
        f'attachment; filename="actieplan-beschermd-thuis-zonnedal-{today}-volledig-nl.pdf"'
    )
    assert "no-store" in download["Cache-Control"]
    assert "private" in download["Cache-Control"]
    content = download.getvalue()  # a FileResponse streams: read it once
    assert content.startswith(b"%PDF-")
    assert content == bytes(report_file.pdf)


# --- Open and closed rounds ------------------------------------------------------------


@pytest.mark.django_db
def test_an_open_round_renders_anew_each_time_and_keeps_only_the_newest(
    client, assessment, coordinator, make_report, renders
):
    client.force_login(coordinator)

    make_report(assessment)
    first = ReportFile.objects.get(assessment=assessment)
    make_report(assessment)

    assert len(renders) == 2
    newest = ReportFile.objects.get(assessment=assessment)
    assert newest.pk != first.pk
    assert newest.status == ReportFile.Status.READY


@pytest.mark.django_db
def test_a_closed_round_is_rendered_once_then_served_from_storage(
    client, assessment, coordinator, viewer, make_report, renders
):
    close_round(assessment, coordinator)
    client.force_login(viewer)

    make_report(assessment)
    make_report(assessment)
    downloads = [client.get(url("report_download", assessment)) for _ in range(2)]

    assert len(renders) == 1
    assert [d.getvalue() for d in downloads] == [FAKE_PDF, FAKE_PDF]
    report_file = ReportFile.objects.get(assessment=assessment)
    assert report_file.is_final
    # A final report offers no "make it again" (the bestuurlijke rapportage is not made yet).
    status = client.get(url("report_status", assessment) + "?variant=volledig")
    assert url("report_make", assessment) not in status.getvalue().decode()


@pytest.mark.django_db
def test_a_concept_report_is_rendered_again_once_the_round_is_closed(
    client, assessment, coordinator, make_report, renders
):
    client.force_login(coordinator)
    make_report(assessment)
    close_round(assessment, coordinator)

    make_report(assessment)
    make_report(assessment)

    assert len(renders) == 2
    assert [r.is_concept for r in renders] == [True, False]
    assert ReportFile.objects.get(assessment=assessment).is_final


@pytest.mark.django_db
def test_a_second_click_on_a_closed_round_while_rendering_queues_nothing(
    assessment, coordinator, django_capture_on_commit_callbacks
):
    close_round(assessment, coordinator)
    with django_capture_on_commit_callbacks() as queued:
        first = request_report(assessment=assessment, user=coordinator)
        second = request_report(assessment=assessment, user=coordinator)

    assert first.pk == second.pk
    assert len(queued) == 1


# --- Progress, failure, retry -----------------------------------------------------------


@pytest.mark.django_db
def test_a_waiting_report_polls_its_status_and_refreshes_without_javascript(
    client, assessment, viewer, django_assert_max_num_queries
):
    ReportFile.objects.create(assessment=assessment)
    client.force_login(viewer)

    # Session, user, the round (access), the report's row; the session's idle-time update.
    with django_assert_max_num_queries(7):
        page = client.get(url("report", assessment))

    html = page.getvalue().decode()
    assert "Bezig met het rapport…" in html
    assert f'hx-get="{url("report_status", assessment)}?variant=volledig"' in html
    assert 'hx-trigger="every 2s"' in html
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in html
    # No button while it renders: a second click would only start another render. (The
    # bestuurlijke rapportage, not asked for, can be made.)
    assert 'name="variant" value="volledig"' not in html
    assert 'name="variant" value="bestuurlijk"' in html


@pytest.mark.django_db
def test_a_waiting_report_says_how_many_reports_go_first(client, assessment, viewer):
    """The workers take reports in the order they were asked for: while a report waits,
    its page says how many of any round are still before it; running, failed and stuck
    ones do not count, nor do later ones."""
    now = timezone.now()
    statuses = ReportFile.Status
    others = [
        (3, statuses.WAITING),
        (2, statuses.WAITING),
        (4, statuses.RUNNING),
        (5, statuses.FAILED),
        (60, statuses.WAITING),  # stuck: its worker is gone
        (0, statuses.WAITING),  # asked for after mine
    ]
    framework = assessment.framework
    for minutes, status in others:
        other = ReportFile.objects.create(
            assessment=AssessmentFactory(framework=framework), status=status
        )
        ReportFile.objects.filter(pk=other.pk).update(
            requested_at=now - datetime.timedelta(minutes=minutes)
        )
    mine = ReportFile.objects.create(assessment=assessment)
    ReportFile.objects.filter(pk=mine.pk).update(requested_at=now - datetime.timedelta(minutes=1))
    client.force_login(viewer)

    html = client.get(url("report_status", assessment)).content.decode()
    assert "In de wachtrij: eerst worden nog 2 andere rapporten gemaakt." in html

    ReportFile.objects.filter(pk=mine.pk).update(status=statuses.RUNNING)
    html = client.get(url("report_status", assessment)).content.decode()
    assert "In de wachtrij" not in html
    assert "Bezig met het rapport…" in html


@pytest.mark.django_db
def test_the_fragment_stops_polling_when_the_report_is_ready(
    client, assessment, viewer, django_assert_max_num_queries
):
    ReportFile.objects.create(
        assessment=assessment, status=ReportFile.Status.READY, pdf=FAKE_PDF, filename="r.pdf"
    )
    client.force_login(viewer)

    # Session, user, round, file, and whether an answer changed since the concept's render.
    with django_assert_max_num_queries(5):
        response = client.get(url("report_status", assessment), headers={"HX-Request": "true"})

    html = response.getvalue().decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert "hx-trigger" not in html
    assert url("report_download", assessment) in html


@pytest.mark.django_db
def test_a_page_without_a_report_offers_to_make_one(client, assessment, viewer):
    client.force_login(viewer)

    html = client.get(url("report", assessment)).getvalue().decode()

    assert "Er is nog geen rapport van deze meting gemaakt." in html
    assert f'action="{url("report_make", assessment)}"' in html
    assert "refresh" not in html


@pytest.mark.django_db
def test_a_failed_render_says_so_in_dutch_and_a_retry_works(
    client, assessment, coordinator, make_report, monkeypatch, caplog
):
    def broken(report):
        raise RuntimeError("WeasyPrint is stuk")

    monkeypatch.setattr(report_jobs, "render_pdf", broken)
    client.force_login(coordinator)

    with caplog.at_level(logging.ERROR, logger="assessments.tasks"):
        response = make_report(assessment)

    report_file = ReportFile.objects.get(assessment=assessment)
    assert report_file.status == ReportFile.Status.FAILED
    assert report_file.error == "RuntimeError: WeasyPrint is stuk"
    assert "WeasyPrint is stuk" in caplog.text  # logged with its traceback
    html = client.get(response["Location"]).getvalue().decode()
    assert FAILED_MESSAGE in html
    assert "WeasyPrint" not in html  # the cause is for the log, not the user
    assert "Opnieuw proberen" in html
    assert client.get(url("report_download", assessment)).status_code == 302

    monkeypatch.setattr(report_jobs, "render_pdf", lambda report: FAKE_PDF)
    make_report(assessment)

    assert ReportFile.objects.get(assessment=assessment).status == ReportFile.Status.READY
    assert client.get(url("report_download", assessment)).getvalue() == FAKE_PDF


@pytest.mark.django_db
def test_a_broker_that_does_not_answer_fails_the_render_not_the_request(
    client, assessment, coordinator, make_report, monkeypatch, caplog
):
    def unreachable(*args):
        raise ConnectionRefusedError("broker weg")

    monkeypatch.setattr(tasks.render_report, "delay", unreachable)
    client.force_login(coordinator)

    with caplog.at_level(logging.ERROR, logger="assessments.tasks"):
        response = make_report(assessment)

    assert response.status_code == 302
    assert ReportFile.objects.get(assessment=assessment).status == ReportFile.Status.FAILED
    assert "broker weg" in caplog.text
    assert FAILED_MESSAGE in client.get(response["Location"]).getvalue().decode()


@pytest.mark.django_db
def test_a_render_that_lost_its_worker_can_be_tried_again(
    client, assessment, coordinator, make_report, renders
):
    close_round(assessment, coordinator)
    stuck = ReportFile.objects.create(
        assessment=assessment, status=ReportFile.Status.RUNNING, is_final=True
    )
    ReportFile.objects.filter(pk=stuck.pk).update(
        requested_at=timezone.now() - ReportFile.TIMEOUT - datetime.timedelta(seconds=1)
    )
    client.force_login(coordinator)

    assert FAILED_MESSAGE in client.get(url("report", assessment)).getvalue().decode()
    make_report(assessment)

    assert len(renders) == 1
    assert ReportFile.objects.get(assessment=assessment).status == ReportFile.Status.READY


@pytest.mark.django_db
@pytest.mark.parametrize("status", [None, "wachtend", "bezig", "mislukt"])
def test_downloading_a_report_that_is_not_ready_leads_to_the_report_page(
    client, assessment, viewer, status
):
    if status:
        ReportFile.objects.create(assessment=assessment, status=status)
    client.force_login(viewer)

    response = client.get(url("report_download", assessment), follow=True)

    assert response.redirect_chain == [(url("report", assessment), 302)]
    assert "Het rapport is nog niet klaar." in response.getvalue().decode()


@pytest.mark.django_db
def test_download_reads_only_the_stored_file(
    client, assessment, viewer, django_assert_max_num_queries
):
    ReportFile.objects.create(
        assessment=assessment, status=ReportFile.Status.READY, pdf=FAKE_PDF, filename="r.pdf"
    )
    client.force_login(viewer)

    # Session, user, round, file, and whether an answer changed since the concept's render.
    with django_assert_max_num_queries(5):
        response = client.get(url("report_download", assessment))

    assert response.getvalue() == FAKE_PDF
    assert response["Content-Disposition"] == 'attachment; filename="r.pdf"'


# --- The task ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_task_stores_nothing_for_a_request_that_was_replaced(assessment, renders):
    replaced = ReportFile.objects.create(assessment=assessment)
    replaced_id = replaced.pk
    replaced.delete()

    assert tasks.render_report(replaced_id) == "overgeslagen"
    assert renders == []
    assert not ReportFile.objects.exists()


@pytest.mark.django_db
def test_the_task_renders_a_row_once_even_when_delivered_twice(assessment, renders):
    report_file = ReportFile.objects.create(assessment=assessment)

    assert tasks.render_report(report_file.pk) == ReportFile.Status.READY
    assert tasks.render_report(report_file.pk) == "overgeslagen"
    assert len(renders) == 1


@pytest.mark.django_db
def test_report_file_str_names_round_variant_language_and_status(assessment):
    report_file = ReportFile.objects.create(assessment=assessment)

    assert str(report_file) == f"{assessment.pk} · volledig · nl · Wachtend"


# --- The two variants: the bestuurlijke rapportage and the full report ------------------

BRIEF_QUERY = "?variant=bestuurlijk"


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["report_status", "report_download"])
def test_outsider_gets_404_for_the_bestuurlijke_rapportage(client, assessment, outsider, name):
    ReportFile.objects.create(
        assessment=assessment,
        variant="bestuurlijk",
        status=ReportFile.Status.READY,
        pdf=FAKE_PDF,
        filename="r.pdf",
    )
    client.force_login(outsider)

    assert client.get(url(name, assessment) + BRIEF_QUERY).status_code == 404


@pytest.mark.django_db
def test_outsider_cannot_make_a_bestuurlijke_rapportage(client, assessment, outsider, renders):
    client.force_login(outsider)

    response = client.post(url("report_make", assessment), {"variant": "bestuurlijk"})

    assert response.status_code == 404
    assert not ReportFile.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["report_status", "report_download"])
def test_an_editor_of_an_open_round_gets_403_for_the_bestuurlijke_rapportage(
    client, assessment, editor, name
):
    # The same rule as the full report: it shows colleagues' levels (access.visibility).
    ReportFile.objects.create(
        assessment=assessment,
        variant="bestuurlijk",
        status=ReportFile.Status.READY,
        pdf=FAKE_PDF,
        filename="r.pdf",
    )
    client.force_login(editor)

    assert client.get(url(name, assessment) + BRIEF_QUERY).status_code == 403


@pytest.mark.django_db
def test_an_editor_of_an_open_round_cannot_make_a_bestuurlijke_rapportage(
    client, assessment, editor, renders
):
    client.force_login(editor)

    response = client.post(url("report_make", assessment), {"variant": "bestuurlijk"})

    assert response.status_code == 403
    assert not ReportFile.objects.exists()


@pytest.mark.django_db
def test_an_unknown_variant_is_404_and_makes_nothing(client, assessment, viewer, renders):
    client.force_login(viewer)

    assert client.get(url("report_download", assessment) + "?variant=kort").status_code == 404
    assert client.get(url("report_status", assessment) + "?variant=kort").status_code == 404
    assert client.post(url("report_make", assessment), {"variant": "kort"}).status_code == 404
    assert not ReportFile.objects.exists()


@pytest.mark.django_db
def test_each_variant_is_made_stored_and_served_on_its_own(
    client, assessment, viewer, renders, django_capture_on_commit_callbacks
):
    client.force_login(viewer)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("report_make", assessment), {"variant": "bestuurlijk"})

    assert response["Location"] == url("report", assessment)
    assert [r.variant for r in renders] == ["bestuurlijk"]
    brief = ReportFile.objects.get(assessment=assessment)
    assert (brief.variant, brief.status) == ("bestuurlijk", ReportFile.Status.READY)
    assert brief.filename.endswith("-bestuurlijk-nl.pdf")
    assert client.get(url("report_download", assessment) + BRIEF_QUERY).getvalue() == FAKE_PDF
    # The full report is not made yet: to the report page, which offers it.
    assert client.get(url("report_download", assessment)).status_code == 302
    page = client.get(url("report", assessment)).getvalue().decode()
    assert f'href="{url("report_download", assessment)}{BRIEF_QUERY}"' in page
    assert "Volledig rapport maken" in page

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("report_make", assessment), {"variant": "volledig"})

    # Making the full report leaves the bestuurlijke rapportage as it was.
    assert [r.variant for r in renders] == ["bestuurlijk", "volledig"]
    assert sorted(ReportFile.objects.values_list("variant", "pk")) == sorted(
        [("bestuurlijk", brief.pk), ("volledig", ReportFile.objects.get(variant="volledig").pk)]
    )
    full = client.get(url("report_download", assessment) + "?variant=volledig")
    assert full["Content-Disposition"].endswith('-volledig-nl.pdf"')


@pytest.mark.django_db
def test_an_open_round_renders_one_variant_anew_and_keeps_the_other(
    client, assessment, coordinator, renders, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)

    def make(variant):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(url("report_make", assessment), {"variant": variant})

    make("volledig")
    full = ReportFile.objects.get(variant="volledig")
    make("bestuurlijk")
    first_brief = ReportFile.objects.get(variant="bestuurlijk")
    make("bestuurlijk")

    assert [r.variant for r in renders] == ["volledig", "bestuurlijk", "bestuurlijk"]
    assert ReportFile.objects.get(variant="volledig").pk == full.pk
    assert ReportFile.objects.get(variant="bestuurlijk").pk != first_brief.pk


@pytest.mark.django_db
def test_a_closed_round_renders_each_variant_once(
    client, assessment, coordinator, viewer, renders, django_capture_on_commit_callbacks
):
    close_round(assessment, coordinator)
    client.force_login(viewer)

    for variant in ["bestuurlijk", "volledig", "bestuurlijk", "volledig"]:
        with django_capture_on_commit_callbacks(execute=True):
            client.post(url("report_make", assessment), {"variant": variant})

    assert [r.variant for r in renders] == ["bestuurlijk", "volledig"]
    assert set(ReportFile.objects.values_list("variant", "is_final")) == {
        ("bestuurlijk", True),
        ("volledig", True),
    }
    # Both final: the page offers downloads only.
    page = client.get(url("report", assessment)).getvalue().decode()
    assert url("report_make", assessment) not in page


@pytest.mark.django_db
def test_a_stale_concept_of_one_variant_is_not_served(
    client, assessment, viewer, editor, renders, django_capture_on_commit_callbacks
):
    client.force_login(viewer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("report_make", assessment), {"variant": "bestuurlijk"})
    answer(assessment, editor, **{assessment.framework.questions.first().code: "2"})

    response = client.get(url("report_download", assessment) + BRIEF_QUERY, follow=True)

    assert response.redirect_chain == [(url("report", assessment), 302)]
    assert (
        "Er zijn antwoorden gewijzigd sinds dit concept is gemaakt." in response.getvalue().decode()
    )
