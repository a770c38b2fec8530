"""The coordinator's partner links: make, list, show (URL and QR code), revoke; who may."""

from __future__ import annotations

import datetime
import json
import logging

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import Assessment, PartnerLink, Response
from assessments.partners.services import revoke_partner_link
from assessments.rounds.services import AnswerInput, save_answers
from tests.factories import AssessmentFactory
from tests.helpers.partners import make_link

pytestmark = pytest.mark.django_db


def links_url(assessment) -> str:
    return reverse("assessments:partner_links", args=[assessment.pk])


def form_data(**overrides) -> dict[str, str]:
    last_day = timezone.localdate() + datetime.timedelta(days=14)
    return {
        "organisation": "Zorgaanbieder De Brug",
        "perspective": "zorgaanbieder",
        "last_day": last_day.isoformat(),
        "contact_name": "",
        "contact_email": "",
    } | overrides


def security_events(caplog) -> list[dict]:
    return [json.loads(r.getMessage()) for r in caplog.records if r.name == "scan.security"]


def test_coordinator_makes_a_link_with_a_hidden_user_and_a_response_in_its_perspective(
    client, coordinator, assessment, caplog
):
    client.force_login(coordinator)
    with caplog.at_level(logging.INFO, logger="scan.security"):
        response = client.post(links_url(assessment), form_data(contact_name="Sam Jansen"))
    link = PartnerLink.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "assessments:partner_link", args=[assessment.pk, link.pk]
    )
    assert (link.organisation, link.perspective, link.contact_name) == (
        "Zorgaanbieder De Brug",
        "zorgaanbieder",
        "Sam Jansen",
    )
    # Through the whole chosen day: the link ends at the midnight after it.
    assert link.last_day == timezone.localdate() + datetime.timedelta(days=14)
    assert timezone.localtime(link.expires_at).time() == datetime.time.min
    assert link.created_by == coordinator
    user = link.user
    assert not user.has_usable_password()
    assert user.is_active and not user.is_staff
    assert not user.memberships.exists()
    assert Response.objects.get(respondent=user).perspective == "zorgaanbieder"
    events = [e for e in security_events(caplog) if e["event"] == "partner_link"]
    assert events and events[0]["action"] == "partnerlink aanmaken"
    # By id, never by login name (common/securitylog.actor_label).
    assert events[0]["actor"] == f"user:{coordinator.pk}"
    assert link.history.count() == 1


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"organisation": ""}, "Dit veld is vereist."),
        ({"perspective": "wonen"}, "Selecteer een geldige keuze."),
        ({"last_day": ""}, "Dit veld is vereist."),
        ({"last_day": "2020-01-01"}, "Kies een datum vanaf vandaag."),
        ({"contact_email": "geen-adres"}, "Voer een geldig e-mailadres in."),
    ],
)
def test_a_bad_form_is_a_400_with_the_message_and_makes_nothing(
    client, coordinator, assessment, overrides, message
):
    client.force_login(coordinator)
    response = client.post(links_url(assessment), form_data(**overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not PartnerLink.objects.exists()


def test_a_link_works_for_at_most_ninety_days(client, coordinator, assessment):
    client.force_login(coordinator)
    too_late = timezone.localdate() + datetime.timedelta(days=91)
    response = client.post(links_url(assessment), form_data(last_day=too_late.isoformat()))
    assert response.status_code == 400
    assert "hoogstens 90 dagen" in response.content.decode()
    latest = timezone.localdate() + datetime.timedelta(days=90)
    assert (
        client.post(links_url(assessment), form_data(last_day=latest.isoformat())).status_code
        == 302
    )


def test_the_list_shows_status_and_how_many_statements_were_answered(
    client, coordinator, assessment, django_assert_max_num_queries
):
    active = make_link(assessment, coordinator, organisation="Politie Midden")
    expired = make_link(assessment, coordinator, organisation="GGD Regio")
    PartnerLink.objects.filter(pk=expired.pk).update(
        expires_at=timezone.now() - datetime.timedelta(days=1)
    )
    revoked = make_link(assessment, coordinator, organisation="Cliëntenraad")
    revoke_partner_link(link=revoked, revoked_by=coordinator)
    questions = list(assessment.framework.questions.all()[:3])
    save_answers(
        assessment=assessment,
        user=active.user,
        items=[
            AnswerInput(q, v, "") for q, v in zip(questions, ["2", "weet_niet", ""], strict=True)
        ],
    )
    client.force_login(coordinator)
    with django_assert_max_num_queries(12):
        response = client.get(links_url(assessment))
    html = response.content.decode()
    assert response.status_code == 200
    rows = {
        link.organisation: html.split(link.organisation, 1)[1].split("</tr>", 1)[0]
        for link in (active, expired, revoked)
    }
    assert "actief, tot en met" in rows["Politie Midden"]
    assert "2 van 16" in rows["Politie Midden"]  # a note alone is not an answer
    assert "verlopen op" in rows["GGD Regio"]
    assert "ingetrokken op" in rows["Cliëntenraad"]
    assert "Intrekken" not in rows["Cliëntenraad"]


def test_the_round_page_links_to_the_partner_links_for_coordinators_only(
    client, coordinator, editor, assessment
):
    client.force_login(coordinator)
    detail = reverse("assessments:detail", args=[assessment.pk])
    assert links_url(assessment) in client.get(detail).content.decode()
    client.force_login(editor)
    assert links_url(assessment) not in client.get(detail).content.decode()


def test_the_link_page_shows_the_address_and_a_qr_code_made_here(client, coordinator, link):
    client.force_login(coordinator)
    response = client.get(reverse("assessments:partner_link", args=[link.assessment_id, link.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert f"/partner/{link.pk}/?sesame=" in html
    assert 'src="data:image/svg+xml' in html  # no external QR service
    assert "Woningcorporatie De Woonplaats" in html


def test_a_revoked_link_shows_no_address(client, coordinator, link):
    revoke_partner_link(link=link, revoked_by=coordinator)
    client.force_login(coordinator)
    html = client.get(
        reverse("assessments:partner_link", args=[link.assessment_id, link.pk])
    ).content.decode()
    assert "sesame=" not in html
    assert "Deze link werkt niet meer" in html


def test_revoking_marks_the_link_deactivates_its_user_and_is_logged(
    client, coordinator, link, caplog
):
    client.force_login(coordinator)
    password_before = link.user.password
    with caplog.at_level(logging.INFO, logger="scan.security"):
        response = client.post(
            reverse("assessments:partner_link_revoke", args=[link.assessment_id, link.pk])
        )
    assert response.status_code == 302
    link.refresh_from_db()
    link.user.refresh_from_db()
    assert link.revoked_at is not None and link.revoked_by == coordinator
    assert link.status() == PartnerLink.Status.REVOKED
    assert not link.user.is_active
    assert link.user.password != password_before  # every token made for it is void
    events = [e for e in security_events(caplog) if e["event"] == "partner_link"]
    assert [e["action"] for e in events] == ["partnerlink intrekken"]
    assert events[0]["actor"] == f"user:{coordinator.pk}"
    # Twice is a message, not an error page.
    again = client.post(
        reverse("assessments:partner_link_revoke", args=[link.assessment_id, link.pk]),
        follow=True,
    )
    assert "al ingetrokken" in again.content.decode()


def test_a_closed_round_gets_no_new_link(client, coordinator, assessment):
    Assessment.objects.filter(pk=assessment.pk).update(status=Assessment.Status.CLOSED)
    client.force_login(coordinator)
    assert client.get(links_url(assessment)).status_code == 200
    assert client.post(links_url(assessment), form_data()).status_code == 403
    assert not PartnerLink.objects.exists()


@pytest.mark.parametrize("persona", ["editor", "viewer", "consultant"])
def test_anyone_but_a_coordinator_gets_403(client, request, link, persona):
    client.force_login(request.getfixturevalue(persona))
    pk = link.assessment_id
    assert client.get(links_url(link.assessment)).status_code == 403
    assert client.post(links_url(link.assessment), form_data()).status_code == 403
    assert client.get(reverse("assessments:partner_link", args=[pk, link.pk])).status_code == 403
    revoke = reverse("assessments:partner_link_revoke", args=[pk, link.pk])
    assert client.post(revoke).status_code == 403
    link.refresh_from_db()
    assert link.revoked_at is None
    assert PartnerLink.objects.count() == 1


def test_another_municipalitys_round_and_links_are_404(
    client, outsider, other_municipality, coordinator, link
):
    """A coordinator elsewhere gets 404 for this round; a link of another round is 404
    under a round of one's own."""
    client.force_login(outsider)
    pk = link.assessment_id
    assert client.get(links_url(link.assessment)).status_code == 404
    assert client.get(reverse("assessments:partner_link", args=[pk, link.pk])).status_code == 404
    revoke = reverse("assessments:partner_link_revoke", args=[pk, link.pk])
    assert client.post(revoke).status_code == 404
    own_round = AssessmentFactory(municipality=link.assessment.municipality)
    client.force_login(coordinator)
    wrong_round = reverse("assessments:partner_link", args=[own_round.pk, link.pk])
    assert client.get(wrong_round).status_code == 404
    link.refresh_from_db()
    assert link.revoked_at is None


def test_the_form_proposes_an_end_date_a_date_field_can_show(client, coordinator, assessment):
    client.force_login(coordinator)
    html = client.get(links_url(assessment)).content.decode()
    proposed = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    assert f'type="date" name="last_day" value="{proposed}"' in html
