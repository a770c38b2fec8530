"""Views: HTTP only. Each loads through ``access``, binds a form, calls a service."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Max, OuterRef, Q, Subquery
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from readiness.models import Question
from readiness.scoring import GroupScore, Light

from . import access, results_rows, services
from .charts import display_score
from .forms import AnswerForm, PerspectiveForm, StartAssessmentForm, TargetsForm
from .models import Answer, Assessment, Membership, Response
from .questionnaire import build_step_page, outline_for, step_page_body
from .results import (
    QuestionRow,
    RespondentAnswer,
    framework_structure,
    load_results,
    overall_scores,
    round_charts_for,
)
from .securitylog import log_event
from .slotted import render_page, render_slotted


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
    """Steps of the round's framework with the user's progress (the outline is cached)."""
    outline = outline_for(assessment.framework)
    answered_ids = {q.pk for q in outline.questions if q.code in answered_codes}
    return outline.questions, outline.step_progress(answered_ids)


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


def _questionnaire_context(request: HttpRequest, assessment: Assessment, step_code: str) -> dict:
    can_edit = access.can_edit(assessment)
    page = build_step_page(assessment, request.user, step_code, can_edit=can_edit)
    if page is None:
        raise Http404(_("Deze stap bestaat niet."))
    return {
        "assessment": assessment,
        "page": page,
        "steps": page.steps,
        "step": page.step,
        "step_progress": page.step_progress,
        "sections": page.sections,
        "previous_step": page.neighbour(-1),
        "next_step": page.neighbour(+1),
        "can_edit": can_edit,
    }


@require_http_methods(["GET", "POST"])
@access.member_required
def questionnaire(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    if request.method == "POST":
        assessment = access.get_assessment_for_edit(request.user, pk)
    else:
        assessment = access.get_assessment_for_view(request.user, pk)
    context = _questionnaire_context(request, assessment, step)
    if request.method == "GET":
        return _questionnaire_page(request, context)

    rows = context["page"].rows
    for row in rows:
        row.bind(request.POST)
    if all(row.form.is_valid() for row in rows):
        items = [
            services.AnswerInput(
                question=row.question,
                value=row.form.cleaned_data["value"],
                note=row.form.cleaned_data["note"],
            )
            for row in rows
            if row.form.has_changed() or row.is_saved
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
    return _questionnaire_page(request, context, status=400)


def _questionnaire_page(request: HttpRequest, context: dict, *, status: int = 200) -> HttpResponse:
    assessment, page = context["assessment"], context["page"]
    body = step_page_body(
        page, assessment, csrf_token=get_token(request), errors=context.get("errors") or []
    )
    title = f"{page.step.title} · {assessment.title}"
    return render_page(request, title=title, body=body, status=status)


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


def _results_body_values(
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


@require_GET
@access.member_required
def results(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = access.get_assessment_for_view(request.user, pk)
    flags, slots = _results_body_values(
        request, assessment, _results_context(assessment), can_edit=access.can_edit(assessment)
    )
    return render_page(
        request,
        title=f"{_('Resultaten')} · {assessment.title}",
        body=render_slotted(RESULTS_BODY, flags=flags, slots=slots),
    )


@require_POST
@access.member_required
def targets(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = access.get_assessment_for_edit(request.user, pk)
    # The steps of the (cached once locked) framework structure: no query for them.
    form = TargetsForm(request.POST, steps=framework_structure(assessment).steps)
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
