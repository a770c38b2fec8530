"""Consultants: granted per municipality by its coordinator (time-limited, revocable,
logged), read-only like a viewer, and a portfolio of their municipalities on the home page."""

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments import access
from assessments.models import Action, Assessment, Membership
from tests.factories import (
    AssessmentFactory,
    MembershipFactory,
    ResponseFactory,
    UserFactory,
    answer_all,
)


def grant_url(municipality) -> str:
    return reverse("assessments:consultant_grant", args=[municipality.pk])


def security_events(caplog, event: str) -> list[dict]:
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "scan.security"]
    return [line for line in lines if line["event"] == event]


@pytest.mark.django_db
def test_coordinator_grants_a_consultant_until_the_end_of_a_day(
    client, caplog, municipality, coordinator
):
    adviser = UserFactory(username="adviseur", email="adviseur@bureau.example")
    day = timezone.localdate() + datetime.timedelta(days=10)
    client.force_login(coordinator)
    response = client.post(
        grant_url(municipality),
        {"adviseur-email": "Adviseur@Bureau.example", "adviseur-valid_until": day.isoformat()},
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user=adviser, municipality=municipality)
    assert membership.role == Membership.Role.CONSULTANT
    assert timezone.localtime(membership.valid_until) == timezone.make_aware(
        datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min)
    )
    assert membership.history.count() == 1
    [event] = security_events(caplog, "consultant_granted")
    assert event["actor"] == "coordinator"
    assert municipality.code in event["object"]


@pytest.mark.django_db
def test_granting_needs_someone_from_outside_for_at_most_a_year(
    client, municipality, coordinator, editor
):
    # An address without an account gets an invitation: tests/members/test_consultant_invitation.py.
    client.force_login(coordinator)
    until = (timezone.localdate() + datetime.timedelta(days=5)).isoformat()
    colleague = client.post(
        grant_url(municipality), {"adviseur-email": editor.email, "adviseur-valid_until": until}
    )
    assert colleague.status_code == 400
    assert Membership.objects.get(user=editor, municipality=municipality).role == "editor"
    next_year = timezone.localdate() + datetime.timedelta(days=400)
    too_long = client.post(
        grant_url(municipality),
        {"adviseur-email": editor.email, "adviseur-valid_until": next_year.isoformat()},
    )
    assert too_long.status_code == 400


@pytest.mark.django_db
def test_the_member_forms_do_not_make_consultants(client, municipality, coordinator, editor):
    client.force_login(coordinator)
    invited = client.post(
        reverse("assessments:members", args=[municipality.pk]),
        {"name": "X", "email": "x@example.org", "role": "consultant"},
    )
    assert invited.status_code == 400
    membership = Membership.objects.get(user=editor, municipality=municipality)
    client.post(
        reverse("assessments:member_role", args=[municipality.pk, membership.pk]),
        {"role": "consultant"},
    )
    membership.refresh_from_db()
    assert membership.role == "editor"
    assert membership.valid_until is None


@pytest.mark.django_db
def test_an_expired_consultant_is_no_member(client, assessment, coordinator, consultant):
    # The coordinator's membership has no end: it must not count for the consultant.
    Membership.objects.filter(user=consultant).update(
        valid_until=timezone.now() - datetime.timedelta(minutes=1)
    )
    client.force_login(consultant)
    assert client.get(reverse("assessments:detail", args=[assessment.pk])).status_code == 404
    assert client.get(reverse("assessments:results", args=[assessment.pk])).status_code == 404
    home = client.get(reverse("assessments:home")).content.decode()
    assert assessment.title not in home
    assert list(access.assessments_for_user(consultant)) == []
    assert list(access.municipalities_for_user(consultant)) == []


@pytest.mark.django_db
def test_another_members_end_date_does_not_shorten_a_members_access(
    client, assessment, coordinator, consultant
):
    # The end date is read from the user's own membership, in the same join.
    Membership.objects.filter(user=consultant).update(
        valid_until=timezone.now() - datetime.timedelta(minutes=1)
    )
    assert access.get_assessment_for_view(coordinator, assessment.pk).member_role == "coordinator"


@pytest.mark.django_db
def test_a_consultant_reads_like_a_viewer_without_names(client, assessment, consultant, editor):
    round_ = access.get_assessment_for_view(consultant, assessment.pk)
    assert round_.member_role == Membership.Role.CONSULTANT
    seen = access.visibility(round_, consultant)
    assert seen.all_answers and not seen.names
    assert not access.can_edit(round_)
    client.force_login(consultant)
    assert client.post(reverse("assessments:close", args=[assessment.pk])).status_code == 403


@pytest.mark.django_db
def test_coordinator_revokes_a_consultant(client, caplog, assessment, coordinator, consultant):
    municipality = assessment.municipality
    membership = Membership.objects.get(user=consultant, municipality=municipality)
    client.force_login(coordinator)
    response = client.post(
        reverse("assessments:consultant_revoke", args=[municipality.pk, membership.pk])
    )
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert Membership.history.filter(id=membership.pk, history_type="-").exists()
    assert security_events(caplog, "consultant_revoked")
    client.force_login(consultant)
    assert client.get(reverse("assessments:detail", args=[assessment.pk])).status_code == 404


@pytest.mark.django_db
def test_revoking_refuses_a_colleague(client, municipality, coordinator, editor):
    membership = Membership.objects.get(user=editor, municipality=municipality)
    client.force_login(coordinator)
    client.post(reverse("assessments:consultant_revoke", args=[municipality.pk, membership.pk]))
    assert Membership.objects.filter(pk=membership.pk).exists()


# --- The portfolio ----------------------------------------------------------------------


@pytest.fixture
def portfolio(assessment, other_municipality, consultant, framework):
    """The consultant's two municipalities: one half-answered open round with an overdue
    action, and one closed round."""
    response = ResponseFactory(assessment=assessment)
    answers = answer_all(response)
    half = len(answers) // 2
    for answer in answers[half:]:
        answer.value = ""
        answer.save()
    Action.objects.create(
        assessment=assessment,
        title="Te laat",
        due_date=timezone.localdate() - datetime.timedelta(days=1),
    )
    Action.objects.create(
        assessment=assessment,
        title="Klaar",
        due_date=timezone.localdate() - datetime.timedelta(days=1),
        status=Action.Status.DONE,
    )
    closed = AssessmentFactory(
        municipality=other_municipality,
        framework=framework,
        title="Afgesloten meting",
        status=Assessment.Status.CLOSED,
    )
    return assessment, closed


def portfolio_rows(response):
    return {row.membership.municipality.name: row for row in response.context["portfolio"]}


@pytest.mark.django_db
def test_portfolio_shows_status_progress_and_overdue_actions(
    client, portfolio, consultant, django_assert_max_num_queries
):
    open_round, closed = portfolio
    client.force_login(consultant)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("assessments:home"))
    rows = portfolio_rows(response)
    assert rows["Zonnedal"].latest == open_round
    assert rows["Zonnedal"].progress == 50
    assert rows["Zonnedal"].overdue == 1  # the done one does not count
    assert rows["Regenstad"].latest == closed
    assert rows["Regenstad"].overdue == 0
    assert "Acties over de deadline" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "names"),
    [
        ({"q": "zon"}, {"Zonnedal"}),
        ({"status": "closed"}, {"Regenstad"}),
        ({"status": "open"}, {"Zonnedal"}),
        ({"overdue": "on"}, {"Zonnedal"}),
        ({"status": "geen"}, set()),
        ({}, {"Zonnedal", "Regenstad"}),
    ],
)
def test_portfolio_filters(client, portfolio, consultant, query, names):
    client.force_login(consultant)
    response = client.get(reverse("assessments:home"), query)
    assert set(portfolio_rows(response)) == names


@pytest.mark.django_db
def test_a_member_of_one_municipality_has_no_portfolio(client, assessment, editor):
    client.force_login(editor)
    response = client.get(reverse("assessments:home"))
    assert response.context["portfolio_filters"] is None
    assert "Portefeuille" not in response.content.decode()


@pytest.mark.django_db
def test_expired_consultant_membership_leaves_the_portfolio(client, portfolio, consultant):
    Membership.objects.filter(user=consultant, municipality__name="Regenstad").update(
        valid_until=timezone.now() - datetime.timedelta(seconds=1)
    )
    MembershipFactory(user=consultant, role="viewer")  # still two memberships
    client.force_login(consultant)
    response = client.get(reverse("assessments:home"))
    assert "Regenstad" not in set(portfolio_rows(response))
