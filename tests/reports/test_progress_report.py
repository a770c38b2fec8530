"""The voortgangsrapportage: the plan's progress as frozen data (checked exactly), its PDF
(smoke test through its text) and who may download it."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from assessments.models import Action, Assessment
from assessments.plans import services as plan_services
from assessments.reports.progress import (
    ProgressChange,
    ProgressLine,
    ProgressReport,
    build_progress_report,
)
from assessments.reports.render import render_progress_pdf
from assessments.rounds import services as round_services
from readiness.models import Question
from tests.helpers.pdf import pdf_text

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2027, 5, 1)
TRANSITION = D(2027, 7, 1)
CLOSED_AT = datetime.datetime(2027, 1, 15, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _transition(settings):
    settings.WOONPLAATSBEGINSEL_DATE = TRANSITION


def _add(assessment, order, title, **fields) -> Action:
    critical = fields.pop("critical", False)
    action = Action.objects.create(assessment=assessment, title=title, order=order, **fields)
    if critical:
        action.questions.add(
            Question.objects.filter(framework=assessment.framework_id, is_critical=True).first()
        )
    return action


def _follow_up(assessment, title, *, today, **fields) -> None:
    action = Action.objects.get(assessment=assessment, title=title)
    data = {
        "status": action.status,
        "owner": action.owner,
        "due_date": action.due_date,
        "progress_note": action.progress_note,
        **fields,
    }
    plan_services.update_action_progress(
        action=action, user=None, data=plan_services.ProgressInput(**data), today=today
    )


@pytest.fixture
def closed(assessment, coordinator, editor):
    """A closed round whose plan was followed up: one action done, one overdue, one
    changed and ending after the transition, one without a deadline, one dropped."""
    questions = Question.objects.filter(framework=assessment.framework_id)
    round_services.save_answers(
        assessment=assessment,
        user=editor,
        items=[round_services.AnswerInput(q, "2", "") for q in questions],
    )
    _add(assessment, 0, "Woningen reserveren", owner="Team wonen", due_date=D(2027, 3, 1))
    _add(assessment, 1, "Kernteam instellen", due_date=D(2027, 4, 1))
    _add(
        assessment,
        2,
        "Cliëntroute beschrijven",
        owner="Team zorg",
        due_date=D(2027, 6, 30),
        critical=True,
    )
    _add(assessment, 3, "Monitor opzetten", owner="Team data")
    _add(assessment, 4, "Oude werkgroep opheffen", status=Action.Status.DROPPED)
    round_services.close_assessment(assessment=assessment, user=coordinator)
    Assessment.objects.filter(pk=assessment.pk).update(closed_at=CLOSED_AT)
    _follow_up(
        assessment,
        "Woningen reserveren",
        today=D(2027, 2, 20),
        status="gereed",
        progress_note="Afspraken met de corporaties getekend.",
    )
    _follow_up(
        assessment,
        "Cliëntroute beschrijven",
        today=D(2027, 4, 15),
        status="bezig",
        owner="Beleidsadviseur zorg",
        due_date=D(2027, 9, 1),
        progress_note="Eerste concept besproken.",
    )
    return Assessment.objects.select_related("municipality").get(pk=assessment.pk)


def line(title, owner, due, status, note="", noted=None, after=False) -> ProgressLine:
    return ProgressLine(
        title=title,
        owner=owner,
        due_date=due,
        status_code=status,
        progress_note=note,
        progress_noted_at=noted,
        is_after_transition=after,
    )


DONE = line(
    "Woningen reserveren",
    "Team wonen",
    D(2027, 3, 1),
    "gereed",
    "Afspraken met de corporaties getekend.",
    D(2027, 2, 20),
)
OVERDUE = line("Kernteam instellen", "", D(2027, 4, 1), "gepland")
ROUTE = line(
    "Cliëntroute beschrijven",
    "Beleidsadviseur zorg",
    D(2027, 9, 1),
    "bezig",
    "Eerste concept besproken.",
    D(2027, 4, 15),
    after=True,
)


def test_the_progress_of_a_closed_round_is_built_exactly(closed, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        report = build_progress_report(closed, "nl", today=TODAY)

    assert report == ProgressReport(
        language="nl",
        municipality="Zonnedal",
        title=closed.title,
        is_open=False,
        date=TODAY,
        decided_on=D(2027, 1, 15),
        transition_date=TRANSITION,
        taken_over=False,
        total=5,
        done=(DONE,),
        on_track=(ROUTE,),
        overdue=(OVERDUE,),
        undated=(line("Monitor opzetten", "Team data", None, "gepland"),),
        dropped=(line("Oude werkgroep opheffen", "", None, "vervallen"),),
        after_transition=(ROUTE,),
        changes=(
            ProgressChange(
                title="Woningen reserveren",
                status_code="gereed",
                decided_status_code="gepland",
                owner="Team wonen",
                decided_owner="Team wonen",
                due_date=D(2027, 3, 1),
                decided_due_date=D(2027, 3, 1),
                progress_note="Afspraken met de corporaties getekend.",
                progress_noted_at=D(2027, 2, 20),
            ),
            ProgressChange(
                title="Cliëntroute beschrijven",
                status_code="bezig",
                decided_status_code="gepland",
                owner="Beleidsadviseur zorg",
                decided_owner="Team zorg",
                due_date=D(2027, 9, 1),
                decided_due_date=D(2027, 6, 30),
                progress_note="Eerste concept besproken.",
                progress_noted_at=D(2027, 4, 15),
            ),
        ),
    )
    assert report.filename == "voortgang-beschermd-thuis-zonnedal-2027-05-01.pdf"
    assert report.changes[1].status_changed and report.changes[1].owner_changed
    assert not report.changes[0].owner_changed


def test_an_open_round_has_no_decision_to_compare_with(assessment):
    _add(assessment, 0, "Kernteam instellen", due_date=D(2027, 4, 1))

    report = build_progress_report(assessment, "nl", today=D(2027, 3, 1))

    assert (report.is_open, report.decided_on, report.changes) == (True, None, ())
    assert report.on_track == (line("Kernteam instellen", "", D(2027, 4, 1), "gepland"),)


def test_the_pdf_renders_with_its_headings(closed):
    report = build_progress_report(closed, "nl", today=TODAY)

    reader, pages = pdf_text(render_progress_pdf(report))

    text = " ".join(" ".join(pages).split())
    assert reader.metadata.title == report.document_title
    for heading in (
        "Voortgangsrapportage actieplan beschermd thuis",
        "Samenvatting",
        "Te laat",
        "Na de invoering van het woonplaatsbeginsel",
        "Op schema",
        "Gereed",
        "Veranderd sinds het besluit",
        "Kernteam instellen",
        "Eerste concept besproken.",
        "pagina 1 van",
    ):
        assert heading in text, heading


def test_the_english_pdf_has_english_headings_and_dutch_action_texts(closed):
    report = build_progress_report(closed, "en", today=TODAY)

    _reader, pages = pdf_text(render_progress_pdf(report))

    text = " ".join(" ".join(pages).split())
    assert report.filename.endswith("-en.pdf")
    for phrase in ("Progress report", "Overdue", "On track", "Changed since the decision"):
        assert phrase in text, phrase
    assert "Kernteam instellen" in text


def url(assessment) -> str:
    return reverse("assessments:progress_pdf", args=[assessment.pk])


def test_anonymous_is_sent_to_login(client, closed):
    response = client.get(url(closed))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_outsider_gets_404(client, closed, outsider):
    client.force_login(outsider)
    assert client.get(url(closed)).status_code == 404


def test_region_coordinator_gets_404(client, closed, region_coordinator):
    client.force_login(region_coordinator)
    assert client.get(url(closed)).status_code == 404


@pytest.mark.parametrize("persona", ["viewer", "editor", "coordinator", "consultant"])
def test_members_download_the_pdf(client, closed, request, persona):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(url(closed))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_an_editor_of_an_open_round_may_download_it(client, assessment, editor):
    client.force_login(editor)
    assert client.get(url(assessment)).status_code == 200


def test_the_plan_page_links_to_it(client, closed, viewer):
    client.force_login(viewer)
    page = client.get(reverse("assessments:actions", args=[closed.pk])).content.decode()
    assert url(closed) in page
    assert "Voortgangsrapportage (PDF)" in page
