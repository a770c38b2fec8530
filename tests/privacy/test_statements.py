"""The privacy and accessibility statements: public, linked from every page's footer,
a default Dutch text until staff store their own."""

from __future__ import annotations

import pytest
from django.urls import reverse

from assessments.models import Statement

pytestmark = pytest.mark.django_db

PAGES = ["assessments:privacy_statement", "assessments:accessibility_statement"]


@pytest.mark.parametrize("name", PAGES)
def test_a_statement_is_public(client, name):
    response = client.get(reverse(name))

    assert response.status_code == 200
    assert "<h1>" in response.content.decode()


@pytest.mark.parametrize("page", ["login", "password_reset"])
def test_the_footer_of_a_public_page_links_both_statements(client, page):
    html = client.get(reverse(page)).content.decode()
    footer = html[html.index("<footer") :]

    for name in PAGES:
        assert f'href="{reverse(name)}"' in footer


def test_the_footer_of_a_logged_in_page_links_both_statements(client, editor):
    client.force_login(editor)
    html = client.get(reverse("assessments:home")).content.decode()
    footer = html[html.index("<footer") :]

    for name in PAGES:
        assert f'href="{reverse(name)}"' in footer


def test_the_default_privacy_text_names_the_configured_retention(client, settings):
    settings.RETENTION_INACTIVE_DAYS = 400

    html = client.get(reverse("assessments:privacy_statement")).content.decode()

    assert "400 dagen niet is gebruikt" in html
    assert "<h2>Hoe lang</h2>" in html


def test_the_default_accessibility_text_has_the_statements_parts(client):
    html = client.get(reverse("assessments:accessibility_statement")).content.decode()

    for part in ("<h2>Status</h2>", "<h2>Onderzoek</h2>", "<h2>Bekende beperkingen</h2>"):
        assert part in html
    assert "<h2>Contact</h2>" in html and "WCAG 2.1" in html


def test_a_stored_text_replaces_the_default_and_html_in_it_is_escaped(client):
    Statement.objects.create(
        kind=Statement.Kind.PRIVACY,
        language="nl",
        body="## Eigen tekst\n\nMail de FG.\n\n<script>alert(1)</script>",
    )

    html = client.get(reverse("assessments:privacy_statement")).content.decode()

    assert "<h2>Eigen tekst</h2>" in html and "Hoe lang" not in html
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def test_english_falls_back_to_the_dutch_text_marked_as_dutch(client):
    client.cookies["django_language"] = "en"

    html = client.get(reverse("assessments:accessibility_statement")).content.decode()

    assert 'lang="nl"' in html[html.index("<article") :]


def test_an_english_text_is_shown_in_english(client):
    Statement.objects.create(
        kind=Statement.Kind.ACCESSIBILITY, language="en", body="## Status\n\nPartly compliant."
    )
    client.cookies["django_language"] = "en"

    html = client.get(reverse("assessments:accessibility_statement")).content.decode()

    assert "Partly compliant." in html
    assert '<article class="statement">' in html


def test_staff_edit_a_statement_in_the_admin_starting_from_the_default(client, staff):
    client.force_login(staff)
    add = reverse("admin:assessments_statement_add")

    form = client.get(add, {"kind": "toegankelijkheid"}).content.decode()
    assert "Bekende beperkingen" in form

    response = client.post(
        add, {"kind": "toegankelijkheid", "language": "nl", "body": "## Status\n\nA."}
    )

    assert response.status_code == 302
    page = client.get(reverse("assessments:accessibility_statement")).content.decode()
    assert "<p>A.</p>" in page
    assert reverse("admin:assessments_statement_changelist") in page  # the edit link


def test_a_member_sees_no_edit_link(client, editor):
    client.force_login(editor)

    page = client.get(reverse("assessments:privacy_statement")).content.decode()

    assert "/admin/" not in page
