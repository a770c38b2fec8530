"""Setting up a region without /admin (issue 21, item 3): a coordinator creates a region
(their municipality leads), invites member municipalities whose coordinator accepts or
declines, and appoints or removes regio-coördinatoren. Consent to share stays per round.
Every page: anonymous to login, outsider 404, the wrong role 403."""

from __future__ import annotations

import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessments.models import (
    Assessment,
    Invitation,
    Membership,
    Region,
    RegionInvitation,
    RegionMembership,
)
from assessments.regions import services as region_services
from tests.factories import AssessmentFactory, MembershipFactory, MunicipalityFactory, UserFactory

PASSWORD = "een-heel-lang-wachtwoord-42"

pytestmark = pytest.mark.django_db


def security_events(caplog, event: str) -> list[dict]:
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "scan.security"]
    return [line for line in lines if line["event"] == event]


@pytest.fixture
def neighbour():
    """Another municipality with its own coordinator and editor."""
    place = MunicipalityFactory(name="Buitenveld")
    coordinator = MembershipFactory(
        municipality=place, role="coordinator", user=UserFactory(username="buur")
    ).user
    editor = MembershipFactory(
        municipality=place, role="editor", user=UserFactory(username="buur.invuller")
    ).user
    return {"municipality": place, "coordinator": coordinator, "editor": editor}


@pytest.fixture
def pending(region, coordinator, neighbour):
    """The region (led by the coordinator's municipality) has invited the neighbour."""
    return region_services.invite_municipality(
        region=region, municipality=neighbour["municipality"], invited_by=coordinator
    )


def answer_url(invitation) -> str:
    return reverse(
        "assessments:region_invitation_answer", args=[invitation.municipality_id, invitation.pk]
    )


# --- Creating a region ---------------------------------------------------------------------


def test_a_coordinator_creates_a_region_led_by_their_municipality(
    client, caplog, municipality, coordinator
):
    client.force_login(coordinator)
    url = reverse("assessments:region_create", args=[municipality.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"name": "  Regio  Waterland ", "kind": "beschermd_wonen"})
    region = Region.objects.get(name="Regio Waterland")
    assert response["Location"] == reverse("assessments:region_manage", args=[region.pk])
    assert region.lead == municipality
    assert list(region.members.all()) == [municipality]
    [event] = security_events(caplog, "region_created")
    assert event["actor"] == "coordinator" and municipality.code in event["object"]
    page = client.get(reverse("assessments:municipality_regions", args=[municipality.pk]))
    assert "Regio Waterland" in page.text and "uw gemeente is trekker" in page.text


def test_a_region_needs_a_name_not_yet_used_by_the_lead(client, municipality, coordinator):
    client.force_login(coordinator)
    url = reverse("assessments:region_create", args=[municipality.pk])
    client.post(url, {"name": "Regio Waterland", "kind": "eigen"})
    again = client.post(url, {"name": "regio waterland", "kind": "eigen"})
    assert again.status_code == 400
    assert "trekt al een regio met deze naam" in again.text
    assert client.post(url, {"name": "   ", "kind": "eigen"}).status_code == 400
    assert client.post(url, {"name": "Regio X", "kind": "onbekend"}).status_code == 400
    assert Region.objects.count() == 1


@pytest.mark.parametrize("persona", ["editor", "viewer", "consultant"])
def test_only_a_coordinator_creates_a_region(request, client, municipality, persona):
    client.force_login(request.getfixturevalue(persona))
    url = reverse("assessments:region_create", args=[municipality.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"name": "Stiekem", "kind": "eigen"}).status_code == 403
    regions = reverse("assessments:municipality_regions", args=[municipality.pk])
    assert client.get(regions).status_code == 403
    assert not Region.objects.filter(name="Stiekem").exists()


def test_an_outsider_cannot_create_a_region_for_another_municipality(
    client, municipality, outsider
):
    client.force_login(outsider)
    url = reverse("assessments:region_create", args=[municipality.pk])
    assert client.post(url, {"name": "Stiekem", "kind": "eigen"}).status_code == 404
    regions = reverse("assessments:municipality_regions", args=[municipality.pk])
    assert client.get(regions).status_code == 404
    assert not Region.objects.filter(name="Stiekem").exists()


def test_anonymous_is_sent_to_login(client, municipality, region):
    for url in (
        reverse("assessments:municipality_regions", args=[municipality.pk]),
        reverse("assessments:region_create", args=[municipality.pk]),
        reverse("assessments:region_manage", args=[region.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/")


# --- Inviting a municipality, accepting or declining ------------------------------------


def test_the_lead_invites_a_municipality_from_the_list(
    client, caplog, region, coordinator, neighbour
):
    client.force_login(coordinator)
    manage = reverse("assessments:region_manage", args=[region.pk])
    page = client.get(manage).text
    assert f'value="{neighbour["municipality"].pk}"' in page
    # Members are not offered again.
    for member in region.members.all():
        assert f'<option value="{member.pk}"' not in page
    response = client.post(
        reverse("assessments:region_invite", args=[region.pk]),
        {"municipality": neighbour["municipality"].pk},
    )
    assert response.status_code == 302
    invitation = RegionInvitation.objects.get()
    assert (invitation.region, invitation.municipality, invitation.status) == (
        region,
        neighbour["municipality"],
        RegionInvitation.Status.PENDING,
    )
    assert invitation.invited_by == coordinator
    assert security_events(caplog, "region_invitation")
    # Not twice, and a member not at all: nothing changes.
    again = client.post(
        reverse("assessments:region_invite", args=[region.pk]),
        {"municipality": neighbour["municipality"].pk},
    )
    assert again.status_code == 400
    member = client.post(
        reverse("assessments:region_invite", args=[region.pk]),
        {"municipality": region.lead_id},
    )
    assert member.status_code == 400
    assert RegionInvitation.objects.count() == 1


def test_the_invited_coordinator_sees_the_invitation_and_accepts(
    client, caplog, region, pending, neighbour, framework
):
    place = neighbour["municipality"]
    closed = AssessmentFactory(municipality=place, framework=framework, status="closed")
    client.force_login(neighbour["coordinator"])
    home = client.get(reverse("assessments:home")).text
    assert f"{region.name} vraagt {place.name} om mee te doen" in home
    regions = reverse("assessments:municipality_regions", args=[place.pk])
    assert region.name in client.get(regions).text
    response = client.post(answer_url(pending), {"besluit": "aannemen"})
    assert response["Location"] == regions
    pending.refresh_from_db()
    assert pending.status == RegionInvitation.Status.ACCEPTED
    assert pending.decided_by == neighbour["coordinator"] and pending.decided_at is not None
    assert region.members.filter(pk=place.pk).exists()
    assert [h.history_type for h in pending.history.order_by("history_date")] == ["+", "~"]
    [event] = security_events(caplog, "region_invitation_answered")
    assert event["action"] == "uitnodiging regio aannemen"
    # Joining shares no round: consent stays per round.
    closed.refresh_from_db()
    assert closed.shares_with_region is False
    # Answered: the link is gone.
    assert client.post(answer_url(pending), {"besluit": "afwijzen"}).status_code == 404


def test_the_invited_coordinator_declines(client, region, pending, neighbour):
    client.force_login(neighbour["coordinator"])
    assert client.post(answer_url(pending), {"besluit": "afwijzen"}).status_code == 302
    pending.refresh_from_db()
    assert pending.status == RegionInvitation.Status.DECLINED
    assert not region.members.filter(pk=neighbour["municipality"].pk).exists()
    # Declined: the lead may ask again.
    again = region_services.invite_municipality(
        region=region, municipality=neighbour["municipality"], invited_by=pending.invited_by
    )
    assert again.status == RegionInvitation.Status.PENDING


def test_a_nonsense_answer_changes_nothing(client, pending, neighbour):
    client.force_login(neighbour["coordinator"])
    assert client.post(answer_url(pending), {"besluit": "misschien"}).status_code == 400
    pending.refresh_from_db()
    assert pending.status == RegionInvitation.Status.PENDING


def test_only_the_invited_municipalitys_coordinator_answers(
    client, region, pending, neighbour, coordinator, outsider
):
    # The lead's coordinator is no member of the invited municipality: 404.
    for user, status in (
        (coordinator, 404),
        (outsider, 404),
        (neighbour["editor"], 403),
    ):
        client.force_login(user)
        assert client.post(answer_url(pending), {"besluit": "aannemen"}).status_code == status
    # The right coordinator, but through their own municipality's URL for another's: 404.
    client.force_login(neighbour["coordinator"])
    wrong = reverse("assessments:region_invitation_answer", args=[region.lead_id, pending.pk])
    assert client.post(wrong, {"besluit": "aannemen"}).status_code == 404
    pending.refresh_from_db()
    assert pending.status == RegionInvitation.Status.PENDING


def test_a_demo_region_invites_only_fictitious_municipalities(coordinator, municipality):
    demo = MunicipalityFactory(name="Demodorp", is_demo=True)
    region = Region.objects.create(name="Demoregio", kind="eigen", lead=demo)
    assert municipality not in region_services.invitable_municipalities(region)
    with pytest.raises(ValidationError):
        region_services.invite_municipality(
            region=region, municipality=municipality, invited_by=coordinator
        )


# --- Managing: who may ---------------------------------------------------------------------


def test_the_region_page_is_for_the_leads_coordinators_only(
    client, region, region_coordinator, coordinator, viewer, consultant, outsider, neighbour
):
    url = reverse("assessments:region_manage", args=[region.pk])
    # A coordinator of a member municipality (not the lead) does not manage it.
    region.members.add(neighbour["municipality"])
    for user, status in (
        (coordinator, 200),
        (region_coordinator, 403),
        (viewer, 403),
        (consultant, 403),
        (neighbour["coordinator"], 404),
        (outsider, 404),
    ):
        client.force_login(user)
        assert client.get(url).status_code == status, user
        invite = client.post(
            reverse("assessments:region_invite", args=[region.pk]),
            {"municipality": MunicipalityFactory().pk},
        )
        assert invite.status_code == (302 if status == 200 else status), user
    assert RegionInvitation.objects.count() == 1  # the lead coordinator's only


# --- Regio-coördinatoren -------------------------------------------------------------------


def appoint(client, region, email: str, name: str = ""):
    return client.post(
        reverse("assessments:region_coordinator_appoint", args=[region.pk]),
        {"regio-email": email, "regio-name": name},
    )


def test_appointing_someone_with_an_account_gives_the_role_at_once(
    client, caplog, region, coordinator
):
    person = UserFactory(username="rc", email="rc@regio.example")
    client.force_login(coordinator)
    assert appoint(client, region, "RC@regio.example").status_code == 302
    assert RegionMembership.objects.filter(user=person, region=region).exists()
    assert not mail.outbox
    assert security_events(caplog, "region_coordinator_appointed")
    assert appoint(client, region, "rc@regio.example").status_code == 400  # already
    client.force_login(person)
    assert client.get(reverse("assessments:region", args=[region.pk])).status_code == 200


def test_appointing_someone_without_an_account_sends_an_invitation(client, region, coordinator):
    client.force_login(coordinator)
    response = appoint(client, region, "nieuw@regio.example", "Rik Regio")
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="nieuw@regio.example")
    assert (invitation.region, invitation.role) == (region, "region_coordinator")
    # Listed on the region's page, not among the lead's colleagues' invitations.
    assert "nieuw@regio.example" in client.get(response["Location"]).text
    members = reverse("assessments:members", args=[region.lead_id])
    assert "nieuw@regio.example" not in client.get(members).text
    [message] = mail.outbox
    assert f"regio-coördinator van {region.name}" in message.body
    link = re.search(r"https?://\S+/uitnodiging/\S+/", message.body).group(0)
    path = link.split("testserver", 1)[1]

    client.logout()
    assert region.name in client.get(path).text
    accepted = client.post(
        path, {"name": "Rik Regio", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert accepted["Location"] == reverse("assessments:region", args=[region.pk])
    user = get_user_model().objects.get(email="nieuw@regio.example")
    assert RegionMembership.objects.filter(user=user, region=region).exists()
    # A region role only: no access to any municipality's rounds.
    assert not Membership.objects.filter(user=user).exists()
    assert client.get(accepted["Location"]).status_code == 200


def test_the_lead_removes_a_regio_coordinator(
    client, caplog, region, region_coordinator, coordinator
):
    membership = RegionMembership.objects.get(user=region_coordinator)
    client.force_login(coordinator)
    url = reverse("assessments:region_coordinator_remove", args=[region.pk, membership.pk])
    assert client.post(url).status_code == 302
    assert not RegionMembership.objects.filter(pk=membership.pk).exists()
    assert RegionMembership.history.filter(id=membership.pk, history_type="-").exists()
    assert security_events(caplog, "region_coordinator_removed")
    client.force_login(region_coordinator)
    assert client.get(reverse("assessments:region", args=[region.pk])).status_code == 404


def test_a_coordinator_of_another_regions_lead_cannot_remove_one(
    client, region, region_coordinator, outsider
):
    membership = RegionMembership.objects.get(user=region_coordinator)
    other = Region.objects.create(
        name="Regio Elders", kind="eigen", lead=outsider.memberships.get().municipality
    )
    Membership.objects.filter(user=outsider).update(role="coordinator")
    client.force_login(outsider)
    # Their own region's URL with this region's coordinator: 404; this region's: 404.
    for region_id in (other.pk, region.pk):
        url = reverse("assessments:region_coordinator_remove", args=[region_id, membership.pk])
        assert client.post(url).status_code == 404
    assert RegionMembership.objects.filter(pk=membership.pk).exists()


def test_a_regio_coordinator_cannot_appoint_or_remove(client, region, region_coordinator):
    membership = RegionMembership.objects.get(user=region_coordinator)
    client.force_login(region_coordinator)
    assert appoint(client, region, "vriend@regio.example").status_code == 403
    url = reverse("assessments:region_coordinator_remove", args=[region.pk, membership.pk])
    assert client.post(url).status_code == 403
    assert RegionMembership.objects.filter(pk=membership.pk).exists()
    assert not Invitation.objects.exists()


def test_the_manage_page_has_a_bounded_number_of_queries(
    client, region, coordinator, django_assert_max_num_queries
):
    for _n in range(5):
        region.members.add(MunicipalityFactory())
        RegionInvitation.objects.create(region=region, municipality=MunicipalityFactory())
        RegionMembership.objects.create(user=UserFactory(), region=region)
    client.force_login(coordinator)
    with django_assert_max_num_queries(15):
        assert client.get(reverse("assessments:region_manage", args=[region.pk])).status_code == 200


def test_a_round_of_a_new_member_is_shared_only_by_its_own_consent(
    client, region, pending, neighbour, framework, region_coordinator
):
    round_ = AssessmentFactory(
        municipality=neighbour["municipality"], framework=framework, status="closed"
    )
    region_services.answer_region_invitation(
        invitation=pending, accept=True, answered_by=neighbour["coordinator"]
    )
    client.force_login(neighbour["coordinator"])
    response = client.post(reverse("assessments:region_consent", args=[round_.pk]), {"delen": "ja"})
    assert response.status_code == 302
    assert Assessment.objects.get(pk=round_.pk).shares_with_region is True


# --- Taking an invitation back -------------------------------------------------------------


def test_the_lead_withdraws_an_unanswered_invitation(
    client, region, pending, coordinator, neighbour
):
    url = reverse("assessments:region_invitation_withdraw", args=[region.pk, pending.pk])
    client.force_login(neighbour["coordinator"])
    assert client.post(url).status_code == 404  # the invited side does not withdraw
    client.force_login(coordinator)
    assert client.post(url).status_code == 302
    assert not RegionInvitation.objects.filter(pk=pending.pk).exists()
    assert RegionInvitation.history.filter(id=pending.pk, history_type="-").exists()
    client.force_login(neighbour["coordinator"])
    assert client.post(answer_url(pending), {"besluit": "aannemen"}).status_code == 404
    assert not region.members.filter(pk=neighbour["municipality"].pk).exists()


def test_an_answered_invitation_cannot_be_withdrawn(
    client, region, pending, coordinator, neighbour
):
    region_services.answer_region_invitation(
        invitation=pending, accept=True, answered_by=neighbour["coordinator"]
    )
    client.force_login(coordinator)
    url = reverse("assessments:region_invitation_withdraw", args=[region.pk, pending.pk])
    assert client.post(url).status_code == 404
    assert RegionInvitation.objects.get(pk=pending.pk).status == "accepted"


def test_the_lead_withdraws_a_regio_coordinator_invitation(client, region, coordinator):
    client.force_login(coordinator)
    appoint(client, region, "later@regio.example")
    invitation = Invitation.objects.get(email="later@regio.example")
    path = re.search(r"https?://testserver(/uitnodiging/\S+/)", mail.outbox[-1].body).group(1)
    url = reverse(
        "assessments:region_coordinator_invitation_withdraw", args=[region.pk, invitation.pk]
    )
    assert client.post(url).status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    client.logout()
    assert client.get(path).status_code == 410
    # A colleague's invitation of the lead is not a region's to withdraw.
    client.force_login(coordinator)
    colleague = Invitation.objects.create(
        municipality=region.lead,
        email="collega@example.org",
        token_hash="x" * 64,
        expires_at=invitation.expires_at,
    )
    other = reverse(
        "assessments:region_coordinator_invitation_withdraw", args=[region.pk, colleague.pk]
    )
    assert client.post(other).status_code == 404


def test_staff_see_a_regions_invitations_in_the_admin_read_only(client, staff, region, pending):
    client.force_login(staff)
    page = client.get(reverse("admin:assessments_region_change", args=[region.pk]))
    assert page.status_code == 200
    assert pending.municipality.name in page.text
    assert 'name="invitations-0-status"' not in page.text  # shown, not editable


def test_the_regions_page_has_a_bounded_number_of_queries(
    client, municipality, coordinator, django_assert_max_num_queries
):
    for n in range(4):
        led = Region.objects.create(name=f"Regio {n}", kind="eigen", lead=MunicipalityFactory())
        led.members.add(municipality)
        RegionInvitation.objects.create(
            region=Region.objects.create(name=f"Vraagt {n}", kind="eigen", lead=municipality),
            municipality=municipality,
            invited_by=UserFactory(),
        )
    client.force_login(coordinator)
    url = reverse("assessments:municipality_regions", args=[municipality.pk])
    with django_assert_max_num_queries(10):
        page = client.get(url)
    assert page.text.count("Aannemen") == 4
