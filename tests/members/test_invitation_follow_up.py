"""Pending invitations (issue 21, item 4): sent again or withdrawn by a coordinator, and an
invitation for a round that lands the invitee in it."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from assessments.members.services import invite_member
from assessments.models import Assessment, Invitation

PASSWORD = "een-heel-lang-wachtwoord-42"


def link_path(message) -> str:
    link = re.search(r"https?://\S+/uitnodiging/\S+/", message.body).group(0)
    return link.split("testserver", 1)[1]


def invite(client, municipality, **data) -> str:
    data = {"name": "Sanne de Vries", "email": "sanne@example.org", "role": "editor", **data}
    response = client.post(reverse("assessments:members", args=[municipality.pk]), data)
    assert response.status_code == 302, response.content.decode()[:800]
    return link_path(mail.outbox[-1])


def action_url(name, invitation) -> str:
    return reverse(f"assessments:{name}", args=[invitation.municipality_id, invitation.pk])


@pytest.mark.django_db
def test_resend_makes_a_new_link_sends_one_mail_and_the_old_link_stops_working(
    client, municipality, coordinator
):
    client.force_login(coordinator)
    old_link = invite(client, municipality)
    invitation = Invitation.objects.get()
    Invitation.objects.update(expires_at=timezone.now() + datetime.timedelta(hours=1))
    old_hash = invitation.token_hash
    mail.outbox.clear()

    response = client.post(action_url("invitation_resend", invitation))

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["sanne@example.org"]
    new_link = link_path(mail.outbox[0])
    assert new_link != old_link
    invitation.refresh_from_db()
    assert invitation.token_hash != old_hash
    assert invitation.expires_at > timezone.now() + datetime.timedelta(days=6)
    client.logout()
    assert client.get(old_link).status_code == 410
    assert client.get(new_link).status_code == 200


@pytest.mark.django_db
def test_withdrawn_invitation_refuses_with_a_dutch_message(client, municipality, coordinator):
    client.force_login(coordinator)
    link = invite(client, municipality)
    invitation = Invitation.objects.get()

    response = client.post(action_url("invitation_withdraw", invitation))

    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    client.logout()
    refused = client.get(link)
    assert refused.status_code == 410
    assert "niet (meer) geldig" in refused.content.decode()
    # Withdrawn is gone from the members page, and cannot be sent again.
    client.force_login(coordinator)
    assert client.post(action_url("invitation_resend", invitation)).status_code == 404


@pytest.mark.django_db
def test_another_municipalitys_invitation_is_a_404(
    client, municipality, other_municipality, coordinator
):
    invitation, _token = invite_member(
        municipality=other_municipality, email="x@example.org", role="editor", invited_by=None
    )
    client.force_login(coordinator)
    # Through the coordinator's own municipality in the path: still not theirs.
    for name in ("invitation_resend", "invitation_withdraw"):
        url = reverse(f"assessments:{name}", args=[municipality.pk, invitation.pk])
        assert client.post(url).status_code == 404
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["editor", "viewer"])
def test_a_non_coordinator_cannot_resend_or_withdraw(
    request, client, municipality, coordinator, persona
):
    invitation, _token = invite_member(
        municipality=municipality, email="x@example.org", role="editor", invited_by=coordinator
    )
    client.force_login(request.getfixturevalue(persona))
    assert client.post(action_url("invitation_resend", invitation)).status_code == 403
    assert client.post(action_url("invitation_withdraw", invitation)).status_code == 403
    assert len(mail.outbox) == 0
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


@pytest.mark.django_db
def test_the_invite_form_offers_open_rounds_with_the_newest_chosen(
    client, municipality, framework, coordinator
):
    older = Assessment.objects.create(municipality=municipality, framework=framework, title="A")
    newer = Assessment.objects.create(municipality=municipality, framework=framework, title="B")
    Assessment.objects.create(
        municipality=municipality,
        framework=framework,
        title="Oud en dicht",
        status=Assessment.Status.CLOSED,
    )
    client.force_login(coordinator)
    page = client.get(reverse("assessments:members", args=[municipality.pk])).content.decode()
    assert "Voor meting" in page
    assert f'<option value="{newer.pk}" selected>' in page
    assert f'<option value="{older.pk}">' in page
    assert "Oud en dicht" not in page


@pytest.mark.django_db
def test_an_invitation_for_a_round_names_it_and_lands_the_invitee_there(
    client, municipality, framework, coordinator
):
    Assessment.objects.create(municipality=municipality, framework=framework, title="Eerder")
    chosen = Assessment.objects.create(
        municipality=municipality,
        framework=framework,
        title="Voorjaar 2027",
        due_date=datetime.date(2027, 3, 1),
    )
    client.force_login(coordinator)
    link = invite(client, municipality, assessment=chosen.pk)
    body = mail.outbox[-1].body
    assert "Voorjaar 2027" in body
    assert "1 maart 2027" in body
    assert Invitation.objects.get().assessment == chosen
    client.logout()

    response = client.post(
        link, {"name": "Sanne de Vries", "password1": PASSWORD, "password2": PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("assessments:detail", args=[chosen.pk])
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.django_db
def test_an_invitation_for_no_round_lands_on_the_overview(client, municipality, coordinator):
    client.force_login(coordinator)
    link = invite(client, municipality)
    client.logout()
    response = client.post(
        link, {"name": "Sanne de Vries", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response["Location"] == reverse("assessments:home")


@pytest.mark.django_db
def test_a_closed_or_foreign_round_cannot_be_chosen(
    client, municipality, other_municipality, framework, coordinator
):
    foreign = Assessment.objects.create(
        municipality=other_municipality, framework=framework, title="Elders"
    )
    client.force_login(coordinator)
    response = client.post(
        reverse("assessments:members", args=[municipality.pk]),
        {"name": "A", "email": "a@example.org", "role": "editor", "assessment": foreign.pk},
    )
    assert response.status_code == 400
    assert not Invitation.objects.exists()
