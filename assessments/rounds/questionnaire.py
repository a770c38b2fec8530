"""The questionnaire's step page: one respondent's view of a step's questions.

``build_step_page`` groups the step's questions by theme with the respondent's answers;
the template ``assessments/rounds/questionnaire.html`` draws it. The framework's content comes
from ``readiness.content`` (read once per process for a published version), so the page
costs one query for the answers besides the access check.

Members and partners (``assessments/partners/``) answer through this one code path: the
page, the whole-step POST (``StepPage.bind``) and the autosave (``autosave_answer``);
``StepUrls`` says where the page's links and saves go, ``only`` which statements it shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property, lru_cache
from typing import ClassVar

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from assessments.common.urls import reverse_cached
from assessments.models import NOTE_MAX_LENGTH, Answer, Assessment, Response
from assessments.rounds.counting import answerable
from assessments.rounds.forms import AnswerForm
from assessments.rounds.services import AnswerInput, save_answer, save_answers
from readiness.content import outline_for
from readiness.kinds import applies, number_text
from readiness.models import AnswerValue, DutyValue, Question, Step, Theme


@dataclass
class Progress:
    answered: int = 0
    total: int = 0

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.total) if self.total else 0


@dataclass(frozen=True)
class StepUrls:
    """Where a step page's links and saves go. URL names; each takes ``owner`` (a round's
    id for members, a partner link's id for partners) and a step code or question id."""

    step: str
    answer: str
    owner: int
    done: str  # the path of "back" after the last step
    history: str = ""  # "" leaves out the link to a statement's history


def for_municipality(assessment: Assessment) -> list[Question]:
    """The municipality's own statements: for its role (the others are n.v.t. for it), not
    the partners' modules (asked only to a partner of that perspective)."""
    return answerable(outline_for(assessment.framework), assessment.municipality.region_role)


def step_page_context(
    assessment: Assessment,
    page: StepPage,
    urls: StepUrls,
    *,
    can_edit: bool,
    errors: list[str] | None = None,
) -> dict:
    """What the step page's template needs, for members and partners alike."""
    key = assessment.framework.cache_key
    for row in page.rows:
        row.answer_url = reverse_cached(urls.answer, urls.owner, row.question.pk)
        if urls.history:
            row.history_url = reverse_cached(urls.history, urls.owner, row.question.pk)
        if row.form is not None or not key:
            row.fragment_timeout = 0  # errors belong to this request; a draft may change
    return {
        "assessment": assessment,
        "page": page,
        "step": page.step,
        "errors": errors or [],
        "can_edit": can_edit,
        "urls": urls,
        # Labels resolved once, not once per question (they are lazy translations).
        "answer_choices": [(value, str(label)) for value, label in AnswerValue.choices],
        "duty_choices": [(value, str(label)) for value, label in DutyValue.choices],
        # The statement's own texts are cached fragments of the page, kept as long as the
        # version's content (readiness.content): a published version's key; a draft's
        # markup is drawn anew every time (timeout 0 stores nothing).
        "content_key": "-".join(map(str, key)) if key else "draft",
        "content_timeout": None if key else 0,
    }


@lru_cache(maxsize=4096)
def _saved_text(minute: datetime, zone: str, language: str) -> str:
    """The line "Laatst opgeslagen: 7 december 14:05" in ``language``, the active language.
    The zone is part of the key because aware datetimes of the same instant are equal
    whatever their zone."""
    return _("Laatst opgeslagen: %(time)s") % {"time": date_format(minute, "j F H:i")}


def step_page_response(
    request: HttpRequest,
    assessment: Assessment,
    user,
    page: StepPage | None,
    urls: StepUrls,
    *,
    template: str,
    can_edit: bool,
    extra: dict | None = None,
) -> HttpResponse:
    """The step page, for members and partners alike: shown on GET; on POST every answer
    of the step saved for ``user``, then back to the page, or the page again with the
    errors (400). A step the round does not have is a 404."""
    if page is None:
        raise Http404(_("Deze stap bestaat niet."))
    errors = None
    if request.method == "POST":
        errors = save_step(page, request.POST, assessment=assessment, user=user)
        if not errors:
            messages.success(request, saved_message())
            return redirect(urls.step, urls.owner, page.step.code)
    context = step_page_context(assessment, page, urls, can_edit=can_edit, errors=errors)
    return render(request, template, context | (extra or {}), status=400 if errors else 200)


def step_progress(
    assessment: Assessment, answered_ids: set[int], only: frozenset[int] | None = None
) -> list[tuple[Step, Progress]]:
    """Every step of the round's framework that has questions, with how many are answered:
    of the statements for the municipality's role, or of ``only`` (a partner's) when given."""
    outline = outline_for(assessment.framework)
    by_code = {step.code: (step, Progress()) for step in outline.steps}
    if only is None:
        questions = for_municipality(assessment)
    else:
        questions = [question for question in outline.questions if question.pk in only]
    for question in questions:
        progress = by_code[question.theme.step.code][1]
        progress.total += 1
        progress.answered += question.pk in answered_ids
    return [pair for pair in by_code.values() if pair[1].total]


def resume_question(
    assessment: Assessment, answered_ids: set[int], last_saved_id: int | None
) -> Question | None:
    """Where "Verder waar u was" goes: the first unanswered statement after the one saved
    last, in step and question order; else the first unanswered one; when everything is
    answered, the one saved last. None before anything was saved."""
    if last_saved_id is None:
        return None
    outline = outline_for(assessment.framework)
    step_order = {step.code: step.order for step in outline.steps}
    # sorted() is stable: within a step the outline's question order stays.
    questions = sorted(for_municipality(assessment), key=lambda q: step_order[q.theme.step.code])
    ids = [q.pk for q in questions]
    after = ids.index(last_saved_id) + 1 if last_saved_id in ids else 0
    for question in [*questions[after:], *questions[:after]]:
        if question.pk not in answered_ids:
            return question
    return questions[ids.index(last_saved_id)] if last_saved_id in ids else None


@dataclass
class StepQuestion:
    """One question on the step page with the respondent's answer, as plain values."""

    question: Question
    value: str = ""
    note: str = ""
    number: str = ""  # an indicator's number as typed or stored ("12.5")
    saved_at: datetime | None = None
    form: AnswerForm | None = None  # only when a plain POST is being validated
    # Copied from the previous round and not yet confirmed or changed ("overgenomen").
    is_carried_over: bool = False
    # Where autosave posts and the history link goes (set by step_page_context).
    answer_url: str = ""
    history_url: str = ""
    # How long the statement's fragment is kept: for good (None) as the version's content;
    # 0, drawn anew, for a draft version or a row with validation errors.
    fragment_timeout: int | None = None

    FRAGMENT_FIELDS: ClassVar[tuple[str, ...]] = (
        "value",
        "note",
        "number",
        "saved_text",
        "is_carried_over",
        "answer_url",
        "history_url",
    )

    @property
    def prefix(self) -> str:
        return f"q-{self.question.pk}"

    @property
    def dom_id(self) -> str:
        """The question's id as text, for the page's element ids (``help-<id>``,
        ``status-<id>``): a number in a template is localized on every use."""
        return str(self.question.pk)

    @property
    def fragment_state(self) -> tuple:
        """What the statement's markup shows of this row: with the question, the version's
        content key, the language and ``can_edit``, the key of the statement's cached
        fragment (questionnaire.html). Whatever else ``_question.html`` comes to show of a
        row must join ``FRAGMENT_FIELDS``, or be derived from them."""
        return tuple(getattr(self, name) for name in self.FRAGMENT_FIELDS)

    @property
    def is_saved(self) -> bool:
        return self.saved_at is not None

    # The two texts below are the step page's per-question sentences that vary with the
    # answer. Made here, not with {% blocktranslate %} in the template: the same catalogue
    # entries, at a fraction of a template tag's cost, for each of up to 40 questions.
    @property
    def note_count(self) -> str:
        """The note's counter as the page opens (static/js/app.js updates it)."""
        return _("%(n)s van %(max)s tekens") % {"n": len(self.note), "max": NOTE_MAX_LENGTH}

    @cached_property
    def saved_text(self) -> str:
        """Made once per row: the statement's fragment key (twice) and its markup read it.
        (``saved_at`` is the stored answer's and never changes on the row.)"""
        if self.saved_at is None:
            return ""
        # Shown to the minute, and a step's answers are mostly saved within a few minutes:
        # each minute is formatted once per process (date_format was a quarter of a
        # statement's drawing).
        minute = timezone.localtime(self.saved_at).replace(second=0, microsecond=0)
        return _saved_text(minute, str(minute.tzinfo), get_language())

    @property
    def value_errors(self) -> list[str]:
        return list(self.form.errors.get("value", [])) if self.form else []

    @property
    def note_errors(self) -> list[str]:
        return list(self.form.errors.get("note", [])) if self.form else []

    @property
    def number_errors(self) -> list[str]:
        return list(self.form.errors.get("number", [])) if self.form else []

    def bind(self, data) -> None:
        """Validate the plain POST's values for this question; errors show on the page."""
        initial = (
            {"value": self.value, "note": self.note, "number": self.number} if self.is_saved else {}
        )
        self.form = AnswerForm(data, prefix=self.prefix, initial=initial, kind=self.question.kind)
        self.value = data.get(f"{self.prefix}-value", "")
        self.note = data.get(f"{self.prefix}-note", "")
        self.number = data.get(f"{self.prefix}-number", "")


@dataclass
class ThemeSection:
    theme: Theme
    rows: list[StepQuestion] = field(default_factory=list)
    progress: Progress = field(default_factory=Progress)
    # Statements for the other role (centrumgemeente, regiogemeente): n.v.t., not asked.
    not_for_role: list[Question] = field(default_factory=list)

    @property
    def fragment_state(self) -> tuple:
        """Its statements' keys together: the key of the theme's run of statements, one
        cached fragment around theirs (a cache lookup per theme instead of per statement)."""
        return tuple((row.question.pk, row.fragment_state) for row in self.rows)

    @property
    def fragment_timeout(self) -> int | None:
        """Drawn anew (0) when one of its statements is."""
        return 0 if any(row.fragment_timeout == 0 for row in self.rows) else None


@dataclass
class StepPage:
    """Everything the step page shows, for one respondent."""

    steps: list[tuple[Step, Progress]]
    step: Step
    sections: list[ThemeSection]

    @property
    def rows(self) -> list[StepQuestion]:
        return [row for section in self.sections for row in section.rows]

    @property
    def progress(self) -> Progress:
        return next(p for s, p in self.steps if s.code == self.step.code)

    def neighbour(self, offset: int) -> Step | None:
        codes = [s.code for s, _p in self.steps]
        index = codes.index(self.step.code) + offset
        return self.steps[index][0] if 0 <= index < len(self.steps) else None

    def bind(self, data) -> bool:
        """Validate a plain POST of the whole step; True when every question is valid
        (errors show on the page)."""
        for row in self.rows:
            row.bind(data)
        return all(row.form.is_valid() for row in self.rows)

    def answer_inputs(self) -> list[AnswerInput]:
        """The bound step's answers to save: every changed or earlier saved question."""
        return [
            AnswerInput(
                question=row.question,
                value=row.form.cleaned_data["value"],
                note=row.form.cleaned_data["note"],
                number=row.form.cleaned_data["number"],
            )
            for row in self.rows
            if row.form.has_changed() or row.is_saved
        ]

    @property
    def previous_step(self) -> Step | None:
        return self.neighbour(-1)

    @property
    def next_step(self) -> Step | None:
        return self.neighbour(+1)


def build_step_page(
    assessment: Assessment, user, step_code: str, only: frozenset[int] | None = None
) -> StepPage | None:
    """The step's questions (of ``only``, when given) grouped by theme with the user's
    answers; None for an unknown step or one without such questions. One query (the
    user's answers) once the framework's outline is cached."""
    outline = outline_for(assessment.framework)
    # One query from the response: its perspective, and its answers (NULLs without any).
    rows = (
        Response.objects.filter(assessment=assessment, respondent=user)
        .order_by()
        .values_list(
            "perspective",
            "answers__question_id",
            "answers__value",
            "answers__note",
            "answers__number",
            "answers__updated_at",
            "answers__is_carried_over",
        )
    )
    perspective = ""
    saved = {}
    for row in rows:
        perspective, question_id = row[0], row[1]
        if question_id is not None:
            saved[question_id] = row[2:]
    answered_ids = {
        qid for qid, (value, _note, number, *_rest) in saved.items() if value or number is not None
    }
    steps = step_progress(assessment, answered_ids, only)
    current = next((s for s, _p in steps if s.code == step_code), None)
    if current is None:
        return None
    role = assessment.municipality.region_role
    sections: dict[int, ThemeSection] = {}
    for question in outline.questions_of_step(step_code):
        if only is not None and question.pk not in only:
            continue
        if question.partner_perspectives and perspective not in question.partner_perspectives:
            continue  # a partner's own statement: asked only to that partner
        section = sections.setdefault(question.theme_id, ThemeSection(theme=question.theme))
        if not applies(question.applies_to, role):
            section.not_for_role.append(question)
            continue
        value, note, number, saved_at, carried = saved.get(question.pk, ("", "", None, None, False))
        section.rows.append(
            StepQuestion(
                question,
                value=value,
                note=note,
                number="" if number is None else number_text(number),
                saved_at=saved_at,
                is_carried_over=carried,
            )
        )
        section.progress.total += 1
        section.progress.answered += question.pk in answered_ids
    return StepPage(steps=steps, step=current, sections=list(sections.values()))


def save_step(page: StepPage, data, *, assessment: Assessment, user) -> list[str]:
    """Save a plain POST of the whole step for ``user``: the Dutch errors, or [] when
    everything was saved (nothing is saved when anything is wrong)."""
    if not page.bind(data):
        return [_("Niet opgeslagen: verbeter de gemarkeerde vragen en probeer het opnieuw.")]
    try:
        save_answers(assessment=assessment, user=user, items=page.answer_inputs())
    except ValidationError as exc:
        return exc.messages
    return []


def saved_message() -> str:
    return _("Uw antwoorden zijn opgeslagen om %(time)s.") % {
        "time": timezone.localtime().strftime("%H:%M")
    }


@dataclass
class Autosaved:
    """The outcome of one autosave: the saved answer, or a Dutch error (status 400)."""

    answer: Answer | None = None
    question: Question | None = None
    error: str = ""

    def status_response(self) -> HttpResponse:
        """The status line htmx swaps in: "Opgeslagen om …", or the error with status 400.
        Rendered without the request: it needs no context processor, and it answers every
        autosave."""
        html = render_to_string(
            "assessments/rounds/_save_status.html", {"error": self.error, "answer": self.answer}
        )
        return HttpResponse(html, status=400 if self.error else 200)


def autosave_answer(
    assessment: Assessment, user, question_id: int, data, only: frozenset[int] | None = None
) -> Autosaved:
    """Validate and save one question's fieldset (``q-<id>-value``, ``-note``, ``-number``) for
    ``user``. A question of another round, or outside ``only``, is refused."""
    question = next(
        (q for q in outline_for(assessment.framework).questions if q.pk == question_id), None
    )
    if question is None or (only is not None and question.pk not in only):
        return Autosaved(error=_("Deze vraag hoort niet bij deze meting. Niet opgeslagen."))
    form = AnswerForm(data, prefix=f"q-{question.pk}", kind=question.kind)
    if not form.is_valid():
        error = " ".join(str(m) for errors in form.errors.values() for m in errors)
        return Autosaved(question=question, error=_("Niet opgeslagen: %(e)s") % {"e": error})
    try:
        answer = save_answer(
            assessment=assessment,
            user=user,
            question=question,
            value=form.cleaned_data["value"],
            note=form.cleaned_data["note"],
            number=form.cleaned_data["number"],
        )
    except ValidationError as exc:
        return Autosaved(question=question, error=" ".join(exc.messages))
    return Autosaved(answer=answer, question=question)
