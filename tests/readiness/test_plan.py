"""Tests of readiness.plan: which templates become draft actions, in which order, and their
deadlines. Table-driven and with hypothesis properties; no database."""

from __future__ import annotations

import datetime
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from readiness.plan import Proposal, TemplateInfo, add_months, propose
from readiness.scoring import STEP_ORDER, Gap, natural_key

THEME_STEPS = {"A": "wijkbasis", "E": "wijkbasis", "B": "samenwerking", "C": "start_nu"}
QUESTION_THEMES = {f"{t}{i}": t for t in THEME_STEPS for i in range(1, 13)}


def gap(code: str, priority: int) -> Gap:
    """A gap whose theme is the first letter of its code; only the priority matters here."""
    theme = code[0]
    return Gap(
        code=code,
        step=THEME_STEPS[theme],
        theme=theme,
        level=1,
        target=3,
        gap=2,
        weight=1,
        is_critical=False,
        priority=priority,
    )


def ordered(*gaps: Gap) -> list[Gap]:
    """The gaps as readiness.scoring.gaps orders them."""
    return sorted(gaps, key=lambda g: (-g.priority, STEP_ORDER.index(g.step), natural_key(g.code)))


def theme_template(code: str, order: int, theme: str | None = None) -> TemplateInfo:
    return TemplateInfo(
        code=code, theme=theme or code[0], question=None, horizon_months=6, order=order
    )


def question_template(code: str, question: str, order: int) -> TemplateInfo:
    return TemplateInfo(
        code=code, theme=question[0], question=question, horizon_months=12, order=order
    )


# --- propose -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("templates", "gaps", "expected"),
    [
        pytest.param([theme_template("A-1", 1)], [], [], id="no gaps, no proposals"),
        pytest.param(
            [theme_template("A-1", 1), theme_template("B-1", 2)],
            [gap("A2", 3)],
            [Proposal("A-1", ("A2",), 3)],
            id="a theme template without a gap in its theme is left out",
        ),
        pytest.param(
            [theme_template("A-1", 1)],
            ordered(gap("A10", 2), gap("A2", 2), gap("A1", 6)),
            [Proposal("A-1", ("A1", "A2", "A10"), 6)],
            id="a theme template addresses every gap of its theme, codes in natural order",
        ),
        pytest.param(
            [question_template("A-3", "A7", 1), question_template("A-4", "A8", 2)],
            [gap("A7", 4), gap("A1", 9)],
            [Proposal("A-3", ("A7",), 4)],
            id="a question template only addresses its own question",
        ),
        pytest.param(
            [theme_template("A-1", 1), question_template("A-3", "A7", 2)],
            ordered(gap("A1", 8), gap("A7", 2)),
            [Proposal("A-1", ("A1", "A7"), 8), Proposal("A-3", ("A7",), 2)],
            id="theme and question template of one theme are both proposed",
        ),
        pytest.param(
            [theme_template("A-1", 1), theme_template("B-1", 2), theme_template("C-1", 3)],
            ordered(gap("A1", 2), gap("B1", 6), gap("C1", 4)),
            [
                Proposal("B-1", ("B1",), 6),
                Proposal("C-1", ("C1",), 4),
                Proposal("A-1", ("A1",), 2),
            ],
            id="highest priority first, whatever the template order",
        ),
        pytest.param(
            [theme_template("C-1", 1), theme_template("B-1", 2), theme_template("A-1", 3)],
            ordered(gap("C1", 4), gap("B1", 4), gap("A1", 4)),
            [
                Proposal("A-1", ("A1",), 4),
                Proposal("B-1", ("B1",), 4),
                Proposal("C-1", ("C1",), 4),
            ],
            id="equal priority: the gap list's order (step, then code) decides",
        ),
        pytest.param(
            [theme_template("A-2", 2), theme_template("A-1", 1), question_template("A-9", "A1", 9)],
            ordered(gap("A1", 4)),
            [
                Proposal("A-1", ("A1",), 4),
                Proposal("A-2", ("A1",), 4),
                Proposal("A-9", ("A1",), 4),
            ],
            id="same priority and same gap: the template order decides",
        ),
        pytest.param(
            [theme_template("A-1", 1), theme_template("E-1", 2)],
            ordered(gap("A2", 3), gap("E1", 3), gap("A1", 1)),
            [Proposal("A-1", ("A1", "A2"), 3), Proposal("E-1", ("E1",), 3)],
            id="the most urgent gap of a template sets its place",
        ),
    ],
)
def test_propose(templates, gaps, expected):
    assert propose(templates, gaps, QUESTION_THEMES) == expected


def test_the_position_of_the_most_urgent_gap_counts_not_of_any_gap():
    # A-1 addresses A1 (first in the list) and A2; its place is that of A1, not of A2.
    gaps = [gap("B1", 5), gap("A1", 5), gap("A2", 5)]
    proposals = propose([theme_template("A-1", 1), theme_template("B-1", 2)], gaps, QUESTION_THEMES)
    assert [p.template_code for p in proposals] == ["B-1", "A-1"]


@pytest.mark.parametrize(
    ("templates", "gaps", "message"),
    [
        ([theme_template("A-1", 1), theme_template("A-1", 2)], [], "duplicate template codes"),
        ([question_template("A-3", "A99", 1)], [], "not a question of theme A"),
        (
            [TemplateInfo(code="B-3", theme="B", question="A1", horizon_months=6, order=1)],
            [],
            "not a question of theme B",
        ),
        ([theme_template("A-1", 1)], [gap("A99", 2)], "gap A99"),
    ],
)
def test_propose_refuses_inconsistent_input(templates, gaps, message):
    with pytest.raises(ValueError, match=message):
        propose(templates, gaps, QUESTION_THEMES)


def test_propose_accepts_any_iterable_of_templates():
    proposals = propose(iter([theme_template("A-1", 1)]), [gap("A1", 2)], QUESTION_THEMES)
    assert proposals == [Proposal("A-1", ("A1",), 2)]


# --- properties ------------------------------------------------------------------------------

codes = st.sampled_from(sorted(QUESTION_THEMES, key=natural_key))


@st.composite
def plans(draw):
    gap_codes = draw(st.lists(codes, unique=True, max_size=12))
    gaps = ordered(*(gap(code, draw(st.integers(1, 24))) for code in gap_codes))
    templates = []
    for order, theme in enumerate(draw(st.lists(st.sampled_from("AEBC"), max_size=6)), 1):
        templates.append(theme_template(f"{theme}-t{order}", order, theme))
    for order, code in enumerate(draw(st.lists(codes, max_size=6)), 100):
        templates.append(question_template(f"{code[0]}-q{order}", code, order))
    return templates, gaps


@given(plans())
def test_proposals_follow_the_rules(plan):
    templates, gaps = plan
    proposals = propose(templates, gaps, QUESTION_THEMES)
    by_code = {g.code: g for g in gaps}
    by_template = {t.code: t for t in templates}
    for p in proposals:
        template = by_template[p.template_code]
        expected = (
            [g.code for g in gaps if g.theme == template.theme]
            if template.question is None
            else [c for c in [template.question] if c in by_code]
        )
        assert p.question_codes == tuple(sorted(expected, key=natural_key))
        assert p.priority == max(by_code[c].priority for c in p.question_codes)
    proposed = {p.template_code for p in proposals}
    for template in templates:
        addresses_a_gap = (
            any(g.theme == template.theme for g in gaps)
            if template.question is None
            else template.question in by_code
        )
        assert (template.code in proposed) == addresses_a_gap
    priorities = [p.priority for p in proposals]
    assert priorities == sorted(priorities, reverse=True)


@given(plans(), st.randoms(use_true_random=False))
def test_the_order_of_the_templates_given_does_not_matter(plan, rnd: random.Random):
    templates, gaps = plan
    shuffled = list(templates)
    rnd.shuffle(shuffled)
    assert propose(shuffled, gaps, QUESTION_THEMES) == propose(templates, gaps, QUESTION_THEMES)


# --- add_months ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        ("2026-01-15", 1, "2026-02-15"),
        ("2026-01-31", 1, "2026-02-28"),
        ("2028-01-31", 1, "2028-02-29"),
        ("2028-02-29", 12, "2029-02-28"),
        ("2026-08-31", 6, "2027-02-28"),
        ("2026-03-31", 1, "2026-04-30"),
        ("2026-11-30", 3, "2027-02-28"),
        ("2026-12-31", 1, "2027-01-31"),
        ("2026-10-15", 36, "2029-10-15"),
        ("2026-05-20", 0, "2026-05-20"),
        ("2026-03-31", -1, "2026-02-28"),
        ("2026-01-10", -1, "2025-12-10"),
    ],
)
def test_add_months(start, months, expected):
    result = add_months(datetime.date.fromisoformat(start), months)
    assert result == datetime.date.fromisoformat(expected)


@given(st.dates(datetime.date(1900, 1, 1), datetime.date(9000, 12, 31)), st.integers(0, 480))
def test_add_months_lands_in_the_right_month_never_later_in_it(start, months):
    result = add_months(start, months)
    assert (result.year * 12 + result.month) - (start.year * 12 + start.month) == months
    assert result.day <= start.day
    if result.day < start.day:
        # Clamped: only because the target month is shorter.
        assert (result + datetime.timedelta(days=1)).day == 1


# --- Templates bound to a list of questions (question-bank format 2) -----------------------


def bound_template(code: str, questions: tuple[str, ...], order: int) -> TemplateInfo:
    return TemplateInfo(
        code=code,
        theme=questions[0][0],
        question=None,
        horizon_months=6,
        order=order,
        questions=questions,
    )


@pytest.mark.parametrize(
    ("templates", "gaps", "expected"),
    [
        pytest.param(
            [bound_template("A-1", ("A1", "A2"), 1), bound_template("A-2", ("A3",), 2)],
            [gap("A3", 4)],
            [Proposal("A-2", ("A3",), 4)],
            id="a gap elsewhere in the theme does not fire a bound template",
        ),
        pytest.param(
            [bound_template("A-1", ("A1", "B2"), 1)],
            [gap("B2", 3), gap("A1", 2)],
            [Proposal("A-1", ("A1", "B2"), 3)],
            id="a bound template may span themes; its priority is the highest",
        ),
        pytest.param(
            [bound_template("A-1", ("A2",), 1), theme_template("A-9", 2)],
            [gap("A1", 2)],
            [Proposal("A-9", ("A1",), 2)],
            id="format-1 theme templates keep their binding next to bound ones",
        ),
    ],
)
def test_bound_templates_address_only_their_own_questions(templates, gaps, expected):
    assert propose(templates, ordered(*gaps), QUESTION_THEMES) == expected


def test_a_bound_template_with_an_unknown_question_is_an_error():
    with pytest.raises(ValueError, match="unknown questions Z9"):
        propose([bound_template("A-1", ("A1", "Z9"), 1)], [], QUESTION_THEMES)
