"""The API against its own OpenAPI schema (schemathesis): every operation and every
documented parameter, valid and invalid values, with the tokens of two personas.

No answer is a server error, and a documented answer matches its schema. The app is called
as a WSGI application in this process, so it sees the test database and no server runs.
The schema is the one ``/api/v1/schema/`` serves, generated at import (one test per
operation; schemathesis's lazy fixture loader does not run on our pytest version).
Each generated request is also sent with the path's id swapped for one of the test data's
real objects, so the fuzzed query parameters reach real rows, not only 404s.
"""

from __future__ import annotations

import json
import re

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from rest_framework.throttling import UserRateThrottle
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from assessments.api.services import create_api_token
from assessments.models import Action, Region, RegionMembership
from tests.factories import AssessmentFactory, ResponseFactory, answer_all, close_round

CHECKS = [not_a_server_error, content_type_conformance, response_schema_conformance]


@pytest.fixture
def api_world(assessment, coordinator, consultant, region, region_coordinator):
    """A coordinator of one municipality, and a consultant of two who also coordinates two
    regions, one of them without a lead municipality. An open and a closed round with
    answers and a plan."""
    closed = AssessmentFactory(
        municipality=assessment.municipality, framework=assessment.framework, title="Vorig jaar"
    )
    answer_all(ResponseFactory(assessment=closed, respondent=coordinator), value="2")
    Action.objects.create(assessment=closed, title="Woonafspraken maken")
    close_round(closed, coordinator)
    closed.shares_with_region = True
    closed.save(update_fields=["shares_with_region"])
    leaderless = Region.objects.create(name="Zonder trekker", kind=Region.Kind.OWN)
    leaderless.members.add(assessment.municipality)
    for place in (region, leaderless):
        RegionMembership.objects.create(user=consultant, region=place)
    return {
        "ids": {
            "gemeenten": [assessment.municipality_id],
            "metingen": [assessment.pk, closed.pk],
            "regios": [region.pk, leaderless.pk],
        },
        "tokens": [
            create_api_token(user=user, name="fuzz", days=1)[1]
            for user in (coordinator, consultant)
        ],
    }


def _served_schema() -> dict:
    generated = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(generated, renderer_context={}))


class _PerTestApp:
    """The WSGI application, built per test: the middleware reads the test settings (no
    https redirect) when it is built, which is after import."""

    handler = None

    def __call__(self, environ, start_response):
        return self.handler(environ, start_response)


_app = _PerTestApp()
schema = schemathesis.openapi.from_dict(_served_schema())
schema.app = _app


@pytest.fixture(autouse=True)
def _wsgi_app(monkeypatch, settings):
    # The WSGI client's host.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]
    # Hundreds of requests per token: the hourly limit is tested in tests/api.
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"user": None, "anon": None})
    monkeypatch.setattr(_app, "handler", get_wsgi_application())
    # As Django's test client does: a request must not close the test's connection (and
    # its transaction) when it starts or finishes.
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


_COLLECTION = re.compile(r"^/api/v1/(\w+)/\{id\}/")


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=30,
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_never_answers_with_a_server_error(case, api_world):
    real_ids = [None]
    match = _COLLECTION.match(case.operation.path)
    if match and isinstance(case.path_parameters, dict) and "id" in case.path_parameters:
        real_ids += api_world["ids"][match.group(1)]
    generated = dict(case.path_parameters or {})
    for secret in api_world["tokens"]:
        for real_id in real_ids:
            case.path_parameters = generated if real_id is None else {**generated, "id": real_id}
            case.call_and_validate(headers={"Authorization": f"Bearer {secret}"}, checks=CHECKS)
    case.path_parameters = generated
