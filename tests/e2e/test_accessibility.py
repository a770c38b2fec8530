"""Accessibility of every page of the app (WCAG 2.1 A and AA), in Chromium.

Per page, in the state a user sees it (also with form errors, and the inline edit row):
- axe-core: no violation of impact "serious" or "critical" of a WCAG 2.1 A/AA rule, at
  1280×800 and at 390×844 (a phone). All findings, also the lighter ones and axe's best
  practices, go to ``axe-report.json`` in the artifacts folder and the run's summary;
- exactly one h1; a skip link that is the first Tab stop, visible when focused, and
  moves the focus to the main content;
- no horizontal scrolling at 200% zoom of a 1280×800 window (see ``ZOOM_200``), at 400%
  (WCAG 1.4.10's 320 px) nor on a phone; wide data tables may scroll inside their own box
  (the exception WCAG 1.4.10 makes for them);
- form errors are tied to their field (aria-invalid and aria-describedby); every image loads;
- autosave status messages are aria-live regions; a traffic light always has words;
- a screenshot of the page at both sizes.

axe-core is injected from ``tests/e2e/node_modules`` (installed by ``make test``), never
downloaded at run time. Injecting it means an inline script, which the app's CSP
(``script-src 'self'``) blocks; these contexts therefore use Playwright's ``bypass_csp``.
The functional flows (test_flows.py) run with the real CSP.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from playwright.sync_api import Page, expect

from assessments.members import services as member_services
from assessments.models import Action, Answer, Membership
from assessments.rounds import services as round_services
from tests.helpers.browser import BLOCKING, DESKTOP, OVERFLOW, PHONE, Site, login, record, run_axe

# 200% zoom in a 1280×800 window: the page gets 640×400 CSS pixels, at two device pixels
# each. Layout and media queries only see CSS pixels, so this viewport *is* what the page
# lays out in at 200% (the same reasoning WCAG 1.4.10 uses for 1280 px at 400% = 320).
ZOOM_200 = {"width": 640, "height": 400}
# WCAG 1.4.10 (Reflow, AA) itself asks for 400%: 320 CSS pixels wide.
ZOOM_400 = {"width": 320, "height": 256}

# Form errors: every invalid control names its message, and every field message is named
# by a control (a message nobody points at is only seen, never heard).
ERROR_TIES = """() => {
  const problems = [];
  const invalid = [...document.querySelectorAll('[aria-invalid="true"]')];
  for (const el of invalid) {
    const ids = (el.getAttribute('aria-describedby') || '').split(/\\s+/).filter(Boolean);
    const text = ids.map(id => document.getElementById(id)?.textContent.trim() || '').join(' ');
    if (!text) problems.push(`${el.name || el.id}: aria-invalid zonder beschreven foutmelding`);
  }
  const messages = [...document.querySelectorAll('.invalid-feedback, [id^="err-"]')]
    .filter(m => m.textContent.trim() && m.getClientRects().length);
  for (const m of messages) {
    if (!m.id || !document.querySelector(`[aria-describedby~="${m.id}"]`)) {
      problems.push(`foutmelding zonder veld: "${m.textContent.trim().slice(0, 60)}"`);
    }
  }
  return {problems, invalid: invalid.length, messages: messages.length};
}"""

# A text field or list wider than the screen cannot be read or checked as a whole, even
# inside a box that scrolls.
WIDE_FIELDS = """() => {
  const width = document.documentElement.clientWidth;
  return [...document.querySelectorAll('input, select, textarea')]
    .filter(el => !['hidden', 'radio', 'checkbox'].includes(el.type))
    .filter(el => el.getBoundingClientRect().width > width)
    .map(el => `${el.name || el.id} is ${Math.round(el.getBoundingClientRect().width)}px breed`);
}"""

# An image that does not load leaves only its alt text (the 2FA QR code did that once).
BROKEN_IMAGES = """() => [...document.images]
  .filter(img => !img.complete || img.naturalWidth === 0)
  .map(img => img.alt || img.src.slice(0, 80))"""

SKIP_LINK_START = """() => {
  // Put the keyboard's starting point at the very top of the page, as after a page load.
  const probe = document.createElement('span');
  probe.tabIndex = -1;
  document.body.prepend(probe);
  probe.focus();
  probe.remove();
  window.scrollTo({top: 0, left: 0, behavior: 'instant'});
}"""

FOCUSED = """() => {
  const el = document.activeElement;
  const rect = el.getBoundingClientRect();
  return {id: el.id, text: el.textContent.trim(), width: rect.width, height: rect.height,
          top: rect.top, left: rect.left, focusVisible: el.matches(':focus-visible')};
}"""


@dataclass(frozen=True)
class Visit:
    """A page in one state: who looks at it and how to get there."""

    name: str
    user: str | None
    open: Callable[[Page, Site], None]
    errors: bool = False  # the state shows form errors
    screenshot: bool = True  # a main page (not an error variant): keep its screenshots


def go(path: Callable[[Site], str]) -> Callable[[Page, Site], None]:
    return lambda page, site: page.goto(path(site))


def first_action(site: Site) -> Action:
    return Action.objects.filter(assessment=site.example).order_by("order", "pk").first()


def step(code: str) -> Callable[[Page, Site], None]:
    return go(lambda s: f"/meting/{s.example.pk}/stap/{code}/")


def submit(page: Page, button: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=button).click()


def login_errors(page: Page, site: Site) -> None:
    page.goto("/accounts/login/")
    submit(page, "Inloggen")


def password_reset_errors(page: Page, site: Site) -> None:
    page.goto("/accounts/wachtwoord-vergeten/")
    page.get_by_label("E-mailadres").fill("geen-adres")
    submit(page, "Link versturen")


def reset_link(site: Site) -> str:
    uid = urlsafe_base64_encode(force_bytes(site.editor.pk))
    return f"/accounts/nieuw-wachtwoord/{uid}/{default_token_generator.make_token(site.editor)}/"


def password_reset_confirm_errors(page: Page, site: Site) -> None:
    page.goto(reset_link(site))
    page.get_by_label("Nieuw wachtwoord bevestigen").fill("iets-anders-helemaal")
    page.get_by_label("Nieuw wachtwoord*", exact=True).fill("een-lang-nieuw-wachtwoord")
    submit(page, "Wachtwoord opslaan")


def invitation(page: Page, site: Site) -> None:
    _invitation, token = member_services.invite_member(
        municipality=site.municipality,
        email="nieuw@example.org",
        role=Membership.Role.EDITOR,
        invited_by=site.demo,
    )
    page.goto(f"/uitnodiging/{token}/")


def invitation_errors(page: Page, site: Site) -> None:
    invitation(page, site)
    page.get_by_label("Kies een wachtwoord").fill("kort")
    page.get_by_label("Herhaal het wachtwoord").fill("anders")
    submit(page, "Account aanmaken en uitnodiging aannemen")


def two_factor_errors(page: Page, site: Site) -> None:
    page.goto("/accounts/tweestaps/instellen/")
    page.get_by_label("Code").fill("000000")
    submit(page, "Bevestigen")


def two_factor_codes(page: Page, site: Site) -> None:
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    page.goto("/accounts/tweestaps/instellen/")
    device = TOTPDevice.objects.get(user=site.editor)
    token = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()
    page.get_by_label("Code").fill(f"{token:0{device.digits}d}")
    submit(page, "Bevestigen")


def two_factor_verify(page: Page, site: Site) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=site.editor, name="authenticator", confirmed=True)
    page.goto("/accounts/tweestaps/")


def start_errors(page: Page, site: Site) -> None:
    page.goto(f"/gemeente/{site.municipality.pk}/meting/nieuw/")
    # Spaces pass the browser's "required" check; the server then refuses the empty title.
    page.get_by_label("Titel van de meting").fill("   ")
    submit(page, "Meting starten")


def questionnaire_errors(page: Page, site: Site) -> None:
    page.goto(f"/meting/{site.example.pk}/stap/wijkbasis/")
    # A value outside the scale, as a tampered or outdated form would send.
    page.locator("fieldset.question input[type=radio]").first.evaluate(
        "el => { el.value = '9'; el.checked = true; }"
    )
    submit(page, "Alle antwoorden van deze stap opslaan")


def inline_edit(page: Page, site: Site) -> None:
    page.goto(f"/meting/{site.example.pk}/acties/")
    action = first_action(site)
    page.get_by_role("link", name=re.compile(rf"^Bewerken\s*: {re.escape(action.title)}$")).click()
    expect(page.locator(f"#id_actie{action.pk}_title")).to_be_focused()


def inline_edit_errors(page: Page, site: Site) -> None:
    inline_edit(page, site)
    action = first_action(site)
    row = page.locator(f"#actie-{action.pk}")
    row.locator(f"#id_actie{action.pk}_title").fill("   ")
    row.get_by_role("button", name="Opslaan").click()
    expect(row).to_contain_text("Niet opgeslagen")


def action_edit_errors(page: Page, site: Site) -> None:
    page.goto(f"/meting/{site.example.pk}/acties/{first_action(site).pk}/")
    page.locator(f"#id_actie{first_action(site).pk}_title").fill("   ")
    submit(page, "Actie opslaan")


def members_errors(page: Page, site: Site) -> None:
    page.goto(f"/gemeente/{site.municipality.pk}/leden/")
    page.locator("#id_email").fill("geen-adres")
    submit(page, "Uitnodiging versturen")


def history(site: Site) -> str:
    answer = Answer.objects.filter(response__assessment=site.example).order_by("pk").first()
    return f"/meting/{site.example.pk}/antwoord/{answer.question_id}/historie/"


def note_near_limit(page: Page, site: Site) -> None:
    """A note at 95% of its limit: the counter is a live region, the field has grown."""
    page.goto(f"/meting/{site.open_round.pk}/stap/wijkbasis/")
    note = page.get_by_label("Toelichting of bewijs").first
    note.fill("Een lange toelichting. " * 206)
    expect(page.locator(".note-counter[aria-live=polite]")).to_have_count(1)


def closed_round(site: Site):
    from assessments.models import Assessment

    return Assessment.objects.get(municipality=site.municipality, title="Herhaalmeting (demo)")


def carried_step(page: Page, site: Site) -> None:
    """A round started from the previous one: its answers are marked "overgenomen"."""
    new = round_services.start_assessment(
        municipality=site.municipality,
        user=site.demo,
        title="Meting met overgenomen antwoorden",
        carry_answers=True,
        carry_actions=True,
        framework=site.example.framework,
    )
    page.goto(f"/meting/{new.pk}/stap/wijkbasis/")
    expect(page.locator(".carried-over").first).to_be_visible()


def member_remove(site: Site) -> str:
    membership = Membership.objects.get(municipality=site.municipality, user=site.viewer)
    return f"/gemeente/{site.municipality.pk}/leden/{membership.pk}/verwijderen/"


VISITS = [
    Visit("login", None, go(lambda s: "/accounts/login/")),
    Visit("login-fouten", None, login_errors, errors=True, screenshot=False),
    Visit("wachtwoord-vergeten", None, go(lambda s: "/accounts/wachtwoord-vergeten/")),
    Visit("wachtwoord-vergeten-fouten", None, password_reset_errors, errors=True, screenshot=False),
    Visit("wachtwoord-verstuurd", None, go(lambda s: "/accounts/wachtwoord-vergeten/verstuurd/")),
    Visit("nieuw-wachtwoord", None, go(reset_link)),
    Visit(
        "nieuw-wachtwoord-fouten",
        None,
        password_reset_confirm_errors,
        errors=True,
        screenshot=False,
    ),
    Visit(
        "nieuw-wachtwoord-ongeldige-link",
        None,
        go(lambda s: "/accounts/nieuw-wachtwoord/MQ/ongeldig-token/"),
        screenshot=False,
    ),
    Visit("nieuw-wachtwoord-klaar", None, go(lambda s: "/accounts/nieuw-wachtwoord/klaar/")),
    Visit("uitnodiging", None, invitation),
    Visit("uitnodiging-fouten", None, invitation_errors, errors=True, screenshot=False),
    Visit("uitnodiging-ongeldig", None, go(lambda s: "/uitnodiging/ongeldig/"), screenshot=False),
    Visit("tweestaps-instellen", "anouk", go(lambda s: "/accounts/tweestaps/instellen/")),
    Visit("tweestaps-instellen-fouten", "anouk", two_factor_errors, errors=True, screenshot=False),
    Visit("tweestaps-herstelcodes", "anouk", two_factor_codes),
    Visit("tweestaps-controle", "anouk", two_factor_verify),
    Visit("overzicht", "demo", go(lambda s: "/")),
    Visit("meting-starten", "demo", go(lambda s: f"/gemeente/{s.municipality.pk}/meting/nieuw/")),
    Visit("meting-starten-fouten", "demo", start_errors, errors=True, screenshot=False),
    Visit("meting", "demo", go(lambda s: f"/meting/{s.example.pk}/")),
    Visit("stap-1-wijkbasis", "demo", step("wijkbasis")),
    Visit("stap-2-samenwerking", "demo", step("samenwerking")),
    Visit("stap-3-start-nu", "demo", step("start_nu")),
    Visit("stap-fouten", "demo", questionnaire_errors, errors=True, screenshot=False),
    Visit("stap-leeg", "anouk", go(lambda s: f"/meting/{s.open_round.pk}/stap/wijkbasis/")),
    Visit("resultaten", "demo", go(lambda s: f"/meting/{s.example.pk}/resultaten/")),
    Visit("actieplan", "demo", go(lambda s: f"/meting/{s.example.pk}/acties/")),
    Visit(
        "actieplan-gefilterd",
        "demo",
        go(
            lambda s: f"/meting/{closed_round(s).pk}/acties/?status=bezig&sorteer=deadline&domein=x"
        ),
    ),
    Visit(
        "actieplan-tijdlijn", "demo", go(lambda s: f"/meting/{closed_round(s).pk}/acties/tijdlijn/")
    ),
    Visit("ontwikkeling", "demo", go(lambda s: f"/meting/{s.example.pk}/ontwikkeling/")),
    Visit("stap-overgenomen", "demo", carried_step),
    Visit("actieplan-inline-bewerken", "demo", inline_edit),
    Visit("actieplan-inline-fouten", "demo", inline_edit_errors, errors=True, screenshot=False),
    Visit(
        "actie-bewerken",
        "demo",
        go(lambda s: f"/meting/{s.example.pk}/acties/{first_action(s).pk}/"),
    ),
    Visit("actie-bewerken-fouten", "demo", action_edit_errors, errors=True, screenshot=False),
    Visit("actie-toevoegen", "demo", go(lambda s: f"/meting/{s.example.pk}/acties/nieuw/")),
    Visit(
        "actie-verwijderen",
        "demo",
        go(lambda s: f"/meting/{s.example.pk}/acties/{first_action(s).pk}/verwijderen/"),
    ),
    Visit("leden", "demo", go(lambda s: f"/gemeente/{s.municipality.pk}/leden/")),
    Visit("leden-fouten", "demo", members_errors, errors=True, screenshot=False),
    Visit("lid-verwijderen", "demo", go(member_remove)),
    Visit("antwoordgeschiedenis", "demo", go(history)),
    # An editor who has not answered yet: only their own versions and why.
    Visit("antwoordgeschiedenis-invuller", "anouk", go(history), screenshot=False),
    Visit("stap-toelichting-bijna-vol", "anouk", note_near_limit, screenshot=False),
    Visit("meting-afsluiten", "demo", go(lambda s: f"/meting/{s.open_round.pk}/afsluiten/")),
    Visit(
        "fout-403",
        "chris",  # a viewer who tries to start a round
        go(lambda s: f"/gemeente/{s.municipality.pk}/meting/nieuw/"),
    ),
    Visit("fout-404", "demo", go(lambda s: "/bestaat-niet/")),
]


def check_skip_link(page: Page) -> None:
    page.evaluate(SKIP_LINK_START)
    page.keyboard.press("Tab")
    link = page.evaluate(FOCUSED)
    assert link["text"] == "Naar de inhoud", f"de eerste Tab-stop is geen skiplink: {link}"
    assert link["focusVisible"] and link["width"] > 20 and link["height"] > 10, link
    assert link["top"] >= 0 and link["left"] >= 0, f"skiplink buiten beeld: {link}"
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"
    assert page.evaluate("() => location.hash") == "#main"


@pytest.mark.parametrize("visit", VISITS, ids=[v.name for v in VISITS])
def test_page_is_accessible(visit: Visit, site, new_context, artifacts):
    page = new_context(bypass_csp=True).new_page()
    if visit.user:
        login(page, visit.user)
    visit.open(page, site)
    number = f"{VISITS.index(visit) + 1:02d}"
    findings: dict[str, list[dict]] = {}
    problems: list[str] = []

    assert page.locator("h1").count() == 1, "niet precies één h1"
    assert not page.evaluate(BROKEN_IMAGES), "afbeeldingen die niet laden"
    for size_name, size in (("desktop", DESKTOP), ("telefoon", PHONE)):
        page.set_viewport_size(size)
        if visit.screenshot:
            page.screenshot(
                path=artifacts / f"{number}-{visit.name}-{size_name}.png", full_page=True
            )
        findings[size_name] = run_axe(page)
        problems += [f"{size_name}: {o}" for o in page.evaluate(OVERFLOW)]
        problems += [f"{size_name}: {o}" for o in page.evaluate(WIDE_FIELDS)]
    for zoom, size in (("200% zoom", ZOOM_200), ("400% zoom", ZOOM_400)):
        page.set_viewport_size(size)
        problems += [f"{zoom}: {o}" for o in page.evaluate(OVERFLOW)]
    page.set_viewport_size(DESKTOP)
    record(artifacts, f"{number}-{visit.name}", findings)

    blocking = [
        f"{size}: {v['id']} ({v['impact']}): {v['help']} → {v['nodes']}"
        for size, found in findings.items()
        for v in found
        if v["wcag"] and v["impact"] in BLOCKING
    ]
    assert not blocking, "axe-core:\n" + "\n".join(blocking)
    assert not problems, "te breed voor het scherm:\n" + "\n".join(problems)

    ties = page.evaluate(ERROR_TIES)
    assert not ties["problems"], "\n".join(ties["problems"])
    if visit.errors:
        assert ties["messages"] > 0 or page.get_by_role("alert").count() > 0, ties

    for status in page.locator(".save-status").all():
        expect(status).to_have_attribute("aria-live", "polite")
    for light in page.locator(".light").all():
        expect(light).to_have_text(re.compile(r"\d+ · (rood|oranje|groen)|onvoldoende beantwoord"))
    check_skip_link(page)


def test_axe_finds_a_planted_violation(site, new_context):
    """The guard of the guard: an axe run that silently checks nothing would report zero
    violations too. An image without alt text must be reported as critical."""
    page = new_context(bypass_csp=True).new_page()
    page.goto("/accounts/login/")
    page.evaluate("() => document.querySelector('main').append(document.createElement('img'))")
    found = {v["id"]: v["impact"] for v in run_axe(page)}
    assert found.get("image-alt") == "critical", found
