"""Tests of readiness.scoring: every rule table-driven, the worked examples of
docs/scoring.md read from the document itself, and hypothesis properties. No database."""

from __future__ import annotations

import math
import random
import statistics
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from readiness.kinds import is_partner
from readiness.scoring import (
    DEFAULT_TARGET,
    NOT_APPLICABLE,
    OVERALL,
    STEP_ORDER,
    UNKNOWN,
    Consolidated,
    Gap,
    GroupScore,
    Light,
    QuestionInfo,
    QuestionResult,
    RawAnswer,
    RoundScores,
    consolidate,
    counts_response,
    disagreements,
    gaps,
    group_score,
    light_for,
    natural_key,
    resolve_targets,
    score_round,
    to_investigate,
)

# The steps of the themes in the question bank (docs/scoring.md examples follow it too).
THEME_STEPS = {
    "A": "wijkbasis",
    "E": "wijkbasis",
    "B": "samenwerking",
    "D": "samenwerking",
    "F": "samenwerking",
    "G": "samenwerking",
    "C": "start_nu",
    "H": "start_nu",
}


def question(
    code: str,
    *,
    step: str | None = None,
    weight: int = 1,
    critical: bool = False,
) -> QuestionInfo:
    """A question whose theme is the first letter of its code."""
    theme = code[0]
    return QuestionInfo(
        code=code,
        step=step or THEME_STEPS[theme],
        theme=theme,
        weight=weight,
        is_critical=critical,
    )


def result(
    code: str,
    answers: Sequence[RawAnswer],
    *,
    step: str | None = None,
    weight: int = 1,
    critical: bool = False,
) -> QuestionResult:
    return question(code, step=step, weight=weight, critical=critical), consolidate(answers)


def all_groups(scores: RoundScores) -> list[GroupScore]:
    return [*scores.themes.values(), *scores.steps.values(), scores.overall]


# --- The worked examples of docs/scoring.md -------------------------------------------------

DOC = Path(__file__).resolve().parents[2] / "docs" / "scoring.md"
# The document writes "no value" as an en dash; accept the look-alikes too.
NO_VALUE = {"\u2013", "-", "\u2014", ""}
ANSWER_WORDS: dict[str, RawAnswer] = {
    "weet niet": UNKNOWN,
    "n.v.t.": NOT_APPLICABLE,
    "blank": None,
    # A legal duty's answers (readiness.kinds).
    "voldaan": "voldaan",
    "deels": "deels",
    "niet": "niet",
}
KIND_WORDS = {"maturity": "maturity", "legal duty": "legal_duty", "indicator": "indicator"}
STATE_WORDS = {"answered": "answered", "weet niet": "weet_niet", "n.v.t.": "nvt", "empty": "empty"}
YES_NO = {"yes": True, "no": False}
INSUFFICIENT = "onvoldoende beantwoord"
# A table's kind is named by its first header cell.
INPUT_KINDS = {"Question", "Step", "Agreed", "Role"}
EXPECTATION_KINDS = {"Answers", "Group", "Rank", "List", "Outcome", "Response"}


@dataclass(frozen=True)
class DocTable:
    header: list[str]
    rows: list[dict[str, str]]


@dataclass(frozen=True)
class DocExample:
    title: str
    tables: dict[str, DocTable]


def _clean(cell: str) -> str:
    # Emphasis marks Dutch terms in the prose; the values are the words themselves.
    return cell.replace("*", "").replace("`", "").strip()


def _parse_table(lines: list[str]) -> DocTable:
    header, separator, *body = (
        [_clean(cell) for cell in line.strip().strip("|").split("|")] for line in lines
    )
    assert all(set(cell) <= set("-: ") for cell in separator), lines[1]
    assert all(len(row) == len(header) for row in body), lines
    return DocTable(header=header, rows=[dict(zip(header, row, strict=True)) for row in body])


def _doc_examples() -> list[DocExample]:
    text = DOC.read_text(encoding="utf-8")
    _, found, section = text.partition("\n## Worked examples\n")
    assert found, "docs/scoring.md has no '## Worked examples' section"
    section = section.split("\n## ")[0]
    examples = []
    for chunk in section.split("\n### ")[1:]:
        title, _, body = chunk.partition("\n")
        tables: dict[str, DocTable] = {}
        lines: list[str] = []
        for line in [*body.splitlines(), ""]:
            if line.startswith("|"):
                lines.append(line)
            elif lines:
                table = _parse_table(lines)
                assert table.header[0] not in tables, f"two {table.header[0]} tables in {title}"
                tables[table.header[0]] = table
                lines = []
        examples.append(DocExample(title=title.strip(), tables=tables))
    return examples


DOC_EXAMPLES = _doc_examples()


def _answers(cell: str) -> list[RawAnswer]:
    if cell == "(nobody)":
        return []
    return [_token(part.strip()) for part in cell.split(",")]


def _token(token: str) -> RawAnswer:
    if token in ANSWER_WORDS:
        return ANSWER_WORDS[token]
    try:
        return int(token)
    except ValueError:
        return token  # an indicator's number such as 12.5: scoring parses it


def _int_or_none(cell: str) -> int | None:
    return None if cell in NO_VALUE else int(cell)


def _step(cell: str) -> str:
    return cell.replace(" ", "_")


def _codes(cell: str) -> list[str]:
    return [] if cell in NO_VALUE else [code.strip() for code in cell.split(",")]


def _check_consolidation_table(table: DocTable) -> None:
    for row in table.rows:
        consolidated = consolidate(_answers(row["Answers"]))
        assert consolidated.state == STATE_WORDS[row["State"]], row
        assert consolidated.level == _int_or_none(row["Level"]), row
        assert consolidated.spread == _int_or_none(row["Spread"]), row
        assert consolidated.has_disagreement is YES_NO[row["Verschil van inzicht"]], row


def _check_group_row(group: GroupScore, row: dict[str, str]) -> None:
    assert group.answered == int(row["Answered"]), row
    assert group.applicable == int(row["Applicable"]), row
    coverage = None if group.coverage is None else f"{group.coverage:.0%}"
    assert coverage == (None if row["Coverage"] in NO_VALUE else row["Coverage"]), row
    score = None if group.score is None else f"{group.score:.1f}"
    assert score == (None if row["Score"] in NO_VALUE else row["Score"]), row
    if row["Light"] == INSUFFICIENT:
        assert not group.is_sufficient, row
        assert group.light is None, row
    else:
        assert group.is_sufficient, row
        assert group.light == Light(row["Light"]), row
    if "Capped" in row:
        assert group.is_capped is YES_NO[row["Capped"]], row


def _run_questions(example: DocExample) -> RoundScores:
    questions = []
    answers: dict[str, list[RawAnswer]] = {}
    for row in example.tables["Question"].rows:
        questions.append(
            QuestionInfo(
                code=row["Question"],
                step=_step(row["Step"]),
                theme=row["Theme"],
                weight=int(row["Weight"]),
                is_critical=YES_NO[row["Critical"]],
                kind=KIND_WORDS[row.get("Kind", "maturity")],
                applies_to=row.get("For", "all"),
            )
        )
        answers[row["Question"]] = _answers(row["Answers"])
    targets = None
    if "Step" in example.tables:
        targets = {_step(row["Step"]): int(row["Target"]) for row in example.tables["Step"].rows}
    agreed = None
    if "Agreed" in example.tables:
        agreed = {row["Agreed"]: int(row["Level"]) for row in example.tables["Agreed"].rows}
    role = example.tables["Role"].rows[0]["Role"] if "Role" in example.tables else ""
    return score_round(questions, answers, targets, agreed, region_role=role)


def test_docs_have_worked_examples_that_all_check_something() -> None:
    assert len(DOC_EXAMPLES) >= 5
    for example in DOC_EXAMPLES:
        assert set(example.tables) <= INPUT_KINDS | EXPECTATION_KINDS, example.title
        assert set(example.tables) & EXPECTATION_KINDS, example.title


@pytest.mark.parametrize(
    "example", DOC_EXAMPLES, ids=[example.title.split(":")[0] for example in DOC_EXAMPLES]
)
def test_worked_example_of_the_docs_holds(example: DocExample) -> None:
    if "Answers" in example.tables:
        _check_consolidation_table(example.tables["Answers"])
    if "Response" in example.tables:
        _check_response_table(example.tables["Response"])
    if "Question" not in example.tables:
        assert not set(example.tables) & {
            "Group",
            "Rank",
            "List",
            "Step",
            "Agreed",
            "Role",
            "Outcome",
        }, example.title
        return
    scores = _run_questions(example)
    if "Group" in example.tables:
        groups = {**scores.themes, **scores.steps, OVERALL: scores.overall}
        for row in example.tables["Group"].rows:
            _check_group_row(groups[_step(row["Group"])], row)
    if "Rank" in example.tables:
        expected = [
            (
                row["Question"],
                int(row["Level"]),
                int(row["Target"]),
                int(row["Gap"]),
                int(row["Weight"]),
                YES_NO[row["Critical"]],
                int(row["Priority"]),
            )
            for row in sorted(example.tables["Rank"].rows, key=lambda row: int(row["Rank"]))
        ]
        actual = [
            (g.code, g.level, g.target, g.gap, g.weight, g.is_critical, g.priority)
            for g in scores.gaps
        ]
        assert actual == expected
    if "List" in example.tables:
        lists = {row["List"]: _codes(row["Questions"]) for row in example.tables["List"].rows}
        assert scores.to_investigate == lists.pop("Eerst uitzoeken")
        assert scores.disagreements == lists.pop("Verschil van inzicht")
        assert not lists, f"unknown lists {sorted(lists)}"
    if "Outcome" in example.tables:
        _check_outcome_table(scores, example.tables["Outcome"])


COORDINATOR_WORDS = {"–": None, "wel meetellen": True, "niet meetellen": False}


def _check_response_table(table: DocTable) -> None:
    for row in table.rows:
        counts = counts_response(
            int(row["Answered"]),
            int(row["Statements"]),
            threshold_percent=50,
            included=COORDINATOR_WORDS[row["Coordinator"]],
            is_partner=is_partner(row["Perspective"]),
        )
        assert counts is YES_NO[row["Counts"]], row


def _check_outcome_table(scores: RoundScores, table: DocTable) -> None:
    for row in table.rows:
        what, value = row["Outcome"], row["Value"]
        if what == "wettelijke plichten":
            summary = scores.legal_duties
            assert f"{summary.met} van {summary.applicable} voldaan" == value, row
        elif what.startswith("indicator "):
            result = scores.indicators[what.removeprefix("indicator ")]
            assert (result.value or "–") == value, row
        elif what.startswith("duty "):
            assert scores.duties[what.removeprefix("duty ")].state == value, row
        elif what == "n.v.t. for the role":
            assert scores.not_for_role == _codes(value), row
        else:
            raise AssertionError(f"unknown outcome {what!r}")


# --- Consolidation ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "state", "level", "levels", "spread"),
    [
        pytest.param([3], "answered", 3, (3,), 0, id="one respondent"),
        pytest.param([0], "answered", 0, (0,), 0, id="one respondent at level 0"),
        pytest.param([4, 1], "answered", 1, (1, 4), 3, id="two respondents take the lower"),
        pytest.param([3, 2, 2, 3], "answered", 2, (2, 2, 3, 3), 1, id="four: lower middle"),
        pytest.param([0, 1, 3, 4], "answered", 1, (0, 1, 3, 4), 4, id="four: not the mean"),
        pytest.param([4, 0, 2], "answered", 2, (0, 2, 4), 4, id="three: the middle"),
        pytest.param([1, 4, 4, 4, 2], "answered", 4, (1, 2, 4, 4, 4), 3, id="five: the middle"),
        pytest.param(
            [UNKNOWN, 3, NOT_APPLICABLE, 1, None],
            "answered",
            1,
            (1, 3),
            2,
            id="weet niet, n.v.t. and blank mixed with levels do not count",
        ),
        pytest.param([UNKNOWN, 2], "answered", 2, (2,), 0, id="weet niet plus one level"),
        pytest.param([NOT_APPLICABLE, 2], "answered", 2, (2,), 0, id="n.v.t. plus one level"),
        pytest.param([UNKNOWN], "weet_niet", None, (), None, id="only weet niet"),
        pytest.param(
            [UNKNOWN, NOT_APPLICABLE], "weet_niet", None, (), None, id="weet niet beats n.v.t."
        ),
        pytest.param(
            [NOT_APPLICABLE, NOT_APPLICABLE], "nvt", None, (), None, id="everybody n.v.t."
        ),
        pytest.param([NOT_APPLICABLE, None], "nvt", None, (), None, id="n.v.t. beats blank"),
        pytest.param([None, None], "empty", None, (), None, id="all blank"),
        pytest.param([], "empty", None, (), None, id="no respondents"),
    ],
)
def test_consolidation_takes_the_lower_median_of_the_levels(
    answers: list[RawAnswer],
    state: str,
    level: int | None,
    levels: tuple[int, ...],
    spread: int | None,
) -> None:
    assert consolidate(answers) == Consolidated(
        state=state,  # type: ignore[arg-type]
        level=level,
        levels=levels,
        spread=spread,
    )


@pytest.mark.parametrize(
    ("answers", "spread", "has_disagreement"),
    [
        pytest.param([3, 3], 0, False, id="same level"),
        pytest.param([2, 3], 1, False, id="spread 1 is no disagreement"),
        pytest.param([2, 4], 2, True, id="spread 2 marks a disagreement"),
        pytest.param([1, 2, 3], 2, True, id="spread 2 over three respondents"),
        pytest.param([0, 4], 4, True, id="largest spread"),
        pytest.param([2, UNKNOWN, 4, NOT_APPLICABLE], 2, True, id="weet niet does not hide it"),
        pytest.param([UNKNOWN], None, False, id="no levels, no spread"),
    ],
)
def test_a_spread_of_two_or_more_marks_a_disagreement(
    answers: list[RawAnswer], spread: int | None, has_disagreement: bool
) -> None:
    consolidated = consolidate(answers)
    assert consolidated.spread == spread
    assert consolidated.has_disagreement is has_disagreement


def test_consolidation_accepts_any_iterable() -> None:
    assert consolidate(iter([2, 4, 3])) == consolidate([3, 4, 2])


@pytest.mark.parametrize(
    "answers",
    [
        pytest.param([5], id="level 5"),
        pytest.param([-1], id="level -1"),
        pytest.param(["foo"], id="unknown text"),
        pytest.param(["Weet_niet"], id="wrong case"),
        pytest.param([3, "weet niet"], id="label instead of code"),
        pytest.param([True], id="bool"),
        pytest.param([2.0], id="float"),
        pytest.param("nvt", id="a bare string instead of a sequence"),
    ],
)
def test_consolidation_refuses_an_invalid_answer(answers: list[RawAnswer]) -> None:
    with pytest.raises(ValueError):
        consolidate(answers)


@pytest.mark.parametrize(
    ("state", "level", "levels", "spread"),
    [
        pytest.param("answered", None, (2,), 0, id="answered without level"),
        pytest.param("answered", 3, (2,), 0, id="level not among the levels"),
        pytest.param("answered", 2, (3, 2), 1, id="levels not sorted"),
        pytest.param("answered", 2, (2, 4), 1, id="wrong spread"),
        pytest.param("answered", 5, (5,), 0, id="level out of range"),
        pytest.param("nvt", 2, (2,), 0, id="level on an unanswered state"),
        pytest.param("maybe", None, (), None, id="unknown state"),
    ],
)
def test_an_inconsistent_consolidated_value_is_refused(
    state: str, level: int | None, levels: tuple[int, ...], spread: int | None
) -> None:
    with pytest.raises(ValueError):
        Consolidated(state=state, level=level, levels=levels, spread=spread)  # type: ignore[arg-type]


# --- Group scores, coverage and lights -------------------------------------------------------


@pytest.mark.parametrize(
    ("answered", "applicable", "is_sufficient"),
    [
        pytest.param(1, 1, True, id="100%"),
        pytest.param(1, 2, True, id="exactly 50% of 2 is enough"),
        pytest.param(2, 4, True, id="exactly 50% of 4 is enough"),
        pytest.param(50, 100, True, id="exactly 50% of 100 is enough"),
        pytest.param(2, 3, True, id="67%"),
        pytest.param(49, 99, False, id="49.5% is not enough"),
        pytest.param(49, 100, False, id="49% is not enough"),
        pytest.param(1, 3, False, id="33%"),
        pytest.param(0, 1, False, id="0%"),
    ],
)
def test_coverage_of_half_the_applicable_questions_is_sufficient(
    answered: int, applicable: int, is_sufficient: bool
) -> None:
    items = [result(f"A{i}", [3]) for i in range(1, answered + 1)]
    items += [result(f"A{i}", [UNKNOWN]) for i in range(answered + 1, applicable + 1)]
    # n.v.t. questions leave the applicable set, so they must not move the boundary.
    items += [result("A999", [NOT_APPLICABLE])]
    group = group_score("A", items)
    assert (group.answered, group.applicable, group.total) == (answered, applicable, applicable + 1)
    assert group.coverage == pytest.approx(answered / applicable)
    assert group.is_sufficient is is_sufficient
    assert (group.light is not None) is is_sufficient
    # The score is kept even when coverage is insufficient; the report hides it.
    assert group.score == (75.0 if answered else None)


@pytest.mark.parametrize(
    ("weights_and_answers", "score"),
    [
        pytest.param([(1, [4])], 100.0, id="all at 4"),
        pytest.param([(1, [0])], 0.0, id="all at 0"),
        pytest.param([(3, [4]), (1, [0])], 75.0, id="weights count"),
        pytest.param([(1, [4]), (3, [0])], 25.0, id="weights count the other way"),
        pytest.param([(2, [3, 4]), (1, [1])], 7 / 12 * 100, id="consolidated levels count"),
        pytest.param([(2, [2]), (3, [UNKNOWN]), (3, [NOT_APPLICABLE])], 50.0, id="only answered"),
        pytest.param([(2, [UNKNOWN]), (1, [])], None, id="nothing answered, no score"),
    ],
)
def test_score_is_the_weighted_share_of_the_maximum(
    weights_and_answers: list[tuple[int, list[RawAnswer]]], score: float | None
) -> None:
    items = [
        result(f"A{i}", answers, weight=weight)
        for i, (weight, answers) in enumerate(weights_and_answers, start=1)
    ]
    assert group_score("A", items).score == (None if score is None else pytest.approx(score))


@pytest.mark.parametrize(
    ("score", "capped", "light"),
    [
        pytest.param(0.0, False, Light.RED, id="0 red"),
        pytest.param(39.99, False, Light.RED, id="39.99 red"),
        pytest.param(40.0, False, Light.ORANGE, id="40 orange"),
        pytest.param(69.9, False, Light.ORANGE, id="69.9 orange"),
        pytest.param(69.99, False, Light.ORANGE, id="69.99 orange"),
        pytest.param(70.0, False, Light.GREEN, id="70 green"),
        pytest.param(100.0, False, Light.GREEN, id="100 green"),
        pytest.param(70.0, True, Light.ORANGE, id="capped 70 orange"),
        pytest.param(100.0, True, Light.ORANGE, id="capped 100 orange"),
        pytest.param(40.0, True, Light.ORANGE, id="capped 40 stays orange"),
        pytest.param(39.99, True, Light.RED, id="capped red stays red"),
    ],
)
def test_light_compares_the_unrounded_score(score: float, capped: bool, light: Light) -> None:
    assert light_for(score, capped=capped) is light


@pytest.mark.parametrize("score", [-0.01, 100.01, math.nan, math.inf])
def test_light_refuses_a_score_outside_0_to_100(score: float) -> None:
    with pytest.raises(ValueError):
        light_for(score, capped=False)


@pytest.mark.parametrize(
    ("levels", "score", "light"),
    [
        pytest.param([4, 4, 2, 2, 2], 70.0, Light.GREEN, id="exactly 70 is green"),
        pytest.param([4, 4, 2, 2, 1], 65.0, Light.ORANGE, id="65 is orange"),
        pytest.param([2, 2, 2, 1, 1], 40.0, Light.ORANGE, id="exactly 40 is orange"),
        pytest.param([2, 2, 1, 1, 1], 35.0, Light.RED, id="35 is red"),
    ],
)
def test_computed_boundary_scores_get_the_right_light(
    levels: list[int], score: float, light: Light
) -> None:
    group = group_score("A", [result(f"A{i}", [lv]) for i, lv in enumerate(levels, start=1)])
    assert group.score == score
    assert group.light is light


@pytest.mark.parametrize(
    ("critical", "answers", "other_level", "light", "is_capped"),
    [
        pytest.param(True, [1], 4, Light.ORANGE, True, id="critical at 1 caps green to orange"),
        pytest.param(True, [0], 4, Light.ORANGE, True, id="critical at 0 caps green to orange"),
        pytest.param(True, [1, 4], 4, Light.ORANGE, True, id="consolidated level 1 caps"),
        pytest.param(True, [2], 4, Light.GREEN, False, id="critical at 2 does not cap"),
        pytest.param(True, [2, 1], 4, Light.ORANGE, True, id="lower middle of 1 and 2 caps"),
        pytest.param(True, [3, 2], 4, Light.GREEN, False, id="lower middle of 2 and 3 does not"),
        pytest.param(False, [0], 4, Light.GREEN, False, id="non-critical at 0 does not cap"),
        pytest.param(True, [UNKNOWN], 4, Light.GREEN, False, id="critical weet niet does not cap"),
        pytest.param(True, [NOT_APPLICABLE], 4, Light.GREEN, False, id="critical n.v.t. neither"),
        pytest.param(True, [], 4, Light.GREEN, False, id="critical empty neither"),
        pytest.param(True, [1], 0, Light.RED, True, id="capped red stays red"),
        pytest.param(True, [1], 2, Light.ORANGE, True, id="capped orange stays orange"),
    ],
)
def test_a_critical_question_at_level_0_or_1_caps_at_orange(
    critical: bool,
    answers: list[RawAnswer],
    other_level: int,
    light: Light,
    is_capped: bool,
) -> None:
    items = [result(f"A{i}", [other_level], weight=3) for i in range(1, 4)]
    items.append(result("A7", answers, critical=critical))
    group = group_score("A", items)
    assert group.is_capped is is_capped
    assert group.light is light


def test_the_cap_also_caps_the_step_and_the_overall_light() -> None:
    questions = [
        question("A1", weight=3),
        question("A7", critical=True),
        question("E1", weight=3),
        question("B1", weight=3),
    ]
    scores = score_round(questions, {"A1": [4], "A7": [1], "E1": [4], "B1": [4]})
    assert scores.themes["A"].light is Light.ORANGE
    assert scores.themes["E"].light is Light.GREEN
    assert scores.steps["wijkbasis"].light is Light.ORANGE
    assert scores.steps["samenwerking"].light is Light.GREEN
    assert scores.overall.light is Light.ORANGE


def test_steps_and_overall_pool_questions_rather_than_average_themes() -> None:
    # One heavy question at 4 in theme A, one light question at 0 in theme E:
    # pooled (3*4) / (4*4) = 75, while the mean of the theme scores would be 50.
    questions = [question("A1", weight=3), question("E1", weight=1)]
    scores = score_round(questions, {"A1": [4], "E1": [0]})
    assert (scores.themes["A"].score, scores.themes["E"].score) == (100.0, 0.0)
    assert scores.steps["wijkbasis"].score == 75.0
    assert scores.overall.score == 75.0
    assert scores.steps["wijkbasis"].light is Light.GREEN


def test_the_coverage_rule_applies_to_steps_and_overall() -> None:
    questions = [question("A1"), question("A2"), question("A3"), question("B1")]
    scores = score_round(questions, {"A1": [4], "A2": [UNKNOWN], "A3": [], "B1": [4]})
    assert not scores.steps["wijkbasis"].is_sufficient
    assert scores.steps["wijkbasis"].light is None
    assert scores.steps["samenwerking"].light is Light.GREEN
    assert scores.overall.coverage == 0.5
    assert scores.overall.light is Light.GREEN


ALL_STEPS_QUESTIONS = [
    question("A1", weight=2),
    question("A2", critical=True),
    question("B1", weight=3),
    question("H1"),
]


@pytest.mark.parametrize(
    ("answer", "applicable", "coverage"),
    [
        pytest.param(None, 1, 0.0, id="no answers at all"),
        pytest.param([None, None], 1, 0.0, id="every respondent left everything blank"),
        pytest.param([UNKNOWN], 1, 0.0, id="everything weet niet"),
        pytest.param([NOT_APPLICABLE, NOT_APPLICABLE], 0, None, id="everything n.v.t."),
    ],
)
def test_a_round_without_levels_has_no_scores_lights_or_gaps(
    answer: list[RawAnswer] | None, applicable: int, coverage: float | None
) -> None:
    answers = {} if answer is None else {q.code: answer for q in ALL_STEPS_QUESTIONS}
    scores = score_round(ALL_STEPS_QUESTIONS, answers)
    for group in all_groups(scores):
        assert group.score is None
        assert group.answered == 0
        assert group.applicable == applicable * group.total
        assert group.coverage == coverage
        assert not group.is_sufficient
        assert not group.is_capped
        assert group.light is None
    assert scores.gaps == []
    assert scores.disagreements == []
    assert scores.to_investigate == ([] if applicable == 0 else ["A2"])


# --- Gaps and priority -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("level", "target", "weight", "critical", "gap", "priority"),
    [
        pytest.param(2, 3, 1, False, 1, 1, id="gap 1 weight 1"),
        pytest.param(1, 3, 2, False, 2, 4, id="gap times weight"),
        pytest.param(1, 3, 2, True, 2, 8, id="critical doubles the priority"),
        pytest.param(0, 4, 3, False, 4, 12, id="largest non-critical"),
        pytest.param(0, 4, 3, True, 4, 24, id="largest critical"),
        pytest.param(0, 1, 1, True, 1, 2, id="small critical"),
    ],
)
def test_priority_is_gap_times_weight_doubled_when_critical(
    level: int, target: int, weight: int, critical: bool, gap: int, priority: int
) -> None:
    items = [result("A1", [level], weight=weight, critical=critical)]
    assert gaps(items, {"wijkbasis": target}) == [
        Gap(
            code="A1",
            step="wijkbasis",
            theme="A",
            level=level,
            target=target,
            gap=gap,
            weight=weight,
            is_critical=critical,
            priority=priority,
        )
    ]


@pytest.mark.parametrize(
    ("answers", "target"),
    [
        pytest.param([3], 3, id="gap zero"),
        pytest.param([4], 3, id="gap negative"),
        pytest.param([0], 0, id="target 0"),
        pytest.param([4, 4], 4, id="at the highest target"),
        pytest.param([UNKNOWN], 3, id="weet niet has no level"),
        pytest.param([NOT_APPLICABLE], 3, id="n.v.t. has no level"),
        pytest.param([], 3, id="empty has no level"),
    ],
)
def test_no_gap_without_a_level_below_the_target(answers: list[RawAnswer], target: int) -> None:
    items = [result("A1", answers, weight=3, critical=True)]
    assert gaps(items, {"wijkbasis": target}) == []


@pytest.mark.parametrize(
    ("targets", "expected"),
    [
        pytest.param({}, {"A1": 1, "B1": 1, "H1": 1}, id="default target 3 everywhere"),
        pytest.param({"samenwerking": 4}, {"A1": 1, "B1": 2, "H1": 1}, id="one step raised"),
        pytest.param({"wijkbasis": 0, "start_nu": 2}, {"B1": 1}, id="two steps lowered"),
        pytest.param(
            {"wijkbasis": 4, "samenwerking": 4, "start_nu": 4},
            {"A1": 2, "B1": 2, "H1": 2},
            id="all steps at 4",
        ),
    ],
)
def test_each_step_has_its_own_target(targets: dict[str, int], expected: dict[str, int]) -> None:
    items = [result("A1", [2]), result("B1", [2]), result("H1", [2])]
    found = gaps(items, targets)
    assert {g.code: g.gap for g in found} == expected
    assert all(g.target == targets.get(g.step, DEFAULT_TARGET) for g in found)


@pytest.mark.parametrize(
    ("specs", "order"),
    [
        pytest.param(
            [("A10", 1, False, 1), ("A2", 1, False, 1), ("A1", 1, False, 1)],
            ["A1", "A2", "A10"],
            id="equal priority: A2 before A10",
        ),
        pytest.param(
            [("H1", 1, False, 1), ("B1", 1, False, 1), ("E9", 1, False, 1)],
            ["E9", "B1", "H1"],
            id="equal priority across steps: step order before code",
        ),
        pytest.param(
            [("A1", 1, False, 2), ("H1", 3, False, 1)],
            ["H1", "A1"],
            id="priority before step",
        ),
        pytest.param(
            [("A1", 2, False, 1), ("A2", 1, True, 0)],
            ["A2", "A1"],
            id="the critical doubling decides",
        ),
        pytest.param(
            [("B2", 2, False, 1), ("A10", 1, True, 1), ("A2", 2, False, 1), ("G1", 2, False, 1)],
            ["A2", "A10", "B2", "G1"],
            id="tie of four: step, then natural code",
        ),
    ],
)
def test_gaps_are_ordered_by_priority_then_step_then_natural_code(
    specs: list[tuple[str, int, bool, int]], order: list[str]
) -> None:
    items = [
        result(code, [level], weight=weight, critical=critical)
        for code, weight, critical, level in specs
    ]
    assert [g.code for g in gaps(items, {})] == order
    assert [g.code for g in gaps(list(reversed(items)), {})] == order


@pytest.mark.parametrize(
    "targets",
    [
        pytest.param({"wijkbasis": 5}, id="target 5"),
        pytest.param({"wijkbasis": -1}, id="target -1"),
        pytest.param({"start_nu": True}, id="bool"),
        pytest.param({"samenwerking": 2.5}, id="float"),
        pytest.param({"stap": 3}, id="unknown step"),
    ],
)
def test_an_invalid_target_is_refused(targets: dict[str, int]) -> None:
    with pytest.raises(ValueError):
        gaps([result("A1", [1])], targets)
    with pytest.raises(ValueError):
        score_round([question("A1")], {"A1": [1]}, targets)


def test_targets_resolve_to_every_step_with_the_default_for_missing_ones() -> None:
    assert resolve_targets({"samenwerking": 4}) == {
        "wijkbasis": DEFAULT_TARGET,
        "samenwerking": 4,
        "start_nu": DEFAULT_TARGET,
    }
    assert resolve_targets(None) == dict.fromkeys(STEP_ORDER, 3)


# --- Eerst uitzoeken and verschil van inzicht ------------------------------------------------


@pytest.mark.parametrize(
    ("critical", "answers", "listed"),
    [
        pytest.param(True, [UNKNOWN], True, id="critical weet niet"),
        pytest.param(True, [UNKNOWN, UNKNOWN, None], True, id="critical, all weet niet or blank"),
        pytest.param(True, [UNKNOWN, NOT_APPLICABLE], True, id="critical weet niet and n.v.t."),
        pytest.param(True, [], True, id="critical, nobody answered"),
        pytest.param(True, [None, None], True, id="critical, all blank"),
        pytest.param(True, [NOT_APPLICABLE], False, id="critical n.v.t. is an answer"),
        pytest.param(True, [0], False, id="critical at 0 has a gap instead"),
        pytest.param(True, [UNKNOWN, 2], False, id="critical with one level"),
        pytest.param(False, [UNKNOWN], False, id="non-critical weet niet"),
        pytest.param(False, [], False, id="non-critical empty"),
    ],
)
def test_critical_questions_nobody_could_answer_are_to_investigate(
    critical: bool, answers: list[RawAnswer], listed: bool
) -> None:
    items = [result("E1", answers, critical=critical)]
    assert to_investigate(items) == (["E1"] if listed else [])


def test_to_investigate_is_ordered_by_step_then_natural_code() -> None:
    items = [
        result("H3", [UNKNOWN], critical=True),
        result("B1", [], critical=True),
        result("A10", [UNKNOWN], critical=True),
        result("E1", [None], critical=True),
        result("A2", [], critical=True),
    ]
    assert to_investigate(items) == ["A2", "A10", "E1", "B1", "H3"]


def test_disagreements_are_listed_by_step_then_natural_code() -> None:
    items = [
        result("H1", [0, 4]),
        result("A10", [1, 3]),
        result("B1", [2, 3]),
        result("A2", [2, 4, UNKNOWN]),
        result("E1", [UNKNOWN]),
    ]
    assert disagreements(items) == ["A2", "A10", "H1"]


# --- The round as a whole --------------------------------------------------------------------


def test_round_scores_keep_question_order_for_themes_and_step_order_for_steps() -> None:
    questions = [question("H1"), question("B2"), question("H2"), question("B1")]
    scores = score_round(questions, {"H1": [2], "B1": [3, 4]})
    assert list(scores.consolidated) == ["H1", "B2", "H2", "B1"]
    assert list(scores.themes) == ["H", "B"]
    assert list(scores.steps) == ["samenwerking", "start_nu"]
    assert scores.overall.key == OVERALL
    assert scores.overall.total == 4
    assert scores.targets == dict.fromkeys(STEP_ORDER, DEFAULT_TARGET)
    assert scores.consolidated["B1"].level == 3
    assert scores.consolidated["B2"].state == "empty"


@pytest.mark.parametrize(
    ("questions", "answers"),
    [
        pytest.param([question("A1")], {"A1": [1], "Z9": [2]}, id="answer to an unknown code"),
        pytest.param([question("A1")], {"a1": [1]}, id="codes are case-sensitive"),
        pytest.param([question("A1"), question("A1")], {}, id="duplicate question codes"),
        pytest.param(
            [question("A1"), question("A2", step="start_nu")], {}, id="a theme in two steps"
        ),
        pytest.param([question("A1")], {"A1": [5]}, id="an invalid level"),
        pytest.param([question("A1")], {"A1": "nvt"}, id="a bare string as the answers"),
    ],
)
def test_score_round_refuses_invalid_input(
    questions: list[QuestionInfo], answers: Mapping[str, Sequence[RawAnswer]]
) -> None:
    with pytest.raises(ValueError):
        score_round(questions, answers)


@pytest.mark.parametrize(
    ("step", "weight"),
    [
        pytest.param("stap1", 1, id="unknown step"),
        pytest.param("wijkbasis", 0, id="weight 0"),
        pytest.param("wijkbasis", -2, id="negative weight"),
        pytest.param("wijkbasis", True, id="bool weight"),
    ],
)
def test_question_info_refuses_an_unknown_step_or_a_weight_below_1(step: str, weight: int) -> None:
    with pytest.raises(ValueError):
        QuestionInfo(code="A1", step=step, theme="A", weight=weight, is_critical=False)


@pytest.mark.parametrize(
    ("codes", "ordered"),
    [
        pytest.param(["A10", "A2", "A1"], ["A1", "A2", "A10"], id="numbers by value"),
        pytest.param(["B1", "A10", "A9"], ["A9", "A10", "B1"], id="letters first"),
        pytest.param(["A-10", "A-2"], ["A-2", "A-10"], id="action codes"),
        pytest.param(["A2b", "A2a", "A10"], ["A2a", "A2b", "A10"], id="suffixes"),
        pytest.param(["A2", "A02"], ["A02", "A2"], id="leading zero still differs"),
    ],
)
def test_natural_key_sorts_numbers_by_value(codes: list[str], ordered: list[str]) -> None:
    assert sorted(codes, key=natural_key) == ordered


# --- Properties ------------------------------------------------------------------------------

PROPERTY_SETTINGS = settings(max_examples=200, deadline=None)
raw_answers = st.sampled_from([0, 1, 2, 3, 4, UNKNOWN, NOT_APPLICABLE, None])


@dataclass(frozen=True)
class Round:
    questions: list[QuestionInfo]
    # One list per question code, one answer per respondent, in respondent order.
    answers: dict[str, list[RawAnswer]]
    targets: dict[str, int]
    respondents: int


@st.composite
def rounds(draw: st.DrawFn) -> Round:
    specs = draw(
        st.lists(
            st.tuples(st.sampled_from(sorted(THEME_STEPS)), st.integers(1, 3), st.booleans()),
            min_size=1,
            max_size=12,
        )
    )
    per_theme: Counter[str] = Counter()
    questions = []
    for theme, weight, critical in specs:
        per_theme[theme] += 1
        questions.append(question(f"{theme}{per_theme[theme]}", weight=weight, critical=critical))
    respondents = draw(st.integers(0, 5))
    # A code missing from the answers means nobody answered; keep that path in play.
    missing = (
        draw(st.sets(st.sampled_from([q.code for q in questions]))) if not respondents else set()
    )
    answers = {
        q.code: draw(st.lists(raw_answers, min_size=respondents, max_size=respondents))
        for q in questions
        if q.code not in missing
    }
    targets = draw(st.dictionaries(st.sampled_from(STEP_ORDER), st.integers(0, 4)))
    return Round(questions=questions, answers=answers, targets=targets, respondents=respondents)


def _score(round_: Round, answers: Mapping[str, Sequence[RawAnswer]] | None = None) -> RoundScores:
    return score_round(
        round_.questions, round_.answers if answers is None else answers, round_.targets
    )


@PROPERTY_SETTINGS
@given(rounds())
def test_every_score_is_between_0_and_100(round_: Round) -> None:
    scores = _score(round_)
    for group in all_groups(scores):
        assert group.score is None or 0.0 <= group.score <= 100.0
        assert group.coverage is None or 0.0 <= group.coverage <= 1.0
        assert 0 <= group.answered <= group.applicable <= group.total
        assert (group.light is None) is (not group.is_sufficient)
    for gap in scores.gaps:
        assert 1 <= gap.gap <= 4
        assert gap.priority == gap.gap * gap.weight * (2 if gap.is_critical else 1)


@PROPERTY_SETTINGS
@given(rounds(), st.data())
def test_raising_one_level_never_lowers_a_score_or_raises_a_gap(
    round_: Round, data: st.DataObject
) -> None:
    raisable = [
        (code, index)
        for code, given_answers in round_.answers.items()
        for index, answer in enumerate(given_answers)
        if isinstance(answer, int) and answer < 4
    ]
    assume(raisable)
    code, index = data.draw(st.sampled_from(raisable))
    raised = {c: list(given_answers) for c, given_answers in round_.answers.items()}
    level = raised[code][index]
    assert isinstance(level, int)
    raised[code][index] = level + 1

    before, after = _score(round_), _score(round_, raised)
    for old, new in zip(all_groups(before), all_groups(after), strict=True):
        assert old.key == new.key
        if old.score is not None:
            assert new.score is not None
            assert new.score >= old.score
    old_gaps = {g.code: g.gap for g in before.gaps}
    for gap in after.gaps:
        assert gap.code in old_gaps
        assert gap.gap <= old_gaps[gap.code]
    assert sum(g.priority for g in after.gaps) <= sum(g.priority for g in before.gaps)


@PROPERTY_SETTINGS
@given(rounds(), st.randoms(use_true_random=False))
def test_the_order_of_the_responses_changes_nothing(round_: Round, rnd: random.Random) -> None:
    # Shuffle the respondents (the same permutation for every question) ...
    order = list(range(round_.respondents))
    rnd.shuffle(order)
    by_respondent = {
        code: [given_answers[i] for i in order] for code, given_answers in round_.answers.items()
    }
    assert _score(round_, by_respondent) == _score(round_)
    # ... and, stronger, each question's answers on their own.
    for given_answers in round_.answers.values():
        shuffled = list(given_answers)
        rnd.shuffle(shuffled)
        assert consolidate(shuffled) == consolidate(given_answers)


@PROPERTY_SETTINGS
@given(st.lists(raw_answers, max_size=9))
def test_the_consolidated_level_is_one_the_respondents_gave(answers: list[RawAnswer]) -> None:
    levels = [answer for answer in answers if isinstance(answer, int)]
    consolidated = consolidate(answers)
    if levels:
        assert consolidated.level in levels
        assert consolidated.level == statistics.median_low(levels)
        assert consolidated.levels == tuple(sorted(levels))
        assert consolidated.spread == max(levels) - min(levels)
    else:
        assert consolidated.level is None
        assert consolidated.state != "answered"
