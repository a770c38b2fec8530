"""E-mail does not outlive access: whether a member may get a reminder is checked when the
mail is sent, and an action's owner must be a current member (issue 20 item 3)."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from assessments.models import Action, Membership
from assessments.plans.forms import ActionForm
from assessments.plans.services import ActionInput, add_action
from assessments.reminders import services as reminders

NOW = datetime.datetime(2026, 12, 1, 8, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Amsterdam"))


def end_access(user, *, at: datetime.datetime) -> None:
    Membership.objects.filter(user=user).update(valid_until=at)


@pytest.mark.django_db
def test_an_owner_whose_access_ended_gets_no_digest(assessment, consultant):
    Action.objects.create(
        assessment=assessment, title="Woonafspraken", owner_user=consultant, due_date=NOW.date()
    )
    end_access(consultant, at=NOW - datetime.timedelta(minutes=1))
    assert reminders.send_action_digests(now=NOW) == 0


@pytest.mark.django_db
def test_an_owner_whose_access_runs_until_later_still_gets_it(assessment, consultant):
    Action.objects.create(
        assessment=assessment, title="Woonafspraken", owner_user=consultant, due_date=NOW.date()
    )
    end_access(consultant, at=NOW + datetime.timedelta(days=1))
    assert reminders.send_action_digests(now=NOW) == 1


@pytest.mark.django_db
def test_an_ended_member_is_no_unfinished_respondent(assessment, editor, coordinator):
    Membership.objects.filter(user=editor).update(
        valid_until=timezone.now() - datetime.timedelta(minutes=1)
    )
    users = [user for user, _answered, _total in reminders.unfinished_respondents(assessment)]
    assert coordinator in users and editor not in users


@pytest.mark.django_db
def test_an_expired_consultant_cannot_own_an_action(assessment, consultant, coordinator):
    end_access(consultant, at=timezone.now() - datetime.timedelta(minutes=1))
    assert consultant not in ActionForm(assessment=assessment).fields["owner_user"].queryset
    with pytest.raises(ValidationError, match="lid van deze gemeente"):
        add_action(
            assessment=assessment,
            user=coordinator,
            data=ActionInput(title="Kernteam", owner_user=consultant),
        )
    assert not Action.objects.exists()
