"""The comparison's arithmetic: quartiles by inclusive linear interpolation, minimum N."""

import pytest

from readiness.benchmark import Distribution, distribution, theme_distributions


@pytest.mark.parametrize(
    ("scores", "expected"),
    [
        # n = 5: positions 1, 2 and 3 of 0..4, no interpolation needed.
        ([10, 20, 40, 70, 90], (20, 40, 70)),
        # The order of the input does not matter.
        ([90, 10, 70, 40, 20], (20, 40, 70)),
        # n = 6: positions 1.25, 2.5 and 3.75 of 0..5.
        # Q1 = 20 + 0.25 × 10 = 22.5; median = (30 + 40) / 2 = 35; Q3 = 40 + 0.75 × 25 = 58.75
        ([10, 20, 30, 40, 65, 80], (22.5, 35, 58.75)),
        # n = 4 with a minimum of 4: the example in the module docstring.
        ([10, 20, 30, 40], (17.5, 25, 32.5)),
    ],
)
def test_quartiles_by_inclusive_interpolation(scores, expected):
    result = distribution(scores, minimum=4)
    assert result == Distribution(len(scores), *map(float, expected))


def test_below_the_minimum_there_is_no_distribution():
    assert distribution([10, 20, 30, 40], minimum=5) is None
    assert distribution([10, 20, 30, 40, 50], minimum=5) is not None


def test_one_or_no_score_never_gives_a_distribution_whatever_the_minimum():
    assert distribution([42.0], minimum=0) is None
    assert distribution([], minimum=0) is None


def test_theme_distributions_leave_out_the_viewer_and_count_per_theme():
    scores = {
        1: {"A": 0.0, "B": 10.0},  # the viewer
        2: {"A": 10.0, "B": 20.0},
        3: {"A": 20.0},  # B with too few answers: absent
        4: {"A": 30.0, "B": 40.0},
        5: {"A": 40.0, "B": 50.0},
        6: {"A": 50.0, "B": 60.0},
    }
    result = theme_distributions(scores, theme_codes=["A", "B", "C"], exclude=1, minimum=5)
    assert result["A"] == Distribution(5, 20.0, 30.0, 40.0)
    assert result["B"] is None  # four other municipalities
    assert result["C"] is None
    # Without leaving anyone out, B has five.
    assert theme_distributions(scores, theme_codes=["B"], exclude=None, minimum=5)["B"] == (
        Distribution(5, 20.0, 40.0, 50.0)
    )
