"""Persona fixtures shared by every test module, and how the suite runs in parallel."""

import datetime
import json
import os
import time

# The settings refuse to start without a secret outside DEBUG; tests are not production.
os.environ.setdefault("SECRET_KEY", "test-only-not-secret")

import pytest
from django.conf import settings
from django.core.cache import caches
from django.utils import timezone, translation

from assessments.models import Membership, Region, RegionMembership
from assessments.rounds import results
from readiness import content
from tests.factories import (
    AssessmentFactory,
    MembershipFactory,
    MunicipalityFactory,
    UserFactory,
    make_framework,
)
from tests.helpers.browser import ARTIFACTS

# When this run started: an axe report older than that is an earlier run's.
_STARTED = time.time()


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups
def pytest_collection_modifyitems(config, items):
    """With pytest-xdist (``make test`` runs ``-n 2 --dist loadgroup``) every test module
    runs whole on one worker, as with ``--dist loadfile``, so a module-scoped fixture (a
    shared PDF render, the browser) is made once; and all browser tests (tests/e2e) run on
    one worker, one after another: they share the artifacts folder and its axe report."""
    if not config.pluginmanager.hasplugin("xdist"):
        return
    for item in items:
        module = item.nodeid.split("::")[0]
        group = "browser" if module.startswith("tests/e2e/") else module
        item.add_marker(pytest.mark.xdist_group(group))


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    """The axe findings per page of this run's browser tests, and where their screenshots
    are. Here, not in tests/e2e/conftest.py: with pytest-xdist the browser tests run in a
    worker, and only this process writes the summary."""
    report = ARTIFACTS / "axe-report.json"
    if not report.exists() or report.stat().st_mtime < _STARTED:
        return  # no browser test ran: an earlier run's files are not this run's
    pages = json.loads(report.read_text())
    terminalreporter.write_sep("-", "axe-core (WCAG 2.1 A/AA), per pagina")
    for name, entry in sorted(pages.items()):
        counts = ", ".join(f"{k}: {v}" for k, v in entry["counts"].items()) or "geen"
        terminalreporter.write_line(f"{name:<34} {counts}")
    terminalreporter.write_sep("-", "E2E-artefacten")
    terminalreporter.write_line(f"Schermafbeeldingen en axe-rapport: {ARTIFACTS}")


@pytest.fixture(autouse=True)
def _test_settings(settings):
    """Production settings, but: plain http test client, plain static storage (no
    collectstatic needed), a fast password hasher, and two-factor off unless a test
    switches it on."""
    settings.SECURE_SSL_REDIRECT = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.TWO_FACTOR_REQUIRED = False
    # Hashing test passwords with the production hasher costs ~0.3 s per user.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _tasks_in_process(monkeypatch, settings):
    """Tasks (PDF reports, batch exports) run in-process and in the request, so that a
    test sees their result at once: CI sets ``CELERY_BROKER_URL`` for the one test that
    runs a real worker against Redis (tests/reports/test_report_worker.py, which switches
    this off again), and no worker serves the other tests. The background thread that
    ``make run`` uses instead (``TASKS_IN_THREAD``) is tested on its own
    (tests/reports/test_background_jobs.py). The browser tests' live server runs in this
    process too."""
    from config.celery import app as celery_app

    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
    settings.TASKS_IN_THREAD = False


@pytest.fixture(autouse=True)
def _fresh_framework_caches():
    """Framework content, and a round's scores computed with it, are cached per process by
    the version's id and content hash; tests roll back and reuse ids, so every test starts
    with empty caches."""
    content.clear_cache()
    results._scored.cache_clear()
    yield
    content.clear_cache()
    results._scored.cache_clear()


@pytest.fixture(autouse=True)
def _language_reset():
    """A request with an English cookie leaves English active in the thread; the next
    test starts in the project's language again."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The national comparison caches per framework version id (assessments/rounds/benchmark.py)
    and the answer scale per question id (the "local" cache); tests reuse ids, so every test
    starts with empty caches."""
    for alias in settings.CACHES:
        caches[alias].clear()
    yield
    for alias in settings.CACHES:
        caches[alias].clear()


@pytest.fixture
def framework(db):
    return make_framework(questions=16)


@pytest.fixture
def municipality(db):
    return MunicipalityFactory(name="Zonnedal")


@pytest.fixture
def other_municipality(db):
    return MunicipalityFactory(name="Regenstad")


@pytest.fixture
def assessment(municipality, framework):
    return AssessmentFactory(municipality=municipality, framework=framework)


def _member(municipality, role, username):
    return MembershipFactory(
        municipality=municipality, role=role, user=UserFactory(username=username)
    ).user


@pytest.fixture
def coordinator(municipality):
    return _member(municipality, Membership.Role.COORDINATOR, "coordinator")


@pytest.fixture
def editor(municipality):
    return _member(municipality, Membership.Role.EDITOR, "editor")


@pytest.fixture
def second_editor(municipality):
    return _member(municipality, Membership.Role.EDITOR, "editor2")


@pytest.fixture
def viewer(municipality):
    return _member(municipality, Membership.Role.VIEWER, "viewer")


@pytest.fixture
def outsider(other_municipality):
    """An editor of another municipality."""
    return _member(other_municipality, Membership.Role.EDITOR, "outsider")


@pytest.fixture
def consultant(municipality, other_municipality):
    """A consultant of two municipalities, granted for another month by each coordinator."""
    until = timezone.now() + datetime.timedelta(days=30)
    user = UserFactory(username="consultant")
    for place in (municipality, other_municipality):
        MembershipFactory(
            municipality=place, user=user, role=Membership.Role.CONSULTANT, valid_until=until
        )
    return user


@pytest.fixture
def staff(db):
    return UserFactory(username="staff", is_staff=True, is_superuser=True)


@pytest.fixture
def region(municipality):
    """A beschermd-wonenregio led by the municipality, with one other member."""
    region = Region.objects.create(
        name="Regio Rivierenland", kind=Region.Kind.BESCHERMD_WONEN, lead=municipality
    )
    region.members.add(municipality, MunicipalityFactory(name="Buurdorp"))
    return region


@pytest.fixture
def region_coordinator(region):
    """A regio-coördinator: no membership of any municipality, a role in the region."""
    user = UserFactory(username="regiocoordinator")
    RegionMembership.objects.create(user=user, region=region)
    return user
