"""Fixtures of the partner-link tests: a link of the round, and a partner's session."""

import pytest
from django.test import Client

from tests.helpers.partners import make_link, open_link


@pytest.fixture
def link(assessment, coordinator):
    return make_link(assessment, coordinator)


@pytest.fixture
def partner(link):
    """A browser that opened the link: a partner session for it."""
    client = Client()
    response = open_link(client, link)
    assert response.status_code == 302, response.content
    return client
