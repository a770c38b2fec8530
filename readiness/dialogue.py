"""Which statements a round's *gespreksagenda* (dialogue agenda) puts first.

A pure function over the consolidated answers of ``readiness.scoring``: no database, so the
order is tested directly. The coordinator discusses the statements on which respondents
are furthest apart; with equal spread the heavier statement first, then a critical one.
Partners' answers (``readiness.kinds.PARTNER_DOMAINS``) are a perspective beside the
municipality's own level (``partner_views``), never part of it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from .scoring import (
    STEP_ORDER,
    Consolidated,
    QuestionResult,
    RawAnswer,
    consolidate,
    natural_key,
)

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


@dataclass(frozen=True)
class PartnerView:
    """What one partner said about one statement, next to the municipality's own level.

    ``level`` is the lower median of the partner's respondents' levels (None when they gave
    none); ``own`` the municipality's level (its counted respondents, or the agreed level).
    """

    code: str
    partner: str  # a partner Domain code
    level: int | None
    own: int | None

    @property
    def difference(self) -> int | None:
        """The partner's level minus the municipality's; None when either is missing."""
        if self.level is None or self.own is None:
            return None
        return self.level - self.own


def partner_views(
    own: Mapping[str, Consolidated],
    partner_answers: Mapping[str, Sequence[tuple[str, RawAnswer]]],
) -> list[PartnerView]:
    """Per statement and partner, the partner's level beside the municipality's own.

    ``own``: the round's consolidated maturity statements; ``partner_answers``: per
    statement code, (partner, answer) of the partners' responses that do not count.
    Statements outside ``own`` (legal duties, indicators) are left out. Partners' answers
    never change ``own``: they are a perspective for the conversation, not a score.
    Order: the largest difference either way first, statements without a difference last,
    then code in natural order and partner code.
    """
    views = []
    for code, answers in partner_answers.items():
        if code not in own:
            continue
        by_partner: dict[str, list[RawAnswer]] = {}
        for partner, answer in answers:
            by_partner.setdefault(partner, []).append(answer)
        for partner, given in by_partner.items():
            views.append(
                PartnerView(
                    code=code, partner=partner, level=consolidate(given).level, own=own[code].level
                )
            )
    views.sort(
        key=lambda v: (
            v.difference is None,
            -abs(v.difference or 0),
            natural_key(v.code),
            v.partner,
        )
    )
    return views
