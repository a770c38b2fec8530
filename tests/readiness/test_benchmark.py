"""The comparison's arithmetic: releases in batches, quartiles by inclusive linear
interpolation rounded to steps of 5, a minimum N for the median and a higher one for the
quartiles; and the differencing attack played against it."""

import datetime
import random
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from readiness.benchmark import (
    STEP,
    Closing,
    Distribution,
    Release,
    distribution,
    quartiles,
    release,
    theme_distributions,
    to_step,
)
from tests.helpers.benchmark import MEDIAN_FROM, QUARTILES_FROM, feasible, recovered, shown


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
        # n = 4: the example in the module docstring.
        ([10, 20, 30, 40], (17.5, 25, 32.5)),
    ],
)
def test_quartiles_by_inclusive_interpolation(scores, expected):
    assert quartiles(scores) == tuple(map(float, expected))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0, 0),
        (2.4, 0),
        (2.5, 5),
        (22.5, 25),
        (35, 35),
        (58.75, 60),
        (72.4, 70),
        (72.5, 75),
        (97.5, 100),
        (100, 100),
    ],
)
def test_shown_figures_are_rounded_half_up_to_steps_of_five(value, expected):
    assert to_step(value) == expected


def test_the_median_from_five_and_the_quartiles_from_ten():
    assert shown([10, 20, 30, 40]) is None
    # n = 6 (the example above): the median 35, no quartiles yet.
    assert shown([10, 20, 30, 40, 65, 80]) == Distribution(6, None, 35, None)
    # n = 10: positions 2.25, 4.5 and 6.75 of 0..9.
    # Q1 = 21 + 0.25 × 4 = 22 -> 20; median = (33 + 38) / 2 = 35.5 -> 35;
    # Q3 = 60 + 0.75 × 8 = 66 -> 65.
    scores = [4, 12, 21, 25, 33, 38, 60, 68, 81, 90]
    assert shown(scores) == Distribution(10, 20, 35, 65)


def test_one_or_no_score_never_gives_a_distribution_whatever_the_minimum():
    assert distribution([42.0], minimum=0, minimum_for_quartiles=0) is None
    assert distribution([], minimum=0, minimum_for_quartiles=0) is None


def test_theme_distributions_leave_out_the_viewer_and_count_per_theme():
    scores = {
        1: {"A": 0.0, "B": 10.0},  # the viewer
        2: {"A": 10.0, "B": 20.0},
        3: {"A": 20.0},  # B with too few answers: absent
        4: {"A": 30.0, "B": 40.0},
        5: {"A": 40.0, "B": 50.0},
        6: {"A": 50.0, "B": 60.0},
    }
    result = theme_distributions(
        scores, theme_codes=["A", "B", "C"], exclude=1, minimum=5, minimum_for_quartiles=5
    )
    assert result["A"] == Distribution(5, 20, 30, 40)
    assert result["B"] is None  # four other municipalities
    assert result["C"] is None
    # Without leaving anyone out, B has five.
    assert theme_distributions(
        scores, theme_codes=["B"], exclude=None, minimum=5, minimum_for_quartiles=5
    )["B"] == Distribution(5, 20, 40, 50)


# --- Releases ---------------------------------------------------------------------------

T0 = datetime.datetime(2026, 1, 5, 9, 0, tzinfo=datetime.UTC)


def closings(*municipalities: int, start: int = 1) -> list[Closing]:
    """One closing per municipality id, an hour apart, round ids start, start + 1, ..."""
    return [
        Closing(round_id=i, municipality_id=m, closed_at=T0 + datetime.timedelta(hours=i))
        for i, m in enumerate(municipalities, start=start)
    ]


def test_no_release_before_the_first_batch():
    assert release(closings(1, 2), min_new_rounds=3) == Release(cut=None, round_ids=frozenset())


def test_a_release_is_cut_at_every_batch_of_new_municipalities():
    rounds = closings(1, 2, 3, 4, 5, 6, 7, 8)
    # Batches 1-3 and 4-6; 7 and 8 wait for a third.
    current = release(rounds, min_new_rounds=3)
    assert current.cut == rounds[5]
    assert current.round_ids == {1, 2, 3, 4, 5, 6}
    # One more round changes nothing; the third of the batch makes the next release.
    assert release(rounds + closings(9, start=9), min_new_rounds=3).round_ids == set(range(1, 10))


def test_a_municipality_closing_twice_in_a_batch_counts_once_with_its_latest_round():
    rounds = closings(1, 2, 3, 1, 1, 4)
    # After the cut at round 3: municipality 1 twice and 4 once are two, not three.
    assert release(rounds, min_new_rounds=3).round_ids == {1, 2, 3}
    rounds += closings(5, start=7)
    # Now 1, 4 and 5: municipality 1 counts with its latest round (5), not round 1 or 4.
    assert release(rounds, min_new_rounds=3).round_ids == {5, 2, 3, 6, 7}


def test_the_release_does_not_depend_on_the_order_the_rounds_are_read_in():
    rounds = closings(4, 9, 2, 7, 7, 1, 3, 8, 5, 6)
    expected = release(rounds, min_new_rounds=3)
    for seed in range(20):
        shuffled = rounds[:]
        random.Random(seed).shuffle(shuffled)
        assert release(shuffled, min_new_rounds=3) == expected


def test_rounds_closed_at_the_same_instant_are_ordered_by_id():
    same = T0 + datetime.timedelta(days=1)
    rounds = [Closing(round_id=i, municipality_id=i, closed_at=same) for i in (5, 3, 4, 1, 2)]
    assert release(rounds, min_new_rounds=3).round_ids == {1, 2, 3}


# --- Never one municipality's score -----------------------------------------------------

# Scores that are not a multiple of 5, nor show as one (rounded half up to a whole number):
# a shown figure, always a multiple of 5, can equal only such a score, and then says no
# more than the band it is in.
off_grid = st.floats(min_value=0, max_value=100, allow_nan=False).filter(
    lambda s: int(Decimal(str(s)).quantize(Decimal(1), rounding=ROUND_HALF_UP)) % STEP
)


@given(st.lists(off_grid, min_size=MEDIAN_FROM, max_size=QUARTILES_FROM - 1))
def test_below_the_quartile_minimum_only_a_rounded_median_is_shown(scores):
    result = shown(scores)
    assert result.lower_quartile is None and result.upper_quartile is None
    assert result.median % STEP == 0
    assert result.median not in scores


@given(st.lists(off_grid, min_size=QUARTILES_FROM, max_size=40))
def test_no_shown_figure_is_a_contributors_score(scores):
    result = shown(scores)
    figures = {result.lower_quartile, result.median, result.upper_quartile}
    assert all(figure % STEP == 0 for figure in figures)
    assert not figures & set(scores)


def test_with_exactly_five_the_shown_median_is_none_of_their_scores():
    # Theme scores as rounds produce them (weights 2, 3 and 1 over levels 0-4): with the old
    # rule Q1, median and Q3 were the 2nd, 3rd and 4th of these, each one municipality's.
    scores = [100 * s / 24 for s in (9, 13, 15, 17, 22)]  # 37.5, 54.2, 62.5, 70.8, 91.7
    result = shown(scores)
    assert result == Distribution(5, None, 65, None)
    assert result.median not in scores + [round(s) for s in scores]


# --- The differencing attack ------------------------------------------------------------


def realistic_round(rng: random.Random) -> dict[str, float]:
    """Eight theme scores as municipalities have them: around 60, most between 35 and 85."""
    return {code: min(100.0, max(0.0, rng.gauss(60, 15))) for code in "ABCDEFGH"}


def play(seed: int, *, min_new_rounds: int) -> list[list[float]]:
    """Municipality 1, 2, 3, ... closes round 1, 2, 3, ... in that order; 12 to 30 are in
    the release when the target closes. The attacker reads the benchmark before and after
    the target's closing and, if that changed nothing, again once the release that takes
    the target in is out; then inverts. Returns the candidates per theme."""
    rng = random.Random(seed)
    contributors = rng.randint(12, 30)
    total = contributors + 2 * min_new_rounds
    scores = {m: realistic_round(rng) for m in range(1, total + 1)}
    target = contributors + 1 + rng.randrange(min_new_rounds)
    rounds = closings(*scores)

    def read(upto: int) -> tuple[Release, dict[str, Distribution | None]]:
        current = release(rounds[:upto], min_new_rounds=min_new_rounds)
        figures = theme_distributions(
            {m: scores[m] for m in current.round_ids},
            theme_codes="ABCDEFGH",
            exclude=None,
            minimum=MEDIAN_FROM,
            minimum_for_quartiles=QUARTILES_FROM,
        )
        return current, figures

    known_release, before = read(target - 1)
    published, after = read(target)
    if target not in published.round_ids:
        assert after == before, "one more round changed the figures between releases"
        upto = next(
            upto
            for upto in range(target + 1, total + 1)
            if target in release(rounds[:upto], min_new_rounds=min_new_rounds).round_ids
        )
        published, after = read(upto)
    # The target's batch-mates are unknown to the attacker; every earlier contributor's
    # exact score, generously, is known.
    mates = sorted(published.round_ids - known_release.round_ids - {target})
    assert len(mates) == min_new_rounds - 1
    return [
        feasible(
            [scores[m][code] for m in known_release.round_ids],
            after[code],
            unknown_others=len(mates),
            truth=[scores[target][code]] + [scores[m][code] for m in mates],
        )
        for code in "ABCDEFGH"
    ]


@pytest.mark.parametrize("seed", range(5))
def test_differencing_recovers_no_theme_score_closer_than_five_points(seed):
    for candidates in play(seed, min_new_rounds=3):
        assert not recovered(candidates), (min(candidates), max(candidates))


def test_the_attack_recovers_scores_from_exact_figures_published_per_round():
    """The same attacker against the old rule (exact quartiles, new figures at every
    closing): whenever the new score falls between the two scores a quartile interpolates,
    that quartile gives it away to the decimal; so the inversion has teeth."""

    def exact(scores):
        return quartiles(scores) if len(scores) >= MEDIAN_FROM else None

    rng = random.Random(1)
    hits = 0
    for _ in range(8):
        known = [rng.gauss(60, 15) for _ in range(rng.randint(12, 30))]
        target = rng.gauss(60, 15)
        candidates = feasible(
            known, exact([*known, target]), unknown_others=0, truth=[target], figures=exact
        )
        assert target in candidates
        hits += recovered(candidates)
    assert hits >= 3
