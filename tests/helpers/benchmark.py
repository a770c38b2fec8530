"""The differencing attack on the national comparison, shared by the pure tests
(tests/readiness/test_benchmark.py) and the ones through the pages
(tests/rounds/test_benchmark.py)."""

from collections.abc import Sequence

from readiness.benchmark import STEP, Distribution, distribution

MEDIAN_FROM, QUARTILES_FROM = 5, 10


def shown(scores: Sequence[float]) -> Distribution | None:
    return distribution(scores, minimum=MEDIAN_FROM, minimum_for_quartiles=QUARTILES_FROM)


def feasible(
    known: Sequence[float],
    observed: Distribution | None,
    *,
    unknown_others: int,
    truth: Sequence[float],
    figures=shown,
) -> list[float]:
    """The attacker's best inversion: every score 0..100 (a step of 1, and the true one)
    that the target can have, given the figures ``observed`` after the target's round
    entered, when the attacker knows every other contributor's exact score (``known``:
    more than a real attacker knows) except ``unknown_others`` rounds of the same batch
    (tried on a grid of 5, and their true scores; ``truth`` is target then those)."""
    target, *others = truth
    candidates = [float(x) for x in range(101)] + [target]
    grid = [float(y) for y in range(0, 101, STEP)]
    fillers: list[tuple[float, ...]] = [tuple(others)]
    if unknown_others == 1:
        fillers += [(y,) for y in grid]
    elif unknown_others == 2:
        fillers += [(y, z) for i, y in enumerate(grid) for z in grid[i:]]
    elif unknown_others:
        raise ValueError("the search tries at most two unknown rounds")
    base = list(known)
    return [
        x for x in candidates if any(figures([*base, x, *fill]) == observed for fill in fillers)
    ]


def recovered(candidates: Sequence[float]) -> bool:
    """The target's score is pinned closer than ±5 points."""
    return max(candidates) - min(candidates) < 10
