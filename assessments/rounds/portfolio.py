"""A consultant's portfolio: the latest round of each municipality in one table.

Built from the rounds the home page already loaded (through ``access``), with three
extra queries whatever the number of municipalities: overall scores (``overall_scores``),
answered statements and overdue actions per round.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from assessments.models import Action, Answer, Assessment, Membership
from assessments.rounds.forms import PortfolioFilterForm
from assessments.rounds.overall import overall_scores
from assessments.rounds.results_page import ScoreRow

OPEN_ACTION_STATUSES = [Action.Status.PLANNED, Action.Status.IN_PROGRESS]


@dataclass(frozen=True)
class PortfolioRow:
    membership: Membership
    latest: Assessment | None
    overall: ScoreRow | None
    progress: int | None  # percentage of the statements answered by anyone
    overdue: int  # actions past their deadline, not done or dropped


def portfolio_rows(
    groups: list[tuple[Membership, list[Assessment], bool]], data
) -> tuple[PortfolioFilterForm, list[PortfolioRow]]:
    """The filtered portfolio of ``groups`` (membership, its rounds newest first, ...).

    Each round carries ``question_count`` (annotated by the home view).
    """
    form = PortfolioFilterForm(data or None)
    latest = [rounds[0] for _m, rounds, _s in groups if rounds]
    ids = [a.pk for a in latest]
    overall = overall_scores(latest)
    answered = dict(
        Answer.objects.filter(response__assessment__in=ids)
        .filter(~Q(value="") | Q(number__isnull=False))
        .values("response__assessment")
        .annotate(n=Count("question", distinct=True))
        .values_list("response__assessment", "n")
    )
    overdue = dict(
        Action.objects.filter(
            assessment__in=ids,
            due_date__lt=timezone.localdate(),
            status__in=OPEN_ACTION_STATUSES,
        )
        .values("assessment")
        .annotate(n=Count("pk"))
        .values_list("assessment", "n")
    )
    rows = []
    for membership, rounds, _s in groups:
        first = rounds[0] if rounds else None
        rows.append(
            PortfolioRow(
                membership=membership,
                latest=first,
                overall=ScoreRow("overall", "", overall[first.pk]) if first else None,
                progress=round(100 * answered.get(first.pk, 0) / first.question_count)
                if first and first.question_count
                else None,
                overdue=overdue.get(first.pk, 0) if first else 0,
            )
        )
    if form.is_valid():
        rows = [row for row in rows if _matches(row, form.cleaned_data)]
    return form, rows


def _matches(row: PortfolioRow, filters: dict) -> bool:
    name = filters["q"].strip().lower()
    if name and name not in row.membership.municipality.name.lower():
        return False
    status = filters["status"]
    if status == "geen" and row.latest is not None:
        return False
    if status in Assessment.Status.values and (row.latest is None or row.latest.status != status):
        return False
    return not (filters["overdue"] and not row.overdue)
