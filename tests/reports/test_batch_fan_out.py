"""Batch export fanned out: one task per round (a BatchExportPart), the stored final report
of a closed round reused, progress per round on the page, a failing round listed instead
of losing the others, and access checked again when each round's task runs.

Most tests send the tasks as to a broker and catch them (``sent``), then run them one by
one as a worker would: so the state between the tasks can be looked at.
"""

from __future__ import annotations

import io
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments import tasks
from assessments.models import BatchExport, BatchExportPart, Membership, ReportFile
from assessments.reports import jobs
from tests.factories import AssessmentFactory, ResponseFactory, answer_all, close_round

FAKE_PDF = b"%PDF-1.7 rendered"
STORED_PDF = b"%PDF-1.7 stored final report"


class CountingRender:
    """A stand-in for WeasyPrint: notes the round (its title: the test rounds' titles
    differ) of every render, and fails the rounds asked."""

    def __init__(self) -> None:
        self.rounds: list[str] = []
        self.failing: set[str] = set()

    def __call__(self, report) -> bytes:
        self.rounds.append(report.title)
        if report.title in self.failing:
            raise RuntimeError("render broke")
        return FAKE_PDF


@pytest.fixture
def render(monkeypatch):
    counting = CountingRender()
    monkeypatch.setattr(jobs, "render_pdf", counting)
    return counting


@pytest.fixture
def sent(monkeypatch):
    """As with a broker: the tasks that the tasks send are caught, in order."""
    from config.celery import app as celery_app

    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
    caught: list[tuple[str, tuple]] = []
    for task in (tasks.build_batch_part, tasks.write_batch_zip):
        monkeypatch.setattr(
            task, "delay", lambda *args, name=task.name: caught.append((name, args))
        )
    return caught


def run_sent(sent: list[tuple[str, tuple]]) -> list[str]:
    """Run the caught tasks as a worker would, first sent first; returns their outcomes."""
    by_name = {task.name: task for task in (tasks.build_batch_part, tasks.write_batch_zip)}
    outcomes = []
    while sent:
        name, args = sent.pop(0)
        outcomes.append(by_name[name](*args))
    return outcomes


@pytest.fixture
def three_rounds(assessment, other_municipality, framework):
    """Zonnedal's round and two of Regenstad, each answered."""
    rounds = [
        assessment,
        AssessmentFactory(municipality=other_municipality, framework=framework, title="Eerste"),
        AssessmentFactory(municipality=other_municipality, framework=framework, title="Tweede"),
    ]
    for round_ in rounds:
        answer_all(ResponseFactory(assessment=round_), value="2")
    return rounds


def new_export(user, rounds) -> BatchExport:
    return BatchExport.objects.create(
        requester=user,
        assessment_ids=[a.pk for a in rounds],
        total=len(rounds),
        expires_at=timezone.now() + BatchExport.KEEP,
    )


def zip_names(export: BatchExport) -> list[str]:
    export.refresh_from_db()
    return zipfile.ZipFile(io.BytesIO(bytes(export.zip))).namelist()


def status_fragment(client, export) -> str:
    url = reverse("assessments:batch_export_status", args=[export.pk])
    return client.get(url, HTTP_HX_REQUEST="true").getvalue().decode()


@pytest.mark.django_db
def test_the_export_fans_out_one_task_per_round_and_the_last_writes_the_zip(
    three_rounds, consultant, render, sent
):
    export = new_export(consultant, three_rounds)

    assert tasks.build_batch_export(export.pk) == BatchExport.Status.RUNNING

    parts = list(BatchExportPart.objects.filter(export=export))
    assert sorted(p.assessment_id for p in parts) == sorted(a.pk for a in three_rounds)
    assert sent == [("assessments.tasks.build_batch_part", (p.pk,)) for p in parts]
    assert {p.status for p in parts} == {BatchExportPart.Status.WAITING}
    _name, args = sent.pop()  # one round is done before the others
    assert tasks.build_batch_part(*args) == BatchExportPart.Status.READY
    export.refresh_from_db()
    assert (export.status, export.done, export.total) == (BatchExport.Status.RUNNING, 1, 3)

    assert run_sent(sent) == ["klaar", "klaar", "klaar"]  # two parts, then the ZIP

    names = zip_names(export)
    assert {n.split("/")[0] for n in names} == {
        f"{a.municipality.name.lower()}-{a.pk}" for a in three_rounds
    }
    assert sorted(n.rsplit(".", 1)[1] for n in names) == ["pdf"] * 3 + ["xlsx"] * 6
    assert (export.status, export.done, export.total) == (BatchExport.Status.READY, 3, 3)
    assert sorted(render.rounds) == sorted(a.title for a in three_rounds)
    # The export keeps the bytes; a second delivery of any message changes nothing.
    assert not BatchExportPart.objects.filter(export=export, files__isnull=False).exists()
    assert tasks.build_batch_export(export.pk) == "overgeslagen"
    assert tasks.build_batch_part(parts[0].pk) == "overgeslagen"
    assert tasks.write_batch_zip(export.pk) == "overgeslagen"
    assert sent == []


@pytest.mark.django_db
def test_a_closed_rounds_stored_final_report_is_reused_not_rendered(
    three_rounds, consultant, coordinator, render
):
    reused, concept_only, open_round = three_rounds
    for closed in (reused, concept_only):
        close_round(closed, coordinator)
    ReportFile.objects.create(
        assessment=reused,
        status=ReportFile.Status.READY,
        is_final=True,
        pdf=STORED_PDF,
        filename="stored.pdf",
    )
    # A concept made while the round was open is no final report: rendered anyway.
    ReportFile.objects.create(
        assessment=concept_only, status=ReportFile.Status.READY, is_final=False, pdf=b"old"
    )
    export = new_export(consultant, three_rounds)

    assert tasks.build_batch_export(export.pk) == BatchExport.Status.READY

    assert sorted(render.rounds) == sorted([concept_only.title, open_round.title])
    archive = zipfile.ZipFile(io.BytesIO(bytes(BatchExport.objects.get().zip)))
    assert archive.read(f"zonnedal-{reused.pk}/stored.pdf") == STORED_PDF
    parts = {p.assessment_id: p.is_reused for p in BatchExportPart.objects.all()}
    assert parts == {reused.pk: True, concept_only.pk: False, open_round.pk: False}


@pytest.mark.django_db
def test_the_page_shows_the_progress_of_every_round(
    client, three_rounds, consultant, render, sent, django_assert_max_num_queries
):
    export = new_export(consultant, three_rounds)
    tasks.build_batch_export(export.pk)
    first, second, third = BatchExportPart.objects.filter(export=export).order_by("pk")
    tasks.build_batch_part(first.pk)
    BatchExportPart.objects.filter(pk=second.pk).update(status=BatchExportPart.Status.RUNNING)
    client.force_login(consultant)

    with django_assert_max_num_queries(8):
        fragment = status_fragment(client, export)

    assert 'hx-trigger="every 2s"' in fragment
    assert "Bezig: 1 van 3 metingen klaar." in fragment
    rows = {
        part.assessment.title: fragment.split(f": {part.assessment.title}</td>")[1].split("</tr>")[
            0
        ]
        for part in (first, second, third)
    }
    assert ">klaar<" in rows[first.assessment.title]
    assert ">bezig<" in rows[second.assessment.title]
    assert ">wacht<" in rows[third.assessment.title]
    page = client.get(reverse("assessments:batch_export", args=[export.pk])).getvalue().decode()
    assert "Regenstad: Tweede" in page and "Zonnedal: Nulmeting voorjaar" in page


@pytest.mark.django_db
def test_a_failing_round_is_listed_in_the_zip_and_the_others_are_kept(
    client, three_rounds, consultant, render, sent
):
    broken = three_rounds[1]
    render.failing.add(broken.title)
    export = new_export(consultant, three_rounds)
    tasks.build_batch_export(export.pk)

    run_sent(sent)

    export.refresh_from_db()
    assert (export.status, export.done, export.total) == (BatchExport.Status.READY, 3, 3)
    part = BatchExportPart.objects.get(assessment=broken)
    assert (part.status, part.error) == (
        BatchExportPart.Status.FAILED,
        "RuntimeError: render broke",
    )
    names = zip_names(export)
    assert {n.split("/")[0] for n in names} == {
        f"zonnedal-{three_rounds[0].pk}",
        f"regenstad-{three_rounds[2].pk}",
        "niet-gelukt.txt",
    }
    listed = zipfile.ZipFile(io.BytesIO(bytes(export.zip))).read("niet-gelukt.txt").decode()
    assert "- Regenstad: Eerste" in listed and "Tweede" not in listed
    client.force_login(consultant)
    fragment = status_fragment(client, export)
    assert "ZIP-bestand downloaden" in fragment
    assert "Van 1 meting kon het rapport niet worden gemaakt." in fragment
    assert ">mislukt<" in fragment.split("Regenstad: Eerste")[1].split("</tr>")[0]
    assert "render broke" not in fragment


@pytest.mark.django_db
def test_when_every_round_fails_the_export_fails_with_a_dutch_message(
    client, assessment, consultant, render
):
    answer_all(ResponseFactory(assessment=assessment), value="2")
    render.failing.add(assessment.title)
    export = new_export(consultant, [assessment])

    assert tasks.build_batch_export(export.pk) == BatchExport.Status.FAILED

    client.force_login(consultant)
    fragment = status_fragment(client, export)
    assert "Het ZIP-bestand kon niet worden gemaakt. Probeer het opnieuw." in fragment
    assert "hx-trigger" not in fragment


@pytest.mark.django_db
def test_each_round_checks_access_again_when_its_task_runs(
    client, three_rounds, consultant, render, sent
):
    export = new_export(consultant, three_rounds)
    tasks.build_batch_export(export.pk)
    assert len(sent) == 3
    # The consultant's access to Regenstad ends after the fan-out, before its rounds ran.
    Membership.objects.filter(user=consultant, municipality=three_rounds[1].municipality).delete()

    run_sent(sent)

    assert render.rounds == [three_rounds[0].title]  # Regenstad's were not rendered
    export.refresh_from_db()
    assert (export.status, export.done, export.total) == (BatchExport.Status.READY, 1, 1)
    assert {n.split("/")[0] for n in zip_names(export)} == {f"zonnedal-{three_rounds[0].pk}"}
    assert list(BatchExportPart.objects.values_list("assessment", flat=True)) == [
        three_rounds[0].pk
    ]
    client.force_login(consultant)
    assert "Regenstad" not in status_fragment(client, export)


@pytest.mark.django_db
def test_a_broker_that_refuses_a_round_fails_the_export_not_the_task(
    client, three_rounds, consultant, render, monkeypatch
):
    from config.celery import app as celery_app

    def refused(*args):
        raise ConnectionError("broker weg")

    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
    monkeypatch.setattr(tasks.build_batch_part, "delay", refused)
    export = new_export(consultant, three_rounds)

    assert tasks.build_batch_export(export.pk) == BatchExport.Status.FAILED

    export.refresh_from_db()
    assert export.error == "ConnectionError: broker weg"
    assert render.rounds == []
    client.force_login(consultant)
    assert "Het ZIP-bestand kon niet worden gemaakt." in status_fragment(client, export)
