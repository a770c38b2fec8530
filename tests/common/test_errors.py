"""Error pages: Dutch, and the 500 page survives a failing database."""

from unittest import mock

import pytest
from django.test import RequestFactory

from assessments.common import errors


@pytest.mark.django_db
def test_server_error_page_is_dutch_and_says_saved_answers_are_kept(rf: RequestFactory):
    response = errors.server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Wat u als opgeslagen zag, is bewaard" in response.content.decode()


def test_server_error_page_survives_when_rendering_fails(rf: RequestFactory):
    with mock.patch.object(errors, "render", side_effect=RuntimeError("database down")):
        response = errors.server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Er ging iets mis" in response.content.decode()
