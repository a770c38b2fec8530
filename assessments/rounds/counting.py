"""Which responses count and how a stored answer is read, for every score of a round.

Shared by ``results.compute_results`` (one round) and ``overall.overall_scores`` (many):
the rule itself is ``readiness.scoring.counts_response``.
"""

from __future__ import annotations

from django.conf import settings

from readiness.content import Outline
from readiness.kinds import INDICATOR, applies, number_text
from readiness.models import Question
from readiness.scoring import counts_response


def raw_level(value: str) -> int | str | None:
    if value.isdigit():
        return int(value)
    return value or None


def counted_response_ids(
    answered: dict[int, int],
    included: dict[int, bool | None],
    total: int,
    partners: set[int] | frozenset[int] = frozenset(),
    threshold_percent: int | None = None,
) -> set[int]:
    """The responses that count, from their number of answers and the coordinator's choice.

    ``partners``: the responses whose perspective is a partner's (``readiness.kinds``),
    which count only by the coordinator's choice. ``threshold_percent``: the setting
    ``RESPONSE_COUNT_THRESHOLD`` unless given.
    """
    if threshold_percent is None:
        threshold_percent = settings.RESPONSE_COUNT_THRESHOLD
    return {
        response_id
        for response_id, choice in included.items()
        if counts_response(
            min(answered.get(response_id, 0), total),
            total,
            threshold_percent=threshold_percent,
            included=choice,
            is_partner=response_id in partners,
        )
    }


def answerable(outline: Outline, region_role: str) -> list[Question]:
    """The municipality's own statements: those for its role, not the partners' modules."""
    return [
        q
        for q in outline.questions
        if applies(q.applies_to, region_role) and not q.partner_perspectives
    ]


def raw_answer(kind: str, value: str, number) -> int | str | None:
    """One stored answer as ``readiness.scoring.score_round`` takes it, by statement kind."""
    if kind == INDICATOR:
        return None if number is None else number_text(number)
    return raw_level(value)


def is_answered(value: str, number) -> bool:
    """A level, *weet niet*, *n.v.t.*, a duty's answer or a number; a note alone is not."""
    return bool(value) or number is not None
