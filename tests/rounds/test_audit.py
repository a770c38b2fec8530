"""The audit trail: answers, actions, memberships and rounds keep who, when, old and new."""

import pytest
from django.urls import reverse

from assessments.members.services import change_role
from assessments.models import Answer, Assessment, Membership
from assessments.rounds.services import save_answer
from readiness.models import Question
from tests.factories import close_round


def first_question(assessment):
    return Question.objects.filter(framework=assessment.framework).order_by("order").first()


@pytest.mark.django_db
def test_three_edits_of_an_answer_keep_three_versions(client, assessment, editor, viewer):
    q = first_question(assessment)
    for value, note in (("1", "eerste"), ("2", "tweede"), ("3", "derde")):
        save_answer(assessment=assessment, user=editor, question=q, value=value, note=note)
    answer = Answer.objects.get()
    versions = list(answer.history.order_by("history_date", "history_id"))
    assert [(v.value, v.note, v.history_user) for v in versions] == [
        ("1", "eerste", editor),
        ("2", "tweede", editor),
        ("3", "derde", editor),
    ]
    # Old and new value of the last change:
    assert (versions[-2].value, versions[-1].value) == ("2", "3")

    client.force_login(viewer)
    url = reverse("assessments:answer_history", args=[assessment.pk, q.pk])
    body = client.get(url).content.decode()
    assert body.index("derde") < body.index("tweede") < body.index("eerste")


@pytest.mark.django_db
def test_answer_history_of_another_municipality_is_a_404(client, assessment, editor, outsider):
    q = first_question(assessment)
    save_answer(assessment=assessment, user=editor, question=q, value="2", note="geheim")
    client.force_login(outsider)
    url = reverse("assessments:answer_history", args=[assessment.pk, q.pk])
    response = client.get(url)
    assert response.status_code == 404
    assert "geheim" not in response.content.decode()


@pytest.mark.django_db
def test_answer_history_needs_a_login(client, assessment):
    url = reverse("assessments:answer_history", args=[assessment.pk, first_question(assessment).pk])
    assert client.get(url)["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_round_and_membership_changes_are_kept(assessment, coordinator, editor):
    close_round(assessment, coordinator)
    statuses = [
        h.status for h in Assessment.history.filter(id=assessment.pk).order_by("history_id")
    ]
    assert statuses == ["open", "closed"]
    membership = Membership.objects.get(user=editor)
    change_role(membership=membership, role="viewer")
    roles = [h.role for h in membership.history.order_by("history_id")]
    assert roles == ["editor", "viewer"]
