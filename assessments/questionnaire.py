"""The questionnaire's step page: its questions as plain rows, and their markup, fast.

A step page shows up to 32 questions. Rendering ``_question.html`` through Django's
template engine once per question, and loading the framework's questions, themes and
steps on every request, were most of the page's cost (docs/performance.md). Two facts make
both cacheable in the process:

- a framework version never changes once a round uses it and it is published
  (``FrameworkVersion.is_locked``); a step page always belongs to a round, so a published
  version seen here is locked;
- a question's markup is static except for a few values: the answer, the note, the
  round's URLs and the save status.

So the template is rendered once per question, language and role with a marker where each
of those values goes, and a request only joins the static pieces with its own escaped
values (``QuestionRow.html``). The template stays the one source of the markup; a row with
validation errors (a rejected plain POST) renders it in full, and a test holds the two
paths to the same output. Draft versions are never cached. The caches are keyed by the
version's content hash as well as its id, so a reused id cannot serve old content.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from datetime import datetime

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dates import MONTHS
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from readiness.models import FrameworkVersion, Question, Step

from .forms import AnswerForm
from .models import Answer, AnswerValue, Assessment
from .prepared import PreparedQuery
from .slotted import join_pieces, marker, render_slotted, split_at_markers

QUESTION_TEMPLATE = "assessments/_question.html"
_CHECKED = " checked"

# The framework's cache key (FrameworkVersion.cache_key) -> the outline; (question id,
# that key, language, can_edit) -> the question's markup as static pieces with slot names
# in between; (question id, language) -> the answer scale per chosen value.
_outlines: dict[tuple[int, str], Outline] = {}
_markup: dict[tuple[int, tuple[int, str], str, bool], tuple[str, ...]] = {}
_scales: dict[tuple[int, str], dict[str, SafeString]] = {}
_status_cache: dict[str, tuple[str, str, dict[int, str]]] = {}


def clear_caches() -> None:
    """Forget everything cached (tests: ids are reused after a rollback)."""
    _outlines.clear()
    _markup.clear()
    _scales.clear()
    _status_cache.clear()


@dataclass
class Progress:
    answered: int = 0
    total: int = 0

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.total) if self.total else 0

    @property
    def is_complete(self) -> bool:
        return self.total > 0 and self.answered == self.total


@dataclass(frozen=True)
class Outline:
    """A framework version's steps and questions (with theme and step loaded), in order."""

    steps: list[Step]
    questions: list[Question]

    def step_progress(self, answered_ids: set[int]) -> list[tuple[Step, Progress]]:
        by_code = {step.code: (step, Progress()) for step in self.steps}
        for question in self.questions:
            progress = by_code[question.theme.step.code][1]
            progress.total += 1
            progress.answered += question.pk in answered_ids
        return [pair for pair in by_code.values() if pair[1].total]


def outline_for(framework: FrameworkVersion) -> Outline:
    """The framework's outline: one query for a draft, none once a published one is cached."""
    key = framework.cache_key
    if key is not None and key in _outlines:
        return _outlines[key]
    questions = list(
        Question.objects.filter(framework=framework.pk)
        .select_related("theme__step")
        .order_by("order")
    )
    steps: dict[int, Step] = {}
    for question in questions:
        steps.setdefault(question.theme.step.pk, question.theme.step)
    outline = Outline(
        steps=sorted(steps.values(), key=lambda s: s.order),
        questions=questions,
    )
    if key is not None:
        _outlines[key] = outline
    return outline


@dataclass
class QuestionRow:
    """One question on the step page, as plain values."""

    question: Question
    framework: FrameworkVersion
    can_edit: bool
    answer_url: str
    history_url: str
    value: str = ""
    note: str = ""
    saved_at: datetime | None = None
    form: AnswerForm | None = None  # only when a plain POST is being validated
    value_errors: list[str] = field(default_factory=list)
    note_errors: list[str] = field(default_factory=list)

    @property
    def prefix(self) -> str:
        return f"q-{self.question.pk}"

    @property
    def is_saved(self) -> bool:
        return self.saved_at is not None

    def bind(self, data) -> None:
        """Validate the plain POST's values for this question; errors show in its markup."""
        initial = {"value": self.value, "note": self.note} if self.is_saved else {}
        self.form = AnswerForm(data, prefix=self.prefix, initial=initial)
        self.value = data.get(f"{self.prefix}-value", "")
        self.note = data.get(f"{self.prefix}-note", "")
        self.value_errors = list(self.form.errors.get("value", []))
        self.note_errors = list(self.form.errors.get("note", []))

    def radios(self) -> SafeString:
        """The answer scale's radio buttons, with the current value checked."""
        key = (self.question.pk, translation.get_language())
        variants = _scales.get(key)
        if variants is None:
            variants = _scales[key] = {
                value: _radios(self.prefix, value) for value in ["", *AnswerValue.values]
            }
        return variants.get(self.value) or _radios(self.prefix, self.value)

    def status(self, language: str | None = None) -> SafeString:
        """When the answer was saved last, as the page first shows it."""
        if self.saved_at is None:
            return SafeString("")
        before, after, months = _status_words(language or translation.get_language())
        # What the date filter's "j F H:i" gives, at a fraction of its cost per question.
        local = timezone.localtime(self.saved_at)
        return mark_safe(
            f'<span class="text-body-secondary">{before}{local.day} {months[local.month]} '
            f"{local:%H:%M}{after}</span>"
        )

    def markup(self) -> SafeString:
        """The question's fieldset: the cached pieces joined with this row's values (the
        pieces are our template's output, the values are escaped or built escaped)."""
        framework_key = self.framework.cache_key
        if self.value_errors or self.note_errors or framework_key is None:
            return self.render()
        language = translation.get_language()
        key = (self.question.pk, framework_key, language, self.can_edit)
        pieces = _markup.get(key)
        if pieces is None:
            pieces = _markup[key] = _pieces(self.question, can_edit=self.can_edit)
        # Plain strings are escaped by join_pieces; the radios and the status are markup.
        return join_pieces(
            pieces,
            {
                "answer_url": self.answer_url,
                "history_url": self.history_url,
                "radios": self.radios(),
                "note": self.note,
                "status": self.status(language),
            },
        )

    def render(self) -> SafeString:
        """The question's fieldset through the template engine (the reference path)."""
        return mark_safe(
            render_to_string(QUESTION_TEMPLATE, {"row": self, "can_edit": self.can_edit})
        )


def _status_words(language: str) -> tuple[str, str, dict[int, str]]:
    """The save status's text around the time, escaped, and the month names: per language,
    once per process (translations do not change while it runs)."""
    words = _status_cache.get(language)
    if words is None:
        text = html.escape(_("Laatst opgeslagen: %(time)s") % {"time": "\x00"})
        before, after = text.split("\x00")
        words = _status_cache[language] = (
            before,
            after,
            {number: html.escape(str(name)) for number, name in MONTHS.items()},
        )
    return words


class _MarkerRow:
    """Stands in for a row while a question's static pieces are rendered: every value
    that changes per request is a marker, and there are no errors."""

    value_errors: list[str] = []
    note_errors: list[str] = []

    def __init__(self, question: Question) -> None:
        self.question = question
        self.prefix = f"q-{question.pk}"
        for slot in _ROW_SLOTS:
            setattr(self, slot, marker(slot))


_ROW_SLOTS = ("answer_url", "history_url", "radios", "note", "status")


def _pieces(question: Question, *, can_edit: bool) -> tuple[str, ...]:
    """The rendered template split at the markers: static text, slot name, static text…"""
    html = render_to_string(QUESTION_TEMPLATE, {"row": _MarkerRow(question), "can_edit": can_edit})
    return split_at_markers(html, dict.fromkeys(_ROW_SLOTS), QUESTION_TEMPLATE)


def _radios(prefix: str, chosen: str) -> SafeString:
    return format_html_join(
        "\n",
        '<div class="form-check"><input class="form-check-input" type="radio" '
        'name="{0}-value" id="id_{0}-value_{1}" value="{1}"{3}>'
        '<label class="form-check-label" for="id_{0}-value_{1}">{2}</label></div>',
        (
            (prefix, value, str(label), _CHECKED if value == chosen else "")
            for value, label in AnswerValue.choices
        ),
    )


@dataclass
class ThemeSection:
    theme: object
    rows: list[QuestionRow] = field(default_factory=list)
    progress: Progress = field(default_factory=Progress)

    def markup(self) -> SafeString:
        """The theme's questions (one template variable per theme, not one per question)."""
        return mark_safe("".join(row.markup() for row in self.rows))


@dataclass
class StepPage:
    """Everything the step page shows, for one respondent."""

    steps: list[tuple[Step, Progress]]
    step: Step
    sections: list[ThemeSection]
    can_edit: bool = False

    @property
    def rows(self) -> list[QuestionRow]:
        return [row for section in self.sections for row in section.rows]

    @property
    def step_progress(self) -> Progress:
        return next(p for s, p in self.steps if s.code == self.step.code)

    def neighbour(self, offset: int) -> Step | None:
        codes = [s.code for s, _p in self.steps]
        index = codes.index(self.step.code) + offset
        return self.steps[index][0] if 0 <= index < len(self.steps) else None


_ANSWER_COLUMNS = ("question_id", "value", "note", "updated_at")
# The user's answers, read for every step page: compiled once per process.
_RESPONSE_ANSWERS = PreparedQuery(
    Answer,
    lambda response_id: (
        Answer.objects.filter(response=response_id).order_by().values_list(*_ANSWER_COLUMNS)
    ),
    "response_id",
)


def build_step_page(
    assessment: Assessment, user, step_code: str, *, can_edit: bool
) -> StepPage | None:
    """The step's questions grouped by theme with the user's answers; None for an unknown
    step. One query (the answers) once the framework is cached."""
    outline = outline_for(assessment.framework)
    if getattr(assessment, "annotated_for_user_id", None) == user.pk:
        # The user's response came with the round (Assessment.for_user): no join needed.
        rows = (
            _RESPONSE_ANSWERS.rows(response_id=assessment.my_response_id)
            if assessment.my_response_id is not None
            else []
        )
    else:
        rows = Answer.objects.filter(
            response__assessment=assessment, response__respondent=user
        ).values_list(*_ANSWER_COLUMNS)
    saved = {
        question_id: (value, note, updated_at) for question_id, value, note, updated_at in rows
    }
    answered_ids = {qid for qid, (value, _note, _at) in saved.items() if value}
    steps = outline.step_progress(answered_ids)
    current = next((s for s, _p in steps if s.code == step_code), None)
    if current is None:
        return None
    answer_url = _url_maker("assessments:answer", assessment.pk)
    history_url = _url_maker("assessments:answer_history", assessment.pk)
    sections: dict[int, ThemeSection] = {}
    for question in outline.questions:
        if question.theme.step.code != step_code:
            continue
        value, note, saved_at = saved.get(question.pk, ("", "", None))
        section = sections.setdefault(question.theme_id, ThemeSection(theme=question.theme))
        section.rows.append(
            QuestionRow(
                question=question,
                framework=assessment.framework,
                can_edit=can_edit,
                answer_url=answer_url(question.pk),
                history_url=history_url(question.pk),
                value=value,
                note=note,
                saved_at=saved_at,
            )
        )
        section.progress.total += 1
        section.progress.answered += question.pk in answered_ids
    return StepPage(steps=steps, step=current, sections=list(sections.values()), can_edit=can_edit)


BODY_TEMPLATE = "assessments/_questionnaire_body.html"


def step_page_body(
    page: StepPage, assessment: Assessment, *, csrf_token: str, errors: list[str]
) -> SafeString:
    """The step page's body, joined from pieces rendered once per language (slotted.py)."""
    step = page.step
    urls = {
        s.code: reverse("assessments:questionnaire", args=[assessment.pk, s.code])
        for s, _p in page.steps
    }
    step_links = "".join(
        "\n    "
        + render_slotted(
            "assessments/_step_link.html",
            flags={"is_current": s.code == step.code},
            slots={
                "url": urls[s.code],
                "order": s.order,
                "title": s.title,
                "answered": p.answered,
                "total": p.total,
            },
        )
        + "\n  "
        for s, p in page.steps
    )
    sections = "".join(
        render_slotted(
            "assessments/_theme_section.html",
            flags={},
            slots={
                "code": section.theme.code,
                "title": section.theme.title,
                "description": section.theme.description,
                "answered": section.progress.answered,
                "total": section.progress.total,
                "questions": section.markup(),
            },
        )
        for section in page.sections
    )
    previous, following = page.neighbour(-1), page.neighbour(+1)
    progress = page.step_progress
    detail_url = reverse("assessments:detail", args=[assessment.pk])
    return render_slotted(
        BODY_TEMPLATE,
        flags={
            "can_edit": page.can_edit,
            "has_errors": bool(errors),
            "has_previous": previous is not None,
            "has_next": following is not None,
        },
        slots={
            "home_url": reverse("assessments:home"),
            "detail_url": detail_url,
            "title": assessment.title,
            "step_title": step.title,
            "step_order": step.order,
            "step_description": step.description,
            "answered": progress.answered,
            "total": progress.total,
            "step_links": mark_safe(step_links),  # joined from slotted pieces
            "errors": format_html_join("", '<p class="mb-1">{}</p>', ((e,) for e in errors)),
            "form_url": urls[step.code],
            "csrf_token": csrf_token,
            "sections": mark_safe(sections),  # joined from slotted pieces
            "previous_url": urls[previous.code] if previous else "",
            "previous_title": previous.title if previous else "",
            "next_url": urls[following.code] if following else "",
            "next_title": following.title if following else "",
        },
    )


_ID_STANDIN = 987654321


def _url_maker(name: str, assessment_pk: int):
    """A round's URL for any question id, from one reverse() (one per question was costly)."""
    before, after = reverse(name, args=[assessment_pk, _ID_STANDIN]).split(str(_ID_STANDIN))
    return lambda question_pk: f"{before}{question_pk}{after}"
