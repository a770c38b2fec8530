"""The demo municipality: two closed rounds and the open example round, so a newcomer sees
a trend and a timeline; ``setup_demo`` is idempotent."""

from __future__ import annotations

import io
import time

import pytest
from django.core.management import call_command
from django.utils import timezone

from assessments.common.municipalities import DEMO_CODE
from assessments.demo import EXAMPLE_TITLE
from assessments.models import Action, Assessment, Municipality
from assessments.plans.timeline import critical_codes, plan_rows
from assessments.rounds.results import load_actions
from assessments.rounds.trend import build_trend
from readiness.questionbank import QUESTIONBANK_DIR, load_questionbank

pytestmark = pytest.mark.django_db


def test_setup_demo_makes_two_closed_rounds_and_the_open_example_once():
    load_questionbank(QUESTIONBANK_DIR / "beschermd-thuis-2026.1.toml")
    started = time.monotonic()
    call_command("setup_demo", stdout=io.StringIO())
    seconds = time.monotonic() - started
    municipality = Municipality.objects.get(code=DEMO_CODE)
    rounds = list(Assessment.objects.filter(municipality=municipality).order_by("created_at"))
    assert [(r.title, r.status) for r in rounds] == [
        ("Nulmeting (demo)", "closed"),
        ("Herhaalmeting (demo)", "closed"),
        (EXAMPLE_TITLE, "open"),
    ]
    assert rounds[0].closed_at < rounds[1].created_at < rounds[1].closed_at < rounds[2].created_at
    assert seconds < 30, seconds

    # The open example round shows a trend over all three rounds.
    data = build_trend(rounds[2])
    assert [r.id for r in data.rounds] == [r.pk for r in rounds]
    assert data.trend.previous.id == rounds[1].pk
    assert all(c.delta is not None for c in data.trend.steps)
    assert all(c.direction == "up" for c in data.trend.steps)

    # The second plan has open actions past their due date: the timeline marks them.
    flagged = plan_rows(
        load_actions(rounds[1]),
        today=timezone.localdate(),
        transition=None,
        critical=critical_codes(rounds[1]),
        round_start=rounds[1].created_at.date(),
    )
    assert any(p.is_overdue for p in flagged)

    # Again: nothing new, nothing changed.
    counts = (Assessment.objects.count(), Action.objects.count())
    call_command("setup_demo", stdout=io.StringIO())
    assert (Assessment.objects.count(), Action.objects.count()) == counts
