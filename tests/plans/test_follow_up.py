"""The plan lives on after closing: a closed round's actions are followed up during the
year by its coordinators and each action's owner, until a newer round takes them over.
The round's snapshot (the plan as decided) and its report never change."""

from __future__ import annotations

import copy
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessments.models import Action, Assessment
from assessments.plans import services as plan_services
from assessments.reports.build import build_report
from assessments.rounds import services as round_services
from assessments.rounds.results import load_actions
from readiness.models import Question

pytestmark = pytest.mark.django_db

DUE = datetime.date(2027, 3, 1)


@pytest.fixture
def closed(assessment, coordinator, editor, viewer):
    questions = Question.objects.filter(framework=assessment.framework_id)
    round_services.save_answers(
        assessment=assessment,
        user=editor,
        items=[round_services.AnswerInput(q, "2", "") for q in questions],
    )
    Action.objects.create(
        assessment=assessment,
        title="Woningen reserveren",
        owner="Team wonen",
        owner_user=viewer,  # a viewer who owns an action may follow it up
        due_date=DUE,
        order=0,
    )
    Action.objects.create(assessment=assessment, title="Kernteam instellen", order=1)
    round_services.close_assessment(assessment=assessment, user=coordinator)
    return Assessment.objects.get(pk=assessment.pk)


def action(closed, title="Woningen reserveren") -> Action:
    return Action.objects.get(assessment=closed, title=title)


def url(closed, title="Woningen reserveren") -> str:
    return reverse("assessments:action_follow_up", args=[closed.pk, action(closed, title).pk])


POST = {
    "status": "bezig",
    "owner": "Beleidsadviseur wonen",
    "owner_user": "",
    "due_date": "2027-06-30",
    "progress_note": "Eerste gesprek met de corporaties gehad.",
}


def test_the_coordinator_records_progress_and_the_snapshot_stays(client, closed, coordinator):
    snapshot = copy.deepcopy(closed.snapshot)
    report = build_report(closed)
    client.force_login(coordinator)
    assert client.get(url(closed)).status_code == 200

    response = client.post(url(closed), POST)

    assert response.status_code == 302
    stored = action(closed)
    assert (stored.status, stored.owner, stored.due_date) == (
        "bezig",
        "Beleidsadviseur wonen",
        datetime.date(2027, 6, 30),
    )
    assert stored.progress_note == "Eerste gesprek met de corporaties gehad."
    assert stored.progress_noted_at is not None
    again = Assessment.objects.get(pk=closed.pk)
    assert again.snapshot == snapshot
    assert not again.is_open
    # The report keeps the plan as decided.
    assert build_report(again) == report
    (decided, _second) = load_actions(again)
    assert (decided.status_code, decided.owner, decided.due_date) == ("gepland", "Team wonen", DUE)


def test_the_owner_records_progress(client, closed, viewer):
    client.force_login(viewer)
    assert client.post(url(closed), {**POST, "owner_user": viewer.pk}).status_code == 302
    assert action(closed).status == "bezig"


@pytest.mark.parametrize("persona", ["viewer", "editor", "consultant"])
def test_others_get_403(client, closed, persona, request):
    client.force_login(request.getfixturevalue(persona))
    # The viewer owns the first action, not the second.
    target = url(closed, "Kernteam instellen")
    assert client.get(target).status_code == 403
    assert client.post(target, POST).status_code == 403
    assert action(closed, "Kernteam instellen").status == "gepland"


def test_a_consultant_who_owns_the_action_still_only_reads(client, closed, consultant):
    Action.objects.filter(pk=action(closed).pk).update(owner_user=consultant)
    client.force_login(consultant)
    assert client.post(url(closed), POST).status_code == 403


def test_an_outsider_gets_404(client, closed, outsider):
    client.force_login(outsider)
    assert client.get(url(closed)).status_code == 404
    assert client.post(url(closed), POST).status_code == 404


def test_an_action_of_another_round_is_404(client, closed, coordinator, framework):
    other = Assessment.objects.create(
        municipality=closed.municipality, framework=framework, title="Andere"
    )
    client.force_login(coordinator)
    target = reverse("assessments:action_follow_up", args=[other.pk, action(closed).pk])
    assert client.get(target).status_code == 404


def test_an_open_round_is_edited_as_a_whole_not_followed_up(client, assessment, coordinator):
    open_action = Action.objects.create(assessment=assessment, title="Open")
    client.force_login(coordinator)
    target = reverse("assessments:action_follow_up", args=[assessment.pk, open_action.pk])
    assert client.post(target, POST).status_code == 403


def test_adding_deleting_and_proposing_stay_refused_after_closing(client, closed, coordinator):
    client.force_login(coordinator)
    pk = action(closed).pk
    assert client.post(reverse("assessments:action_add", args=[closed.pk]), POST).status_code == 403
    delete = reverse("assessments:action_delete", args=[closed.pk, pk])
    assert client.post(delete).status_code == 403
    propose = reverse("assessments:actions_propose", args=[closed.pk])
    assert client.post(propose).status_code == 403
    assert client.post(reverse("assessments:action_edit", args=[closed.pk, pk])).status_code == 403


def test_once_a_newer_round_takes_the_actions_over_they_are_read_only(client, closed, coordinator):
    new = round_services.start_assessment(
        municipality=closed.municipality,
        user=coordinator,
        title="Herhaalmeting",
        framework=closed.framework,
        carry_actions=True,
    )
    carried = Action.objects.get(assessment=new, title="Woningen reserveren")
    assert carried.carried_from == action(closed)
    client.force_login(coordinator)
    assert client.post(url(closed), POST).status_code == 403
    with pytest.raises(ValidationError):
        plan_services.update_action_progress(
            action=action(closed),
            user=coordinator,
            data=plan_services.ProgressInput(status="gereed"),
        )
    page = client.get(reverse("assessments:actions", args=[closed.pk])).content.decode()
    assert "nieuwere meting heeft de acties overgenomen" in page
    assert "Voortgang bijwerken" not in page


def test_the_plan_page_shows_the_current_state_and_what_was_decided(client, closed, coordinator):
    plan_services.update_action_progress(
        action=action(closed),
        user=coordinator,
        data=plan_services.ProgressInput(
            status="gereed", owner="Team wonen", due_date=DUE, progress_note="Afgerond."
        ),
        today=datetime.date(2027, 2, 1),
    )
    client.force_login(coordinator)
    page = client.get(reverse("assessments:actions", args=[closed.pk])).content.decode()
    assert "Afgerond." in page
    assert "Zoals besloten: status Gepland" in page
    assert "Voortgang bijwerken" in page


def test_the_plan_page_offers_the_owner_only_their_own_action(client, closed, viewer):
    client.force_login(viewer)
    page = client.get(reverse("assessments:actions", args=[closed.pk])).content.decode()
    assert page.count('/voortgang/"') == 1


def test_a_progress_note_that_is_too_long_is_refused(closed, coordinator):
    with pytest.raises(ValidationError):
        plan_services.update_action_progress(
            action=action(closed),
            user=coordinator,
            data=plan_services.ProgressInput(status="bezig", progress_note="x" * 2001),
        )
