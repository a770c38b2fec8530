"""Tests of readiness.kinds and of how scoring, the plan, the dialogue and the trend treat
legal duties, indicators, statements for one role and partners' answers. No database."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from readiness.dialogue import partner_views
from readiness.kinds import (
    DutyResult,
    DutySummary,
    IndicatorResult,
    applies,
    consolidate_duty,
    consolidate_indicator,
    is_partner,
    number_text,
    parse_number,
    shown_number,
    summarise_duties,
)
from readiness.plan import LEGAL_DUTY_PRIORITY, TemplateInfo, propose
from readiness.scoring import (
    QuestionInfo,
    consolidate,
    counts_response,
    score_round,
)
from readiness.trend import RoundPoint, indicator_series, same_codes


def q(code, *, kind="maturity", applies_to="all", weight=2, critical=False, partner=False):
    return QuestionInfo(
        code=code,
        step="wijkbasis",
        theme=code[0],
        weight=weight,
        is_critical=critical,
        kind=kind,
        applies_to=applies_to,
        partner_module=partner,
    )


# --- Applicability by role ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("applies_to", "role", "expected"),
    [
        ("all", "", True),
        ("all", "centrumgemeente", True),
        ("all", "regiogemeente", True),
        ("centrumgemeente", "centrumgemeente", True),
        ("centrumgemeente", "regiogemeente", False),
        ("regiogemeente", "regiogemeente", True),
        ("regiogemeente", "centrumgemeente", False),
        # Without a known role nothing is hidden on a guess.
        ("centrumgemeente", "", True),
        ("regiogemeente", "", True),
    ],
)
def test_applies_by_role(applies_to, role, expected) -> None:
    assert applies(applies_to, role) is expected


def test_an_unknown_applicability_is_refused() -> None:
    with pytest.raises(ValueError, match="applicability"):
        applies("provincie", "")
    with pytest.raises(ValueError, match="applicability"):
        q("A1", applies_to="provincie")
    with pytest.raises(ValueError, match="kind"):
        q("A1", kind="opinion")


@pytest.mark.parametrize(
    ("perspective", "expected"),
    [
        ("corporatie", True),
        ("zorgaanbieder", True),
        ("ervaring", True),
        ("politie", True),
        ("ggd", True),
        ("partner", False),  # the old catch-all: its answers always counted
        ("wonen", False),
        ("", False),
    ],
)
def test_partner_perspectives(perspective, expected) -> None:
    assert is_partner(perspective) is expected


# --- Legal duties -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "state"),
    [
        (["voldaan"], "voldaan"),
        (["voldaan", "voldaan"], "voldaan"),
        (["voldaan", "deels"], "deels"),
        (["deels", "niet", "voldaan"], "niet"),
        (["nvt", "voldaan"], "voldaan"),  # n.v.t. next to an answer is ignored
        (["nvt", None], "nvt"),
        ([None, ""], "empty"),
        ([], "empty"),
    ],
)
def test_a_legal_duty_takes_the_lowest_answer(answers, state) -> None:
    assert consolidate_duty(answers).state == state


@pytest.mark.parametrize("bad", [3, "3", "weet_niet", "ja", True])
def test_a_level_is_not_an_answer_to_a_legal_duty(bad) -> None:
    with pytest.raises(ValueError):
        consolidate_duty([bad])


def test_deels_is_not_voldaan_and_nvt_leaves_the_count() -> None:
    duties = {
        "W1": DutyResult("voldaan", ("voldaan",)),
        "W2": DutyResult("deels", ("deels",)),
        "W3": DutyResult("nvt"),
        "W4": DutyResult("empty"),  # unanswered: still applies, not met
    }
    assert summarise_duties(duties) == DutySummary(met=1, applicable=3)


# --- Indicators ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("12", Decimal("12")),
        ("3,5", Decimal("3.5")),
        (" 1 250 ", Decimal("1250")),
        ("-2.25", Decimal("-2.25")),
        (7, Decimal(7)),
    ],
)
def test_parse_number(text, number) -> None:
    assert parse_number(text) == number


@pytest.mark.parametrize("bad", ["", "twaalf", "1,2,3", "NaN", "Infinity", None, True, 1.5])
def test_parse_number_refuses_what_is_not_a_finite_number(bad) -> None:
    with pytest.raises(ValueError):
        parse_number(bad)


def test_number_text_and_shown_number() -> None:
    assert number_text(Decimal("12.50")) == "12.5"
    assert number_text(Decimal("100.00")) == "100"
    assert number_text(Decimal("1E+2")) == "100"
    assert number_text(Decimal("-0.00")) == "0"
    assert shown_number("12.5") == "12,5"
    assert shown_number(None) == "–"


def test_an_indicator_is_the_lower_median_of_the_numbers_given() -> None:
    assert consolidate_indicator(["14", None, "12.50", "20"]) == IndicatorResult(
        value="14", values=("12.5", "14", "20")
    )
    assert consolidate_indicator(["14", "12"]).value == "12"
    assert consolidate_indicator(["14", "14"]).differs is False
    assert consolidate_indicator(["14", "12"]).differs is True
    assert consolidate_indicator([None]) == IndicatorResult(value=None)
    with pytest.raises(ValueError):
        consolidate_indicator(["nvt"])


# --- Scoring: legal duties and indicators are never scored ----------------------------------

MATURITY = [q("A1", weight=2), q("A2", weight=2)]


def test_a_legal_duty_is_never_averaged_into_a_score() -> None:
    """With the duty averaged in as any level, the score would move; it must not."""
    answers = {"A1": [2], "A2": [4]}
    alone = score_round(MATURITY, answers)
    for duty_answer in ("voldaan", "deels", "niet", "nvt"):
        scores = score_round(
            [*MATURITY, q("A3", kind="legal_duty", weight=3, critical=True)],
            {**answers, "A3": [duty_answer]},
        )
        assert scores.themes["A"] == alone.themes["A"]
        assert scores.overall == alone.overall
        assert scores.steps == alone.steps
        assert "A3" not in scores.consolidated
        assert scores.gaps == alone.gaps  # a duty has no gap
        assert scores.to_investigate == alone.to_investigate == []
    assert alone.overall.score == 75.0


def test_an_unanswered_critical_legal_duty_is_not_a_basisvoorwaarde() -> None:
    scores = score_round([*MATURITY, q("A3", kind="legal_duty", critical=True)], {"A1": [1]})
    assert scores.to_investigate == []
    assert scores.overall.applicable == 2  # the duty is not in the applicable set
    assert scores.duties["A3"].state == "empty"


def test_legal_duties_are_summarised_n_of_m() -> None:
    duties = [q(f"W{i}", kind="legal_duty") for i in range(1, 5)]
    scores = score_round(
        duties, {"W1": ["voldaan"], "W2": ["voldaan", "deels"], "W3": ["nvt"], "W4": []}
    )
    assert scores.legal_duties == DutySummary(met=1, applicable=3)


def test_an_indicator_is_never_scored() -> None:
    answers = {"A1": [2], "A2": [4]}
    alone = score_round(MATURITY, answers)
    scores = score_round(
        [*MATURITY, q("A9", kind="indicator", weight=3, critical=True)],
        {**answers, "A9": ["14"]},
    )
    assert scores.overall == alone.overall
    assert scores.themes == alone.themes
    assert scores.indicators == {"A9": IndicatorResult(value="14", values=("14",))}
    with pytest.raises(ValueError):
        score_round([q("A9", kind="indicator")], {"A9": [3, "weet_niet"]})


def test_a_level_for_a_legal_duty_is_refused_rather_than_scored() -> None:
    with pytest.raises(ValueError):
        score_round([q("W1", kind="legal_duty")], {"W1": [3]})
    with pytest.raises(ValueError, match="agreed"):
        score_round([q("W1", kind="legal_duty")], {}, agreed={"W1": 3})


@given(
    levels=st.lists(st.integers(0, 4), min_size=2, max_size=2),
    duty=st.lists(st.sampled_from(["voldaan", "deels", "niet", "nvt", None]), max_size=4),
    number=st.lists(st.integers(-1000, 1000), max_size=3),
)
def test_other_kinds_never_change_any_score(levels, duty, number) -> None:
    answers = {"A1": [levels[0]], "A2": [levels[1]]}
    alone = score_round(MATURITY, answers)
    mixed = score_round(
        [*MATURITY, q("A3", kind="legal_duty", critical=True), q("A4", kind="indicator")],
        {**answers, "A3": duty, "A4": number},
    )
    assert (mixed.overall, mixed.themes, mixed.steps, mixed.gaps) == (
        alone.overall,
        alone.themes,
        alone.steps,
        alone.gaps,
    )


# --- Scoring: n.v.t. by role ------------------------------------------------------------------


def test_a_statement_for_the_other_role_is_nvt_whatever_was_answered() -> None:
    questions = [
        q("A1"),
        q("A2", applies_to="centrumgemeente", critical=True, weight=3),
        q("A3", kind="legal_duty", applies_to="centrumgemeente"),
        q("A4", kind="indicator", applies_to="centrumgemeente"),
    ]
    answers = {"A1": [4], "A2": [0], "A3": ["niet"], "A4": ["5"]}
    regio = score_round(questions, answers, agreed={"A2": 1}, region_role="regiogemeente")
    assert regio.consolidated["A2"].state == "nvt"
    assert regio.overall.score == 100.0 and regio.overall.applicable == 1
    assert not regio.overall.is_capped  # the critical A2 does not apply
    assert regio.gaps == []
    assert regio.duties["A3"].state == "nvt"
    assert regio.legal_duties == DutySummary(met=0, applicable=0)
    assert "A4" not in regio.indicators
    assert regio.not_for_role == ["A2", "A3", "A4"]

    centrum = score_round(questions, answers, region_role="centrumgemeente")
    assert centrum.consolidated["A2"].level == 0 and centrum.overall.is_capped
    assert centrum.legal_duties == DutySummary(met=0, applicable=1)
    assert centrum.not_for_role == []
    # Without a role everything applies.
    assert score_round(questions, answers).overall == centrum.overall


# --- Partners ----------------------------------------------------------------------------


def test_a_partner_response_counts_only_by_the_coordinators_choice() -> None:
    assert counts_response(10, 10, threshold_percent=50, is_partner=True) is False
    assert counts_response(10, 10, threshold_percent=50, included=True, is_partner=True)
    assert not counts_response(10, 10, threshold_percent=50, included=False, is_partner=True)
    assert counts_response(10, 10, threshold_percent=50) is True


def test_a_partner_module_statement_is_never_in_the_score() -> None:
    questions = [q("A1"), q("A2", partner=True, critical=True)]
    scores = score_round(questions, {"A1": [4]})
    assert scores.consolidated["A2"].state == "nvt"
    assert scores.overall.applicable == 1 and scores.overall.coverage == 1.0
    # Even answered by a response that counts: the partner's statement, not the score.
    counted = score_round(questions, {"A1": [4], "A2": [0]})
    assert counted.overall == scores.overall and counted.gaps == []


def test_partner_views_put_the_largest_difference_first() -> None:
    own = {"A1": consolidate([3]), "A2": consolidate([1]), "A3": consolidate([])}
    views = partner_views(
        own,
        {
            "A1": [("corporatie", 2), ("zorgaanbieder", 3)],
            "A2": [("corporatie", 4), ("corporatie", 3)],
            "A3": [("ggd", 2)],
            "W1": [("politie", "voldaan")],  # a legal duty: not a perspective on a level
        },
    )
    assert [(v.code, v.partner, v.level, v.own, v.difference) for v in views] == [
        ("A2", "corporatie", 3, 1, 2),
        ("A1", "corporatie", 2, 3, -1),
        ("A1", "zorgaanbieder", 3, 3, 0),
        ("A3", "ggd", 2, None, None),
    ]
    assert own["A2"].level == 1  # partners never change the municipality's own level


# --- The plan: actions for the other role are not proposed ------------------------------------


def test_an_action_for_the_other_role_is_not_proposed() -> None:
    scores = score_round([q("A1"), q("A2")], {"A1": [0], "A2": [1]})
    templates = [
        TemplateInfo("A-1", "A", None, 6, 1),
        TemplateInfo("A-2", "A", None, 6, 2, applies_to="centrumgemeente"),
        TemplateInfo("A-3", "A", None, 6, 3, applies_to="regiogemeente"),
    ]
    themes = {"A1": "A", "A2": "A"}

    def codes(role):
        return [p.template_code for p in propose(templates, scores.gaps, themes, region_role=role)]

    assert codes("regiogemeente") == ["A-1", "A-3"]
    assert codes("centrumgemeente") == ["A-1", "A-2"]
    assert codes("") == ["A-1", "A-2", "A-3"]


def test_the_actions_of_an_unmet_legal_duty_are_proposed_first() -> None:
    scores = score_round([q("A1"), q("A2", kind="legal_duty")], {"A1": [1], "A2": ["niet"]})
    templates = [
        TemplateInfo("A-1", "A", None, 6, 1),  # a theme template: gaps only
        TemplateInfo("A-2", "A", None, 6, 2, questions=("A2",)),
        TemplateInfo("A-3", "A", None, 6, 3, questions=("A1",)),
    ]
    proposals = propose(templates, scores.gaps, {"A1": "A", "A2": "A"}, unmet_duties=["A2"])
    assert [(p.template_code, p.question_codes, p.priority) for p in proposals] == [
        ("A-2", ("A2",), LEGAL_DUTY_PRIORITY),
        ("A-1", ("A1",), 4),
        ("A-3", ("A1",), 4),
    ]
    assert LEGAL_DUTY_PRIORITY == 24
    # A duty met, n.v.t. or unanswered proposes nothing.
    assert [p.template_code for p in propose(templates, scores.gaps, {"A1": "A", "A2": "A"})] == [
        "A-1",
        "A-3",
    ]


# --- The trend: indicators over rounds -------------------------------------------------------


def point(n: int, indicators, version="v1") -> RoundPoint:
    return RoundPoint(
        id=n,
        title=f"Meting {n}",
        date=datetime.date(2026, n, 1),
        version=version,
        steps={},
        indicators=indicators,
    )


def test_indicators_are_shown_over_rounds_as_values() -> None:
    rounds = [point(1, {"K1": "12"}), point(2, {"K1": None}), point(3, {"K1": "9.5", "K2": "3"})]
    series = indicator_series(rounds, [same_codes(["K1", "K2"])] * 2 + [{}])
    assert {code: [v for _r, v in values] for code, values in series.items()} == {
        "K1": ["12", None, "9.5"],
        "K2": [None, None, "3"],
    }


def test_indicators_follow_the_mapping_across_versions() -> None:
    rounds = [point(1, {"X7": "40"}, "v1"), point(2, {"K1": "35"}, "v2")]
    series = indicator_series(rounds, [{"K1": ("X7",)}, {}])
    assert [v for _r, v in series["K1"]] == ["40", "35"]
    with pytest.raises(ValueError):
        indicator_series(rounds, [{}])
