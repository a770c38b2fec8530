"""The cover-branding page is linked for coordinators, and refused with the real reason."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import ResponseFactory, answer_all, close_round


def branding_url(municipality) -> str:
    return reverse("assessments:report_branding", args=[municipality.pk])


@pytest.mark.django_db
def test_the_members_page_links_the_cover(client, coordinator, municipality):
    client.force_login(coordinator)
    page = client.get(reverse("assessments:members", args=[municipality.pk])).content.decode()
    assert branding_url(municipality) in page


@pytest.mark.django_db
def test_the_report_page_links_the_cover_for_a_coordinator_only(
    client, assessment, coordinator, viewer, municipality
):
    answer_all(ResponseFactory(assessment=assessment, respondent=coordinator), "3")
    close_round(assessment, coordinator)
    url = reverse("assessments:report", args=[assessment.pk])
    client.force_login(coordinator)
    assert branding_url(municipality) in client.get(url).content.decode()
    client.force_login(viewer)
    page = client.get(url)
    assert page.status_code == 200
    assert branding_url(municipality) not in page.content.decode()


@pytest.mark.django_db
def test_a_consultant_is_told_only_a_coordinator_may_change_the_cover(
    client, consultant, municipality
):
    client.force_login(consultant)
    response = client.get(branding_url(municipality))
    assert response.status_code == 403
    page = response.content.decode()
    assert "voorblad van het rapport aanpassen" in page
    assert "leden beheren" not in page
