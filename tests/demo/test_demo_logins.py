"""The demo's consultant and regio-coördinator logins, its region of fictitious
neighbours, and that running ``setup_demo`` again changes nothing (issue 21)."""

from __future__ import annotations

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from assessments.common.municipalities import DEMO_CODE, load_municipalities
from assessments.demo import CONSULTANT_USERNAME, REGION_COORDINATOR_USERNAME, REGION_NAME
from assessments.models import Assessment, Membership, Municipality, Region, RegionMembership
from readiness.questionbank import QUESTIONBANK_DIR, load_questionbank

pytestmark = pytest.mark.django_db


def setup_demo(*args: str) -> str:
    out = io.StringIO()
    call_command("setup_demo", *args, stdout=out)
    return out.getvalue()


def passwords(output: str) -> dict[str, str]:
    return dict(re.findall(r"gebruikersnaam: (\S+)\n\s+wachtwoord:\s+(\S+)", output))


@pytest.fixture
def demo_output():
    load_questionbank(QUESTIONBANK_DIR / "beschermd-thuis-2026.1.toml")
    return setup_demo()


def test_setup_demo_prints_three_logins_that_work(demo_output):
    printed = passwords(demo_output)
    assert set(printed) == {"demo", CONSULTANT_USERNAME, REGION_COORDINATOR_USERNAME}
    for username, password in printed.items():
        assert get_user_model().objects.get(username=username).check_password(password)


def test_the_consultant_has_a_portfolio_of_two_demo_municipalities(client, demo_output):
    consultant = get_user_model().objects.get(username=CONSULTANT_USERNAME)
    memberships = Membership.objects.current().filter(user=consultant)
    assert memberships.count() == 2
    assert {m.role for m in memberships} == {Membership.Role.CONSULTANT}
    assert all(m.municipality.is_demo for m in memberships)
    assert DEMO_CODE in {m.municipality.code for m in memberships}
    client.force_login(consultant)
    assert "Portefeuille" in client.get(reverse("assessments:home")).text


def test_the_region_has_demodorp_and_four_fictitious_neighbours(client, demo_output):
    region = Region.objects.get(name=REGION_NAME)
    members = list(region.members.all())
    assert len(members) == 5
    assert all(m.is_demo for m in members)
    codes = {m.code for m in members}
    assert DEMO_CODE in codes and all(re.fullmatch(r"GM99\d\d", c) for c in codes)
    closed = Assessment.objects.filter(municipality__in=members, status="closed").exclude(
        municipality__code=DEMO_CODE
    )
    assert sorted(a.shares_with_region for a in closed) == [False, True, True]

    coordinator = RegionMembership.objects.get(region=region).user
    assert not Membership.objects.filter(user=coordinator).exists()
    client.force_login(coordinator)
    page = client.get(reverse("assessments:region", args=[region.pk])).text
    assert page.count("deelt niet") == 3  # Demodorp, the one that does not share, no round
    assert "Tweestroom (fictief)" in page and "Lindeveen (fictief)" in page


def test_the_fictitious_codes_are_no_real_cbs_codes(demo_output):
    demo_codes = set(Municipality.objects.filter(is_demo=True).values_list("code", flat=True))
    load_municipalities()
    real = set(Municipality.objects.filter(is_demo=False).values_list("code", flat=True))
    assert len(real) == 342
    assert not demo_codes & real
    assert len(demo_codes) == 5


def test_running_setup_demo_again_changes_nothing(demo_output):
    def state():
        return (
            Municipality.objects.count(),
            Assessment.objects.count(),
            Membership.objects.count(),
            Region.objects.count(),
            RegionMembership.objects.count(),
            sorted(Membership.objects.values_list("pk", "valid_until")),
            sorted(get_user_model().objects.values_list("username", "password")),
        )

    before = state()
    again = setup_demo()
    assert passwords(again) == {}
    assert state() == before
    # A new password for each login on request.
    assert len(passwords(setup_demo("--reset-password"))) == 3
