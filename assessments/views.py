"""Views: HTTP only. Each loads through ``access``, binds a form, calls a service."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Max, OuterRef, Q, Subquery
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from readiness.models import LEVEL_LABELS, AnswerValue, Question, Step
from readiness.scoring import GroupScore, Light

from . import access, services
from .charts import display_score
from .forms import AnswerForm, PerspectiveForm, StartAssessmentForm, TargetsForm
from .models import Answer, Assessment, Membership, Response
from .results import load_results, overall_scores, round_charts_for
from .securitylog import log_event


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


@dataclass
class QuestionRow:
    """One question on the step page, as plain values: rendering a Django form per question
    (a bound field per radio) was most of the page's time (docs/performance.md)."""

    question: Question
    form: AnswerForm
    answer: Answer | None
    prefix: str = ""
    value: str = ""
    note: str = ""
    value_errors: list[str] = field(default_factory=list)
    note_errors: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.prefix = self.form.prefix
        if self.form.is_bound:
            self.value = self.form.data.get(f"{self.prefix}-value", "")
            self.note = self.form.data.get(f"{self.prefix}-note", "")
            self.value_errors = list(self.form.errors.get("value", []))
            self.note_errors = list(self.form.errors.get("note", []))
        elif self.answer is not None:
            self.value, self.note = self.answer.value, self.answer.note

    def radios(self) -> SafeString:
        """The answer scale's radio buttons. Built here rather than in the template: seven
        radios for each of up to 32 questions were half of the page's rendering time."""
        return format_html_join(
            "\n",
            '<div class="form-check"><input class="form-check-input" type="radio" '
            'name="{0}-value" id="id_{0}-value_{1}" value="{1}"{3}>'
            '<label class="form-check-label" for="id_{0}-value_{1}">{2}</label></div>',
            (
                (self.prefix, choice, str(label), CHECKED if choice == self.value else "")
                for choice, label in AnswerValue.choices
            ),
        )


CHECKED = mark_safe(" checked")


@dataclass
class ThemeSection:
    theme: object
    rows: list[QuestionRow] = field(default_factory=list)
    progress: Progress = field(default_factory=Progress)


@require_GET
@access.member_required
def home(request: HttpRequest) -> HttpResponse:
    """The user's municipalities and rounds; for a consultant also a portfolio overview."""
    memberships = list(Membership.objects.filter(user=request.user).select_related("municipality"))
    question_count = (
        Question.objects.filter(framework=OuterRef("framework"))
        .values("framework")
        .annotate(n=Count("pk"))
        .values("n")
    )
    my_answered = (
        Answer.objects.filter(
            response__assessment=OuterRef("pk"), response__respondent=request.user
        )
        .exclude(value="")
        .values("response")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rounds = (
        Assessment.objects.for_user(request.user)
        .annotate(
            question_count=Subquery(question_count),
            my_answered=Subquery(my_answered),
            respondent_count=Count("responses", distinct=True),
        )
        .order_by("municipality__name", "-created_at")
    )
    by_municipality: dict[int, list[Assessment]] = {}
    for assessment in rounds:
        by_municipality.setdefault(assessment.municipality_id, []).append(assessment)
    groups = [
        (m, by_municipality.get(m.municipality_id, []), m.role in access.EDIT_ROLES)
        for m in memberships
    ]
    portfolio = []
    if len(memberships) > 1:
        latest = [rounds[0] for _m, rounds, _e in groups if rounds]
        overall = overall_scores(latest)
        portfolio = [
            (
                m,
                rounds[0] if rounds else None,
                ScoreRow("overall", "", overall[rounds[0].pk]) if rounds else None,
            )
            for m, rounds, _e in groups
        ]
    return render(
        request,
        "assessments/home.html",
        {"groups": groups, "portfolio": portfolio},
    )


@require_http_methods(["GET", "POST"])
@access.member_required
def start(request: HttpRequest, municipality_id: int) -> HttpResponse:
    municipality = access.get_municipality_for_edit(request.user, municipality_id)
    form = StartAssessmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.start_assessment(
                municipality=municipality, user=request.user, title=form.cleaned_data["title"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("De meting is gestart."))
            return redirect("assessments:detail", pk=assessment.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "assessments/assessment_start.html",
        {"form": form, "municipality": municipality},
        status=status,
    )


def _progress_by_step(assessment: Assessment, answered_codes: set[str]):
    """Steps of the round's framework with the user's progress, from one query."""
    questions = list(
        Question.objects.filter(framework=assessment.framework_id)
        .select_related("theme__step")
        .order_by("order")
    )
    steps: dict[str, tuple[Step, Progress]] = {}
    for question in questions:
        step = question.theme.step
        _step, progress = steps.setdefault(step.code, (step, Progress()))
        progress.total += 1
        progress.answered += question.code in answered_codes
    return questions, list(steps.values())


@require_GET
@access.member_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = access.get_assessment_for_view(request.user, pk)
    responses = list(
        Response.objects.filter(assessment=assessment)
        .select_related("respondent")
        .annotate(
            answered=Count("answers", filter=~Q(answers__value="")),
            last_activity=Max("answers__updated_at"),
        )
        .order_by("created_at")
    )
    mine = next((r for r in responses if r.respondent_id == request.user.pk), None)
    my_answers = (
        list(
            Answer.objects.filter(response=mine)
            .exclude(value="")
            .values_list("question__code", flat=True)
        )
        if mine
        else []
    )
    questions, steps = _progress_by_step(assessment, set(my_answers))
    last = (
        Answer.objects.filter(response=mine)
        .select_related("question__theme__step")
        .order_by("-updated_at")
        .first()
        if mine
        else None
    )
    return render(
        request,
        "assessments/assessment_detail.html",
        {
            "assessment": assessment,
            "responses": responses,
            "question_total": len(questions),
            "steps": steps,
            "last_answer": last,
            "my_response": mine,
            "perspective_form": PerspectiveForm(
                initial={"perspective": mine.perspective if mine else ""}
            ),
            "can_edit": access.can_edit(assessment),
            "can_manage": access.can_manage(assessment),
        },
    )


def _questionnaire_context(
    request: HttpRequest, assessment: Assessment, step_code: str, bound: dict | None = None
) -> dict:
    answers = {
        a.question_id: a
        for a in Answer.objects.filter(
            response__assessment=assessment, response__respondent=request.user
        )
    }
    answered_ids = {qid for qid, a in answers.items() if a.value}
    questions, steps = _progress_by_step(assessment, set())
    for step, progress in steps:
        progress.answered = sum(
            1 for q in questions if q.theme.step.code == step.code and q.pk in answered_ids
        )
    current = next((s for s, _p in steps if s.code == step_code), None)
    if current is None:
        raise Http404(_("Deze stap bestaat niet."))
    sections: dict[int, ThemeSection] = {}
    for question in questions:
        if question.theme.step.code != step_code:
            continue
        answer = answers.get(question.pk)
        initial = {"value": answer.value, "note": answer.note} if answer else {}
        form = AnswerForm(bound, prefix=f"q-{question.pk}", initial=initial)
        section = sections.setdefault(question.theme_id, ThemeSection(theme=question.theme))
        section.rows.append(QuestionRow(question=question, form=form, answer=answer))
        section.progress.total += 1
        section.progress.answered += question.pk in answered_ids
    index = [s.code for s, _p in steps].index(step_code)
    return {
        "assessment": assessment,
        "steps": steps,
        "step": current,
        "step_progress": dict((s.code, p) for s, p in steps)[step_code],
        "sections": list(sections.values()),
        "previous_step": steps[index - 1][0] if index > 0 else None,
        "next_step": steps[index + 1][0] if index + 1 < len(steps) else None,
        "can_edit": access.can_edit(assessment),
        "scale": [(int(v), LEVEL_LABELS[int(v)]) for v in AnswerValue.values if v.isdigit()],
        "choices": AnswerValue.choices,
    }


@require_http_methods(["GET", "POST"])
@access.member_required
def questionnaire(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    if request.method == "POST":
        assessment = access.get_assessment_for_edit(request.user, pk)
    else:
        assessment = access.get_assessment_for_view(request.user, pk)
    context = _questionnaire_context(
        request, assessment, step, request.POST if request.method == "POST" else None
    )
    if request.method == "GET":
        return render(request, "assessments/questionnaire.html", context)

    rows = [row for section in context["sections"] for row in section.rows]
    if all(row.form.is_valid() for row in rows):
        items = [
            services.AnswerInput(
                question=row.question,
                value=row.form.cleaned_data["value"],
                note=row.form.cleaned_data["note"],
            )
            for row in rows
            if row.form.has_changed() or row.answer is not None
        ]
        try:
            services.save_answers(assessment=assessment, user=request.user, items=items)
        except ValidationError as exc:
            context["errors"] = exc.messages
        else:
            messages.success(
                request,
                _("Uw antwoorden zijn opgeslagen om %(time)s.")
                % {"time": timezone.localtime().strftime("%H:%M")},
            )
            return redirect("assessments:questionnaire", pk=pk, step=step)
    context["errors"] = context.get("errors") or [
        _("Niet opgeslagen: verbeter de gemarkeerde vragen en probeer het opnieuw.")
    ]
    return render(request, "assessments/questionnaire.html", context, status=400)


def _status(request: HttpRequest, *, error: str = "", answer: Answer | None = None, status=200):
    html = render_to_string(
        "assessments/_save_status.html", {"error": error, "answer": answer}, request=request
    )
    return HttpResponse(html, status=status)


@require_POST
@access.member_required
def answer(request: HttpRequest, pk: int, question_id: int) -> HttpResponse:
    """Autosave of one answer (htmx). Answers with a status fragment, never the input."""
    assessment = access.get_assessment_for_edit(request.user, pk)
    question = Question.objects.filter(pk=question_id, framework=assessment.framework_id).first()
    if question is None:
        return _status(
            request, error=_("Deze vraag hoort niet bij deze meting. Niet opgeslagen."), status=400
        )
    form = AnswerForm(request.POST, prefix=f"q-{question.pk}")
    if not form.is_valid():
        error = " ".join(str(m) for errors in form.errors.values() for m in errors)
        return _status(request, error=_("Niet opgeslagen: %(e)s") % {"e": error}, status=400)
    try:
        saved = services.save_answer(
            assessment=assessment,
            user=request.user,
            question=question,
            value=form.cleaned_data["value"],
            note=form.cleaned_data["note"],
        )
    except ValidationError as exc:
        return _status(request, error=" ".join(exc.messages), status=400)
    if not access.is_htmx(request):
        messages.success(request, _("Uw antwoord is opgeslagen."))
        return redirect("assessments:questionnaire", pk=pk, step=question.theme.step.code)
    return _status(request, answer=saved)


@require_POST
@access.member_required
def perspective(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = access.get_assessment_for_edit(request.user, pk)
    form = PerspectiveForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Kies een perspectief uit de lijst."))
    services.set_perspective(
        assessment=assessment, user=request.user, perspective=form.cleaned_data["perspective"]
    )
    messages.success(request, _("Uw perspectief is opgeslagen."))
    return redirect("assessments:detail", pk=pk)


@require_http_methods(["GET", "POST"])
@access.member_required
def close(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = access.get_assessment_for_manage(request.user, pk)
    if request.method == "POST":
        try:
            services.close_assessment(assessment=assessment, user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            log_event("round_closed", request=request, action="afsluiten", obj=f"meting:{pk}")
            messages.success(request, _("De meting is afgesloten. De resultaten liggen nu vast."))
        return redirect("assessments:detail", pk=pk)
    answered = Counter(
        Answer.objects.filter(response__assessment=assessment)
        .exclude(value="")
        .values_list("response_id", flat=True)
    )
    return render(
        request,
        "assessments/assessment_close.html",
        {"assessment": assessment, "answer_count": sum(answered.values())},
    )


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


def _results_context(assessment: Assessment) -> dict:
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
    disagreements = [
        (
            questions[code],
            [
                (a.perspective or _("invuller %(n)s") % {"n": a.respondent}, int(a.value))
                for a in results.answers.get(code, [])
                if a.value.isdigit()
            ],
        )
        for code in scores.disagreements
    ]
    return {
        "results": results,
        "overall": ScoreRow("overall", _("Totaal"), scores.overall),
        "steps": steps,
        "step_titles": step_titles,
        "radar": radar,
        "bars": list(zip([step for step, _rows in steps], bars, strict=True)),
        "top_gaps": [(gap, questions[gap.code]) for gap in scores.gaps[:10]],
        "to_investigate": [questions[code] for code in scores.to_investigate],
        "disagreements": disagreements,
    }


@require_GET
@access.member_required
def results(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = access.get_assessment_for_view(request.user, pk)
    context = _results_context(assessment)
    steps = [s for s in context["results"].steps]
    context.update(
        assessment=assessment,
        can_edit=access.can_edit(assessment),
        targets_form=TargetsForm(steps=steps, initial={s.code: s.target for s in steps}),
    )
    return render(request, "assessments/results.html", context)


@require_POST
@access.member_required
def targets(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = access.get_assessment_for_edit(request.user, pk)
    steps = list(Step.objects.filter(framework=assessment.framework_id).order_by("order"))
    form = TargetsForm(request.POST, steps=steps)
    if not form.is_valid():
        errors = " ".join(str(m) for errors in form.errors.values() for m in errors)
        return HttpResponseBadRequest(_("Ambitie niet opgeslagen: %(e)s") % {"e": errors})
    services.set_targets(assessment=assessment, targets=form.cleaned_data)
    messages.success(request, _("De ambitie is opgeslagen."))
    return redirect("assessments:results", pk=pk)


@require_GET
@access.member_required
def answer_history(request: HttpRequest, pk: int, question_id: int) -> HttpResponse:
    """Every saved version of the answers to one question in a round: who, when, what."""
    assessment = access.get_assessment_for_view(request.user, pk)
    question = Question.objects.filter(pk=question_id, framework=assessment.framework_id).first()
    if question is None:
        raise Http404(_("Deze vraag hoort niet bij deze meting."))
    history = (
        Answer.history.filter(response__assessment=assessment, question=question)
        .select_related("history_user", "response__respondent")
        .order_by("-history_date", "-history_id")
    )
    return render(
        request,
        "assessments/answer_history.html",
        {"assessment": assessment, "question": question, "history": history},
    )
