"""Which statements a round's *gespreksagenda* (dialogue agenda) puts first.

A pure function over the consolidated answers of ``readiness.scoring``: no database, so the
order is tested directly. The coordinator discusses the statements on which respondents
are furthest apart; with equal spread the heavier statement first, then a critical one.
"""

from __future__ import annotations

from collections.abc import Iterable

from .scoring import STEP_ORDER, QuestionResult, natural_key

# Statements shown before "toon alle" on the agenda and the results page.
AGENDA_SIZE = 10


def rank_for_dialogue(items: Iterable[QuestionResult]) -> list[str]:
    """Codes of the statements on which respondents differ, the largest difference first.

    Listed: every statement with a *verschil van inzicht* (``Consolidated.has_disagreement``,
    the one rule the results page and the report count by), also when a level has already
    been agreed, so that it can be revisited.
    Order: spread descending, then weight descending, then critical before not critical,
    then step in ``STEP_ORDER`` and code in natural order (so the order never depends on
    the input order).
    """
    ranked = [(info, result) for info, result in items if result.has_disagreement]
    ranked.sort(
        key=lambda item: (
            -(item[1].spread or 0),
            -item[0].weight,
            not item[0].is_critical,
            STEP_ORDER.index(item[0].step),
            natural_key(item[0].code),
        )
    )
    return [info.code for info, _result in ranked]
