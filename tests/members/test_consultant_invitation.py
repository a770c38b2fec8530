"""A consultant without an account (issue 21, item 3): granting access sends an invitation
instead of an error; accepting it makes the account and gives the same access as a direct
grant, until the same moment."""

from __future__ import annotations

import datetime
import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from assessments.members import services as member_services
from assessments.models import Invitation, Membership

PASSWORD = "een-heel-lang-wachtwoord-42"
EMAIL = "adviseur@bureau.example"

pytestmark = pytest.mark.django_db


def grant(client, municipality, email: str = EMAIL, days: int = 10):
    day = timezone.localdate() + datetime.timedelta(days=days)
    response = client.post(
        reverse("assessments:consultant_grant", args=[municipality.pk]),
        {"adviseur-email": email, "adviseur-valid_until": day.isoformat()},
    )
    return response, day


def end_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(
        datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min)
    )


def link_path() -> str:
    link = re.search(r"https?://\S+/uitnodiging/\S+/", mail.outbox[-1].body).group(0)
    return link.split("testserver", 1)[1]


def security_events(caplog, event: str) -> list[dict]:
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "scan.security"]
    return [line for line in lines if line["event"] == event]


def test_granting_an_address_without_account_sends_an_invitation(
    client, caplog, municipality, coordinator
):
    client.force_login(coordinator)
    response, day = grant(client, municipality, email="Adviseur@Bureau.example")
    assert response.status_code == 302
    assert not get_user_model().objects.filter(email__iexact=EMAIL).exists()
    invitation = Invitation.objects.get(email=EMAIL)
    assert invitation.role == Membership.Role.CONSULTANT
    assert invitation.valid_until == end_of(day)
    assert invitation.municipality == municipality and invitation.region is None
    [message] = mail.outbox
    assert message.to == [EMAIL]
    assert "met de rol Adviseur" in message.body
    assert f"tot en met {day.day}" in message.body
    # A consultant reads; the e-mail does not ask them to answer statements.
    assert "Hoe lang duurt het?" not in message.body
    [event] = security_events(caplog, "invitation")
    assert event["object"] == f"gemeente:{municipality.code} rol:consultant"
    page = client.get(response["Location"], follow=True).content.decode()
    assert "krijgt een uitnodiging per e-mail" in page
    # The members page lists it among the open invitations.
    assert EMAIL in client.get(reverse("assessments:members", args=[municipality.pk])).text


def test_accepting_makes_the_account_and_the_same_grant_as_a_direct_one(
    client, municipality, coordinator, assessment
):
    client.force_login(coordinator)
    _response, day = grant(client, municipality)
    client.logout()
    path = link_path()
    page = client.get(path)
    assert page.status_code == 200
    assert "Adviseur" in page.text and "tot en met" in page.text
    response = client.post(
        path, {"name": "Ada Adviseur", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 302
    user = get_user_model().objects.get(email=EMAIL)
    assert user.check_password(PASSWORD)
    membership = Membership.objects.get(user=user)
    assert membership.municipality == municipality
    assert membership.role == Membership.Role.CONSULTANT
    assert membership.valid_until == end_of(day)
    assert membership.last_day == day
    # Logged in, the consultant reads the municipality's round and cannot change it.
    assert client.get(reverse("assessments:detail", args=[assessment.pk])).status_code == 200
    start = reverse("assessments:start", args=[municipality.pk])
    assert client.get(start).status_code == 403
    assert Invitation.objects.get(email=EMAIL).accepted_by == user


def test_an_account_made_meanwhile_accepts_logged_in(client, municipality, coordinator):
    client.force_login(coordinator)
    _response, day = grant(client, municipality)
    path = link_path()
    adviser = get_user_model().objects.create_user(username="ada", email=EMAIL, password=PASSWORD)
    client.force_login(adviser)
    assert client.post(path).status_code == 302
    membership = Membership.objects.get(user=adviser, municipality=municipality)
    assert (membership.role, membership.valid_until) == ("consultant", end_of(day))


def test_an_invitation_whose_access_has_ended_gives_nothing(client, municipality, coordinator):
    invitation, token = member_services.create_invitation(
        municipality=municipality,
        email=EMAIL,
        role=Membership.Role.CONSULTANT,
        valid_until=timezone.now() + datetime.timedelta(days=1),
        invited_by=coordinator,
    )
    Invitation.objects.filter(pk=invitation.pk).update(
        valid_until=timezone.now() - datetime.timedelta(minutes=1)
    )
    response = client.post(
        reverse("accept_invitation", args=[token]),
        {"name": "Ada Adviseur", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 400
    assert "al afgelopen" in response.text
    assert not get_user_model().objects.filter(email=EMAIL).exists()
    assert not Membership.objects.filter(municipality=municipality, role="consultant").exists()


def test_granting_again_replaces_the_open_invitation(client, municipality, coordinator):
    client.force_login(coordinator)
    grant(client, municipality, days=5)
    first = link_path()
    _response, day = grant(client, municipality, days=20)
    assert client.get(first).status_code == 410
    [open_one] = Invitation.objects.filter(email=EMAIL, revoked_at__isnull=True)
    assert open_one.valid_until == end_of(day)


@pytest.mark.parametrize("persona", ["editor", "viewer", "consultant"])
def test_only_a_coordinator_invites_a_consultant(request, client, municipality, persona):
    client.force_login(request.getfixturevalue(persona))
    response, _day = grant(client, municipality)
    assert response.status_code == 403
    assert not Invitation.objects.exists() and not mail.outbox


def test_an_outsider_gets_404_and_nothing_is_sent(client, municipality, outsider):
    client.force_login(outsider)
    response, _day = grant(client, municipality)
    assert response.status_code == 404
    assert not Invitation.objects.exists() and not mail.outbox


def test_a_colleague_cannot_turn_an_invitation_into_consultant_access(
    client, municipality, coordinator, editor
):
    """The address had no account when invited; a colleague's account with that address
    accepts: the colleague keeps their role and gets no end date."""
    invitation, token = member_services.create_invitation(
        municipality=municipality,
        email=editor.email,
        role=Membership.Role.CONSULTANT,
        valid_until=timezone.now() + datetime.timedelta(days=5),
        invited_by=coordinator,
    )
    client.force_login(editor)
    response = client.post(reverse("accept_invitation", args=[token]))
    assert response.status_code == 403
    assert "andere rol" in response.text
    membership = Membership.objects.get(user=editor, municipality=municipality)
    assert (membership.role, membership.valid_until) == ("editor", None)
    invitation.refresh_from_db()
    assert invitation.accepted_at is None
