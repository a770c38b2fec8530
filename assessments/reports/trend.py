"""The report's "since the previous measurement" and its timeline of the plan, as plain
data (``build_report`` adds them to the ``Report``; ``render_pdf`` draws the timeline with
the same SVG code as the timeline page).

A closed round's report stays the same: the rounds before it are closed (their snapshots
never change), and its timeline is drawn as of the closing date rather than today.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from assessments.common.time_charts import TimelineBar, timeline_chart
from assessments.models import Assessment
from assessments.plans.timeline import critical_codes, plan_rows
from assessments.rounds.results import ActionRow, Results
from assessments.rounds.trend import build_trend


@dataclass(frozen=True)
class StepChangeLine:
    number: int
    title: str
    previous: int | None  # shown score; None when not sufficiently answered
    current: int | None
    delta: int | None
    direction: str | None  # readiness.trend UP, DOWN, SAME; None without two scores


@dataclass(frozen=True)
class SincePrevious:
    title: str
    date: datetime.date
    version: str
    same_version: bool
    steps: tuple[StepChangeLine, ...]
    new_questions: int  # statements new in this version: no previous value


@dataclass(frozen=True)
class TimelineEntry:
    title: str
    start: datetime.date
    due: datetime.date
    status: str
    is_overdue: bool
    is_after_transition: bool


def since_previous(assessment: Assessment, results: Results) -> SincePrevious | None:
    """The change per step since the municipality's last closed round before this one."""
    data = build_trend(assessment, results)
    if data.trend is None:
        return None
    trend = data.trend
    return SincePrevious(
        title=trend.previous.title,
        date=trend.previous.date,
        version=trend.previous.version,
        same_version=trend.same_version,
        steps=tuple(
            StepChangeLine(
                number=number,
                title=data.step_titles[change.code],
                previous=change.previous,
                current=change.current,
                delta=change.delta,
                direction=change.direction,
            )
            for number, change in enumerate(trend.steps, start=1)
        ),
        new_questions=len(trend.new_questions),
    )


def timeline_entries(
    assessment: Assessment, actions: Sequence[ActionRow], today: datetime.date
) -> tuple[TimelineEntry, ...]:
    """The plan's actions with a due date, earliest first, flagged as of ``today``."""
    flagged = plan_rows(
        actions,
        today=today,
        transition=settings.WOONPLAATSBEGINSEL_DATE,
        critical=critical_codes(assessment),
        round_start=assessment.created_at.date() if assessment.created_at else today,
    )
    return tuple(
        TimelineEntry(
            title=p.row.title,
            start=min(p.start, p.row.due_date),
            due=p.row.due_date,
            status=p.row.status,
            is_overdue=p.is_overdue,
            is_after_transition=p.is_after_transition,
        )
        for p in sorted(flagged, key=lambda p: (p.row.due_date or today, p.row.order))
        if p.row.due_date is not None
    )


def timeline_svgs(
    entries: Sequence[TimelineEntry],
    *,
    today: datetime.date,
    transition: datetime.date | None,
    per_chart: int,
) -> list[SafeString]:
    """The timeline as charts of at most ``per_chart`` actions each, on one shared axis.

    A chart is an image, which a page cannot split: one of a long plan would run under
    the footer. ``per_chart`` rows fit on a page with a heading above them."""
    parts = [entries[i : i + per_chart] for i in range(0, len(entries), per_chart)]
    period = (min(e.start for e in entries), max(e.due for e in entries)) if entries else None
    title = gettext("Tijdlijn van het actieplan")
    return [
        timeline_chart(
            [
                TimelineBar(e.title, e.start, e.due, e.is_overdue, e.is_after_transition)
                for e in part
            ],
            today=today,
            transition=transition,
            title=title
            if len(parts) == 1
            else gettext("%(title)s, deel %(n)s van %(count)s")
            % {"title": title, "n": number, "count": len(parts)},
            description=gettext(
                "Elke actie is een balk van de start tot de deadline, per maand, met de "
                "invoering van het woonplaatsbeginsel als lijn. Te late acties en acties die "
                "na de invoering eindigen, staan er met die woorden bij."
            ),
            chart_id=f"timeline-pdf-{number}",
            period=period,
        )
        for number, part in enumerate(parts, start=1)
    ]
