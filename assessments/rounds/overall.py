"""The overall score of many rounds at once, for a consultant's portfolio.

The same rules as ``results.compute_results`` (the responses that count, the statement
kinds, the municipality's role, agreed levels), in three queries for any number of rounds
instead of two per round.
"""

from __future__ import annotations

from collections import defaultdict

from assessments.models import AgreedLevel, Answer, Assessment
from assessments.rounds.counting import counted_response_ids, is_answered, raw_answer
from assessments.rounds.results import Results
from readiness.content import question_info
from readiness.kinds import MATURITY, applies, is_partner
from readiness.models import Question
from readiness.scoring import GroupScore, QuestionInfo, score_round


def overall_scores(assessments: list[Assessment]) -> dict[int, GroupScore]:
    """The overall score of each round (a closed one from its snapshot): three queries.

    The rounds come with their municipality loaded (its role decides what applies).
    """
    result: dict[int, GroupScore] = {}
    open_rounds = []
    for assessment in assessments:
        if assessment.snapshot and "results" in assessment.snapshot:
            result[assessment.pk] = Results.from_dict(assessment.snapshot["results"]).scores.overall
        else:
            open_rounds.append(assessment)
    if not open_rounds:
        return result
    infos: dict[int, list[QuestionInfo]] = defaultdict(list)
    question_of: dict[int, QuestionInfo] = {}
    for question in (
        Question.objects.filter(framework__in={a.framework_id for a in open_rounds})
        .select_related("theme__step")
        .order_by("order")
    ):
        info = question_info(question)
        question_of[question.pk] = info
        infos[question.framework_id].append(info)
    # Only the responses that count, as on the results page: the answers per response first.
    by_response: dict[int, list[tuple[int, str, object]]] = defaultdict(list)
    round_of: dict[int, int] = {}
    included: dict[int, bool | None] = {}
    partners: set[int] = set()
    for (
        response_id,
        assessment_id,
        is_included,
        perspective,
        question_id,
        value,
        number,
    ) in Answer.objects.filter(response__assessment__in=[a.pk for a in open_rounds]).values_list(
        "response_id",
        "response__assessment_id",
        "response__is_included",
        "response__perspective",
        "question_id",
        "value",
        "number",
    ):
        round_of[response_id] = assessment_id
        included[response_id] = is_included
        if is_partner(perspective):
            partners.add(response_id)
        by_response[response_id].append((question_id, value, number))
    agreed: dict[int, dict[str, int]] = defaultdict(dict)
    for assessment_id, question_id, level in AgreedLevel.objects.filter(
        assessment__in=[a.pk for a in open_rounds]
    ).values_list("assessment_id", "question_id", "level"):
        if question_of[question_id].kind == MATURITY:
            agreed[assessment_id][question_of[question_id].code] = level
    by_id = {a.pk: a for a in open_rounds}
    raw: dict[int, dict[str, list[int | str | None]]] = defaultdict(lambda: defaultdict(list))
    for response_id, answers in by_response.items():
        assessment = by_id[round_of[response_id]]
        role = assessment.municipality.region_role
        applicable = [q for q in infos[assessment.framework_id] if applies(q.applies_to, role)]
        codes = {q.code for q in applicable}
        answered = sum(
            1
            for question_id, value, number in answers
            if question_of[question_id].code in codes and is_answered(value, number)
        )
        if not counted_response_ids(
            {response_id: answered},
            {response_id: included[response_id]},
            len(applicable),
            partners,
        ):
            continue
        for question_id, value, number in answers:
            info = question_of[question_id]
            raw[assessment.pk][info.code].append(raw_answer(info.kind, value, number))
    for assessment in open_rounds:
        scores = score_round(
            infos[assessment.framework_id],
            raw[assessment.pk],
            assessment.targets or None,
            agreed[assessment.pk],
            region_role=assessment.municipality.region_role,
        )
        result[assessment.pk] = scores.overall
    return result
