"""The read-only API: personal tokens (hashed, shown once, expiry, revocation), the same
access rules as the pages, scores and plans, pagination, rate limits, schema and docs."""

import datetime
import hashlib
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.throttling import UserRateThrottle

from assessments import access
from assessments.api.services import create_api_token
from assessments.api.views import scores_data
from assessments.models import Action, ApiToken, Assessment, Membership
from assessments.rounds.results import load_results
from assessments.rounds.services import close_assessment
from tests.factories import AssessmentFactory, ResponseFactory, answer_all


def bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.mark.django_db
def test_a_token_is_shown_once_and_stored_as_a_hash_only(client, editor):
    client.force_login(editor)
    made = client.post(reverse("assessments:profile"), {"name": "Power BI", "days": "30"})
    assert made.status_code == 200
    secret = re.search(r"bts_[A-Za-z0-9_-]+", made.content.decode()).group(0)
    token = ApiToken.objects.get(user=editor)
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in {token.name, token.prefix, token.token_hash}
    assert secret.startswith(token.prefix)
    assert "no-store" in made["Cache-Control"]
    later = client.get(reverse("assessments:profile")).content.decode()
    assert token.prefix in later and secret not in later


@pytest.mark.django_db
def test_a_token_reads_only_its_users_municipalities(client, assessment, outsider, editor):
    theirs = AssessmentFactory(title="Meting van de buren")
    _token, secret = create_api_token(user=editor, name="x", days=1)
    rounds = client.get(reverse("api:rounds"), **bearer(secret))
    assert rounds.status_code == 200
    assert [r["id"] for r in rounds.json()["results"]] == [assessment.pk]
    places = client.get(reverse("api:municipalities"), **bearer(secret)).json()["results"]
    assert [(p["name"], p["role"]) for p in places] == [("Zonnedal", "editor")]
    for name, pk in (
        ("api:round", theirs.pk),
        ("api:round_scores", theirs.pk),
        ("api:round_actions", theirs.pk),
        ("api:municipality", theirs.municipality_id),
    ):
        assert client.get(reverse(name, args=[pk]), **bearer(secret)).status_code == 404


@pytest.mark.django_db
def test_expired_revoked_and_unknown_tokens_get_401(client, assessment, editor):
    token, secret = create_api_token(user=editor, name="x", days=1)
    url = reverse("api:rounds")
    assert client.get(url, **bearer(secret)).status_code == 200
    assert client.get(url, **bearer("bts_onbekend")).status_code == 401
    assert client.get(url).status_code == 401
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now())
    expired = client.get(url, **bearer(secret))
    assert expired.status_code == 401
    assert expired["WWW-Authenticate"] == "Bearer"
    ApiToken.objects.filter(pk=token.pk).update(
        expires_at=timezone.now() + datetime.timedelta(days=1)
    )
    client.force_login(editor)
    client.post(reverse("assessments:api_token_revoke", args=[token.pk]))
    client.logout()
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert client.get(url, **bearer(secret)).status_code == 401


@pytest.mark.django_db
def test_a_user_cannot_revoke_anothers_token(client, editor, viewer):
    token, _secret = create_api_token(user=editor, name="x", days=1)
    client.force_login(viewer)
    response = client.post(reverse("assessments:api_token_revoke", args=[token.pk]))
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


@pytest.mark.django_db
def test_an_expired_consultant_token_sees_nothing(client, assessment, consultant):
    _token, secret = create_api_token(user=consultant, name="x", days=1)
    assert client.get(reverse("api:rounds"), **bearer(secret)).json()["count"] == 1
    Membership.objects.filter(user=consultant).update(valid_until=timezone.now())
    assert client.get(reverse("api:rounds"), **bearer(secret)).json()["count"] == 0
    response = client.get(reverse("api:round", args=[assessment.pk]), **bearer(secret))
    assert response.status_code == 404


@pytest.mark.django_db
def test_token_use_is_recorded(client, assessment, editor):
    token, secret = create_api_token(user=editor, name="x", days=1)
    client.get(reverse("api:rounds"), **bearer(secret))
    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.django_db
def test_scores_per_step_and_theme_of_an_open_and_a_closed_round(
    client, assessment, coordinator, editor
):
    answer_all(ResponseFactory(assessment=assessment, respondent=editor), value="3")
    _token, secret = create_api_token(user=coordinator, name="x", days=1)
    url = reverse("api:round_scores", args=[assessment.pk])
    data = client.get(url, **bearer(secret)).json()
    assert [s["code"] for s in data["steps"]] == ["wijkbasis", "samenwerking", "start_nu"]
    assert [t["code"] for t in data["themes"]] == list("AEBDFGCH")
    assert data["overall"]["score"] == 75.0
    assert data["steps"][0]["target"] == 3
    assert {t["light"] for t in data["themes"]} == {"groen"}
    round_ = access.get_assessment_for_view(coordinator, assessment.pk)
    close_assessment(assessment=round_, user=coordinator)
    round_.refresh_from_db()
    assert client.get(url, **bearer(secret)).json() == scores_data(round_, load_results(round_))
    assert data == scores_data(round_, load_results(round_))  # unchanged by closing


@pytest.mark.django_db
def test_actions_are_paginated(client, settings, assessment, viewer):
    for n in range(3):
        Action.objects.create(assessment=assessment, title=f"Actie {n}", order=n)
    _token, secret = create_api_token(user=viewer, name="x", days=1)
    url = reverse("api:round_actions", args=[assessment.pk])
    first = client.get(url, **bearer(secret)).json()
    assert first["count"] == 3
    assert [a["title"] for a in first["results"]] == ["Actie 0", "Actie 1", "Actie 2"]
    assert first["next"] is None
    assert client.get(url, {"page": 2}, **bearer(secret)).status_code == 404


@pytest.mark.django_db
def test_the_api_is_read_only(client, assessment, coordinator):
    _token, secret = create_api_token(user=coordinator, name="x", days=1)
    url = reverse("api:round", args=[assessment.pk])
    for method in ("post", "put", "patch", "delete"):
        assert getattr(client, method)(url, **bearer(secret)).status_code == 405


@pytest.mark.django_db
def test_rate_limit_per_user(client, monkeypatch, assessment, editor):
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"user": "2/hour", "anon": "2/hour"})
    _token, secret = create_api_token(user=editor, name="x", days=1)
    url = reverse("api:rounds")
    statuses = [client.get(url, **bearer(secret)).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


@pytest.mark.django_db
def test_schema_is_openapi_3_with_every_endpoint(client):
    response = client.get(reverse("api:schema"), {"format": "json"})
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert {
        "/api/v1/gemeenten/",
        "/api/v1/gemeenten/{id}/",
        "/api/v1/metingen/",
        "/api/v1/metingen/{id}/",
        "/api/v1/metingen/{id}/scores/",
        "/api/v1/metingen/{id}/acties/",
        "/api/v1/metingen/{id}/wettelijke-plichten/",
        "/api/v1/metingen/{id}/indicatoren/",
        "/api/v1/regios/",
        "/api/v1/regios/{id}/heatmap/",
    } <= set(schema["paths"])
    for path in schema["paths"].values():
        assert set(path) <= {"get", "parameters"}


@pytest.mark.django_db
def test_docs_load_no_third_party_assets_under_a_strict_csp(client):
    response = client.get(reverse("api:docs"))
    body = response.content.decode()
    csp = response["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "script-src 'self'" in csp
    assert "<style" not in body
    assert re.search(r"<script>", body) is None  # no inline script
    sources = re.findall(r'(?:src|href)="([^"]+)"', body)
    assert sources and all(s.startswith("/") for s in sources), sources
    script = next(s for s in sources if "script=" in s)
    assert client.get(script).status_code == 200


@pytest.mark.django_db
def test_staff_see_tokens_in_the_admin_without_their_hash(client, staff, editor):
    token, _secret = create_api_token(user=editor, name="Power BI", days=1)
    client.force_login(staff)
    listing = client.get(reverse("admin:assessments_apitoken_changelist"))
    assert listing.status_code == 200 and token.prefix in listing.content.decode()
    change = client.get(reverse("admin:assessments_apitoken_change", args=[token.pk]))
    assert change.status_code == 200
    assert token.token_hash not in change.content.decode()
    assert client.get(reverse("admin:assessments_apitoken_add")).status_code == 403


@pytest.mark.django_db
def test_the_heat_map_is_for_the_region_coordinator_and_only_shared_rounds(
    client, region, framework, region_coordinator, coordinator
):
    zonnedal, buurdorp = region.members.order_by("name").reverse()
    for place, value, shares in ((zonnedal, "3", True), (buurdorp, "4", False)):
        round_ = AssessmentFactory(municipality=place, framework=framework)
        answer_all(ResponseFactory(assessment=round_), value=value)
        close_assessment(assessment=round_, user=coordinator)
        Assessment.objects.filter(pk=round_.pk).update(shares_with_region=shares)
    _token, secret = create_api_token(user=region_coordinator, name="x", days=1)
    assert [
        r["id"] for r in client.get(reverse("api:regions"), **bearer(secret)).json()["results"]
    ] == [region.pk]
    data = client.get(reverse("api:region_heatmap", args=[region.pk]), **bearer(secret)).json()
    rows = {row["municipality"]: row for row in data["rows"]}
    assert [c["score"] for c in rows["Zonnedal"]["cells"]] == [75] * 8
    assert rows["Buurdorp"]["shares"] is False and rows["Buurdorp"]["cells"] == []
    assert "100" not in str(rows["Buurdorp"])  # the unshared score never leaves the server
    assert {t["median"] for t in data["themes"]} == {75}
    # A coordinator of a member municipality is no region coordinator.
    _token, theirs = create_api_token(user=coordinator, name="x", days=1)
    response = client.get(reverse("api:region_heatmap", args=[region.pk]), **bearer(theirs))
    assert response.status_code == 404
