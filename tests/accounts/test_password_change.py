"""Changing one's password from the profile (issue 21)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import UserFactory

NEW = "een-nieuw-lang-wachtwoord-2027"


@pytest.fixture
def user(db):
    user = UserFactory(username="gebruiker")
    user.set_password("het-oude-lange-wachtwoord")
    user.save()
    return user


@pytest.mark.django_db
def test_the_profile_links_the_password_change(client, user):
    client.force_login(user)
    assert reverse("password_change") in client.get(reverse("assessments:profile")).text


@pytest.mark.django_db
def test_a_user_changes_their_password_and_stays_logged_in(client, user):
    client.force_login(user)
    page = client.get(reverse("password_change")).text
    assert "Wachtwoord wijzigen" in page
    response = client.post(
        reverse("password_change"),
        {"old_password": "het-oude-lange-wachtwoord", "new_password1": NEW, "new_password2": NEW},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("password_change_done")
    user.refresh_from_db()
    assert user.check_password(NEW)
    done = client.get(reverse("password_change_done"))
    assert done.status_code == 200
    assert "Uw wachtwoord is gewijzigd" in done.text


@pytest.mark.django_db
def test_a_wrong_current_password_changes_nothing(client, user):
    client.force_login(user)
    response = client.post(
        reverse("password_change"),
        {"old_password": "fout", "new_password1": NEW, "new_password2": NEW},
    )
    assert response.status_code == 200
    user.refresh_from_db()
    assert not user.check_password(NEW)


def test_anonymous_is_sent_to_the_login_page(client):
    response = client.get(reverse("password_change"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
