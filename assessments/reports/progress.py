"""The voortgangsrapportage: how a round's action plan stands today, as plain, frozen data.

A short PDF for the college or the council, made at any time for a round, open or closed.
``build_progress_report(assessment, language)`` sorts the actions as they are now (a
closed round's plan lives on: ``plans.follow_up``) into done, on track, overdue and the
rest, flags those that end after the transition date (``plans.timeline``, the rules of
``readiness.timeline``) and, for a closed round, lists what changed since the plan was
decided (its snapshot). ``render.render_progress_pdf`` lays it out. Like the report, it
shows no respondents and no levels: only the plan.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext

from assessments import access
from assessments.models import Action, Assessment
from assessments.plans import timeline
from assessments.plans.follow_up import Decided, decided_changes
from assessments.reports.contents import REPORT_LANGUAGE
from assessments.rounds.results import ActionRow, compute_actions, load_actions
from readiness.timeline import OPEN_STATUSES

_FAR = datetime.date.max


def _status_label(code: str) -> str:
    return str(Action.Status(code).label) if code in Action.Status.values else code


@dataclass(frozen=True)
class ProgressLine:
    """One action as it stands now."""

    title: str
    owner: str
    due_date: datetime.date | None
    status_code: str
    progress_note: str
    progress_noted_at: datetime.date | None
    is_after_transition: bool

    @property
    def status(self) -> str:
        return _status_label(self.status_code)


@dataclass(frozen=True)
class ProgressChange:
    """One action of a closed round that changed since the plan was decided: a new
    status, owner or deadline, or a progress note."""

    title: str
    status_code: str
    decided_status_code: str
    owner: str
    decided_owner: str
    due_date: datetime.date | None
    decided_due_date: datetime.date | None
    progress_note: str
    progress_noted_at: datetime.date | None

    @property
    def status_changed(self) -> bool:
        return self.status_code != self.decided_status_code

    @property
    def owner_changed(self) -> bool:
        return self.owner != self.decided_owner

    @property
    def due_date_changed(self) -> bool:
        return self.due_date != self.decided_due_date

    @property
    def status(self) -> str:
        return _status_label(self.status_code)

    @property
    def decided_status(self) -> str:
        return _status_label(self.decided_status_code)


@dataclass(frozen=True)
class ProgressReport:
    language: str  # of the report's own texts; the action texts stay Dutch
    municipality: str
    title: str
    is_open: bool
    date: datetime.date  # the day it was made: every flag is as of this day
    decided_on: datetime.date | None  # the closing date; None for an open round
    transition_date: datetime.date | None
    taken_over: bool  # a newer round carried the actions forward (and follows them up)
    total: int
    done: tuple[ProgressLine, ...]  # gereed
    on_track: tuple[ProgressLine, ...]  # open, deadline today or later
    overdue: tuple[ProgressLine, ...]  # open, deadline passed
    undated: tuple[ProgressLine, ...]  # open, no deadline
    dropped: tuple[ProgressLine, ...]  # vervallen
    # Open actions for a basisvoorwaarde that end after the transition date (also in
    # on_track or overdue).
    after_transition: tuple[ProgressLine, ...]
    # Since the decision (closed rounds only; empty for an open round).
    changes: tuple[ProgressChange, ...]

    @property
    def document_title(self) -> str:
        return gettext("Voortgang actieplan beschermd thuis %(municipality)s: %(title)s") % {
            "municipality": self.municipality,
            "title": self.title,
        }

    @property
    def filename(self) -> str:
        slug = slugify(self.municipality) or "gemeente"
        suffix = "" if self.language == REPORT_LANGUAGE else f"-{self.language}"
        return f"voortgang-beschermd-thuis-{slug}-{self.date.isoformat()}{suffix}.pdf"


def build_progress_report(
    assessment: Assessment, language: str = REPORT_LANGUAGE, *, today: datetime.date | None = None
) -> ProgressReport:
    """The plan's progress as plain data (``assessment`` loaded through ``access``).

    ``today`` is a parameter so that the flags are tested with a fixed date."""
    if language not in dict(settings.LANGUAGES):
        language = REPORT_LANGUAGE
    today = today or timezone.localdate()
    with translation.override(language):
        return _build(assessment, language, today)


def _build(assessment: Assessment, language: str, today: datetime.date) -> ProgressReport:
    rows = compute_actions(assessment)  # the actions as they are now (two queries)
    transition = timeline.transition_date()
    flagged = timeline.plan_rows(
        rows,
        today=today,
        transition=transition,
        critical=timeline.critical_codes(assessment),
        round_start=timezone.localdate(assessment.created_at),
    )
    lines = [
        (
            p,
            ProgressLine(
                title=p.row.title,
                owner=p.row.owner,
                due_date=p.row.due_date,
                status_code=p.row.status_code,
                progress_note=p.row.progress_note,
                progress_noted_at=p.row.progress_noted_at,
                is_after_transition=p.is_after_transition,
            ),
        )
        for p in flagged
    ]
    open_lines = [(p, line) for p, line in lines if p.row.status_code in OPEN_STATUSES]

    def by_deadline(items) -> tuple[ProgressLine, ...]:
        ordered = sorted(items, key=lambda item: (item[0].row.due_date or _FAR, item[0].row.order))
        return tuple(line for _p, line in ordered)

    decided = not assessment.is_open and bool(assessment.snapshot)
    return ProgressReport(
        language=language,
        municipality=assessment.municipality.name,
        title=assessment.title,
        is_open=assessment.is_open,
        date=today,
        decided_on=(
            timezone.localdate(assessment.closed_at) if decided and assessment.closed_at else None
        ),
        transition_date=transition,
        taken_over=not assessment.is_open and access.is_taken_over(assessment),
        total=len(rows),
        done=tuple(line for p, line in lines if p.row.status_code == Action.Status.DONE),
        on_track=by_deadline(
            (p, line) for p, line in open_lines if p.row.due_date and not p.is_overdue
        ),
        overdue=by_deadline((p, line) for p, line in open_lines if p.is_overdue),
        undated=tuple(line for p, line in open_lines if p.row.due_date is None),
        dropped=tuple(line for p, line in lines if p.row.status_code == Action.Status.DROPPED),
        after_transition=by_deadline((p, line) for p, line in open_lines if p.is_after_transition),
        changes=_changes(rows, load_actions(assessment)) if decided else (),
    )


def _changes(
    current: Sequence[ActionRow], decided: Sequence[ActionRow]
) -> tuple[ProgressChange, ...]:
    """Per action in plan order: what changed since the decision, and its progress note
    (a note alone counts as a change: it is what the council wants to read)."""
    changed: dict[int, Decided] = decided_changes(current, decided)
    as_decided = {(row.order, row.title): row for row in decided}
    result = []
    for row in current:
        before = as_decided.get((row.order, row.title))
        if before is None or row.id is None:
            continue
        if row.id not in changed and not row.progress_note:
            continue
        result.append(
            ProgressChange(
                title=row.title,
                status_code=row.status_code,
                decided_status_code=before.status_code,
                owner=row.owner,
                decided_owner=before.owner,
                due_date=row.due_date,
                decided_due_date=before.due_date,
                progress_note=row.progress_note,
                progress_noted_at=row.progress_noted_at,
            )
        )
    return tuple(result)
