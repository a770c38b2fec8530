"""A region's heat map and its PDF for the regional bestuurlijk overleg, as plain data.

``build_region_overview(region)`` gathers, for each member municipality, the theme
scores of its latest closed round that it shares with the region
(``Assessment.shares_with_region``). Only shared rounds are ever read: the filter is in
the query, so a figure of a municipality that does not share never enters this process.
A member without a shared round is listed as *deelt niet*, with no figure at all.

``render_region_pdf(overview)`` lays the same data out with a small template of its own
and WeasyPrint, in the request: a region has a few dozen members at most and the document
is one table without charts, so it renders in well under a second.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext

from assessments.common.svg import display_score
from assessments.models import Assessment, Region
from assessments.reports.contents import REPORT_LANGUAGE
from assessments.reports.render import html_to_pdf
from assessments.rounds.results import LIGHT_LABELS
from readiness.benchmark import median
from readiness.scoring import Light, light_for

SORT_BY_NAME = "naam"


@dataclass(frozen=True)
class HeatCell:
    """One theme of one municipality: a rounded score and its light, or too few answers."""

    score: int | None  # None: onvoldoende beantwoord
    light: str  # "rood", "oranje", "groen"; "" when not enough answers

    @property
    def light_label(self) -> str:
        return str(LIGHT_LABELS[Light(self.light)]) if self.light else ""


@dataclass(frozen=True)
class HeatRow:
    municipality: str
    is_lead: bool
    shares: bool  # False: "deelt niet", and ``cells`` is empty
    round_title: str
    closed_on: datetime.date | None
    cells: tuple[HeatCell | None, ...]  # per theme column; None: the round has no such theme


@dataclass(frozen=True)
class ThemeColumn:
    code: str
    title: str
    median: int | None  # the region's median over the members that share, rounded
    median_light: str


@dataclass(frozen=True)
class RegionOverview:
    region_id: int
    name: str
    kind: str
    date: datetime.date
    themes: tuple[ThemeColumn, ...]
    rows: tuple[HeatRow, ...]
    sorted_by: str

    @property
    def sharing(self) -> int:
        return sum(row.shares for row in self.rows)

    @property
    def filename(self) -> str:
        slug = slugify(self.name) or "regio"
        return f"regio-beschermd-thuis-{slug}-{self.date.isoformat()}.pdf"


def _shared_rounds(region: Region) -> dict[int, tuple]:
    """Per member municipality id its latest closed, shared round: id, title, closing
    time and the theme part of its snapshot. One query; nothing of a round that is not
    shared is read."""
    rows = (
        Assessment.objects.filter(
            municipality__regions=region,
            status=Assessment.Status.CLOSED,
            shares_with_region=True,
            snapshot__isnull=False,
        )
        .order_by("municipality_id", "-closed_at", "-pk")
        .values_list(
            "municipality_id",
            "title",
            "closed_at",
            "snapshot__results__themes",
            "snapshot__results__scores__themes",
        )
    )
    latest: dict[int, tuple] = {}
    for municipality_id, *rest in rows:
        latest.setdefault(municipality_id, tuple(rest))
    return latest


def build_region_overview(region: Region, *, sort: str = SORT_BY_NAME) -> RegionOverview:
    """The heat map: members × themes, sorted by name or by one theme's score (highest
    first; members without a score for it last, by name)."""
    members = list(region.members.order_by("name").values_list("pk", "name"))
    shared = _shared_rounds(region)
    # The columns: every theme of the shared rounds, in the order of the newest one.
    titles: dict[str, str] = {}
    for _title, _closed, themes, _scores in sorted(
        shared.values(), key=lambda r: r[1], reverse=True
    ):
        for theme in themes or []:
            titles.setdefault(theme["code"], theme["title"])
    codes = sorted(titles)
    rows = []
    for municipality_id, name in members:
        is_lead = municipality_id == region.lead_id
        if municipality_id not in shared:
            rows.append(HeatRow(name, is_lead, False, "", None, ()))
            continue
        title, closed_at, _themes, scores = shared[municipality_id]
        cells = []
        for code in codes:
            group = (scores or {}).get(code)
            if group is None:
                cells.append(None)
            elif group["is_sufficient"] and group["score"] is not None:
                cells.append(HeatCell(display_score(group["score"]), group["light"] or ""))
            else:
                cells.append(HeatCell(None, ""))
        rows.append(
            HeatRow(name, is_lead, True, title, timezone.localdate(closed_at), tuple(cells))
        )
    columns = []
    for code in codes:
        value = median(
            shared[m][3][code]["score"]
            for m, _name in members
            if m in shared
            and code in (shared[m][3] or {})
            and shared[m][3][code]["is_sufficient"]
            and shared[m][3][code]["score"] is not None
        )
        columns.append(
            ThemeColumn(
                code=code,
                title=titles[code],
                median=display_score(value) if value is not None else None,
                # The light of the median score itself; a median has no critical cap.
                median_light=light_for(value, capped=False).value if value is not None else "",
            )
        )
    if sort in codes:
        position = codes.index(sort)

        def key(row: HeatRow):
            cell = row.cells[position] if row.shares else None
            score = cell.score if cell is not None else None
            return (score is None, -(score or 0), row.municipality)

        rows.sort(key=key)
    else:
        sort = SORT_BY_NAME
    return RegionOverview(
        region_id=region.pk,
        name=region.name,
        kind=region.get_kind_display(),
        date=timezone.localdate(),
        themes=tuple(columns),
        rows=tuple(rows),
        sorted_by=sort,
    )


def render_region_pdf(overview: RegionOverview, language: str = REPORT_LANGUAGE) -> bytes:
    """The heat map as a tagged PDF for the regional bestuurlijk overleg."""
    with translation.override(language):
        html = render_to_string(
            "assessments/regions/region_report_pdf.html",
            {
                "overview": overview,
                "language": language,
                "title": gettext("Beschermd thuis in de regio %(name)s") % {"name": overview.name},
            },
        )
    return html_to_pdf(html)
