"""A consultant's access is shown as the day the coordinator chose ("tot en met 30 juni"),
not as the midnight after it that is stored ("tot 1 juli 00:00") (issue 21)."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from assessments.models import Membership
from tests.factories import UserFactory


@pytest.mark.django_db
def test_the_chosen_last_day_is_shown_on_the_members_page_message_and_portfolio(
    client, municipality, other_municipality, coordinator
):
    adviser = UserFactory(username="adviseur", email="adviseur@bureau.example")
    # A second municipality, so the adviser has a portfolio.
    Membership.objects.create(
        user=adviser, municipality=other_municipality, role=Membership.Role.VIEWER
    )
    day = timezone.localdate() + datetime.timedelta(days=30)
    chosen = date_format(day, "j F Y")
    stored = date_format(day + datetime.timedelta(days=1), "j F Y")
    client.force_login(coordinator)
    response = client.post(
        reverse("assessments:consultant_grant", args=[municipality.pk]),
        {"adviseur-email": adviser.email, "adviseur-valid_until": day.isoformat()},
    )
    membership = Membership.objects.get(user=adviser, municipality=municipality)
    assert membership.last_day == day
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        f"De adviseur heeft nu toegang tot en met {chosen}."
    ]

    members = client.get(reverse("assessments:members", args=[municipality.pk])).text
    assert f"tot en met {chosen}" in members
    assert stored not in members

    client.force_login(adviser)
    home = client.get(reverse("assessments:home")).text
    assert f"toegang tot en met {chosen}" in home
    assert stored not in home
