"""Where an action of the plan stands against today and the transition date: pure rules.

The action plan and its timeline mark two things (docs/scoring.md, "Het plan en de
invoeringsdatum"). ``today`` is always a parameter, so the rules are tested with a fixed
date and never depend on the clock.

- **Te laat** (overdue): the due date lies before today and the action is still open
  (*gepland* or *bezig*). An action due today is not overdue yet; a finished or dropped
  action never is.
- **Na de invoering** (after the transition): the action addresses at least one critical
  statement (*basisvoorwaarde*), is still open and its due date lies after the transition
  date (the start of the woonplaatsbeginsel). Without a transition date or a due date
  nothing is flagged: there is nothing to compare.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

# The status codes of assessments.models.Action.Status that still need work.
OPEN_STATUSES = frozenset({"gepland", "bezig"})


def is_overdue(due_date: datetime.date | None, status: str, today: datetime.date) -> bool:
    return due_date is not None and status in OPEN_STATUSES and due_date < today


def ends_after_transition(
    due_date: datetime.date | None,
    status: str,
    question_codes: Iterable[str],
    critical_codes: Iterable[str],
    transition: datetime.date | None,
) -> bool:
    if transition is None or due_date is None or status not in OPEN_STATUSES:
        return False
    return due_date > transition and bool(set(question_codes) & set(critical_codes))
