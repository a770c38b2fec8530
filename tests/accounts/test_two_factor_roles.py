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
