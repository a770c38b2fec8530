"""The home page of a regio-coördinator, who has a region but no municipality (issue 21)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import UserFactory


@pytest.mark.django_db
def test_a_region_coordinator_sees_the_region_not_that_they_lack_a_municipality(
    client, region, region_coordinator
):
    client.force_login(region_coordinator)
    html = client.get(reverse("assessments:home")).text
    assert "nog niet gekoppeld aan een gemeente" not in html
    assert reverse("assessments:region", args=[region.pk]) in html
    assert "Regio Rivierenland" in html
    assert "2 gemeenten" in html


@pytest.mark.django_db
def test_a_user_without_municipality_or_region_is_told_to_ask_for_an_invitation(client, db):
    client.force_login(UserFactory())
    assert "nog niet gekoppeld aan een gemeente" in client.get(reverse("assessments:home")).text
