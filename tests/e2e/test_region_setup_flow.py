"""Flow: a region set up by a coordinator from scratch, without /admin (issue 21, item 3).

The demo coordinator creates a region (Demodorp leads), invites a neighbour, whose
coordinator accepts on their own municipality's page, and appoints a regio-coördinator
who has no account yet: the invitation e-mail, an account with a password, and they land
on the region's overview. Checked in the page and in the database; then axe-core on every
page of the flow, with a screenshot of each at desktop and phone size.
"""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model
from django.core import mail
from playwright.sync_api import Page, expect

from assessments.common.municipalities import DEMO_NEIGHBOUR_CODES
from assessments.models import Membership, Municipality, Region, RegionInvitation, RegionMembership
from tests.helpers.browser import (
    BLOCKING,
    DESKTOP,
    OVERFLOW,
    PASSWORD,
    PHONE,
    login,
    record,
    run_axe,
)

REGION = "Regio Testland (fictief)"
NEW_COORDINATOR = "rita.regio@example.org"


def neighbour_coordinator(code: str):
    """The demo neighbour's coordinator (made by setup_demo), with the test password."""
    user = Membership.objects.get(municipality__code=code, role="coordinator").user
    user.set_password(PASSWORD)
    user.save()
    return user


def check_pages(page: Page, artifacts, pages: list[tuple[str, str]]) -> list[str]:
    """axe-core and horizontal overflow on each page, at desktop and phone size."""
    blocking = []
    for name, path in pages:
        page.goto(path)
        assert page.locator("h1").count() == 1, name
        found = {}
        for size_name, size in (("desktop", DESKTOP), ("telefoon", PHONE)):
            page.set_viewport_size(size)
            page.screenshot(path=artifacts / f"{name}-{size_name}.png", full_page=True)
            found[size_name] = run_axe(page)
            blocking += [f"{name} {size_name}: {o}" for o in page.evaluate(OVERFLOW)]
        page.set_viewport_size(DESKTOP)
        record(artifacts, name, found)
        blocking += [
            f"{name} {size}: {v['id']} ({v['impact']}): {v['help']} → {v['nodes']}"
            for size, violations in found.items()
            for v in violations
            if v["wcag"] and v["impact"] in BLOCKING
        ]
    return blocking


def test_a_coordinator_sets_up_a_region_from_scratch(site, new_context, artifacts):
    tweestroom = Municipality.objects.get(code=DEMO_NEIGHBOUR_CODES[0])
    lindeveen = Municipality.objects.get(code=DEMO_NEIGHBOUR_CODES[1])
    neighbour = neighbour_coordinator(tweestroom.code)

    # 1. The demo coordinator creates the region from Demodorp's regions page.
    coordinator = new_context().new_page()
    login(coordinator, "demo")
    coordinator.get_by_role("link", name="Regio's", exact=True).click()
    coordinator.get_by_role("link", name="Nieuwe regio aanmaken").click()
    coordinator.get_by_label("Naam van de regio").fill(REGION)
    coordinator.get_by_role("button", name="Regio aanmaken").click()
    expect(coordinator.get_by_role("heading", level=1)).to_have_text(f"{REGION} beheren")
    expect(coordinator.get_by_role("status")).to_contain_text("is aangemaakt")
    region = Region.objects.get(name=REGION)
    assert region.lead == site.municipality
    assert list(region.members.all()) == [site.municipality]

    # 2. It invites two neighbours; one will accept, the other has not answered yet.
    for place in (tweestroom, lindeveen):
        coordinator.locator("#id_municipality").select_option(value=str(place.pk))
        coordinator.get_by_role("button", name="Gemeente uitnodigen").click()
        expect(coordinator.get_by_role("status")).to_contain_text(f"{place.name} is uitgenodigd")
    coordinator.screenshot(path=artifacts / "flow-regio-uitgenodigd.png", full_page=True)
    assert RegionInvitation.objects.filter(region=region, status="pending").count() == 2

    # 3. Tweestroom's coordinator finds the invitation on the home page and accepts it.
    invited = new_context().new_page()
    login(invited, neighbour.username)
    invited.get_by_role("link", name="Uitnodiging bekijken").click()
    expect(invited.get_by_role("heading", level=1)).to_have_text(f"Regio's van {tweestroom.name}")
    invited.screenshot(path=artifacts / "flow-regio-uitnodiging.png", full_page=True)
    invited.get_by_role("button", name=f"Aannemen {REGION}").click()
    expect(invited.get_by_role("status")).to_contain_text(f"{tweestroom.name} hoort nu bij")
    assert region.members.filter(pk=tweestroom.pk).exists()
    expect(invited.get_by_role("listitem").filter(has_text=REGION)).to_be_visible()

    # 4. Back on the region's page: Tweestroom is a member; a regio-coördinator without an
    # account is appointed by e-mail.
    coordinator.reload()
    members = coordinator.get_by_role("heading", name="Gemeenten in de regio")
    expect(members).to_be_visible()
    expect(coordinator.locator("main ul").first).to_contain_text(tweestroom.name)
    coordinator.locator("#id_regio-email").fill(NEW_COORDINATOR)
    coordinator.locator("#id_regio-name").fill("Rita Regio")
    coordinator.get_by_role("button", name="Aanstellen").click()
    expect(coordinator.get_by_role("status")).to_contain_text("krijgt een uitnodiging")
    expect(coordinator.get_by_role("cell", name=NEW_COORDINATOR, exact=True)).to_be_visible()
    link = re.search(r"https?://\S+/uitnodiging/\S+/", mail.outbox[-1].body).group(0)

    # 5. The new regio-coördinator makes an account and lands on the region's overview.
    appointed = new_context().new_page()
    appointed.goto(link)
    expect(appointed.get_by_role("heading", level=1)).to_have_text(f"Uitnodiging voor {REGION}")
    expect(appointed.get_by_label("Uw naam")).to_have_value("Rita Regio")
    appointed.get_by_label("Kies een wachtwoord").fill(PASSWORD)
    appointed.get_by_label("Herhaal het wachtwoord").fill(PASSWORD)
    appointed.get_by_role("button", name="Account aanmaken en uitnodiging aannemen").click()
    expect(appointed.get_by_role("status")).to_contain_text(f"regio-coördinator van {REGION}")
    expect(appointed.get_by_role("heading", level=1)).to_have_text(
        f"Beschermd thuis in de regio {REGION}"
    )
    heatmap = appointed.get_by_role("table")
    expect(heatmap).to_contain_text(tweestroom.name)
    expect(heatmap).to_contain_text(site.municipality.name)
    expect(heatmap).not_to_contain_text(lindeveen.name)  # not (yet) a member
    appointed.screenshot(path=artifacts / "flow-regio-overzicht.png", full_page=True)
    user = get_user_model().objects.get(email=NEW_COORDINATOR)
    assert RegionMembership.objects.filter(user=user, region=region).exists()
    assert not Membership.objects.filter(user=user).exists()

    # axe-core on every page of the flow, as each of the three would see it (the
    # invitation's page is used up: a fresh invitation shows the same page).
    lindeveen_coordinator = neighbour_coordinator(lindeveen.code)
    blocking = []
    lead = new_context(bypass_csp=True).new_page()
    login(lead, "demo")
    blocking += check_pages(
        lead,
        artifacts,
        [
            ("regio-startpagina-trekker", "/"),
            ("regio-gemeente", f"/gemeente/{site.municipality.pk}/regios/"),
            ("regio-nieuw", f"/gemeente/{site.municipality.pk}/regios/nieuw/"),
            ("regio-beheer", f"/regio/{region.pk}/beheer/"),
        ],
    )
    lead.locator("#id_regio-email").fill("tweede.regio@example.org")
    lead.get_by_role("button", name="Aanstellen").click()
    fresh = re.search(r"https?://\S+(/uitnodiging/\S+/)", mail.outbox[-1].body).group(1)
    member = new_context(bypass_csp=True).new_page()
    login(member, lindeveen_coordinator.username)
    blocking += check_pages(
        member,
        artifacts,
        [
            ("regio-startpagina-uitgenodigd", "/"),
            ("regio-uitnodiging-open", f"/gemeente/{lindeveen.pk}/regios/"),
        ],
    )
    guest = new_context(bypass_csp=True).new_page()
    blocking += check_pages(guest, artifacts, [("regio-coordinator-uitnodiging", fresh)])
    login(guest, NEW_COORDINATOR)
    blocking += check_pages(guest, artifacts, [("regio-overzicht-nieuw", f"/regio/{region.pk}/")])
    assert not blocking, "axe-core of te breed:\n" + "\n".join(blocking)
