"""Two-factor login for everyone who sees more than their own answers: staff and
coordinators, and also consultants and region coordinators (issue 20 item 8)."""

import pytest
from django.urls import reverse


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["coordinator", "consultant", "region_coordinator"])
def test_must_set_up_two_factor_first(request, client, settings, persona):
    settings.TWO_FACTOR_REQUIRED = True
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("assessments:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor_setup"))


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["editor", "viewer"])
def test_respondents_and_viewers_are_not_asked(request, client, settings, persona):
    settings.TWO_FACTOR_REQUIRED = True
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("assessments:home")).status_code == 200


@pytest.mark.django_db
def test_an_editor_made_coordinator_is_asked_at_once(client, settings, editor, municipality):
    """Whether TOTP is needed is cached per user; a changed membership forgets it, so a
    promotion counts from the next request, not after the cache runs out."""
    from assessments.models import Membership

    settings.TWO_FACTOR_REQUIRED = True
    client.force_login(editor)
    home = reverse("assessments:home")
    assert client.get(home).status_code == 200
    membership = Membership.objects.get(user=editor, municipality=municipality)
    membership.role = Membership.Role.COORDINATOR
    membership.save()
    response = client.get(home)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor_setup"))


@pytest.mark.django_db
def test_a_new_region_membership_is_asked_at_once(client, settings, editor, region):
    from assessments.models import RegionMembership

    settings.TWO_FACTOR_REQUIRED = True
    client.force_login(editor)
    home = reverse("assessments:home")
    assert client.get(home).status_code == 200
    RegionMembership.objects.create(user=editor, region=region)
    assert client.get(home).status_code == 302


@pytest.mark.django_db
def test_an_editors_requests_do_not_ask_the_database_about_roles_each_time(
    client, settings, editor, django_assert_num_queries
):
    from assessments.accounts.middleware import requires_two_factor

    settings.TWO_FACTOR_REQUIRED = True
    assert requires_two_factor(editor) is False
    with django_assert_num_queries(0):
        assert requires_two_factor(editor) is False
