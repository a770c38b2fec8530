"""The results page's repeated rows as markup, built in Python.

The page lists up to about forty rows: the steps and themes with their scores, the ten
largest priorities, and the questions to investigate or with a difference of opinion.
Through the template engine each row cost 20–35 µs of variable lookups, localisation,
escaping and tags, which made the rows the largest part of the page's rendering time
(measured with bench/pages.py). Here each value is escaped with the standard library's
``html.escape`` (what ``django.utils.html.escape`` does, without its lazy-string wrapper,
which cost more than the escaping) and put into a fixed format string. The structure
around the rows (headings, captions, table heads) stays in
``templates/assessments/_results_body.html``; the markup here is what that template drew, and
tests/assessments/test_results.py compares the page with the template-drawn rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from typing import Protocol

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from readiness.scoring import Gap, GroupScore

from .results import QuestionRow


class ScoredRow(Protocol):
    """A step or theme with its score as shown (``assessments.results_page.ScoreRow``)."""

    code: str
    title: str
    score: GroupScore

    @property
    def light_html(self) -> SafeString: ...

    @property
    def coverage_percent(self) -> int: ...


def text(value: object) -> str:
    """A value as escaped text, as ``{{ value }}`` in a template shows it.

    Only for plain strings and integers: the template engine would localise a float or a
    date, and would not escape a SafeString again.
    """
    return escape(str(value))


def score_rows(steps: Iterable[tuple[ScoredRow, Iterable[ScoredRow]]]) -> SafeString:
    """The body of the score table: each step, numbered, followed by its themes."""
    rows = []
    for number, (step, themes) in enumerate(steps, start=1):
        rows.append(
            f'<tr class="table-light"><th scope="row">{number}. {text(step.title)}</th>'
            f"<td>{step.light_html}</td><td>{step.coverage_percent}%</td></tr>"
        )
        rows.extend(
            f'<tr><th scope="row" class="fw-normal ps-4">{text(theme.code)}. {text(theme.title)}'
            f"</th><td>{theme.light_html}</td><td>{theme.coverage_percent}% "
            f"({theme.score.answered}/{theme.score.applicable})</td></tr>"
            for theme in themes
        )
    return mark_safe("\n".join(rows))  # every value is escaped above


def priority_rows(gaps: Iterable[tuple[Gap, QuestionRow, str]]) -> SafeString:
    """The priorities table's body: (gap, question, link to the question) per row."""
    critical = f' <span class="badge text-bg-warning">{text(gettext("kritiek"))}</span>'
    return mark_safe(  # every value is escaped
        "\n".join(
            f"<tr><td>{gap.priority}</td><td>"
            f'<a href="{text(href)}">{text(question.code)}. {text(question.statement)}</a>'
            f"{critical if gap.is_critical else ''}</td>"
            f"<td>{gap.level}</td><td>{gap.target}</td></tr>"
            for gap, question, href in gaps
        )
    )


def question_links(items: Iterable[tuple[QuestionRow, str]]) -> SafeString:
    """List items linking to a question: (question, link) per item."""
    return mark_safe(  # every value is escaped
        "\n".join(
            f'<li><a href="{text(href)}">{text(question.code)}. {text(question.statement)}</a></li>'
            for question, href in items
        )
    )


def disagreement_items(items: Iterable[tuple[QuestionRow, str, str]]) -> SafeString:
    """List items linking to a question, then who answered what: (question, link, answers)
    per item."""
    return mark_safe(  # every value is escaped
        "\n".join(
            f'<li><a href="{text(href)}">{text(question.code)}. {text(question.statement)}</a>: '
            f"{text(answers)}</li>"
            for question, href, answers in items
        )
    )


def bar_charts(bars: Iterable[tuple[object, SafeString]]) -> SafeString:
    """The bar chart of each step under a numbered heading: (step, chart) per step."""
    return mark_safe(  # the title is escaped, the chart is our SVG
        "".join(
            f'<div class="chart mb-3"><h3 class="h6">{number}. {text(step.title)}</h3>{chart}</div>'
            for number, (step, chart) in enumerate(bars, start=1)
        )
    )
