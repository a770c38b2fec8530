"""Statement kinds, applicability by role and partner perspectives, as pure functions.

Besides maturity statements (a level 0..4, scored by ``readiness.scoring``) a framework
version may hold two other kinds of statement, neither of which is ever scored:

- a *wettelijke plicht* (legal duty) is answered *voldaan*, *deels*, *niet* or *n.v.t.*;
  the round's summary is "wettelijke plichten: n van m voldaan";
- an *indicator* is a number with a unit and a period (say 14 weeks waiting time in 2026),
  followed over rounds in the trend.

A statement or action may apply to centrumgemeenten or regiogemeenten only: in a
municipality of the other role it is *n.v.t.* automatically. A response whose perspective
is a partner (corporatie, zorgaanbieder, ervaring, politie, ggd) is a perspective for the
dialogue, not part of the municipality's own score unless the coordinator says it counts.

Like ``readiness.scoring`` this module imports nothing from Django; ``docs/scoring.md``
states the rules in words with worked examples.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Final, Literal

# The kinds (readiness.models.QuestionKind) and applicability (Applicability) as plain codes.
MATURITY: Final = "maturity"
LEGAL_DUTY: Final = "legal_duty"
INDICATOR: Final = "indicator"
KINDS: Final = frozenset({MATURITY, LEGAL_DUTY, INDICATOR})

ALL: Final = "all"
CENTRUMGEMEENTE: Final = "centrumgemeente"
REGIOGEMEENTE: Final = "regiogemeente"
APPLICABILITY: Final = frozenset({ALL, CENTRUMGEMEENTE, REGIOGEMEENTE})

# The partners' own perspectives (readiness.models.Domain). The older catch-all ``partner``
# is not among them: it predates the partner modules, and its answers always counted.
PARTNER_DOMAINS: Final = frozenset({"corporatie", "zorgaanbieder", "ervaring", "politie", "ggd"})

# A legal duty's answers, from the lowest to the highest, and n.v.t.
DUTY_NOT: Final = "niet"
DUTY_PARTLY: Final = "deels"
DUTY_MET: Final = "voldaan"
DUTY_ORDER: Final = (DUTY_NOT, DUTY_PARTLY, DUTY_MET)
NOT_APPLICABLE: Final = "nvt"

DutyState = Literal["voldaan", "deels", "niet", "nvt", "empty"]


def applies(applies_to: str, region_role: str) -> bool:
    """Whether a statement or action for ``applies_to`` applies to a municipality.

    ``region_role`` is the municipality's role (``centrumgemeente``, ``regiogemeente``) or
    ``""`` when it is not known: then everything applies (nothing is hidden on a guess).
    Raises ValueError for an unknown applicability.
    """
    if applies_to not in APPLICABILITY:
        raise ValueError(f"unknown applicability {applies_to!r}")
    return not region_role or applies_to in (ALL, region_role)


def is_partner(perspective: str) -> bool:
    """Whether a response's perspective is one of the partners' own."""
    return perspective in PARTNER_DOMAINS


@dataclass(frozen=True)
class DutyResult:
    """One legal duty's answers in a round, taken together.

    ``state`` is the lowest answer given (*niet* below *deels* below *voldaan*): a duty is
    *voldaan* only when nobody whose answer counts says otherwise. Without any of those:
    *n.v.t.* if anyone said so (or the duty is not for this municipality's role), else
    ``"empty"``. ``answers`` are the answers given, lowest first.
    """

    state: DutyState
    answers: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.state not in {*DUTY_ORDER, NOT_APPLICABLE, "empty"}:
            raise ValueError(f"unknown duty state {self.state!r}")
        if any(a not in DUTY_ORDER for a in self.answers):
            raise ValueError(f"unknown duty answers {self.answers!r}")

    @property
    def is_met(self) -> bool:
        return self.state == DUTY_MET


def consolidate_duty(answers: Iterable[str | None]) -> DutyResult:
    """Combine the respondents' answers to one legal duty (see :class:`DutyResult`).

    Raises ValueError for anything but a duty answer, ``"nvt"`` or None (a level is not a
    duty answer: a legal duty never takes part in a maturity score).
    """
    if isinstance(answers, str | bytes):
        raise ValueError(f"expected a sequence of answers, got the string {answers!r}")
    given: list[str] = []
    not_applicable = False
    for answer in answers:
        if answer is None or answer == "":
            continue
        if answer == NOT_APPLICABLE:
            not_applicable = True
        elif isinstance(answer, str) and answer in DUTY_ORDER:
            given.append(answer)
        else:
            raise ValueError(f"{answer!r} is not an answer to a legal duty")
    given.sort(key=DUTY_ORDER.index)
    if given:
        return DutyResult(state=given[0], answers=tuple(given))  # type: ignore[arg-type]
    return DutyResult(state=NOT_APPLICABLE if not_applicable else "empty")


@dataclass(frozen=True)
class DutySummary:
    """ "Wettelijke plichten: n van m voldaan": ``met`` of ``applicable`` (n.v.t. left out).

    *Deels* is not *voldaan*; an unanswered duty still applies and is not met.
    """

    met: int
    applicable: int


def summarise_duties(duties: Mapping[str, DutyResult]) -> DutySummary:
    return DutySummary(
        met=sum(1 for d in duties.values() if d.is_met),
        applicable=sum(1 for d in duties.values() if d.state != NOT_APPLICABLE),
    )


def parse_number(value: object) -> Decimal:
    """An indicator's value as an exact decimal; a comma is a decimal separator ("3,5").

    Raises ValueError for anything that is not a finite number.
    """
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a number")
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, str):
        text = value.strip().replace(" ", "").replace(",", ".")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError(f"{value!r} is not a number") from None
    else:
        raise ValueError(f"{value!r} is not a number")
    if not number.is_finite():
        raise ValueError(f"{value!r} is not a finite number")
    return number


def number_text(number: Decimal) -> str:
    """A decimal as plain digits without trailing zeros: 12.50 -> "12.5", 1E+2 -> "100"."""
    text = f"{number:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in {"-0", ""} else text


@dataclass(frozen=True)
class IndicatorResult:
    """One indicator's numbers in a round: never a level, never scored.

    ``value`` is the lower median of the numbers given (as ``number_text``), None when
    nobody gave one; ``values`` all numbers given, lowest first. ``differs`` tells that
    respondents gave different numbers, which is worth checking before the value is used.
    """

    value: str | None
    values: tuple[str, ...] = ()

    @property
    def differs(self) -> bool:
        return len(set(self.values)) > 1


def consolidate_indicator(values: Iterable[object]) -> IndicatorResult:
    """Combine the respondents' numbers for one indicator; None (no number) is skipped.

    Raises ValueError for a value that is not a number (a string such as ``"nvt"``).
    """
    if isinstance(values, str | bytes):
        raise ValueError(f"expected a sequence of numbers, got the string {values!r}")
    numbers = sorted(parse_number(v) for v in values if v is not None and v != "")
    if not numbers:
        return IndicatorResult(value=None)
    texts = tuple(number_text(n) for n in numbers)
    return IndicatorResult(value=texts[(len(texts) - 1) // 2], values=texts)


def shown_number(text: str | None) -> str:
    """A number as Dutch readers write it (a decimal comma: "12,5"); "–" for none."""
    return "–" if text is None or text == "" else text.replace(".", ",")
