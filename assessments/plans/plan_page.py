"""The plan page's filters and sorting, read from its GET parameters.

Every parameter is checked against a fixed list or the plan's own values: an unknown value
is ignored and reported, never an error page. The rows come from ``timeline.py``."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.models import Action
from assessments.plans.timeline import PlanRow
from assessments.rounds.results import ActionRow
from readiness.models import Domain

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
