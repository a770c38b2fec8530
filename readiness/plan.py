"""The rules of the action plan, as pure functions over plain data.

This module owns which of the question bank's action templates a round gets as draft
actions, in which order, with which priority, and how far ahead their deadline lies. Like
``readiness.scoring`` it imports nothing from Django, so the rules are tested without a
database; ``assessments.plans.services.propose_actions`` turns the proposals into rows.

The rules:

- a *bound template* (question-bank format 2: a list of ``questions``) addresses exactly
  the questions on its list that have a gap, whatever their theme;
- a *theme template* (format 1, no question) addresses every question of its theme that has
  a gap;
- a *question template* (format 1) addresses its one question, if that question has a gap;
- a template that addresses no question is not proposed;
- a template bound to a legal duty answered *niet* or *deels* is proposed for it, with
  ``LEGAL_DUTY_PRIORITY`` (a duty has no gap; not meeting it is no stage of development);
- a template for centrumgemeenten only (or regiogemeenten only) is not proposed to a
  municipality of the other role (``readiness.kinds.applies``); without a known role
  every template may be proposed;
- a proposal's priority is the highest priority among the gaps it addresses;
- proposals are ordered by priority (highest first), then by the position of their most
  urgent gap in the gap list (itself ordered by priority, step and code), then by the
  template's order in the question bank;
- a deadline is the proposal date plus the template's horizon in whole months, clamped to
  the end of a shorter month (31 January + 1 month is 28 or 29 February).
"""

from __future__ import annotations

import calendar
import datetime
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from readiness.kinds import ALL, applies
from readiness.scoring import CRITICAL_PRIORITY_FACTOR, MAX_LEVEL, Gap, natural_key

# The highest priority a gap can reach (four levels, weight 3, critical): what an unmet
# legal duty's actions get.
LEGAL_DUTY_PRIORITY = MAX_LEVEL * 3 * CRITICAL_PRIORITY_FACTOR


@dataclass(frozen=True)
class TemplateInfo:
    """What the plan rules need to know about one action template.

    ``question`` is the code of the one question it is about, or None for a theme template;
    ``horizon_months`` is the number of months until its deadline; ``order`` its position
    in the question bank. ``questions``, when not empty, is the list of question codes it
    is bound to (format 2); ``question`` and ``theme`` then play no part in the binding.
    ``applies_to``: all municipalities, or centrumgemeenten or regiogemeenten only.
    """

    code: str
    theme: str
    question: str | None
    horizon_months: int
    order: int
    questions: tuple[str, ...] = ()
    applies_to: str = ALL


@dataclass(frozen=True)
class Proposal:
    """A template to propose as a draft action.

    ``question_codes`` are the addressed questions with a gap, in natural code order;
    ``priority`` is the highest priority among their gaps.
    """

    template_code: str
    question_codes: tuple[str, ...]
    priority: int


def propose(
    templates: Iterable[TemplateInfo],
    gaps: Sequence[Gap],
    question_themes: Mapping[str, str],
    *,
    region_role: str = "",
    unmet_duties: Sequence[str] = (),
) -> list[Proposal]:
    """Propose the templates that address at least one gap, most urgent first.

    ``unmet_duties``: the codes of the legal duties answered *niet* or *deels* (voldaan)
    in question order. A template bound to one of them is proposed with
    ``LEGAL_DUTY_PRIORITY``, after the gaps of the same priority: not meeting a legal
    duty is no stage of development, and a legal duty never has a gap.

    ``gaps`` is the round's gap list (``readiness.scoring.gaps``); ``question_themes`` maps
    every question code of the framework version to its theme code; ``region_role`` is the
    municipality's role ("" when not known). Raises ValueError for
    duplicate template codes, a question template whose question is unknown or belongs to
    another theme, and a gap whose question is unknown or sits in another theme.
    """
    templates = list(templates)
    duplicates = sorted(
        (code for code, n in Counter(t.code for t in templates).items() if n > 1),
        key=natural_key,
    )
    if duplicates:
        raise ValueError(f"duplicate template codes: {', '.join(duplicates)}")
    for template in templates:
        unknown = [code for code in template.questions if code not in question_themes]
        if unknown:
            raise ValueError(f"template {template.code}: unknown questions {', '.join(unknown)}")
        if template.question is not None and (
            question_themes.get(template.question) != template.theme
        ):
            raise ValueError(
                f"template {template.code}: question {template.question!r} "
                f"is not a question of theme {template.theme}"
            )
    # The position of each gap in the list: ties in priority keep the list's order.
    position: dict[str, int] = {}
    by_code: dict[str, _Need] = {}
    for index, gap in enumerate(gaps):
        if question_themes.get(gap.code) != gap.theme:
            raise ValueError(f"gap {gap.code}: not a question of theme {gap.theme}")
        position.setdefault(gap.code, index)
        by_code.setdefault(gap.code, _Need(gap.code, gap.theme, gap.priority, is_duty=False))
    for index, code in enumerate(unmet_duties, start=len(gaps)):
        if code not in question_themes:
            raise ValueError(f"legal duty {code}: unknown question")
        position.setdefault(code, index)
        by_code.setdefault(code, _Need(code, question_themes[code], LEGAL_DUTY_PRIORITY, True))

    ranked: list[tuple[tuple[int, int, int, tuple], Proposal]] = []
    for template in templates:
        if not applies(template.applies_to, region_role):
            continue
        if template.questions:
            addressed = [by_code[code] for code in template.questions if code in by_code]
        elif template.question is None:
            # A theme template (format 1) addresses its theme's gaps, never a legal duty.
            addressed = [g for g in by_code.values() if g.theme == template.theme and not g.is_duty]
        else:
            addressed = [by_code[template.question]] if template.question in by_code else []
        if not addressed:
            continue
        priority = max(g.priority for g in addressed)
        first = min(position[g.code] for g in addressed if g.priority == priority)
        proposal = Proposal(
            template_code=template.code,
            question_codes=tuple(sorted({g.code for g in addressed}, key=natural_key)),
            priority=priority,
        )
        # The template code last: two templates with the same order still sort the same
        # way whatever order they came in.
        ranked.append(((-priority, first, template.order, natural_key(template.code)), proposal))
    ranked.sort(key=lambda item: item[0])
    return [proposal for _key, proposal in ranked]


@dataclass(frozen=True)
class _Need:
    """A gap or an unmet legal duty: what a template may address, with its priority."""

    code: str
    theme: str
    priority: int
    is_duty: bool


def add_months(date: datetime.date, months: int) -> datetime.date:
    """``date`` plus a whole number of months, clamped to the last day of a shorter month.

    31 January + 1 month is 28 February (29 in a leap year); 29 February + 12 months is
    28 February. ``months`` may be negative or zero.
    """
    index = date.year * 12 + (date.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    day = min(date.day, calendar.monthrange(year, month)[1])
    return datetime.date(year, month, day)
