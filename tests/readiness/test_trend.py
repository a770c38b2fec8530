"""The trend arithmetic (readiness/trend.py): steps by code, themes within one version,
questions through their stable keys, changes on the shown whole scores."""

from __future__ import annotations

import datetime

import pytest

from readiness.trend import (
    DOWN,
    SAME,
    UP,
    Change,
    RoundPoint,
    compare,
    mapped_codes,
    shown,
    step_series,
)

DAY = datetime.date(2026, 3, 1)


def point(version="2026.1", steps=None, themes=None, levels=None, id=1) -> RoundPoint:
    return RoundPoint(
        id=id,
        title=f"Meting {id}",
        date=DAY,
        version=version,
        steps=steps or {},
        themes=themes or {},
        levels=levels or {},
    )


@pytest.mark.parametrize(
    ("previous", "current", "delta", "direction"),
    [
        (40.0, 52.0, 12, UP),
        (70.0, 61.0, -9, DOWN),
        (50.0, 50.4, 0, SAME),
        # The change is that of the shown scores: 62.5 shows 63 and 60.4 shows 60.
        (60.4, 62.5, 3, UP),
        (None, 40.0, None, None),
        (40.0, None, None, None),
    ],
)
def test_a_step_change_is_the_difference_of_the_shown_scores(previous, current, delta, direction):
    trend = compare(
        point(steps={"wijkbasis": previous}, id=1), point(steps={"wijkbasis": current}, id=2)
    )
    (change,) = trend.steps
    assert (change.delta, change.direction) == (delta, direction)


def test_shown_rounds_half_up():
    assert [shown(62.5), shown(62.49), shown(0.5), shown(100.2)] == [63, 62, 1, 100]


def test_themes_are_compared_by_code_within_one_version():
    previous = point(steps={"wijkbasis": 50.0}, themes={"A": 25.0, "E": 50.0}, id=1)
    current = point(steps={"wijkbasis": 60.0}, themes={"A": 50.0, "E": 37.5}, id=2)
    trend = compare(previous, current)
    assert trend.same_version
    assert trend.themes == (Change("A", 25, 50), Change("E", 50, 38))
    assert [c.delta for c in trend.themes] == [25, -12]


def test_across_versions_steps_are_compared_but_themes_are_not():
    previous = point("2026.1", steps={"wijkbasis": 50.0}, themes={"A": 25.0}, id=1)
    current = point("2027.1", steps={"wijkbasis": 75.0}, themes={"A": 80.0}, id=2)
    trend = compare(previous, current, {})
    assert trend.steps == (Change("wijkbasis", 50, 75),)
    assert trend.themes == ()
    assert not trend.same_version


def test_rounds_of_two_versions_need_a_correspondence():
    with pytest.raises(ValueError, match="correspondence"):
        compare(point("2026.1"), point("2027.1"))


def test_a_question_new_in_the_later_version_has_no_previous_level_and_no_change():
    # 2026.1's A1 continues as key "aanbod", A2 was split into two keys, B1 and B2 were
    # merged into one key, C1 was dropped; "nieuw" has no old question at all.
    mapping = {
        "A1": ("aanbod",),
        "A2": ("split-1", "split-2"),
        "B1": ("samen",),
        "B2": ("samen",),
        "C1": (),
    }
    keys = {"A1": "aanbod", "A2": "split-1", "A3": "split-2", "B1": "samen", "H9": "nieuw"}
    correspondence = mapped_codes(keys, mapping)
    assert correspondence == {
        "A1": ("A1",),
        "A2": ("A2",),
        "A3": ("A2",),
        "B1": ("B1", "B2"),
        "H9": (),
    }
    previous = point("2026.1", levels={"A1": 1, "A2": 2, "B1": 3, "B2": 1, "C1": 4}, id=1)
    current = point("2027.1", levels={"A1": 3, "A2": 2, "A3": 4, "B1": 2, "H9": 1}, id=2)
    trend = compare(previous, current, correspondence)
    by_code = {q.code: q for q in trend.questions}
    assert (by_code["A1"].previous, by_code["A1"].delta) == (1, 2)
    # Both halves of a split question compare with the one old question.
    assert (by_code["A3"].previous, by_code["A3"].delta) == (2, 2)
    # Merged questions: the lowest old level, never a flattering change.
    assert (by_code["B1"].previous, by_code["B1"].delta) == (1, 1)
    assert by_code["H9"].is_new
    assert (by_code["H9"].previous, by_code["H9"].delta) == (None, None)
    assert trend.new_questions == ("H9",)


def test_an_old_question_without_a_level_gives_no_change():
    trend = compare(point(levels={"A1": None}, id=1), point(levels={"A1": 3}, id=2))
    (question,) = trend.questions
    assert not question.is_new
    assert question.delta is None


def test_the_series_of_a_step_follows_the_rounds_in_order():
    rounds = [
        point(steps={"wijkbasis": 30.2, "start_nu": None}, id=1),
        point(steps={"wijkbasis": 45.5, "start_nu": 20.0}, id=2),
        point(steps={"wijkbasis": 60.0}, id=3),
    ]
    series = step_series(rounds, ["wijkbasis", "start_nu"])
    assert [score for _r, score in series["wijkbasis"]] == [30, 46, 60]
    assert [score for _r, score in series["start_nu"]] == [None, 20, None]
    assert [r.id for r, _s in series["wijkbasis"]] == [1, 2, 3]
