"""The results page's content: a round's scores as the page shows them.

``results_context`` turns a round's results into what the page lists (score rows, charts,
priorities, questions to investigate, disagreements); ``results_body_values`` splits that
into the flags and slots of ``_results_body.html`` (decision 0004). The view in
``views.py`` only loads the round and joins the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from readiness.scoring import GroupScore, Light

from . import results_rows
from .charts import display_score
from .forms import TargetsForm
from .models import Assessment
from .results import QuestionRow, RespondentAnswer, load_results, round_charts_for

LIGHT_LABELS = {
    Light.RED: _lazy("rood"),
    Light.ORANGE: _lazy("oranje"),
    Light.GREEN: _lazy("groen"),
}


@dataclass(frozen=True)
class ScoreRow:
    """A step or theme on the results page: its score as a user reads it."""

    code: str
    title: str
    score: GroupScore

    @property
    def display(self) -> int | None:
        return display_score(self.score.score) if self.score.is_sufficient else None

    @property
    def light_label(self) -> str:
        return LIGHT_LABELS[self.score.light] if self.score.light else ""

    @property
    def coverage_percent(self) -> int:
        return display_score(100 * (self.score.coverage or 0))

    @property
    def light_html(self) -> SafeString:
        """What ``_light.html`` renders for this row, built without the template engine:
        an ``{% include %}`` per table row was a large part of the results page's CPU.
        tests/assessments/test_results.py holds the two to the same markup."""
        score = self.score
        if not score.is_sufficient:
            label = results_rows.text(_("onvoldoende beantwoord"))
            return mark_safe(f'<span class="light light-none">{label}</span>')  # escaped
        html = (
            f'<span class="light light-{results_rows.text(score.light)}">{self.display} · '
            f"{results_rows.text(self.light_label)}</span>"
        )
        if score.is_capped:
            capped = results_rows.text(_("begrensd door een kritieke vraag"))
            html += f' <span class="small text-body-secondary">({capped})</span>'
        return mark_safe(html)  # every value is escaped above


def results_context(assessment: Assessment) -> dict:
    results = load_results(assessment)
    scores = results.scores
    questions = results.question_by_code
    step_titles = {s.code: s.title for s in results.steps}
    theme_rows = [ScoreRow(t.code, t.title, scores.themes[t.code]) for t in results.themes]
    steps = [
        (
            ScoreRow(s.code, s.title, scores.steps[s.code]),
            [row for row, t in zip(theme_rows, results.themes, strict=True) if t.step == s.code],
        )
        for s in results.steps
        if s.code in scores.steps
    ]

    radar, bars = round_charts_for(results)
    # Links and answer lists are put together here rather than with a {% url %} and a
    # loop per listed question in the template: per-row template tags were most of the
    # page's rendering time. One reverse() per step; the question adds only a fragment.
    step_urls: dict[str, str] = {}

    def href(question: QuestionRow) -> str:
        url = step_urls.get(question.step)
        if url is None:
            url = step_urls[question.step] = reverse(
                "assessments:questionnaire", args=[assessment.pk, question.step]
            )
        return f"{url}#vraag-{question.code}"

    # A perspective's label once per code, not once per answer (a translated enum label).
    labels: dict[str, str] = {}

    def who(answer: RespondentAnswer) -> str:
        code = answer.perspective_code
        if code not in labels:
            labels[code] = answer.perspective
        return labels[code] or _("invuller %(n)s") % {"n": answer.respondent}

    disagreements = [
        (
            questions[code],
            href(questions[code]),
            "; ".join(
                f"{who(a)}: {int(a.value)}"
                for a in results.answers.get(code, [])
                if a.value.isdigit()
            ),
        )
        for code in scores.disagreements
    ]
    top_gaps = [(gap, questions[gap.code], href(questions[gap.code])) for gap in scores.gaps[:10]]
    to_investigate = [(questions[code], href(questions[code])) for code in scores.to_investigate]
    return {
        "results": results,
        "overall": ScoreRow("overall", _("Totaal"), scores.overall),
        "steps": steps,
        "step_titles": step_titles,
        "radar": radar,
        "bars": list(zip([step for step, _rows in steps], bars, strict=True)),
        "top_gaps": top_gaps,
        "to_investigate": to_investigate,
        "disagreements": disagreements,
        # The rows of the tables and lists above as markup (see assessments.results_rows).
        "score_rows": results_rows.score_rows(steps),
        "priority_rows": results_rows.priority_rows(top_gaps),
        "investigate_items": results_rows.question_links(to_investigate),
        "disagreement_items": results_rows.disagreement_items(disagreements),
    }


RESULTS_BODY = "assessments/_results_body.html"


def results_body_values(
    request: HttpRequest, assessment: Assessment, context: dict, *, can_edit: bool
) -> tuple[dict, dict]:
    """The results body's flags (its structure) and slots (its values), see slotted.py."""
    results = context["results"]
    flags = {
        "has_answers": results.has_answers,
        "can_edit": can_edit,
        "is_open": assessment.is_open,
        "has_top_gaps": bool(context["top_gaps"]),
        "has_to_investigate": bool(context["to_investigate"]),
        "has_disagreements": bool(context["disagreements"]),
    }
    closed_at = assessment.closed_at
    slots = {
        "home_url": reverse("assessments:home"),
        "detail_url": reverse("assessments:detail", args=[assessment.pk]),
        "title": assessment.title,
        "municipality": assessment.municipality.name,
        "closed_date": date_format(timezone.localtime(closed_at), "j F Y") if closed_at else "",
        "start_url": reverse(
            "assessments:questionnaire", args=[assessment.pk, results.steps[0].code]
        )
        if results.steps
        else "",
        "overall_light": context["overall"].light_html,
        "coverage": context["overall"].coverage_percent,
        "bar_charts": results_rows.bar_charts(context["bars"]),
        **{
            name: context[name]
            for name in (
                "radar",
                "score_rows",
                "priority_rows",
                "investigate_items",
                "disagreement_items",
            )
        },
        "targets_url": "",
        "csrf_token": "",
        "target_selects": "",
    }
    if can_edit:  # the only ones shown the form
        slots.update(
            targets_url=reverse("assessments:targets", args=[assessment.pk]),
            csrf_token=get_token(request),
            target_selects=_target_selects(
                translation.get_language(),
                tuple(TargetStep(s.code, s.title, s.target) for s in results.steps),
            ),
        )
    return flags, slots


class TargetStep(NamedTuple):
    code: str
    title: str
    target: int


@lru_cache(maxsize=1024)
def _target_selects(language: str, steps: tuple[TargetStep, ...]) -> SafeString:
    """The ambition's selects, unbound, with each step's target chosen: the same for every
    round of a framework version with the same targets, so drawn once per process for
    each (``language`` is part of the key: labels and messages are translated)."""
    form = TargetsForm(steps=steps, initial={s.code: s.target for s in steps})
    return render_to_string("assessments/_target_selects.html", {"targets_form": form})
