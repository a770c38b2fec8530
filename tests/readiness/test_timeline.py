"""Overdue and after-the-transition flags (readiness/timeline.py), with a fixed today."""

from __future__ import annotations

import datetime

import pytest

from readiness.timeline import ends_after_transition, is_overdue

TODAY = datetime.date(2026, 12, 2)
TRANSITION = datetime.date(2027, 1, 1)
D = datetime.date


@pytest.mark.parametrize(
    ("due", "status", "overdue"),
    [
        (D(2026, 12, 1), "gepland", True),
        (D(2026, 12, 1), "bezig", True),
        (D(2026, 12, 2), "gepland", False),  # due today is not late yet
        (D(2026, 12, 3), "bezig", False),
        (D(2026, 1, 1), "gereed", False),
        (D(2026, 1, 1), "vervallen", False),
        (None, "gepland", False),
    ],
)
def test_overdue(due, status, overdue):
    assert is_overdue(due, status, TODAY) is overdue


@pytest.mark.parametrize(
    ("due", "status", "codes", "transition", "flagged"),
    [
        (D(2027, 1, 2), "gepland", ["A1"], TRANSITION, True),
        (D(2027, 1, 1), "gepland", ["A1"], TRANSITION, False),  # on the day is in time
        (D(2027, 6, 1), "gepland", ["B2"], TRANSITION, False),  # not critical
        (D(2027, 6, 1), "bezig", ["B2", "E1"], TRANSITION, True),
        (D(2027, 6, 1), "gereed", ["A1"], TRANSITION, False),
        (D(2027, 6, 1), "gepland", ["A1"], None, False),  # no date set
        (None, "gepland", ["A1"], TRANSITION, False),
    ],
)
def test_after_transition(due, status, codes, transition, flagged):
    critical = {"A1", "E1"}
    assert ends_after_transition(due, status, codes, critical, transition) is flagged
