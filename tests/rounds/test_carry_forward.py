"""Starting a round from the previous one: answers as a starting point, open actions."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessments.models import Action, Answer, Assessment, Membership, Response
from assessments.rounds import carry_forward as carry_forward_services
from assessments.rounds import services as round_services
from tests.factories import AssessmentFactory, MembershipFactory, UserFactory
from tests.helpers.actions import answer, answer_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed_round(assessment, coordinator, editor):
    answer_all(assessment, editor, "2", A1="3")
    Answer.objects.filter(response__respondent=editor, question__code="A1").update(
        note="Staat in het beleidsplan."
    )
    answer(assessment, coordinator, A1="1", B1="weet_niet")
    Response.objects.filter(assessment=assessment).update(perspective="wonen")
    Action.objects.create(
        assessment=assessment,
        title="Open actie",
        status=Action.Status.IN_PROGRESS,
        owner="Team wonen",
        owner_user=editor,
        start_date=datetime.date(2026, 1, 5),
        due_date=datetime.date(2026, 6, 30),
        order=0,
    )
    Action.objects.create(assessment=assessment, title="Klaar", status="gereed", order=1)
    Action.objects.create(assessment=assessment, title="Vervallen", status="vervallen", order=2)
    round_services.close_assessment(assessment=assessment, user=coordinator)
    return assessment


def start_again(round_, user, **flags) -> Assessment:
    return round_services.start_assessment(
        municipality=round_.municipality,
        user=user,
        title="Herhaalmeting",
        framework=round_.framework,
        **flags,
    )


def answers_of(assessment, user) -> dict[str, tuple[str, str, bool]]:
    return {
        a.question.code: (a.value, a.note, a.is_carried_over)
        for a in Answer.objects.filter(
            response__assessment=assessment, response__respondent=user
        ).select_related("question")
    }


def test_each_respondent_gets_their_own_previous_answers_marked_carried_over(
    closed_round, coordinator, editor
):
    new = start_again(closed_round, coordinator, carry_answers=True)
    mine = answers_of(new, editor)
    assert mine["A1"] == ("3", "Staat in het beleidsplan.", True)
    assert mine["B2"] == ("2", "", True)
    assert len(mine) == 16
    assert answers_of(new, coordinator) == {"A1": ("1", "", True), "B1": ("weet_niet", "", True)}
    assert set(Response.objects.filter(assessment=new).values_list("perspective", flat=True)) == {
        "wonen"
    }


def test_saving_an_answer_confirms_it(closed_round, coordinator, editor):
    new = start_again(closed_round, coordinator, carry_answers=True)
    new = Assessment.objects.get(pk=new.pk)
    a1 = new.framework.questions.get(code="A1")
    round_services.save_answer(assessment=new, user=editor, question=a1, value="3", note="Nog zo.")
    mine = answers_of(new, editor)
    assert mine["A1"] == ("3", "Nog zo.", False)
    assert mine["A2"][2] is True  # the others are still only carried over


def test_the_closed_round_is_never_changed(closed_round, coordinator, editor):
    before_answers = sorted(
        Answer.objects.filter(response__assessment=closed_round).values_list(
            "pk", "value", "note", "is_carried_over", "updated_at"
        )
    )
    before_actions = sorted(
        Action.objects.filter(assessment=closed_round).values_list("pk", "status", "updated_at")
    )
    snapshot = Assessment.objects.get(pk=closed_round.pk).snapshot
    new = start_again(closed_round, coordinator, carry_answers=True, carry_actions=True)
    a1 = new.framework.questions.get(code="A1")
    round_services.save_answer(assessment=new, user=editor, question=a1, value="4", note="")
    after = Assessment.objects.get(pk=closed_round.pk)
    assert after.snapshot == snapshot and after.status == Assessment.Status.CLOSED
    assert (
        sorted(
            Answer.objects.filter(response__assessment=closed_round).values_list(
                "pk", "value", "note", "is_carried_over", "updated_at"
            )
        )
        == before_answers
    )
    assert (
        sorted(
            Action.objects.filter(assessment=closed_round).values_list("pk", "status", "updated_at")
        )
        == before_actions
    )


def test_open_actions_are_taken_over_with_their_status(closed_round, coordinator, editor):
    new = start_again(closed_round, coordinator, carry_actions=True)
    (action,) = Action.objects.filter(assessment=new)
    assert (action.title, action.status, action.owner, action.owner_user) == (
        "Open actie",
        "bezig",
        "Team wonen",
        editor,
    )
    assert action.start_date == datetime.date(2026, 1, 5)
    assert action.due_date == datetime.date(2026, 6, 30)
    assert not Answer.objects.filter(response__assessment=new).exists()


def test_nothing_is_copied_without_asking(closed_round, coordinator):
    new = start_again(closed_round, coordinator)
    assert not Response.objects.filter(assessment=new).exists()
    assert not Action.objects.filter(assessment=new).exists()


def test_nothing_is_copied_across_municipalities(
    closed_round, other_municipality, outsider, framework
):
    """Another municipality's new round starts empty: its own previous round is none."""
    MembershipFactory(municipality=other_municipality, user=UserFactory(username="coo2"))
    new = round_services.start_assessment(
        municipality=other_municipality,
        user=outsider,
        title="Nulmeting",
        framework=framework,
        carry_answers=True,
        carry_actions=True,
    )
    assert not Answer.objects.filter(response__assessment=new).exists()
    assert not Action.objects.filter(assessment=new).exists()
    with pytest.raises(ValidationError):
        carry_forward_services.carry_forward(
            previous=closed_round, assessment=new, user=outsider, answers=True, actions=True
        )
    assert not Answer.objects.filter(response__assessment=new).exists()


def test_a_former_member_gets_no_response(closed_round, coordinator, editor):
    Membership.objects.filter(user=editor).delete()
    new = start_again(closed_round, coordinator, carry_answers=True, carry_actions=True)
    assert not Response.objects.filter(assessment=new, respondent=editor).exists()
    assert Action.objects.get(assessment=new).owner_user is None


def test_an_open_round_is_not_a_starting_point(assessment, coordinator):
    new = AssessmentFactory(municipality=assessment.municipality, framework=assessment.framework)
    with pytest.raises(ValidationError):
        carry_forward_services.carry_forward(
            previous=assessment, assessment=new, user=coordinator, answers=True, actions=True
        )


def test_the_start_page_offers_the_previous_round(client, closed_round, coordinator, editor):
    client.force_login(coordinator)
    url = reverse("assessments:start", args=[closed_round.municipality_id])
    page = client.get(url)
    assert "Begin met de antwoorden van de vorige meting" in page.content.decode()
    response = client.post(url, {"title": "Herhaalmeting", "carry_answers": "on"})
    new = Assessment.objects.get(title="Herhaalmeting")
    assert response.status_code == 302
    assert answers_of(new, editor)["A1"] == ("3", "Staat in het beleidsplan.", True)
    assert not Action.objects.filter(assessment=new).exists()  # not asked for
    step = client.get(reverse("assessments:questionnaire", args=[new.pk, "wijkbasis"]))
    assert "overgenomen" in step.content.decode()


def test_without_a_closed_round_the_start_page_offers_nothing(client, assessment, coordinator):
    client.force_login(coordinator)
    page = client.get(reverse("assessments:start", args=[assessment.municipality_id]))
    assert "vorige meting" not in page.content.decode()
