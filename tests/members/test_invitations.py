"""Roles and invitations (issue 13, item 5): who starts rounds, what an invitation asks and
says, and password messages in Dutch."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from assessments.models import Assessment, Invitation, Membership, Response
from assessments.rounds.services import save_answer
from readiness.models import Question

PASSWORD = "een-heel-lang-wachtwoord-42"


def members_url(municipality) -> str:
    return reverse("assessments:members", args=[municipality.pk])


def invite(client, municipality, **data) -> str:
    data = {"name": "Sanne de Vries", "email": "sanne@example.org", "role": "editor", **data}
    response = client.post(members_url(municipality), data)
    assert response.status_code == 302, response.content.decode()[:800]
    link = re.search(r"https?://\S+/uitnodiging/\S+/", mail.outbox[-1].body).group(0)
    return link.split("testserver", 1)[1]


# --- Only coordinators start rounds ---------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["editor", "viewer"])
def test_an_editor_or_viewer_cannot_start_a_round(
    request, client, municipality, framework, persona
):
    client.force_login(request.getfixturevalue(persona))
    url = reverse("assessments:start", args=[municipality.pk])
    assert client.get(url).status_code == 403
    response = client.post(url, {"title": "Stiekem"})
    assert response.status_code == 403
    assert "Alleen een coördinator" in response.content.decode()
    assert not Assessment.objects.filter(title="Stiekem").exists()


@pytest.mark.django_db
def test_a_coordinator_starts_a_round(client, municipality, framework, coordinator):
    client.force_login(coordinator)
    url = reverse("assessments:start", args=[municipality.pk])
    response = client.post(url, {"title": "Nulmeting"})
    assert response.status_code == 302
    assert Assessment.objects.get(title="Nulmeting").created_by == coordinator


@pytest.mark.django_db
def test_the_start_button_shows_for_coordinators_only(
    client, municipality, framework, coordinator, editor
):
    start = reverse("assessments:start", args=[municipality.pk])
    client.force_login(editor)
    assert start not in client.get(reverse("assessments:home")).content.decode()
    client.force_login(coordinator)
    assert start in client.get(reverse("assessments:home")).content.decode()


@pytest.mark.django_db
def test_an_editor_cannot_close_a_round(client, assessment, editor):
    client.force_login(editor)
    url = reverse("assessments:close", args=[assessment.pk])
    assert client.post(url).status_code == 403
    assessment.refresh_from_db()
    assert assessment.is_open


# --- The invitation form and its e-mail -----------------------------------------------------


@pytest.mark.django_db
def test_the_invitation_form_asks_name_domain_and_explains_the_three_roles(
    client, municipality, coordinator
):
    client.force_login(coordinator)
    body = client.get(members_url(municipality)).content.decode()
    for label in ("Naam", "E-mailadres", "Domein (perspectief)", "Rol", "Graag ingevuld vóór"):
        assert f"{label}<span" in body or f"{label}\n" in body or f">{label}" in body, label
    assert "Een coördinator nodigt collega's uit, start en sluit metingen" in body
    assert "Een invuller beantwoordt de stellingen vanuit het eigen domein" in body
    assert "Een meelezer bekijkt de antwoorden" in body


@pytest.mark.django_db
def test_an_invitation_without_a_name_is_refused(client, municipality, coordinator):
    client.force_login(coordinator)
    response = client.post(members_url(municipality), {"email": "a@example.org", "role": "editor"})
    assert response.status_code == 400
    assert not Invitation.objects.exists()


@pytest.mark.django_db
def test_a_date_in_the_past_is_refused(client, municipality, coordinator):
    client.force_login(coordinator)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    data = {"name": "A", "email": "a@example.org", "role": "editor", "answer_by": yesterday}
    response = client.post(members_url(municipality), data)
    assert response.status_code == 400
    assert "Kies een datum vanaf vandaag." in response.content.decode()


@pytest.mark.django_db
def test_the_email_says_what_the_scan_is_how_long_it_takes_and_by_when(
    client, municipality, coordinator, framework
):
    client.force_login(coordinator)
    invite(client, municipality, perspective="wmo_zorg", answer_by="2026-12-18")
    invitation = Invitation.objects.get()
    assert (invitation.name, invitation.perspective) == ("Sanne de Vries", "wmo_zorg")
    body = mail.outbox[-1].body
    assert body.startswith("Beste Sanne de Vries,")
    assert "met de rol Invuller." in body
    assert "Een invuller beantwoordt de stellingen vanuit het eigen domein" in body
    assert "van beschermd wonen naar beschermd thuis" in body  # what the scan is
    assert "U beoordeelt 16 stellingen op een schaal van 0 tot 4." in body
    assert "Dat kost ongeveer een uur." in body  # how long
    assert "Vul de scan graag in vóór vrijdag 18 december 2026." in body  # by when
    expires = timezone.localtime(invitation.expires_at).date()
    assert f"Neem de uitnodiging aan vóór {expires.day} " in body
    assert "&#x27;" not in body and "&amp;" not in body  # plain text, not HTML-escaped


@pytest.mark.django_db
def test_without_a_date_the_email_gives_only_the_link_deadline(client, municipality, coordinator):
    client.force_login(coordinator)
    invite(client, municipality)
    body = mail.outbox[-1].body
    assert "Vul de scan graag in" not in body
    assert "Neem de uitnodiging aan vóór" in body


# --- Accepting: name, domain, Dutch password messages ---------------------------------------


@pytest.mark.django_db
def test_accepting_sets_the_name_and_the_domain_of_the_new_member(
    client, municipality, coordinator, assessment
):
    client.force_login(coordinator)
    link = invite(client, municipality, perspective="wmo_zorg")
    client.logout()
    page = client.get(link).content.decode()
    assert 'value="Sanne de Vries"' in page  # the coordinator's spelling, to correct
    assert "Een invuller beantwoordt de stellingen" in page
    data = {"name": "Sanne van Vries", "password1": PASSWORD, "password2": PASSWORD}
    assert client.post(link, data).status_code == 302
    user = get_user_model().objects.get(email="sanne@example.org")
    assert (user.first_name, user.last_name) == ("Sanne", "van Vries")
    membership = Membership.objects.get(user=user, municipality=municipality)
    assert membership.perspective == "wmo_zorg"
    # Their first answer in a round starts their response with that perspective.
    question = Question.objects.filter(framework=assessment.framework).first()
    save_answer(assessment=assessment, user=user, question=question, value="2", note="")
    assert Response.objects.get(respondent=user).perspective == "wmo_zorg"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("kort", "Dit wachtwoord is te kort. Het moet minstens 12 tekens hebben."),
        ("123456789012345", "Dit wachtwoord bevat alleen cijfers."),
        ("1qaz2wsx3edc", "Dit wachtwoord is te algemeen."),
        ("sanne@example.org", "Het wachtwoord lijkt te veel op de"),
    ],
)
def test_password_messages_on_the_invitation_page_are_dutch(
    client, municipality, coordinator, password, message
):
    client.force_login(coordinator)
    link = invite(client, municipality)
    client.logout()
    data = {"name": "Sanne", "password1": password, "password2": password}
    response = client.post(link, data, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body
    assert "This password" not in body and "too short" not in body
    # The message stands under the password field, tied to it for screen readers.
    assert re.search(
        r'id="id_password1"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="id_password1"', body
    )
    assert not get_user_model().objects.filter(email="sanne@example.org").exists()
