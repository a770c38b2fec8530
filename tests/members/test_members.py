"""Members and invitations: the coordinator's work, the invitation life cycle, last coordinator."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from assessments.models import Invitation, Membership

PASSWORD = "een-heel-lang-wachtwoord-42"


def members_url(municipality) -> str:
    return reverse("assessments:members", args=[municipality.pk])


def invite(client, municipality, email="nieuw@example.org", role="editor"):
    response = client.post(
        members_url(municipality), {"name": "Nieuw Lid", "email": email, "role": role}
    )
    assert response.status_code == 302, response.content.decode()[:500]
    link = re.search(r"https?://\S+/uitnodiging/\S+/", mail.outbox[-1].body).group(0)
    return link.split("testserver", 1)[1]


@pytest.mark.django_db
def test_only_coordinators_manage_members(client, municipality, coordinator, editor, outsider):
    client.force_login(editor)
    assert client.get(members_url(municipality)).status_code == 403
    client.force_login(outsider)
    assert client.get(members_url(municipality)).status_code == 404
    client.force_login(coordinator)
    response = client.get(members_url(municipality))
    assert response.status_code == 200
    assert editor.username in response.content.decode() or editor.email in response.content.decode()


@pytest.mark.django_db
def test_invitation_is_accepted_once_and_sets_a_password(client, municipality, coordinator):
    client.force_login(coordinator)
    link = invite(client, municipality, role="viewer")
    assert len(mail.outbox) == 1 and "7 dagen" in mail.outbox[0].body
    client.logout()
    assert client.get(link).status_code == 200
    response = client.post(
        link, {"name": "Nieuw Lid", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 302
    user = get_user_model().objects.get(email="nieuw@example.org")
    assert user.check_password(PASSWORD)
    assert Membership.objects.get(user=user, municipality=municipality).role == "viewer"
    # The link works once.
    client.logout()
    reused = client.get(link)
    assert reused.status_code == 410
    assert "al gebruikt" in reused.content.decode()


@pytest.mark.django_db
def test_weak_password_is_refused_and_nothing_is_created(client, municipality, coordinator):
    client.force_login(coordinator)
    link = invite(client, municipality)
    client.logout()
    response = client.post(link, {"name": "Nieuw Lid", "password1": "kort", "password2": "kort"})
    assert response.status_code == 400
    assert not get_user_model().objects.filter(email="nieuw@example.org").exists()
    assert Invitation.objects.get().accepted_at is None


@pytest.mark.django_db
def test_expired_invitation_is_refused(client, municipality, coordinator):
    client.force_login(coordinator)
    link = invite(client, municipality)
    Invitation.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    client.logout()
    response = client.post(
        link, {"name": "Nieuw Lid", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 410
    assert "verlopen" in response.content.decode()
    assert not get_user_model().objects.filter(email="nieuw@example.org").exists()


@pytest.mark.django_db
def test_inviting_again_invalidates_the_old_link(client, municipality, coordinator):
    client.force_login(coordinator)
    old = invite(client, municipality)
    new = invite(client, municipality)
    client.logout()
    assert client.get(old).status_code == 410
    assert client.get(new).status_code == 200


@pytest.mark.django_db
def test_invitation_for_another_address_is_refused_for_a_logged_in_user(
    client, municipality, coordinator, outsider
):
    client.force_login(coordinator)
    link = invite(client, municipality, email="iemand.anders@example.org")
    client.force_login(outsider)
    response = client.post(link)
    assert response.status_code == 403
    assert "ander e-mailadres" in response.content.decode()
    assert not Membership.objects.filter(user=outsider, municipality=municipality).exists()


@pytest.mark.django_db
def test_existing_account_accepts_while_logged_in(client, municipality, coordinator, outsider):
    client.force_login(coordinator)
    link = invite(client, municipality, email=outsider.email)
    client.force_login(outsider)
    response = client.post(link)
    assert response.status_code == 302
    assert Membership.objects.get(user=outsider, municipality=municipality).role == "editor"


@pytest.mark.django_db
def test_coordinator_changes_a_role(client, municipality, coordinator, editor):
    client.force_login(coordinator)
    membership = Membership.objects.get(user=editor, municipality=municipality)
    url = reverse("assessments:member_role", args=[municipality.pk, membership.pk])
    assert client.post(url, {"role": "viewer"}).status_code == 302
    membership.refresh_from_db()
    assert membership.role == "viewer"


@pytest.mark.django_db
def test_the_last_coordinator_cannot_be_demoted_or_removed(client, municipality, coordinator):
    client.force_login(coordinator)
    membership = Membership.objects.get(user=coordinator, municipality=municipality)
    role_url = reverse("assessments:member_role", args=[municipality.pk, membership.pk])
    remove_url = reverse("assessments:member_remove", args=[municipality.pk, membership.pk])
    response = client.post(role_url, {"role": "editor"}, follow=True)
    assert "minstens één coördinator" in response.content.decode()
    response = client.post(remove_url, follow=True)
    assert "minstens één coördinator" in response.content.decode()
    membership.refresh_from_db()
    assert membership.role == "coordinator"


@pytest.mark.django_db
def test_a_coordinator_can_step_down_when_another_remains(client, municipality, coordinator):
    other = Membership.objects.create(
        user=get_user_model().objects.create(username="tweede"),
        municipality=municipality,
        role="coordinator",
    )
    client.force_login(coordinator)
    url = reverse("assessments:member_remove", args=[municipality.pk, other.pk])
    assert client.post(url).status_code == 302
    assert not Membership.objects.filter(pk=other.pk).exists()


@pytest.mark.django_db
def test_membership_of_another_municipality_is_a_404(
    client, municipality, other_municipality, coordinator, outsider
):
    foreign = Membership.objects.get(user=outsider, municipality=other_municipality)
    client.force_login(coordinator)
    url = reverse("assessments:member_role", args=[municipality.pk, foreign.pk])
    assert client.post(url, {"role": "viewer"}).status_code == 404
    foreign.refresh_from_db()
    assert foreign.role == "editor"
