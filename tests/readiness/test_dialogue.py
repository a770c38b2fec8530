"""The dialogue agenda's order, agreed levels and which responses count (no database)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from readiness.dialogue import rank_for_dialogue
from readiness.scoring import (
    Consolidated,
    QuestionInfo,
    agree,
    consolidate,
    counts_response,
    score_round,
)


def info(code: str, *, weight: int = 1, critical: bool = False, step: str = "wijkbasis"):
    theme = code[0]
    return QuestionInfo(code=code, step=step, theme=theme, weight=weight, is_critical=critical)


def test_the_agenda_puts_the_largest_spread_first_then_weight_then_critical() -> None:
    items = [
        (info("A1", weight=3), consolidate([2, 3])),  # spread 1: no verschil van inzicht
        (info("A2", weight=1), consolidate([0, 4])),  # spread 4
        (info("A3", weight=1), consolidate([1, 3])),  # spread 2, light
        (info("A4", weight=3), consolidate([1, 3])),  # spread 2, heavy
        (info("A5", weight=3, critical=True), consolidate([2, 4])),  # spread 2, heavy, critical
        (info("A6", weight=3), consolidate([3, 3])),  # no difference: not on the agenda
        (info("A7", weight=3), consolidate(["weet_niet"])),  # no levels: not on the agenda
    ]
    assert rank_for_dialogue(items) == ["A2", "A5", "A4", "A3"]


def test_equal_statements_are_ordered_by_step_then_natural_code() -> None:
    items = [
        (info("B10", step="samenwerking"), consolidate([1, 3])),
        (info("B2", step="samenwerking"), consolidate([1, 3])),
        (info("A10"), consolidate([1, 3])),
    ]
    assert rank_for_dialogue(items) == ["A10", "B2", "B10"]


def test_an_agreed_statement_stays_on_the_agenda() -> None:
    items = [(info("A1"), agree(consolidate([0, 4]), 2))]
    assert rank_for_dialogue(items) == ["A1"]


@given(st.lists(st.lists(st.integers(0, 4), max_size=4), min_size=1, max_size=8), st.randoms())
def test_the_agenda_does_not_depend_on_the_input_order(levels, rnd) -> None:
    items = [(info(f"A{i}", weight=i % 3 + 1), consolidate(ls)) for i, ls in enumerate(levels)]
    shuffled = list(items)
    rnd.shuffle(shuffled)
    assert rank_for_dialogue(shuffled) == rank_for_dialogue(items)


# --- Agreed levels ------------------------------------------------------------------------


def test_an_agreed_level_replaces_the_median_and_keeps_the_levels() -> None:
    agreed = agree(consolidate([1, 4]), 3)
    assert (agreed.state, agreed.level, agreed.levels, agreed.spread) == ("answered", 3, (1, 4), 3)
    assert agreed.agreed and agreed.has_disagreement


def test_an_agreed_level_counts_in_scores_caps_and_gaps() -> None:
    questions = [info("A1", weight=2), info("A2", critical=True)]
    answers = {"A1": [1, 4], "A2": [1, 2]}
    plain = score_round(questions, answers)
    assert plain.themes["A"].score == pytest.approx(100 * 3 / 12)
    assert plain.themes["A"].is_capped
    assert plain.disagreements == ["A1"]

    agreed = score_round(questions, answers, agreed={"A1": 4, "A2": 2})
    assert agreed.themes["A"].score == pytest.approx(100 * 10 / 12)
    assert not agreed.themes["A"].is_capped  # A2 agreed at 2: above the cap level
    assert agreed.disagreements == []  # settled in conversation
    assert [g.code for g in agreed.gaps] == ["A2"]
    assert agreed.consolidated["A1"].agreed and agreed.consolidated["A2"].agreed


def test_an_agreed_level_for_a_question_nobody_answered_makes_it_answered() -> None:
    scores = score_round([info("A1", critical=True)], {}, agreed={"A1": 2})
    assert scores.overall.answered == 1
    assert scores.to_investigate == []
    assert scores.consolidated["A1"] == Consolidated("answered", 2, (), None, agreed=True)


@pytest.mark.parametrize("level", [-1, 5, True, "3", None])
def test_an_agreed_level_outside_the_scale_is_refused(level) -> None:
    with pytest.raises(ValueError, match="agreed level"):
        agree(consolidate([1]), level)


def test_agreed_levels_for_unknown_questions_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown question codes: Z9"):
        score_round([info("A1")], {}, agreed={"Z9": 2})


@pytest.mark.parametrize(
    "kwargs",
    [
        {"state": "nvt", "level": 2, "levels": (), "spread": None},
        {"state": "answered", "level": 2, "levels": (1, 3), "spread": 1},
        {"state": "answered", "level": None, "levels": (), "spread": None},
        {"state": "answered", "level": 2, "levels": (), "spread": 0},
    ],
)
def test_an_inconsistent_agreed_value_is_refused(kwargs) -> None:
    with pytest.raises(ValueError, match="inconsistent"):
        Consolidated(**kwargs, agreed=True)


# --- Which responses count ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("answered", "total", "included", "counts"),
    [
        pytest.param(33, 66, None, True, id="exactly half counts"),
        pytest.param(32, 66, None, False, id="just under half does not"),
        pytest.param(66, 66, None, True, id="everything"),
        pytest.param(5, 66, None, False, id="five of 66 does not"),
        pytest.param(5, 66, True, True, id="included by the coordinator"),
        pytest.param(66, 66, False, False, id="left out by the coordinator"),
        pytest.param(0, 66, True, True, id="the coordinator's choice wins even at zero"),
        pytest.param(0, 0, None, False, id="nothing to answer, nothing answered"),
    ],
)
def test_a_response_counts_from_the_threshold_or_by_choice(answered, total, included, counts):
    assert counts_response(answered, total, threshold_percent=50, included=included) is counts


def test_a_response_without_answers_never_counts_by_threshold() -> None:
    assert not counts_response(0, 66, threshold_percent=0)
    assert counts_response(1, 66, threshold_percent=0)


@pytest.mark.parametrize(("answered", "total", "threshold"), [(5, 4, 50), (-1, 4, 50), (1, 4, 101)])
def test_impossible_counts_are_refused(answered, total, threshold) -> None:
    with pytest.raises(ValueError):
        counts_response(answered, total, threshold_percent=threshold)
