"""/api/v1/ is the API's root: links to the endpoints and the docs, not a bare 404 (issue 21)."""

from __future__ import annotations

import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_the_api_root_links_the_endpoints_and_the_docs(client):
    response = client.get("/api/v1/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    links = response.json()
    assert links["gemeenten"].endswith(reverse("api:municipalities"))
    assert links["metingen"].endswith(reverse("api:rounds"))
    assert links["regios"].endswith(reverse("api:regions"))
    assert links["docs"].endswith(reverse("api:docs"))
    assert links["schema"].endswith(reverse("api:schema"))
