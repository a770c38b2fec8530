"""Regions: a round's consent to share, the region's heat map and its PDF.

The rule that matters: no figure of a member that does not share ever leaves the server.
"""

import io
import json
import logging

import pypdf
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import Assessment
from assessments.regions.overview import build_region_overview
from assessments.rounds.services import AnswerInput, close_assessment, save_answers
from readiness.models import Question
from tests.factories import AssessmentFactory, MembershipFactory, MunicipalityFactory, UserFactory


def answer_everything(assessment: Assessment, value: str) -> None:
    questions = Question.objects.filter(framework=assessment.framework)
    save_answers(
        assessment=assessment,
        user=UserFactory(),
        items=[AnswerInput(question=q, value=value, note="") for q in questions],
    )


def closed_round(municipality, framework, value: str, *, shares: bool) -> Assessment:
    """Every theme of the round scores value × 25."""
    round_ = AssessmentFactory(municipality=municipality, framework=framework)
    answer_everything(round_, value)
    close_assessment(assessment=round_, user=UserFactory())
    Assessment.objects.filter(pk=round_.pk).update(shares_with_region=shares)
    return round_


@pytest.fixture
def members(region, framework):
    """Zonnedal (lead) shares 75; Buurdorp shares 25; Stilwater (3 rounds closed at 100,
    the newest shared with *nobody*) does not share; Leegveld has no round."""
    zonnedal, buurdorp = region.members.order_by("name").reverse()
    stilwater = MunicipalityFactory(name="Stilwater")
    leegveld = MunicipalityFactory(name="Leegveld")
    region.members.add(stilwater, leegveld)
    closed_round(zonnedal, framework, "3", shares=True)
    closed_round(buurdorp, framework, "1", shares=True)
    for _ in range(3):
        closed_round(stilwater, framework, "4", shares=False)
    return {"zonnedal": zonnedal, "buurdorp": buurdorp, "stilwater": stilwater}


def region_url(region, name="assessments:region"):
    return reverse(name, args=[region.pk])


@pytest.mark.django_db
def test_heat_map_shows_sharing_members_and_deelt_niet_for_the_others(
    client, region, members, region_coordinator, django_assert_max_num_queries
):
    overview = build_region_overview(region)
    rows = {row.municipality: row for row in overview.rows}
    assert [row.municipality for row in overview.rows] == [
        "Buurdorp",
        "Leegveld",
        "Stilwater",
        "Zonnedal",
    ]
    assert [c.score for c in rows["Zonnedal"].cells] == [75] * 8
    assert {c.light for c in rows["Zonnedal"].cells} == {"groen"}
    assert [c.score for c in rows["Buurdorp"].cells] == [25] * 8
    assert rows["Zonnedal"].is_lead
    assert not rows["Stilwater"].shares and rows["Stilwater"].cells == ()
    assert not rows["Leegveld"].shares
    # The median of 25 and 75; Stilwater's 100 is not in it.
    assert {t.median for t in overview.themes} == {50}
    assert overview.sharing == 2

    client.force_login(region_coordinator)
    with django_assert_max_num_queries(8):
        response = client.get(region_url(region))
    assert response.status_code == 200
    html = response.text
    assert html.count("deelt niet") == 2
    assert "75 · groen" in html and "25 · rood" in html
    body = html.split("<tbody>")[1].split("</tbody>")[0]
    assert "100" not in body  # Stilwater's score nowhere in the table


@pytest.mark.django_db
def test_heat_map_never_reads_a_round_that_is_not_shared(region, members):
    """The filter is in the query: every query that reads snapshots asks for shared rounds
    only, so no figure of Stilwater is even loaded."""
    with CaptureQueriesContext(connection) as queries:
        build_region_overview(region)
    reading = [q["sql"] for q in queries.captured_queries if '"snapshot"' in q["sql"]]
    assert reading
    assert all('"shares_with_region"' in sql for sql in reading)


@pytest.mark.django_db
def test_heat_map_sorts_by_a_theme_highest_first(client, region, members, region_coordinator):
    overview = build_region_overview(region, sort="B")
    assert [row.municipality for row in overview.rows] == [
        "Zonnedal",
        "Buurdorp",
        "Leegveld",
        "Stilwater",
    ]
    assert build_region_overview(region, sort="onzin").sorted_by == "naam"
    client.force_login(region_coordinator)
    html = client.get(region_url(region) + "?sorteer=B").text
    assert html.index("Zonnedal") < html.index("Buurdorp") < html.index("Stilwater")


@pytest.mark.django_db
def test_regional_pdf_has_the_sharing_members_only(client, region, members, region_coordinator):
    client.force_login(region_coordinator)
    response = client.get(region_url(region, "assessments:region_pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    reader = pypdf.PdfReader(io.BytesIO(response.getvalue()))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "Regio Rivierenland" in text
    assert "75 · groen" in text and "25 · rood" in text
    assert text.count("deelt niet") == 2
    assert "100 ·" not in text and "groen" not in text.split("Stilwater")[1].split("Zonnedal")[0]


@pytest.mark.django_db
def test_a_member_of_a_municipality_in_the_region_cannot_see_the_region(
    client, region, members, coordinator
):
    client.force_login(coordinator)  # Zonnedal's coordinator, the lead municipality
    assert client.get(region_url(region)).status_code == 404
    assert client.get(region_url(region, "assessments:region_pdf")).status_code == 404


@pytest.mark.django_db
def test_a_coordinator_of_another_region_gets_404(client, region, members):
    from assessments.models import Region, RegionMembership

    other = Region.objects.create(name="Elders", kind=Region.Kind.ZORG)
    user = UserFactory()
    RegionMembership.objects.create(user=user, region=other)
    client.force_login(user)
    assert client.get(region_url(region)).status_code == 404
    assert client.get(region_url(other)).status_code == 200


@pytest.mark.django_db
def test_coordinator_switches_consent_logged_and_in_the_history(
    client, region, assessment, coordinator, caplog
):
    assert assessment.shares_with_region is False  # off by default
    client.force_login(coordinator)
    url = reverse("assessments:region_consent", args=[assessment.pk])
    with caplog.at_level(logging.INFO, logger="scan.security"):
        response = client.post(url, {"delen": "ja"})
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.shares_with_region is True
    events = [json.loads(r.getMessage()) for r in caplog.records if r.name == "scan.security"]
    assert [(e["event"], e["actor"], e["action"]) for e in events if e["event"] != "login"] == [
        ("region_consent", f"user:{coordinator.pk}", "delen met de regio aan")
    ]
    latest = assessment.history.first()
    assert latest.shares_with_region is True
    assert latest.history_user == coordinator
    assert latest.history_change_reason == "delen met de regio aan"

    client.post(url, {"delen": "nee"})
    assessment.refresh_from_db()
    assert assessment.shares_with_region is False
    assert assessment.history.first().history_change_reason == "delen met de regio uit"


@pytest.mark.django_db
def test_only_a_coordinator_switches_consent(client, region, assessment, editor, viewer):
    url = reverse("assessments:region_consent", args=[assessment.pk])
    for user in (editor, viewer):
        client.force_login(user)
        assert client.post(url, {"delen": "ja"}).status_code == 403
    assessment.refresh_from_db()
    assert assessment.shares_with_region is False


@pytest.mark.django_db
def test_results_page_offers_the_switch_to_coordinators_of_a_region_member(
    client, region, assessment, coordinator, editor
):
    url = reverse("assessments:results", args=[assessment.pk])
    client.force_login(coordinator)
    assert "Delen met de regio" in client.get(url).text
    client.force_login(editor)
    assert "Delen met de regio" not in client.get(url).text
    # A municipality in no region has no switch.
    lone = AssessmentFactory(municipality=MunicipalityFactory(), framework=assessment.framework)
    MembershipFactory(municipality=lone.municipality, user=coordinator, role="coordinator")
    client.force_login(coordinator)
    page = client.get(reverse("assessments:results", args=[lone.pk])).text
    assert "Delen met de regio" not in page


@pytest.mark.django_db
def test_home_links_the_region_for_its_coordinator(client, region, region_coordinator):
    client.force_login(region_coordinator)
    html = client.get(reverse("assessments:home")).text
    assert region_url(region) in html
