"""A framework version's content (steps, themes, questions), read once per process.

The step page, the results page, the report and the exports all need a version's steps,
themes and questions. A published version cannot change once a round uses it, and its
content hash changes with any change before that, so a process may keep what it read
under ``FrameworkVersion.cache_key`` (the id and the content hash) and never ask again.
A draft version has no such key and is read from the database every time.

This is the one place that caches framework content; everything else asks ``outline_for``.
"""

from __future__ import annotations

from dataclasses import dataclass

from .models import FrameworkVersion, Question, Step, Theme
from .scoring import QuestionInfo


@dataclass(frozen=True)
class Outline:
    """A version's steps, themes and questions in order, as model instances.

    Every question has its theme loaded, and every theme its step, so walking from a
    question to its step costs no query. ``infos`` holds the same questions as
    ``readiness.scoring`` needs them.
    """

    steps: tuple[Step, ...]
    themes: tuple[Theme, ...]
    questions: tuple[Question, ...]
    infos: tuple[QuestionInfo, ...]

    def questions_of_step(self, step_code: str) -> list[Question]:
        return [q for q in self.questions if q.theme.step.code == step_code]


# (id, content hash) -> outline. A handful of versions exist, so nothing is ever evicted.
_outlines: dict[tuple[int, str], Outline] = {}


def outline_for(framework: FrameworkVersion) -> Outline:
    """The version's outline: from the process's cache when published, else two queries."""
    key = framework.cache_key
    if key is not None:
        cached = _outlines.get(key)
        if cached is not None:
            return cached
    outline = _read(framework.pk)
    if key is not None:
        _outlines[key] = outline
    return outline


def clear_cache() -> None:
    """Forget every outline (tests: ids are reused after a rollback)."""
    _outlines.clear()


def _read(framework_id: int) -> Outline:
    themes = tuple(
        Theme.objects.filter(framework=framework_id).select_related("step").order_by("order")
    )
    # A step without themes has nothing to show or score.
    steps = tuple(sorted({t.step_id: t.step for t in themes}.values(), key=lambda s: s.order))
    theme_by_id = {theme.pk: theme for theme in themes}
    questions = tuple(Question.objects.filter(framework=framework_id).order_by("order"))
    for question in questions:
        question.theme = theme_by_id[question.theme_id]
    infos = tuple(question_info(q) for q in questions)
    return Outline(steps=steps, themes=themes, questions=questions, infos=infos)


def question_info(question: Question) -> QuestionInfo:
    """What scoring needs of a question whose theme and step are loaded."""
    return QuestionInfo(
        code=question.code,
        step=question.theme.step.code,
        theme=question.theme.code,
        weight=question.weight,
        is_critical=question.is_critical,
        kind=question.kind,
        applies_to=question.applies_to,
        partner_module=bool(question.partner_perspectives),
    )
