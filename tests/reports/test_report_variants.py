"""The two reports of a round (issue 23): the bestuurlijke rapportage and the full report.

Both are laid out for a plan of 120 actions: nothing beyond the content box, no near-empty
page except a chapter's last, and the bestuurlijke rapportage in at most 8 pages. These
render the real question bank's demo round twice: they take some seconds each.
"""

from __future__ import annotations

import dataclasses
import datetime
import re

import pytest
from django.utils import timezone

from assessments.demo import create_example_round, create_history_rounds
from assessments.models import Action, Assessment
from assessments.reports.build import build_report
from assessments.reports.contents import BRIEF, BRIEF_TIMELINE_ACTIONS, FULL, Report, Score
from assessments.reports.render import render_pdf
from assessments.reports.trend import TimelineEntry
from readiness.models import ActionLevel, Domain
from readiness.questionbank import QUESTIONBANK_DIR, load_questionbank
from tests.factories import UserFactory
from tests.helpers.actions import ActionFactory
from tests.helpers.pdf import layout_problems, pdf_text

ACTIONS = 120
# The running header (municipality, concept marker) and footer (title, page numbers).
MARGIN_TEXT = re.compile(
    r"Zonnedal( Concept)?|Concept|Actieplan beschermd thuis pagina \d+ van \d+"
)


def add_plan(assessment: Assessment, today: datetime.date) -> None:
    """120 actions with titles of every length; the first 20 are past their due date, and
    every sixth is a decision of the college (bestuurlijk)."""
    Action.objects.filter(assessment=assessment).delete()
    Action.objects.bulk_create(
        Action(
            assessment=assessment,
            title=f"Actie {n + 1}: "
            + "afspraken maken met partners over wonen en zorg in de wijk " * (1 + n % 3),
            description="Concreet en haalbaar.",
            owner="Beleidsadviseur Wmo" if n % 4 else "",
            owner_domain=Domain.values[n % len(Domain.values)],
            due_date=today + datetime.timedelta(days=7 * (n - 20)),
            done_when="De afspraken staan op papier." if n % 5 == 0 else "",
            level=ActionLevel.BESTUURLIJK if n % 6 == 0 else ActionLevel.AMBTELIJK,
            status=Action.Status.DONE if n % 7 == 3 else Action.Status.PLANNED,
            priority=n % 13,
            order=n,
        )
        for n in range(ACTIONS)
    )


@pytest.fixture
def plan_round(municipality) -> Assessment:
    """The demo round of the real question bank, after two closed rounds (a trend), with a
    plan of 120 actions."""
    load_questionbank(QUESTIONBANK_DIR / "beschermd-thuis-2026.1.toml")
    owner = UserFactory(username="demo-coordinator")
    create_history_rounds(municipality, owner)
    created = create_example_round(municipality, owner)
    add_plan(created, timezone.localdate())
    return Assessment.objects.select_related("municipality", "framework").get(pk=created.pk)


@pytest.mark.django_db
@pytest.mark.parametrize(("variant", "max_pages"), [(BRIEF, 8), (FULL, 60)])
def test_both_reports_of_a_120_action_plan_stay_in_the_content_box_without_empty_pages(
    plan_round, variant, max_pages
):
    report = build_report(plan_round, variant=variant)
    assert len(report.timeline) == ACTIONS

    pdf = render_pdf(report)

    reader, pages = pdf_text(pdf)
    assert len(pages) <= max_pages
    assert layout_problems(pdf, MARGIN_TEXT) == {"outside": {}, "near_empty": {}}
    # The summary with the decisions is one page: the priorities start on the next.
    outline = {
        item.title: reader.get_destination_page_number(item)
        for item in reader.outline
        if not isinstance(item, list)
    }
    assert outline["Prioriteiten en ontwikkeling"] == outline["Bestuurlijke samenvatting"] + 1
    # The timeline: in the full report all 120 actions over 4 charts of 30 (one a page),
    # in the bestuurlijke rapportage the 25 that matter most, in one chart.
    text = " ".join(pages)
    parts = re.findall(r"Tijdlijn van het actieplan, deel \d van \d", _alt_texts(reader))
    if variant == FULL:
        assert parts == [f"Tijdlijn van het actieplan, deel {n} van 4" for n in range(1, 5)]
        assert "Bijlage: alle antwoorden en toelichtingen" in text
    else:
        assert parts == []
        assert f"De tijdlijn toont {BRIEF_TIMELINE_ACTIONS} van de {ACTIONS} acties" in text
        assert "Bijlage" not in text
    for heading in [
        "Bestuurlijke samenvatting",
        "Prioriteiten en ontwikkeling",
        "Sinds de vorige meting",
    ]:
        assert heading in text


def _alt_texts(reader) -> str:
    """The alternate texts of the PDF's figures (the charts), one per line."""
    found = []

    def walk(node):
        node = node.get_object()
        if "/Alt" in node:
            found.append(str(node["/Alt"]))
        kids = node.get("/K")
        if kids is None:
            return
        for kid in kids if isinstance(kids, list) else [kids]:
            if hasattr(kid.get_object(), "get"):
                walk(kid)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return "\n".join(found)


# --- Decisions whose deadline passed ----------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("variant", [BRIEF, FULL])
def test_a_decision_past_its_deadline_is_flagged_not_asked(assessment, variant):
    today = timezone.localdate()
    for title, days, status in [
        ("Oud besluit", -10, Action.Status.PLANNED),
        ("Nieuw besluit", 30, Action.Status.PLANNED),
        ("Genomen besluit", -40, Action.Status.DONE),
    ]:
        ActionFactory(
            assessment=assessment,
            title=title,
            level=ActionLevel.BESTUURLIJK,
            due_date=today + datetime.timedelta(days=days),
            status=status,
        )

    report = build_report(assessment, variant=variant)

    assert [d.title for d in report.overdue_decisions] == ["Oud besluit"]
    assert [d.title for d in report.requested_decisions] == ["Nieuw besluit", "Genomen besluit"]
    _reader, pages = pdf_text(render_pdf(report))
    text = re.sub(r"\s+", " ", " ".join(pages))
    assert "Termijn verstreken" in text
    assert "termijn verstreken Oud besluit." in text
    assert "Instemmen met: Oud besluit" not in text
    assert "Instemmen met: Nieuw besluit" in text


# --- The bestuurlijke rapportage's timeline ----------------------------------------------


def test_the_brief_timeline_keeps_the_late_then_the_after_transition_then_the_earliest():
    def entry(n, *, late=False, after=False):
        day = datetime.date(2027, 1, 1) + datetime.timedelta(days=n)
        return TimelineEntry(f"A{n}", day, day, "Gepland", late, after)

    # Due-date order: 40 on time, then 3 after the transition; 2 late ones at the end.
    timeline = (
        [entry(n) for n in range(40)]
        + [entry(n, after=True) for n in range(40, 43)]
        + [entry(n, late=True) for n in range(43, 45)]
    )
    report = dataclasses.replace(_EMPTY_REPORT, timeline=tuple(timeline))

    shown = [e.title for e in report.brief_timeline]

    assert len(shown) == BRIEF_TIMELINE_ACTIONS
    # 2 late + 3 after the transition + the 20 earliest, drawn in due-date order.
    assert shown == [f"A{n}" for n in [*range(20), 40, 41, 42, 43, 44]]


_EMPTY_REPORT = Report(
    language="nl",
    municipality="Zonnedal",
    consultant_name="",
    logo=None,
    consultant_logo=None,
    title="Meting",
    status="open",
    is_concept=True,
    date=datetime.date(2026, 11, 23),
    framework_name="Testscan",
    framework_version="1",
    woonplaatsbeginsel_date=None,
    respondents=(),
    overall=Score(None, None, "onvoldoende beantwoord", None, False, False),
    steps=(),
    chart_points=(),
    top_priorities=(),
    decisions=(),
    to_investigate=(),
    disagreements=(),
    actions=(),
    appendix=(),
    scale=(),
    method=(),
    sources=(),
    variant=BRIEF,
)
