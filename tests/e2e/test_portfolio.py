"""In a real browser, under the app's own CSP (a violation fails the test): the API docs
(Swagger UI from our own static files) and a consultant's batch export with its progress."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from tests.helpers.browser import login

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_api_docs_render_without_a_cdn_or_a_csp_violation(page, live_server):
    outside: list[str] = []
    page.on(
        "request",
        lambda request: (
            outside.append(request.url) if not request.url.startswith(live_server.url) else None
        ),
    )
    page.goto("/api/v1/docs/")
    page.get_by_text("/api/v1/metingen/{id}/scores/").first.wait_for()
    assert outside == []


def test_a_member_of_two_municipalities_downloads_one_zip_of_two_rounds(site, page):
    # In the tests the ZIP is built in the request (tests/conftest.py): two real reports
    # take a while.
    page.set_default_timeout(90_000)
    login(page, site.demo.username)
    page.goto("/")
    page.get_by_role("heading", name="Portefeuille").wait_for()
    page.get_by_role("link", name="Rapporten van meerdere metingen downloaden").click()
    page.get_by_label(f"{site.municipality.name} · {site.example.title}", exact=False).check()
    page.get_by_label(f"{site.other.name} · Nulmeting", exact=False).check()
    page.get_by_role("button", name="ZIP-bestand maken").click()
    link = page.get_by_role("link", name="ZIP-bestand downloaden")
    link.wait_for()
    with page.expect_download() as download:
        link.click()
    names = zipfile.ZipFile(io.BytesIO(Path(download.value.path()).read_bytes())).namelist()
    # The demo user is an editor of Regenstad's open round: its concept report shows every
    # colleague's levels, so that round comes without a PDF (access.visibility).
    assert sum(n.endswith(".pdf") for n in names) == 1
    assert sum(n.endswith(".xlsx") for n in names) == 4
