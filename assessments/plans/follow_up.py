"""A closed round's plan during the year: the actions as they are now next to the plan as
decided (the snapshot written at closing).

The plan page of a closed round shows the actions' current state and, per action, what was
decided when that differs; the PDF report keeps showing the plan as decided.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from assessments import access
from assessments.models import Assessment
from assessments.plans.timeline import PlanRow
from assessments.rounds.results import ActionRow, load_actions


@dataclass(frozen=True)
class Decided:
    """What the plan said at closing about one action, where it now says otherwise."""

    row: ActionRow  # the action as decided (from the snapshot)
    status_changed: bool
    owner_changed: bool
    due_date_changed: bool

    @property
    def has_changes(self) -> bool:
        return self.status_changed or self.owner_changed or self.due_date_changed


def decided_changes(
    current: Sequence[ActionRow], decided: Sequence[ActionRow]
) -> dict[int, Decided]:
    """Per current action (by id), the decided version where status, owner or deadline
    changed since closing.

    After closing no action is added or removed and a title cannot change, so an action is
    found in the snapshot by its place in the plan and its title.
    """
    by_key = {(row.order, row.title): row for row in decided}
    changes: dict[int, Decided] = {}
    for row in current:
        before = by_key.get((row.order, row.title))
        if before is None or row.id is None:
            continue
        decision = Decided(
            row=before,
            status_changed=row.status_code != before.status_code,
            owner_changed=row.owner != before.owner,
            due_date_changed=row.due_date != before.due_date,
        )
        if decision.has_changes:
            changes[row.id] = decision
    return changes


@dataclass(frozen=True)
class PlanFollowUp:
    """The plan page's follow-up of a closed round for one user."""

    taken_over: bool  # a newer round carried the actions forward: read-only here
    may_follow_up: frozenset[int]  # ids of the actions the user may update
    # Per shown row: the decided version where it changed, and whether the user may update.
    entries: list[tuple[PlanRow, Decided | None, bool]]


def plan_follow_up(
    assessment: Assessment, rows: Sequence[ActionRow], shown: Sequence[PlanRow], user
) -> PlanFollowUp:
    """What the plan page shows beside each action (``assessment`` loaded through
    ``access``): nothing extra for an open round, whose plan is edited as a whole."""
    if assessment.is_open:
        return PlanFollowUp(False, frozenset(), [(p, None, False) for p in shown])
    decided = decided_changes(rows, load_actions(assessment))
    taken_over = access.is_taken_over(assessment)
    allowed = frozenset(
        ()
        if taken_over
        else (r.id for r in rows if access.may_follow_up(assessment, r.owner_user_id, user))
    )
    return PlanFollowUp(
        taken_over, allowed, [(p, decided.get(p.row.id), p.row.id in allowed) for p in shown]
    )
