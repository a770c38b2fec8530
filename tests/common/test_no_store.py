"""Responses with a municipality's data carry ``Cache-Control: private, no-store``
(issue 20 item 8): pages, results, exports and files alike."""

import pytest
from django.urls import reverse

PAGES = ["detail", "results", "actions", "answers_xlsx", "scores_csv", "trend"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", PAGES)
def test_every_page_and_file_of_a_round_is_no_store(client, assessment, coordinator, name):
    client.force_login(coordinator)
    response = client.get(reverse(f"assessments:{name}", args=[assessment.pk]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


@pytest.mark.django_db
def test_the_home_page_is_no_store(client, coordinator):
    client.force_login(coordinator)
    assert "no-store" in client.get(reverse("assessments:home"))["Cache-Control"]
