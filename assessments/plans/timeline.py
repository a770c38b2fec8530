"""The action plan against the calendar, as plain data: each action's flags and the timeline.

The rules (overdue, after the transition date) are ``readiness.timeline``; this module
applies them to a round's ``ActionRow``s. The plan page and the PDF report both read it."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from assessments.common.time_charts import TimelineBar, timeline_chart
from assessments.models import Assessment
from assessments.rounds.results import ActionRow
from readiness.content import outline_for
from readiness.timeline import ends_after_transition, is_overdue


@dataclass(frozen=True)
class PlanRow:
    row: ActionRow
    start: datetime.date  # the action's start, or the round's start for an older action
    is_overdue: bool
    is_after_transition: bool


def critical_codes(assessment: Assessment) -> frozenset[str]:
    """The codes of the round's critical statements (the framework's cached outline)."""
    return frozenset(q.code for q in outline_for(assessment.framework).questions if q.is_critical)


def plan_rows(
    rows: Sequence[ActionRow],
    *,
    today: datetime.date,
    transition: datetime.date | None,
    critical: frozenset[str],
    round_start: datetime.date,
) -> list[PlanRow]:
    return [
        PlanRow(
            row=row,
            start=row.start_date or round_start,
            is_overdue=is_overdue(row.due_date, row.status_code, today),
            is_after_transition=ends_after_transition(
                row.due_date, row.status_code, row.question_codes, critical, transition
            ),
        )
        for row in rows
    ]


def transition_date() -> datetime.date | None:
    return settings.WOONPLAATSBEGINSEL_DATE


def timeline_svg(rows: Sequence[PlanRow], *, today: datetime.date) -> SafeString:
    """The timeline of the actions that have a due date (same SVG for page and PDF)."""
    bars = [
        TimelineBar(
            label=p.row.title,
            start=min(p.start, p.row.due_date),
            end=p.row.due_date,
            is_overdue=p.is_overdue,
            is_after_transition=p.is_after_transition,
        )
        for p in rows
        if p.row.due_date is not None
    ]
    return timeline_chart(
        bars,
        today=today,
        transition=transition_date(),
        title=_("Tijdlijn van het actieplan"),
        description=_(
            "Elke actie is een balk van de start tot de deadline, per maand. Een verticale "
            "streeplijn is vandaag, de doorgetrokken paarse lijn de invoering van het "
            "woonplaatsbeginsel. Acties die te laat zijn of na de invoering eindigen, staan "
            "er met die woorden bij. De tabel onder de tijdlijn geeft dezelfde gegevens."
        ),
    )
