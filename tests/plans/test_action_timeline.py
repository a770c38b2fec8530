"""The action plan against the calendar: flags and counts, filters and sorting from GET
parameters (unknown values ignored with a message), and the timeline page."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from assessments.models import Action
from assessments.plans.plan_page import parse_query
from assessments.plans.timeline import plan_rows
from assessments.rounds.results import ActionRow
from readiness.models import Question
from tests.helpers.actions import ActionFactory

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def plan(assessment, settings):
    settings.WOONPLAATSBEGINSEL_DATE = D(2998, 1, 1)
    critical = Question.objects.get(framework=assessment.framework, code="A1")
    late = ActionFactory(
        assessment=assessment,
        title="Te late actie",
        owner="Team wonen",
        owner_domain="wonen",
        status="bezig",
        due_date=D(2000, 1, 1),
        start_date=D(1999, 6, 1),
        priority=2,
    )
    after = ActionFactory(
        assessment=assessment,
        title="Na de invoering",
        owner="Regio",
        owner_domain="wmo_zorg",
        due_date=D(2999, 1, 1),
        priority=8,
    )
    after.questions.add(critical)
    done = ActionFactory(
        assessment=assessment,
        title="Al gereed",
        owner="Team wonen",
        status="gereed",
        due_date=D(2000, 1, 1),
    )
    undated = ActionFactory(assessment=assessment, title="Zonder deadline", owner="")
    return {"late": late, "after": after, "done": done, "undated": undated}


def test_flags_with_a_fixed_today():
    row = ActionRow(
        title="x",
        description="",
        question_codes=("A1",),
        owner="",
        owner_domain_code="",
        due_date=D(2027, 3, 1),
        status_code="gepland",
        level_code="ambtelijk",
        priority=0,
        order=0,
    )
    (before,) = plan_rows(
        [row],
        today=D(2027, 2, 28),
        transition=D(2027, 1, 1),
        critical=frozenset({"A1"}),
        round_start=D(2026, 1, 1),
    )
    (after,) = plan_rows(
        [row],
        today=D(2027, 3, 2),
        transition=None,
        critical=frozenset({"A1"}),
        round_start=D(2026, 1, 1),
    )
    assert (before.is_overdue, before.is_after_transition, before.start) == (
        False,
        True,
        D(2026, 1, 1),
    )
    assert (after.is_overdue, after.is_after_transition) == (True, False)


def test_the_list_counts_and_marks_overdue_and_after_transition(client, plan, assessment, viewer):
    client.force_login(viewer)
    html = client.get(reverse("assessments:actions", args=[assessment.pk])).content.decode()
    assert "<strong>1</strong> actie is te laat" in html
    assert "<strong>1</strong> actie voor een basisvoorwaarde eindigt pas daarna" in html
    assert html.count(">te laat</span>") == 1
    assert html.count(">na invoering</span>") == 1


def test_filters_by_status_owner_and_domain(client, plan, assessment, viewer):
    client.force_login(viewer)
    url = reverse("assessments:actions", args=[assessment.pk])

    def titles(**params):
        page = client.get(url, params)
        return [p.row.title for p in page.context["plan"]]

    assert titles(status="gereed") == ["Al gereed"]
    assert titles(eigenaar="Team wonen") == ["Te late actie", "Al gereed"]
    assert titles(domein="wmo_zorg") == ["Na de invoering"]
    assert titles(sorteer="prioriteit")[:2] == ["Na de invoering", "Te late actie"]
    assert titles(sorteer="deadline") == [
        "Te late actie",
        "Al gereed",
        "Na de invoering",
        "Zonder deadline",
    ]


@pytest.mark.parametrize(
    "params",
    [{"status": "kapot"}, {"eigenaar": "Niemand"}, {"domein": "<script>"}, {"sorteer": "x" * 500}],
)
def test_unknown_values_are_ignored_with_a_message(client, plan, assessment, viewer, params):
    client.force_login(viewer)
    page = client.get(reverse("assessments:actions", args=[assessment.pk]), params)
    assert page.status_code == 200
    assert len(page.context["plan"]) == 4
    messages = [str(m) for m in page.context["messages"]]
    assert len(messages) == 1 and "genegeerd" in messages[0]
    assert "<script>" not in page.content.decode()


def test_parse_query_keeps_known_values():
    query = parse_query({"status": "bezig", "eigenaar": "Regio", "sorteer": "status"}, ["Regio"])
    assert (query.status, query.owner, query.sort, query.ignored) == (
        "bezig",
        "Regio",
        "status",
        [],
    )


def test_the_timeline_shows_bars_the_transition_line_and_a_table(
    client, plan, assessment, viewer, django_assert_max_num_queries
):
    client.force_login(viewer)
    with django_assert_max_num_queries(10):
        page = client.get(reverse("assessments:action_timeline", args=[assessment.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count('class="chart-bar"') == 3  # the undated action has no bar
    assert 'class="chart-transition"' in html
    assert "Invoering woonplaatsbeginsel: 1 jan. 2998" in html or "1 januari 2998" in html
    assert "Zonder deadline" in html  # listed as undated
    assert html.count("<tr>") == 4  # header and three dated actions in the table


def test_without_a_transition_date_the_timeline_says_so(client, plan, assessment, viewer, settings):
    settings.WOONPLAATSBEGINSEL_DATE = None
    client.force_login(viewer)
    html = client.get(reverse("assessments:action_timeline", args=[assessment.pk])).content.decode()
    assert "nog niet vastgesteld" in html
    assert 'class="chart-transition"' not in html
    assert Action.objects.filter(assessment=assessment).count() == 4
