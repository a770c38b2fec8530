"""Which action templates a round's results call for (``readiness.plan``'s rules), for the
plan's proposals and the report."""

from __future__ import annotations

from collections.abc import Iterable

from assessments.rounds.results import Results
from readiness.models import ActionTemplate
from readiness.plan import Proposal, TemplateInfo, propose


def template_proposals(
    results: Results, templates: Iterable[ActionTemplate]
) -> tuple[dict[str, ActionTemplate], list[Proposal]]:
    """Which of these action templates address the round's gaps (readiness.plan rules).

    A format-2 template is bound to its own list of questions; a format-1 template to its
    theme or its one question, so old rounds keep their proposals. A template for the
    other role than the municipality's (``Results.region_role``) is not proposed.
    """
    by_code = {t.code: t for t in templates}
    proposals = propose(
        [
            TemplateInfo(
                code=t.code,
                theme=t.theme.code,
                question=t.question.code if t.question else None,
                horizon_months=t.horizon_months,
                order=t.order,
                questions=t.bound_question_codes,
                applies_to=t.applies_to,
            )
            for t in by_code.values()
        ],
        results.scores.gaps,
        {q.code: q.theme for q in results.questions},
        region_role=results.region_role,
        unmet_duties=[
            q.code for q, duty in results.legal_duties if duty.state in {"niet", "deels"}
        ],
    )
    return by_code, proposals
