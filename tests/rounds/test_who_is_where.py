"""Who is where on the round page (issue 21, item 4): everyone who may answer, with a status;
names for coordinators only, a number for everyone else (``access.visibility``)."""

import pytest
from django.urls import reverse

from assessments.members.services import invite_member
from assessments.rounds.services import save_answer
from readiness.models import Question
from tests.factories import MembershipFactory, UserFactory


@pytest.fixture
def round_with_people(assessment, coordinator, editor, second_editor, viewer):
    """The editor has answered one statement; Wim (an editor) has not started; an
    invitation for this round is pending, one for a viewer too, and one was withdrawn."""
    editor.first_name, editor.last_name = "Els", "Invuller"
    editor.save()
    question = Question.objects.filter(framework=assessment.framework).first()
    save_answer(assessment=assessment, user=editor, question=question, value="2", note="")
    MembershipFactory(
        municipality=assessment.municipality,
        role="editor",
        user=UserFactory(username="wim", first_name="Wim", last_name="Wachter"),
    )
    invite_member(
        municipality=assessment.municipality,
        email="nieuw@example.org",
        name="Nina Nieuw",
        role="editor",
        invited_by=coordinator,
        assessment=assessment,
    )
    # An invited viewer will not answer: neither listed nor counted.
    invite_member(
        municipality=assessment.municipality,
        email="lezer@example.org",
        name="Vera Lezer",
        role="viewer",
        invited_by=coordinator,
    )
    withdrawn, _token = invite_member(
        municipality=assessment.municipality,
        email="weg@example.org",
        name="Willem Weg",
        role="editor",
        invited_by=coordinator,
    )
    withdrawn.revoked_at = withdrawn.created_at
    withdrawn.save()
    return assessment


def page(client, user, assessment) -> str:
    client.force_login(user)
    response = client.get(reverse("assessments:detail", args=[assessment.pk]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_a_coordinator_sees_who_has_not_started_and_pending_invitations_by_name(
    client, round_with_people, coordinator
):
    html = page(client, coordinator, round_with_people)
    assert "Els Invuller" in html
    assert "bezig" in html
    assert "Wim Wachter" in html
    assert "Nina Nieuw" in html
    assert "uitgenodigd" in html
    assert "niet begonnen" in html
    assert "Willem Weg" not in html  # withdrawn
    assert "Vera Lezer" not in html  # invited as a viewer


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["second_editor", "viewer"])
def test_others_see_who_has_not_started_only_as_a_number(
    request, client, round_with_people, persona
):
    html = page(client, request.getfixturevalue(persona), round_with_people)
    assert "Invuller 1" in html
    assert "Els Invuller" not in html
    assert "Wim Wachter" not in html
    assert "Nina Nieuw" not in html
    assert "nieuw@example.org" not in html
    # Not started, besides the user: the coordinator, Wim, the invitation (and for the
    # viewer, who cannot answer, also the second editor).
    expected = 3 if persona == "second_editor" else 4
    assert f"{expected} collega's zijn nog niet begonnen" in html


@pytest.mark.django_db
def test_a_closed_round_lists_nobody_as_waiting(client, round_with_people, coordinator):
    round_with_people.status = round_with_people.Status.CLOSED
    round_with_people.save()
    html = page(client, coordinator, round_with_people)
    assert "Wim Wachter" not in html
    assert "Nina Nieuw" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["coordinator", "editor"])
def test_the_round_page_has_bounded_queries(
    request, client, round_with_people, django_assert_max_num_queries, persona
):
    for n in range(5):
        MembershipFactory(municipality=round_with_people.municipality, role="editor")
        invite_member(
            municipality=round_with_people.municipality,
            email=f"extra{n}@example.org",
            role="editor",
            invited_by=None,
        )
    client.force_login(request.getfixturevalue(persona))
    with django_assert_max_num_queries(10):
        response = client.get(reverse("assessments:detail", args=[round_with_people.pk]))
    assert response.status_code == 200
