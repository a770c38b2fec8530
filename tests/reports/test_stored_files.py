"""Stored files keep their promises (issue 20 items 2 and 4): access is checked when a file
is downloaded, not only when it was made, and a file always matches what it claims."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments import access
from assessments.models import BatchExport, Membership, ReportFile
from assessments.reports import jobs
from assessments.rounds.services import save_answer
from readiness.models import Question
from tests.factories import close_round

CONCEPT = b"%PDF-concept"
FINAL = b"%PDF-final"


def zip_of(consultant, assessment) -> BatchExport:
    return BatchExport.objects.create(
        requester=consultant,
        assessment_ids=[assessment.pk],
        status=BatchExport.Status.READY,
        zip=b"PK\x05\x06" + bytes(18),
        total=1,
        done=1,
        expires_at=timezone.now() + BatchExport.KEEP,
    )


def download_zip(client, export):
    return client.get(reverse("assessments:batch_export_download", args=[export.pk]))


@pytest.mark.django_db
def test_a_consultants_zip_is_refused_once_their_access_ended(client, assessment, consultant):
    export = zip_of(consultant, assessment)
    client.force_login(consultant)
    assert download_zip(client, export).status_code == 200
    Membership.objects.filter(user=consultant, municipality=assessment.municipality).update(
        valid_until=timezone.now() - datetime.timedelta(minutes=1)
    )
    response = download_zip(client, export)
    assert response.status_code == 403
    assert "geen toegang meer" in response.content.decode()


@pytest.mark.django_db
def test_a_revoked_consultants_zip_is_refused_at_once(client, assessment, consultant):
    export = zip_of(consultant, assessment)
    Membership.objects.filter(user=consultant, municipality=assessment.municipality).delete()
    client.force_login(consultant)
    assert download_zip(client, export).status_code == 403


@pytest.fixture
def concept_then_closed(assessment, coordinator):
    """A concept report made while the round was open; then the round is closed."""
    ReportFile.objects.create(
        assessment=assessment,
        status=ReportFile.Status.READY,
        is_final=False,
        pdf=CONCEPT,
        filename="concept.pdf",
        started_at=timezone.now(),
    )
    close_round(assessment, coordinator)
    return assessment


@pytest.mark.django_db
def test_a_closed_round_never_serves_the_concept_made_while_it_was_open(
    client, concept_then_closed, viewer
):
    client.force_login(viewer)
    response = client.get(reverse("assessments:report_download", args=[concept_then_closed.pk]))
    assert response.status_code == 302
    page = client.get(reverse("assessments:report", args=[concept_then_closed.pk]))
    assert "Volledig rapport maken" in page.content.decode()


@pytest.mark.django_db
def test_a_closed_rounds_zip_renders_its_final_report_instead_of_the_concept(
    monkeypatch, concept_then_closed, viewer
):
    monkeypatch.setattr(jobs, "render_pdf", lambda report: FINAL)
    files, reused = jobs._round_files(
        access.get_assessment_for_view(viewer, concept_then_closed.pk), viewer
    )
    pdfs = [content for name, content in files if name.endswith(".pdf")]
    assert (pdfs, reused) == ([FINAL], False)


@pytest.mark.django_db
def test_a_concept_is_outdated_as_soon_as_an_answer_changes(client, assessment, editor, viewer):
    question = Question.objects.filter(framework=assessment.framework).first()
    started = timezone.now() - datetime.timedelta(minutes=5)
    ReportFile.objects.create(
        assessment=assessment,
        status=ReportFile.Status.READY,
        pdf=CONCEPT,
        filename="concept.pdf",
        started_at=started,
    )
    client.force_login(viewer)
    url = reverse("assessments:report_download", args=[assessment.pk])
    assert client.get(url).getvalue() == CONCEPT
    save_answer(assessment=assessment, user=editor, question=question, value="2", note="")
    response = client.get(url, follow=True)
    assert response.redirect_chain, "an outdated concept must not be served"
    assert "antwoorden gewijzigd" in response.content.decode()


@pytest.mark.django_db
def test_a_closed_rounds_final_report_is_served(client, assessment, coordinator, viewer):
    close_round(assessment, coordinator)
    ReportFile.objects.create(
        assessment=assessment,
        status=ReportFile.Status.READY,
        is_final=True,
        pdf=FINAL,
        filename="rapport.pdf",
    )
    client.force_login(viewer)
    response = client.get(reverse("assessments:report_download", args=[assessment.pk]))
    assert response.getvalue() == FINAL
