"""The printable blank questionnaire for a workshop: a step, or the whole round, on paper.

Two steps like the report: ``build_blank_questionnaire`` gathers a framework version's
statements, help texts and level texts (each statement's own five, else the generic
scale) as frozen data; ``blank_questionnaire_pdf`` lays them out with the report's
styles and renderer (``render.html_to_pdf``). Every level, *weet niet* and *n.v.t.* gets a
tick box, every statement a box for notes.

The PDF holds nothing of a municipality or a round: only the version's content and the
reader's language. A published version is immutable once a round uses it, so its bytes
are kept in Django's cache under the version's ``cache_key`` (id and content hash), the
step and the language: some 80 statements take a few seconds to lay out, and every
member of every municipality on that version gets the same file.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext

from assessments.reports.build import scale
from assessments.reports.contents import REPORT_LANGUAGE, StatementLine
from assessments.reports.render import template_pdf
from readiness.content import outline_for
from readiness.models import AnswerValue, FrameworkVersion
from readiness.scoring import MAX_LEVEL

# A version's content never changes under its key; a month keeps the entry warm without
# leaving versions nobody uses any more in the cache for ever.
CACHE_SECONDS = 30 * 24 * 3600


@dataclass(frozen=True)
class BlankLevel:
    label: str  # "3 · Ingericht", "Weet niet"
    text: str  # what the level means for this statement; empty for weet niet / n.v.t.
    is_content: bool = False  # the statement's own text (Dutch), not the generic scale


@dataclass(frozen=True)
class BlankQuestion(StatementLine):
    help_text: str
    is_critical: bool
    levels: tuple[BlankLevel, ...]


@dataclass(frozen=True)
class BlankTheme:
    code: str
    title: str
    description: str
    questions: tuple[BlankQuestion, ...]


@dataclass(frozen=True)
class BlankStep:
    code: str
    order: int
    title: str
    description: str
    themes: tuple[BlankTheme, ...]


@dataclass(frozen=True)
class BlankQuestionnaire:
    framework: str  # "Gereedheidsscan beschermd thuis 2027.1"
    language: str
    steps: tuple[BlankStep, ...]
    step_code: str | None  # None: the whole round

    @property
    def question_count(self) -> int:
        return sum(len(t.questions) for s in self.steps for t in s.themes)

    @property
    def document_title(self) -> str:
        if self.step_code is None:
            return gettext("Lege vragenlijst: alle stappen")
        step = self.steps[0]
        return gettext("Lege vragenlijst: stap %(n)s, %(title)s") % {
            "n": step.order,
            "title": step.title,
        }


def blank_steps(framework: FrameworkVersion) -> dict[str, int]:
    """The steps of the version that have statements (a PDF can be made of each), by
    code, with their number."""
    outline = outline_for(framework)
    used = {q.theme.step.code for q in outline.questions}
    return {s.code: s.order for s in outline.steps if s.code in used}


def build_blank_questionnaire(
    framework: FrameworkVersion, step_code: str | None = None, language: str = REPORT_LANGUAGE
) -> BlankQuestionnaire:
    """The version's statements, of one step or all, as plain data in ``language``."""
    outline = outline_for(framework)
    with translation.override(language):
        generic = [BlankLevel(f"{s.level} · {s.label}", s.description) for s in scale()]
        others = (
            BlankLevel(str(AnswerValue.UNKNOWN.label), ""),
            BlankLevel(str(AnswerValue.NOT_APPLICABLE.label), ""),
        )
        steps = []
        for step in outline.steps:
            if step_code is not None and step.code != step_code:
                continue
            themes = []
            for theme in outline.themes:
                questions = tuple(
                    BlankQuestion(
                        code=q.code,
                        statement=q.statement,
                        help_text=q.help_text,
                        is_critical=q.is_critical,
                        levels=(*_levels(q.level_descriptions, generic), *others),
                    )
                    for q in outline.questions
                    if q.theme_id == theme.pk
                )
                if theme.step_id == step.pk and questions:
                    themes.append(BlankTheme(theme.code, theme.title, theme.description, questions))
            if themes:
                steps.append(
                    BlankStep(step.code, step.order, step.title, step.description, tuple(themes))
                )
    return BlankQuestionnaire(
        framework=str(framework), language=language, steps=tuple(steps), step_code=step_code
    )


def _levels(descriptions: list[str], generic: list[BlankLevel]) -> list[BlankLevel]:
    if len(descriptions) != MAX_LEVEL + 1:
        return generic
    return [
        BlankLevel(g.label, text, is_content=True)
        for g, text in zip(generic, descriptions, strict=True)
    ]


def render_blank_questionnaire(questionnaire: BlankQuestionnaire) -> bytes:
    # The statements are Dutch; marked so in a PDF in another language.
    return template_pdf(
        "assessments/reports/blank_questionnaire_pdf.html",
        {"q": questionnaire},
        language=questionnaire.language,
    )


def blank_questionnaire_pdf(
    framework: FrameworkVersion, step_code: str | None, language: str
) -> bytes:
    """The PDF's bytes: from the cache for a published version, else rendered now."""
    if language not in dict(settings.LANGUAGES):
        language = REPORT_LANGUAGE
    key = framework.cache_key
    cache_key = (
        f"blank-questionnaire:{key[0]}:{key[1]}:{step_code or '-'}:{language}"
        if key is not None
        else None
    )
    if cache_key is not None:
        cached = cache.get(cache_key)
        if cached is not None:
            return cached
    pdf = render_blank_questionnaire(build_blank_questionnaire(framework, step_code, language))
    if cache_key is not None:
        cache.set(cache_key, pdf, CACHE_SECONDS)
    return pdf


def blank_filename(municipality: str, step_order: int | None, language: str) -> str:
    """``vragenlijst-<municipality>-stap-2.pdf``; another language than Dutch is named in
    it (``...-en.pdf``), so both can be kept side by side."""
    slug = slugify(municipality) or "gemeente"
    part = f"-stap-{step_order}" if step_order is not None else ""
    suffix = "" if language == REPORT_LANGUAGE else f"-{language}"
    return f"vragenlijst-{slug}{part}{suffix}.pdf"
