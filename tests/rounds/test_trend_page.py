"""The trend page: a municipality's rounds side by side and the change since the last one."""

from __future__ import annotations

import pytest
from django.urls import reverse

from assessments.models import Assessment
from assessments.rounds import services as round_services
from assessments.rounds.trend import build_trend, trend_rows
from tests.factories import AssessmentFactory
from tests.helpers.actions import answer_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_rounds(assessment, coordinator, editor):
    """A closed round with every answer at level 1, then an open one at level 3."""
    answer_all(assessment, editor, "1")
    round_services.close_assessment(assessment=assessment, user=coordinator)
    later = round_services.start_assessment(
        municipality=assessment.municipality,
        user=coordinator,
        title="Herhaalmeting",
        framework=assessment.framework,
    )
    answer_all(later, editor, "3")
    return assessment, Assessment.objects.get(pk=later.pk)


def test_the_change_per_step_and_theme_since_the_previous_round(two_rounds):
    first, later = two_rounds
    data = build_trend(later)
    assert [r.id for r in data.rounds] == [first.pk, later.pk]
    assert {c.code: (c.previous, c.current, c.delta) for c in data.trend.steps} == {
        "wijkbasis": (25, 75, 50),
        "samenwerking": (25, 75, 50),
        "start_nu": (25, 75, 50),
    }
    assert {c.code: c.delta for c in data.trend.themes} == dict.fromkeys("AEBDFGCH", 50)
    rows = trend_rows(data)
    assert [r.code for r in rows[:3]] == ["wijkbasis", "samenwerking", "start_nu"]
    assert rows[0].scores == (25, 75)


def test_the_page_shows_arrows_with_figures_and_a_line_chart_per_step(
    client, two_rounds, viewer, django_assert_max_num_queries
):
    _first, later = two_rounds
    client.force_login(viewer)
    with django_assert_max_num_queries(14):
        page = client.get(reverse("assessments:trend", args=[later.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "▲ +50" in html
    for step in ("wijkbasis", "samenwerking", "start_nu"):
        assert f'id="trend-{step}-title"' in html


def test_a_first_round_has_no_previous_measurement(client, assessment, viewer):
    client.force_login(viewer)
    page = client.get(reverse("assessments:trend", args=[assessment.pk]))
    assert "nog geen afgesloten meting" in page.content.decode()
    assert build_trend(assessment).trend is None


def test_rounds_of_another_municipality_never_appear(two_rounds, other_municipality):
    first, _later = two_rounds
    elsewhere = AssessmentFactory(municipality=other_municipality, framework=first.framework)
    assert [r.id for r in build_trend(elsewhere).rounds] == [elsewhere.pk]


def test_a_later_round_is_not_part_of_an_earlier_ones_trend(two_rounds):
    first, later = two_rounds
    round_services.close_assessment(assessment=later, user=first.created_by or later.created_by)
    assert [r.id for r in build_trend(first).rounds] == [first.pk]
