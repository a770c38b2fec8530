"""Browser fixtures of the end-to-end tests: Debian's Chromium, driven by Playwright, against
pytest-django's live server on loopback (127.0.0.1, a thread of the test process that uses
the test database; every test gets a fresh, transactional database).

Without Chromium at /usr/bin/chromium, the Playwright package or axe-core (installed by
``make test`` with ``npm ci --prefix tests/e2e``) every test here is skipped with the
reason. CI sets ``CI_REQUIRE_E2E=1``: then a missing piece is a failure, never a skip.

Screenshots and the axe report go to ``E2E_ARTIFACTS`` (default
``test-artifacts/screenshots``); the path and the axe findings are printed at the end of
the run (tests/conftest.py).
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.helpers.browser import ARTIFACTS, AXE_JS, DESKTOP, PASSWORD, REPO, Site

CHROMIUM = Path("/usr/bin/chromium")
# Without the background-networking flags Chromium tries to reach Google's services at
# start-up; on a closed network those attempts fail and can stall the browser.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _missing() -> str:
    """Why the E2E tests cannot run here, or "" when they can."""
    reasons = []
    if not CHROMIUM.exists():
        reasons.append(f"Chromium ontbreekt op {CHROMIUM} (apt-get install chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        reasons.append("het Python-pakket playwright ontbreekt (make test installeert het)")
    if not AXE_JS.exists():
        reasons.append(
            f"axe-core ontbreekt op {AXE_JS.relative_to(REPO)} "
            "(make test draait npm ci --prefix tests/e2e; daarvoor is npm nodig)"
        )
    return "; ".join(reasons)


@pytest.fixture(scope="session", autouse=True)
def _e2e_ready() -> None:
    """Skip every E2E test with the reason, or fail them all when CI requires them."""
    reason = _missing()
    if not reason:
        return
    if os.environ.get("CI_REQUIRE_E2E") == "1":
        # A failure, not a skip: CI must prove the flows in a real browser.
        pytest.fail(f"E2E-tests zijn vereist (CI_REQUIRE_E2E=1), maar: {reason}", pytrace=False)
    pytest.skip(f"E2E-tests overgeslagen: {reason}")


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def live_server(request) -> Iterator:
    """pytest-django's live server, on 127.0.0.1 and speaking plain http like ``make serve``
    with ``HTTPS=0``.

    Replaces pytest-django's fixture of the same name because the https redirect must be
    off *before* the server thread builds its middleware (SecurityMiddleware reads the
    setting once); the per-test ``settings`` fixture comes too late for that. Everything
    else (CSP, frame and referrer policies, cookies' HttpOnly and SameSite) stays as in
    production.
    """
    from django.test.utils import override_settings
    from pytest_django.live_server_helper import LiveServer

    plain_http = override_settings(
        SECURE_SSL_REDIRECT=False,
        SESSION_COOKIE_SECURE=False,
        CSRF_COOKIE_SECURE=False,
        SECURE_HSTS_SECONDS=0,
    )
    plain_http.enable()
    # IPv4 loopback: "localhost" may resolve to ::1 first.
    server = LiveServer(request.config.getvalue("liveserver") or "127.0.0.1")
    yield server
    server.stop()
    plain_http.disable()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """The artifacts folder, emptied of an earlier run's files so none of them misleads."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in [*ARTIFACTS.glob("*.png"), ARTIFACTS / "axe-report.json"]:
        old.unlink(missing_ok=True)
    shutil.rmtree(ARTIFACTS / "failures", ignore_errors=True)
    return ARTIFACTS


@pytest.fixture(scope="module")
def browser():
    """One Chromium per test module.

    Playwright's sync API keeps an asyncio loop running in this thread (in a greenlet) for
    as long as it is started, so Django's guard would see "an async context" whenever a
    test reads the database between two browser steps. The test code is plain synchronous
    code, so the guard is lifted, but only while the browser runs: module scope ends the
    loop before the next module, and the rest of the suite keeps Django's guard.
    """
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_context(browser, live_server, request, artifacts) -> Iterator[Callable]:
    """Open browser contexts (separate cookie jars: separate users) on the live server.

    The app's real Content-Security-Policy applies unless a test asks ``bypass_csp``
    (only the axe run does, to inject axe-core). A CSP violation in a page fails the test.
    On a failure every open page is saved as a screenshot in ``failures/``.
    """
    contexts = []
    violations: list[str] = []

    def make(**options):
        options.setdefault("viewport", DESKTOP)
        options.setdefault("locale", "nl-NL")
        options.setdefault("timezone_id", "Europe/Amsterdam")
        context = browser.new_context(base_url=live_server.url, **options)
        context.set_default_timeout(10_000)

        def watch(page):
            page.on(
                "console",
                lambda msg: (
                    violations.append(f"{page.url}: {msg.text}")
                    if "Content Security Policy" in msg.text
                    else None
                ),
            )

        context.on("page", watch)
        contexts.append(context)
        return context

    yield make
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        folder = artifacts / "failures"
        folder.mkdir(exist_ok=True)
        for i, context in enumerate(contexts):
            for j, page in enumerate(context.pages):
                name = f"{request.node.name}-{i}-{j}.png".replace("/", "_")
                with contextlib.suppress(Exception):  # a failure screenshot is best effort
                    page.screenshot(path=folder / name, full_page=True)
    for context in contexts:
        context.close()
    assert not violations, "CSP-overtredingen in de pagina:\n" + "\n".join(violations)


@pytest.fixture
def page(new_context):
    return new_context().new_page()


@pytest.fixture
def site(live_server) -> Site:
    """The real question bank, the demo municipality with its example round (exactly what
    ``make run`` sets up) and a few colleagues, all with the password ``PASSWORD``."""
    from django.core.management import call_command

    from assessments.common.municipalities import DEMO_CODE
    from assessments.demo import EXAMPLE_TITLE
    from assessments.management.commands.setup_demo import DEMO_USERNAME
    from assessments.models import Assessment, Membership, Municipality
    from assessments.rounds import services as round_services
    from readiness.models import QuestionKind
    from readiness.questionbank import QUESTIONBANK_DIR, load_questionbank, question_bank_files
    from tests.factories import MembershipFactory, MunicipalityFactory, UserFactory

    for path in question_bank_files(QUESTIONBANK_DIR):  # not the mapping files
        load_questionbank(path)
    call_command("setup_demo", stdout=io.StringIO())
    municipality = Municipality.objects.get(code=DEMO_CODE)
    demo = municipality.memberships.get(user__username=DEMO_USERNAME).user
    demo.email = "demo@example.org"
    demo.set_password(PASSWORD)
    demo.save()
    other = MunicipalityFactory(name="Regenstad")
    MembershipFactory(municipality=other, user=demo, role=Membership.Role.EDITOR)
    other_round = round_services.start_assessment(municipality=other, user=demo, title="Nulmeting")
    round_services.save_answers(
        assessment=other_round,
        user=demo,
        items=[
            round_services.AnswerInput(question=q, value="3", note="")
            # The levels: maturity statements, not the partners' modules.
            for q in other_round.framework.questions.filter(
                kind=QuestionKind.MATURITY, partner_perspectives=[]
            )
        ],
    )

    def member(username: str, role: str):
        user = UserFactory(
            username=username, first_name=username.capitalize(), last_name="Testpersoon"
        )
        user.set_password(PASSWORD)
        user.save()
        MembershipFactory(municipality=municipality, user=user, role=role)
        return user

    return Site(
        municipality=municipality,
        other=other,
        demo=demo,
        editor=member("anouk", Membership.Role.EDITOR),
        second_editor=member("bram", Membership.Role.EDITOR),
        viewer=member("chris", Membership.Role.VIEWER),
        example=Assessment.objects.get(municipality=municipality, title=EXAMPLE_TITLE),
        open_round=round_services.start_assessment(
            municipality=municipality, user=demo, title="Herhaalmeting najaar"
        ),
    )
