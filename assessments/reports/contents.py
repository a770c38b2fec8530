"""What a report holds: the frozen, plain data of a ``Report`` and its parts.

``build.py`` fills it from a round; ``render.py`` lays it out. Nothing here reads the
database: a report is tested by comparing these values exactly."""

from __future__ import annotations

import base64
import datetime
from dataclasses import dataclass

from django.utils.text import slugify
from django.utils.translation import gettext, gettext_noop

from assessments.common.charts import ChartPoint
from assessments.models import Action
from assessments.reports.trend import (
    SincePrevious,
    TimelineEntry,
)
from assessments.rounds.benchmark import Benchmark
from assessments.rounds.results import (
    ActionRow,
)

# The report's language when none is asked for. The report view passes the user's active
# language; the statements, answers and action texts are Dutch content whatever the
# language, and the template marks them lang="nl".
REPORT_LANGUAGE = "nl"

# The two reports of a round (issue 23): the bestuurlijke rapportage for the college (at
# most 8 pages: cover, summary with the decisions, the five priorities and the trend, the
# plan in brief) and the full report with everything, the appendix of all answers included.
# The same values as ReportFile.Variant: they name the stored file and the download.
FULL = "volledig"
BRIEF = "bestuurlijk"
VARIANTS = (BRIEF, FULL)

# The bestuurlijke rapportage draws at most this many actions on its timeline (one page):
# the late ones first, then those that end after the woonplaatsbeginsel, then the earliest.
BRIEF_TIMELINE_ACTIONS = 25


TOP_PRIORITIES = 5


# A priority (gap × weight, doubled for a basisvoorwaarde: docs/scoring.md) means nothing
# to a wethouder as a number, so the report shows a band. High: at least a gap of 2 on a
# weight-3 question, or of 1 on a weight-3 basisvoorwaarde (6 or more). Medium: 3 to 5,
# such as a gap of 1 on a weight-3 question. Low: 1 or 2, a small gap on a light question.
PRIORITY_HIGH_FROM = 6


PRIORITY_MEDIUM_FROM = 3


_PRIORITY_BANDS = {
    "hoog": gettext_noop("hoog"),
    "midden": gettext_noop("midden"),
    "laag": gettext_noop("laag"),
}


@dataclass(frozen=True)
class Score:
    """A theme's, step's or the round's score as the report shows it.

    ``value`` is the rounded score (``display_score``), kept even when coverage is too low;
    the report then shows ``light_label`` ("onvoldoende beantwoord") instead of it.
    """

    value: int | None
    light: str | None  # "rood", "oranje", "groen"; None when not enough answers
    light_label: str
    coverage: int | None  # percent of the applicable questions that have an answer
    is_sufficient: bool
    is_capped: bool  # a critical question at level 0 or 1 keeps the light at orange


@dataclass(frozen=True)
class StatementLine:
    """A line of the report about one statement, by its code; the lines below add what
    they say of it."""

    code: str
    statement: str


@dataclass(frozen=True)
class Strength(StatementLine):
    """An answered question at or above its step's ambition."""

    level: int
    level_label: str


def priority_band(priority: int) -> str:
    """The band of a priority: "hoog", "midden", "laag"; "" for none (an own action)."""
    if priority >= PRIORITY_HIGH_FROM:
        return "hoog"
    if priority >= PRIORITY_MEDIUM_FROM:
        return "midden"
    if priority > 0:
        return "laag"
    return ""


def priority_label(priority: int) -> str:
    band = priority_band(priority)
    return gettext(_PRIORITY_BANDS[band]) if band else ""


@dataclass(frozen=True)
class GapLine(StatementLine):
    """An answered question below its step's ambition, with its priority.

    ``level_text`` and ``target_text`` describe the level reached and the level aimed for
    in the question's own words ("" when the question has no description per level), so
    that a gap does not read like an achievement.
    """

    theme: str
    level: int
    level_label: str
    target: int
    gap: int
    priority: int
    is_critical: bool  # a basisvoorwaarde
    target_label: str
    level_text: str
    target_text: str

    @property
    def priority_band(self) -> str:
        return priority_band(self.priority)

    @property
    def priority_label(self) -> str:
        return priority_label(self.priority)


@dataclass(frozen=True)
class ThemeSummary:
    code: str
    title: str
    score: Score
    strengths: tuple[Strength, ...]
    gaps: tuple[GapLine, ...]


@dataclass(frozen=True)
class StepSummary:
    code: str
    number: int
    title: str
    description: str
    target: int
    target_label: str
    score: Score
    themes: tuple[ThemeSummary, ...]


@dataclass(frozen=True)
class Decision:
    """A decision asked of the college: a *bestuurlijk* action of the plan or, when the
    plan has none yet, a *bestuurlijk* action template that addresses a gap."""

    title: str
    description: str
    question_codes: tuple[str, ...]
    owner: str
    due_date: datetime.date | None
    is_from_plan: bool
    # Its deadline lies before the report's date: the report flags it ("termijn
    # verstreken") instead of asking the college to agree to it.
    is_overdue: bool = False


@dataclass(frozen=True)
class OpenQuestion(StatementLine):
    """A critical question nobody could answer (*eerst uitzoeken*)."""

    state_label: str


@dataclass(frozen=True)
class View:
    """One respondent's level in a *verschil van inzicht*: a number, never a name."""

    respondent: int
    perspective: str
    level: int


@dataclass(frozen=True)
class Disagreement(StatementLine):
    spread: int
    views: tuple[View, ...]


@dataclass(frozen=True)
class AppendixAnswer:
    respondent: int
    perspective: str
    answer: str
    note: str


@dataclass(frozen=True)
class AppendixRow:
    step: str
    theme: str
    code: str
    statement: str
    sources: str
    result: str  # the consolidated answer of all respondents
    answers: tuple[AppendixAnswer, ...]


@dataclass(frozen=True)
class DutyLine(StatementLine):
    """A legal duty: never scored, summarised as "wettelijke plichten: n van m voldaan"."""

    legal_basis: str
    answer: str  # the consolidated answer in words
    is_met: bool


@dataclass(frozen=True)
class DutyTotals:
    met: int
    applicable: int  # the duties that are not n.v.t.

    @property
    def text(self) -> str:
        return gettext("wettelijke plichten: %(n)s van %(m)s voldaan") % {
            "n": self.met,
            "m": self.applicable,
        }


@dataclass(frozen=True)
class IndicatorLine(StatementLine):
    """An indicator's number in this round: never scored, followed in the trend."""

    value: str  # as shown ("12,5"), "–" when nobody gave one
    unit: str
    period: str
    values: tuple[str, ...]  # every number given, when they differ; else empty


@dataclass(frozen=True)
class ScaleLevel:
    level: int
    label: str
    description: str


@dataclass(frozen=True)
class SourceLine:
    code: str
    title: str
    url: str


@dataclass(frozen=True)
class Logo:
    """An uploaded logo (PNG or sanitised SVG), shown on the cover as an image only."""

    content_type: str
    data: bytes

    @property
    def data_url(self) -> str:
        return f"data:{self.content_type};base64,{base64.b64encode(self.data).decode('ascii')}"


@dataclass(frozen=True)
class Report:
    language: str  # of the report's own texts; the content stays Dutch
    municipality: str
    consultant_name: str  # the organisation that guided the scan, "" when none
    logo: Logo | None
    consultant_logo: Logo | None
    title: str
    status: str  # "open" or "closed"
    is_concept: bool
    date: datetime.date  # closing date, or today for an open round
    framework_name: str
    framework_version: str
    woonplaatsbeginsel_date: datetime.date | None
    respondents: tuple[str, ...]  # the perspective of each respondent, "" when not given
    overall: Score
    steps: tuple[StepSummary, ...]
    chart_points: tuple[ChartPoint, ...]  # one per theme, as the results page draws them
    top_priorities: tuple[GapLine, ...]
    decisions: tuple[Decision, ...]
    to_investigate: tuple[OpenQuestion, ...]
    disagreements: tuple[Disagreement, ...]
    actions: tuple[ActionRow, ...]
    appendix: tuple[AppendixRow, ...]
    scale: tuple[ScaleLevel, ...]
    method: tuple[str, ...]
    sources: tuple[SourceLine, ...]
    # Other municipalities per theme at the time of building (assessments/benchmark.py);
    # None for a report built without one.
    benchmark: Benchmark | None = None
    # The change per step since the municipality's previous closed round (None: none).
    since_previous: SincePrevious | None = None
    # The plan's actions with a due date, flagged as of the report's date.
    timeline: tuple[TimelineEntry, ...] = ()
    # "volledig" (everything) or "bestuurlijk" (the college's brief version).
    variant: str = FULL

    @property
    def is_full(self) -> bool:
        return self.variant == FULL

    @property
    def requested_decisions(self) -> tuple[Decision, ...]:
        """The decisions the report asks of the college: those whose deadline has not
        passed (or that have none)."""
        return tuple(d for d in self.decisions if not d.is_overdue)

    @property
    def overdue_decisions(self) -> tuple[Decision, ...]:
        """Decisions whose deadline passed before the report's date: flagged, not asked."""
        return tuple(d for d in self.decisions if d.is_overdue)

    @property
    def brief_timeline(self) -> tuple[TimelineEntry, ...]:
        """The actions the bestuurlijke rapportage draws: at most BRIEF_TIMELINE_ACTIONS,
        the late ones first, then those ending after the woonplaatsbeginsel, then the
        earliest; drawn in the order of their due date."""
        ranked = sorted(
            range(len(self.timeline)),
            key=lambda i: (
                not self.timeline[i].is_overdue,
                not self.timeline[i].is_after_transition,
                i,
            ),
        )
        return tuple(self.timeline[i] for i in sorted(ranked[:BRIEF_TIMELINE_ACTIONS]))

    @property
    def action_count(self) -> int:
        return len(self.actions)

    @property
    def done_count(self) -> int:
        return sum(a.status_code == Action.Status.DONE for a in self.actions)

    @property
    def unplanned_count(self) -> int:
        """Actions without a due date (dropped ones left out)."""
        return sum(
            a.due_date is None and a.status_code != Action.Status.DROPPED for a in self.actions
        )

    # Never in a score: legal duties (None when the version has none), indicators, and
    # the statements n.v.t. for the municipality's role in its region.
    duty_totals: DutyTotals | None = None
    duties: tuple[DutyLine, ...] = ()
    indicators: tuple[IndicatorLine, ...] = ()
    not_for_role: tuple[StatementLine, ...] = ()

    @property
    def overdue_count(self) -> int:
        return sum(e.is_overdue for e in self.timeline)

    @property
    def after_transition_count(self) -> int:
        return sum(e.is_after_transition for e in self.timeline)

    @property
    def disagreement_count(self) -> int:
        return len(self.disagreements)

    @property
    def document_title(self) -> str:
        return gettext("Actieplan beschermd thuis %(municipality)s: %(title)s") % {
            "municipality": self.municipality,
            "title": self.title,
        }

    @property
    def filename(self) -> str:
        """The municipality, the date, the variant and the language
        (``...-2026-11-23-bestuurlijk-nl.pdf``), so that every version can be kept side
        by side."""
        slug = slugify(self.municipality) or "gemeente"
        return (
            f"actieplan-beschermd-thuis-{slug}-{self.date.isoformat()}"
            f"-{self.variant}-{self.language}.pdf"
        )
