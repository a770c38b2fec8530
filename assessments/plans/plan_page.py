"""The action plan against the calendar: flags, filters, sorting and the timeline's data.

The rules (overdue, after the transition date) are ``readiness.timeline``; this module
applies them to a round's ``ActionRow``s and reads the page's GET parameters. Every
parameter is checked against a fixed list or the plan's own values: an unknown value is
ignored and reported, never an error page.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.common.time_charts import TimelineBar, timeline_chart
from assessments.models import Action, Assessment
from assessments.rounds.results import ActionRow
from readiness.content import outline_for
from readiness.models import Domain
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


# Sort keys: (label, key function). Rows without a due date or owner go last.
_FAR = datetime.date.max
SORTS: dict[str, tuple[str, object]] = {
    "plan": (gettext_lazy("Volgorde van het plan"), lambda p: (p.row.order,)),
    "deadline": (gettext_lazy("Deadline"), lambda p: (p.row.due_date or _FAR, p.row.order)),
    "prioriteit": (gettext_lazy("Prioriteit"), lambda p: (-p.row.priority, p.row.order)),
    "status": (
        gettext_lazy("Status"),
        lambda p: (Action.Status.values.index(p.row.status_code), p.row.order),
    ),
    "eigenaar": (
        gettext_lazy("Eigenaar"),
        lambda p: (not p.row.owner, p.row.owner.casefold(), p.row.order),
    ),
}


@dataclass
class PlanQuery:
    status: str = ""
    owner: str = ""
    domain: str = ""
    sort: str = "plan"
    ignored: list[str] = field(default_factory=list)  # messages about unknown values

    @property
    def is_filtered(self) -> bool:
        return bool(self.status or self.owner or self.domain)


def parse_query(params: Mapping[str, str], owners: Sequence[str]) -> PlanQuery:
    """The filters and sort order from the page's GET parameters; unknown values ignored."""
    query = PlanQuery()
    checks = (
        ("status", set(Action.Status.values), _("Onbekende status")),
        ("eigenaar", set(owners), _("Onbekende eigenaar")),
        ("domein", set(Domain.values), _("Onbekend domein")),
        ("sorteer", set(SORTS), _("Onbekende sortering")),
    )
    for name, allowed, label in checks:
        value = params.get(name, "")
        if not value:
            continue
        if value not in allowed:
            query.ignored.append(
                _("%(label)s “%(value)s” genegeerd.") % {"label": label, "value": value[:50]}
            )
            continue
        attribute = {"eigenaar": "owner", "domein": "domain", "sorteer": "sort"}.get(name, name)
        setattr(query, attribute, value)
    return query


def apply_query(rows: Sequence[PlanRow], query: PlanQuery) -> list[PlanRow]:
    selected = [
        p
        for p in rows
        if (not query.status or p.row.status_code == query.status)
        and (not query.owner or p.row.owner == query.owner)
        and (not query.domain or p.row.owner_domain_code == query.domain)
    ]
    key = SORTS[query.sort][1]
    return sorted(selected, key=key)  # type: ignore[arg-type]


def owners_of(rows: Sequence[ActionRow]) -> list[str]:
    return sorted({r.owner for r in rows if r.owner}, key=str.casefold)


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
