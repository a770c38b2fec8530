"""Wrong API tokens are throttled per address (issue 20 item 8): DRF's own throttles run
only after a successful authentication, so they never saw a wrong token."""

import pytest
from django.urls import reverse

from assessments.api.services import create_api_token


@pytest.mark.django_db
def test_wrong_tokens_are_throttled_and_a_good_one_from_elsewhere_is_not(client, coordinator):
    url = reverse("api:rounds")
    wrong = {"Authorization": "Bearer bts_niet-goed"}
    # The default rate (API_RATE_FAILED_TOKEN): 10 wrong tokens a minute.
    statuses = [client.get(url, headers=wrong).status_code for _ in range(12)]
    assert statuses == [401] * 10 + [429, 429]
    _token, secret = create_api_token(user=coordinator, name="t", days=1)
    # Blocked per address: the same address is refused even with a good token...
    assert client.get(url, headers={"Authorization": f"Bearer {secret}"}).status_code == 429
    # ...another address is not.
    other = client.get(url, headers={"Authorization": f"Bearer {secret}"}, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200


@pytest.mark.django_db
def test_a_made_up_forwarded_for_header_does_not_escape_the_count(client):
    url = reverse("api:rounds")
    statuses = [
        client.get(
            url,
            headers={"Authorization": "Bearer bts_niet-goed", "X-Forwarded-For": f"10.1.0.{n}"},
        ).status_code
        for n in range(11)
    ]
    assert statuses == [401] * 10 + [429]
