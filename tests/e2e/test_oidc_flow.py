"""Logging in through the organisation's identity provider, end to end: Chromium, the live
server and a real OpenID Connect provider on loopback (tests/oidc/provider.mjs, with
oidc-provider on Node.js; tests/helpers/oidc.py starts it).

The flows run under the app's real Content-Security-Policy; the accessibility checks
(axe-core, screenshots) of the login page with its SSO button and of a refused login use a
context that may inject axe, as tests/e2e/test_accessibility.py does.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from assessments.members.services import invite_member
from assessments.models import IdentityProviderDomain, Invitation, Membership
from tests.factories import (
    AssessmentFactory,
    MembershipFactory,
    MunicipalityFactory,
    UserFactory,
    make_framework,
)
from tests.helpers.browser import BLOCKING, DESKTOP, PHONE, record, run_axe
from tests.helpers.oidc import (
    ACCOUNTS,
    DOMAIN,
    TestProvider,
    configure,
    require_provider,
    running_provider,
)

SSO_BUTTON = "Inloggen via uw organisatie"
REFUSALS = {
    "buitenstaander": "Uw organisatie is niet aangesloten op de scan",
    "verkeerde-audience": "bewijs af dat niet voor deze scan bedoeld is",
    "verlopen": "Het bewijs van de inlogdienst was al verlopen",
}


@pytest.fixture(scope="module")
def provider(live_server) -> Iterator[TestProvider]:
    require_provider()
    with running_provider(site_url=live_server.url) as running:
        yield running


@pytest.fixture
def zonnedal(provider, settings):
    """Single sign-on on, and the provider's domain connected to Zonnedal."""
    configure(settings, provider)
    municipality = MunicipalityFactory(name="Zonnedal")
    IdentityProviderDomain.objects.create(municipality=municipality, email_domain=DOMAIN)
    return municipality


def log_in_at_provider(page: Page, name: str, *, mfa: bool = False) -> None:
    """From our login page through the provider's login form (which asks no password)."""
    page.goto("/accounts/login/")
    page.get_by_role("link", name=SSO_BUTTON).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen bij de test-inlogdienst")
    page.get_by_label("Naam").fill(name)
    if mfa:
        page.get_by_label("Met een tweede factor").check()
    page.get_by_role("button", name="Inloggen bij de test-inlogdienst").click()


def check_page(page: Page, artifacts, name: str) -> None:
    """Screenshots at both sizes and axe-core: no serious or critical WCAG violation."""
    findings = {}
    for size_name, size in (("desktop", DESKTOP), ("telefoon", PHONE)):
        page.set_viewport_size(size)
        page.screenshot(path=artifacts / f"{name}-{size_name}.png", full_page=True)
        findings[size_name] = run_axe(page)
    page.set_viewport_size(DESKTOP)
    record(artifacts, name, findings)
    blocking = [
        f"{size}: {v['id']} ({v['impact']}): {v['help']} → {v['nodes']}"
        for size, found in findings.items()
        for v in found
        if v["wcag"] and v["impact"] in BLOCKING
    ]
    assert not blocking, "axe-core:\n" + "\n".join(blocking)


def test_a_colleague_logs_in_through_the_provider_and_logs_out_of_both(zonnedal, page):
    """First login of someone at the connected domain: an account and a viewer's
    membership; the logout ends the provider's session too."""
    log_in_at_provider(page, "invuller")
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_text("Ingelogd als Ilse Invuller")).to_be_visible()
    user = get_user_model().objects.get(email=ACCOUNTS["invuller"]["email"])
    assert not user.has_usable_password()
    assert list(user.memberships.values_list("municipality", "role")) == [
        (zonnedal.pk, Membership.Role.VIEWER)
    ]

    page.get_by_role("button", name="Uitloggen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Uitloggen bij de test-inlogdienst")
    page.get_by_role("button", name="Ja, uitloggen").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.get_by_role("link", name=SSO_BUTTON)).to_be_visible()
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
    # The provider forgot the session too: it asks who you are again.
    page.get_by_role("link", name=SSO_BUTTON).click()
    expect(page.get_by_label("Naam")).to_be_visible()


def test_an_invited_colleague_from_elsewhere_accepts_by_logging_in_at_the_provider(zonnedal, page):
    """An address at a domain that is not connected may log in when an invitation waits
    for it: the invitation's page offers the provider, the first login gives the
    invitation's role (editor) and lands on the round it was for."""
    coordinator = MembershipFactory(municipality=zonnedal, role="coordinator").user
    assessment = AssessmentFactory(municipality=zonnedal, framework=make_framework(questions=4))
    _invitation, token = invite_member(
        municipality=zonnedal,
        email=ACCOUNTS["buitenstaander"]["email"],
        role=Membership.Role.EDITOR,
        invited_by=coordinator,
        assessment=assessment,
    )
    page.goto(f"/uitnodiging/{token}/")
    page.get_by_role("link", name=SSO_BUTTON).click()
    page.get_by_label("Naam").fill("buitenstaander")
    page.get_by_role("button", name="Inloggen bij de test-inlogdienst").click()
    expect(page).to_have_url(re.compile(rf"/meting/{assessment.pk}/$"))
    expect(page.get_by_text("Ingelogd als Bob Buitenstaander")).to_be_visible()
    membership = Membership.objects.get(user__email=ACCOUNTS["buitenstaander"]["email"])
    assert (membership.municipality, membership.role) == (zonnedal, Membership.Role.EDITOR)
    assert Invitation.objects.get().accepted_by == membership.user


@pytest.mark.parametrize("name", list(REFUSALS))
def test_a_refused_login_says_why_in_dutch_and_logs_nobody_in(zonnedal, page, name):
    log_in_at_provider(page, name)
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.get_by_role("status")).to_contain_text(REFUSALS[name])
    expect(page.get_by_role("status")).to_contain_text("U bent niet ingelogd.")
    assert not get_user_model().objects.filter(email=ACCOUNTS[name]["email"]).exists()
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


def test_the_providers_second_factor_counts_for_a_coordinator(zonnedal, settings, new_context):
    """A coordinator must use two-factor: the provider's (amr "otp") counts; a login
    without it still asks for our own TOTP."""
    settings.TWO_FACTOR_REQUIRED = True
    user = UserFactory(username="cor", email=ACCOUNTS["coordinator"]["email"])
    MembershipFactory(municipality=zonnedal, user=user, role=Membership.Role.COORDINATOR)

    with_mfa = new_context().new_page()
    log_in_at_provider(with_mfa, "coordinator", mfa=True)
    expect(with_mfa).to_have_url(re.compile(r"/$"))
    expect(with_mfa.get_by_role("heading", level=1)).not_to_have_text(
        re.compile("tweestapsverificatie", re.IGNORECASE)
    )
    with_mfa.get_by_role("link", name="Leden beheren").click()
    expect(with_mfa.get_by_role("heading", level=1)).to_contain_text("Leden")

    without = new_context().new_page()
    log_in_at_provider(without, "coordinator")
    expect(without).to_have_url(re.compile(r"/accounts/tweestaps/instellen/"))


def test_the_login_page_and_a_refusal_are_accessible(zonnedal, new_context, artifacts):
    page = new_context(bypass_csp=True).new_page()
    page.goto("/accounts/login/")
    expect(page.get_by_role("link", name=SSO_BUTTON)).to_be_visible()
    assert page.locator("h1").count() == 1
    check_page(page, artifacts, "sso-inloggen")

    log_in_at_provider(page, "buitenstaander")
    expect(page.get_by_role("status")).to_contain_text(REFUSALS["buitenstaander"])
    check_page(page, artifacts, "sso-geweigerd")
