"""Batch export: one ZIP with the PDF reports and workbooks of chosen rounds, built in a
task with progress, kept 24 hours, for its requester only."""

import datetime
import io
import zipfile

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from assessments.models import BatchExport, Membership
from assessments.tasks import build_batch_export, delete_expired_batch_exports
from tests.factories import AssessmentFactory, ResponseFactory, answer_all


@pytest.fixture
def two_rounds(assessment, other_municipality, framework):
    answer_all(ResponseFactory(assessment=assessment), value="3")
    other = AssessmentFactory(
        municipality=other_municipality, framework=framework, title="Meting Regenstad"
    )
    answer_all(ResponseFactory(assessment=other), value="1")
    return assessment, other


def ready_export(user, rounds=(), **fields) -> BatchExport:
    return BatchExport.objects.create(
        requester=user,
        assessment_ids=[a.pk for a in rounds],
        status=BatchExport.Status.READY,
        zip=b"PK\x05\x06" + bytes(18),
        expires_at=timezone.now() + BatchExport.KEEP,
        **fields,
    )


@pytest.mark.django_db
def test_consultant_gets_one_zip_with_a_pdf_and_workbooks_per_round(
    client, two_rounds, consultant, django_capture_on_commit_callbacks
):
    client.force_login(consultant)
    form = client.get(reverse("assessments:batch_export_new")).getvalue().decode()
    assert "Meting Regenstad" in form and "Nulmeting voorjaar" in form
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("assessments:batch_export_new"), {"rounds": [a.pk for a in two_rounds]}
        )
    export = BatchExport.objects.get()
    assert response["Location"] == reverse("assessments:batch_export", args=[export.pk])
    assert (export.status, export.done, export.total) == (BatchExport.Status.READY, 2, 2)
    kept = export.expires_at - export.created_at
    assert abs(kept - datetime.timedelta(hours=24)) < datetime.timedelta(seconds=5)
    page = client.get(reverse("assessments:batch_export", args=[export.pk])).getvalue().decode()
    assert "ZIP-bestand downloaden" in page
    download = client.get(reverse("assessments:batch_export_download", args=[export.pk]))
    assert download["Content-Type"] == "application/zip"
    assert "no-store" in download["Cache-Control"]
    archive = zipfile.ZipFile(io.BytesIO(download.getvalue()))  # streamed: read once
    names = archive.namelist()
    for a in two_rounds:
        mine = [n for n in names if n.startswith(f"{a.municipality.name.lower()}-{a.pk}/")]
        assert sorted(n.rsplit(".", 1)[1] for n in mine) == ["pdf", "xlsx", "xlsx"], names
    pdf = next(n for n in names if n.endswith(".pdf"))
    assert archive.read(pdf).startswith(b"%PDF-")


@pytest.mark.django_db
def test_a_round_of_another_municipality_cannot_be_chosen(client, two_rounds, editor):
    client.force_login(editor)  # a member of the first municipality only
    response = client.post(
        reverse("assessments:batch_export_new"), {"rounds": [a.pk for a in two_rounds]}
    )
    assert response.status_code == 400
    assert not BatchExport.objects.exists()


@pytest.mark.django_db
def test_only_the_requester_sees_and_downloads_the_zip(client, assessment, consultant, viewer):
    export = ready_export(consultant, [assessment])
    client.force_login(viewer)  # a member of the same municipality
    for name in ("batch_export", "batch_export_status", "batch_export_download"):
        assert client.get(reverse(f"assessments:{name}", args=[export.pk])).status_code == 404
    client.force_login(consultant)
    download = client.get(reverse("assessments:batch_export_download", args=[export.pk]))
    assert download.status_code == 200


@pytest.mark.django_db
def test_progress_is_polled_while_the_zip_is_built(client, assessment, consultant):
    export = ready_export(consultant, [assessment], total=4, done=1)
    BatchExport.objects.filter(pk=export.pk).update(status=BatchExport.Status.RUNNING)
    client.force_login(consultant)
    fragment = (
        client.get(
            reverse("assessments:batch_export_status", args=[export.pk]), HTTP_HX_REQUEST="true"
        )
        .getvalue()
        .decode()
    )
    assert 'hx-trigger="every 2s"' in fragment
    assert 'max="4" value="1"' in fragment
    download = client.get(reverse("assessments:batch_export_download", args=[export.pk]))
    assert download.status_code == 302  # not ready yet: back to the status page


@pytest.mark.django_db
def test_the_task_leaves_out_a_round_the_requester_lost_access_to(two_rounds, consultant):
    first, second = two_rounds
    export = BatchExport.objects.create(
        requester=consultant,
        assessment_ids=[first.pk, second.pk],
        total=2,
        expires_at=timezone.now() + BatchExport.KEEP,
    )
    Membership.objects.filter(user=consultant, municipality=second.municipality).delete()
    assert build_batch_export(export.pk) == BatchExport.Status.READY
    export.refresh_from_db()
    names = zipfile.ZipFile(io.BytesIO(bytes(export.zip))).namelist()
    assert {n.split("/")[0] for n in names} == {f"zonnedal-{first.pk}"}
    assert (export.done, export.total) == (1, 1)
    # A second delivery of the task's message changes nothing.
    assert build_batch_export(export.pk) == "overgeslagen"


@pytest.mark.django_db
def test_expired_zips_are_gone_and_deleted(client, assessment, consultant):
    old = ready_export(consultant, [assessment])
    fresh = ready_export(consultant, [assessment])
    BatchExport.objects.filter(pk=old.pk).update(expires_at=timezone.now())
    client.force_login(consultant)
    assert client.get(reverse("assessments:batch_export", args=[old.pk])).status_code == 404
    call_command("delete_expired_exports")
    assert list(BatchExport.objects.all()) == [fresh]
    assert delete_expired_batch_exports() == 0
