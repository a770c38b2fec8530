"""Views: HTTP only. Each loads through ``access``, binds a form, calls a service."""

from __future__ import annotations

from collections import Counter

from django.conf import settings
from django.contrib import messages
from django.db.models import Count, Max, OuterRef, Q, Subquery
from django.db.models.lookups import Exact
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assessments import access
from assessments.common.refusals import refusal_as_message, refusal_on_form
from assessments.common.securitylog import log_event
from assessments.common.svg import display_score
from assessments.models import Answer, Assessment, RegionInvitation, Response
from assessments.rounds import carry_forward as carry_forward_services
from assessments.rounds import services as round_services
from assessments.rounds.forms import (
    PerspectiveForm,
    ResponseInclusionForm,
    StartAssessmentForm,
    TargetsForm,
)
from assessments.rounds.people import STATUS_LABELS, round_people, status_of
from assessments.rounds.portfolio import portfolio_rows
from assessments.rounds.questionnaire import (
    StepUrls,
    autosave_answer,
    build_step_page,
    for_municipality,
    resume_question,
    step_page_response,
    step_progress,
)
from assessments.rounds.results import compute_results, counted_response_ids
from assessments.rounds.results_page import results_context
from readiness.content import outline_for
from readiness.kinds import is_partner
from readiness.models import Applicability, Question


@require_GET
@access.member_required
def home(request: HttpRequest) -> HttpResponse:
    """The user's municipalities and rounds; for a consultant also a portfolio overview."""
    memberships = list(access.memberships_for_user(request.user))
    # The statements for the municipality's role (all of them when it has none).
    role = OuterRef("municipality__region_role")
    question_count = (
        Question.objects.filter(framework=OuterRef("framework"))
        .filter(Q(applies_to=Applicability.ALL) | Q(applies_to=role) | Q(Exact(role, "")))
        .filter(partner_perspectives=[])  # the partners' modules are theirs
        .values("framework")
        .annotate(n=Count("pk"))
        .values("n")
    )
    my_answered = (
        Answer.objects.filter(
            response__assessment=OuterRef("pk"), response__respondent=request.user
        )
        .filter(~Q(value="") | Q(number__isnull=False))
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
        (m, by_municipality.get(m.municipality_id, []), m.role in access.MANAGE_ROLES)
        for m in memberships
    ]
    filters, portfolio = None, []
    if len(memberships) > 1:
        filters, portfolio = portfolio_rows(groups, request.GET)
    # A regio-coördinator may have no municipality at all: the regions are their home.
    regions = list(access.regions_for(request.user).annotate(member_count=Count("members")))
    # A region's request to join, for the coordinators who answer it (their regions page).
    managed = [m.municipality_id for m in memberships if m.role in access.MANAGE_ROLES]
    region_invitations = (
        list(
            RegionInvitation.objects.pending()
            .filter(municipality__in=managed)
            .select_related("region", "municipality")
        )
        if managed
        else []
    )
    return render(
        request,
        "assessments/rounds/home.html",
        {
            "groups": groups,
            "portfolio": portfolio,
            "portfolio_filters": filters,
            "regions": regions,
            "region_invitations": region_invitations,
        },
    )


@require_http_methods(["GET", "POST"])
@access.member_required
def start(request: HttpRequest, municipality_id: int) -> HttpResponse:
    municipality = access.get_municipality_for_rounds(request.user, municipality_id)
    previous = carry_forward_services.previous_round(municipality)
    form = StartAssessmentForm(request.POST or None, previous=previous)
    if request.method == "POST" and form.is_valid():
        with refusal_on_form(form):
            assessment = round_services.start_assessment(
                municipality=municipality,
                user=request.user,
                title=form.cleaned_data["title"],
                carry_answers=form.cleaned_data.get("carry_answers", False),
                carry_actions=form.cleaned_data.get("carry_actions", False),
            )
            messages.success(request, _("De meting is gestart."))
            return redirect("assessments:detail", pk=assessment.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "assessments/rounds/assessment_start.html",
        {"form": form, "municipality": municipality, "previous": previous},
        status=status,
    )


@require_GET
@access.member_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = access.get_assessment_for_view(request.user, pk)
    responses = list(
        Response.objects.filter(assessment=assessment)
        .select_related("respondent")
        .annotate(
            answered=Count(
                "answers", filter=~Q(answers__value="") | Q(answers__number__isnull=False)
            ),
            last_activity=Max("answers__updated_at"),
        )
        .order_by("created_at")
    )
    question_total = len(for_municipality(assessment))
    counted = counted_response_ids(
        {r.pk: r.answered for r in responses},
        {r.pk: r.is_included for r in responses},
        question_total,
        {r.pk for r in responses if is_partner(r.perspective)},
    )
    seen = access.visibility(assessment, request.user)
    for number, r in enumerate(responses, start=1):
        r.counts = r.pk in counted
        r.status_label = STATUS_LABELS[status_of(r.answered, question_total)]
        # Names for coordinators only; everyone else sees "Invuller 2 (Wonen)".
        r.label = (
            r.respondent.get_full_name() or r.respondent.username
            if seen.names
            else access.respondent_label(number, r.get_perspective_display())
        )
        r.inclusion_form = ResponseInclusionForm(
            initial={"included": ResponseInclusionForm.initial_for(r.is_included)},
            auto_id=f"id_r{r.pk}_%s",
        )
    mine = next((r for r in responses if r.respondent_id == request.user.pk), None)
    # One query for both: what the user answered, and where they saved last.
    my_answers = (
        list(
            Answer.objects.filter(response=mine)
            .order_by("-updated_at")
            .values_list("question_id", "value", "number")
        )
        if mine
        else []
    )
    my_answered = {q_id for q_id, value, number in my_answers if value or number is not None}
    steps = step_progress(assessment, my_answered)
    last_saved_id = my_answers[0][0] if my_answers else None
    return render(
        request,
        "assessments/rounds/assessment_detail.html",
        {
            "assessment": assessment,
            "responses": responses,
            "question_total": question_total,
            "steps": steps,
            "resume": resume_question(assessment, my_answered, last_saved_id),
            "my_response": mine,
            "perspective_form": PerspectiveForm(
                initial={"perspective": mine.perspective if mine else ""}
            ),
            "can_edit": access.can_edit(assessment),
            "can_manage": access.can_manage(assessment),
            "is_coordinator": assessment.member_role in access.MANAGE_ROLES,
            "threshold": settings.RESPONSE_COUNT_THRESHOLD,
            "names": seen.names,
            "people": round_people(assessment, request.user, responses, names=seen.names),
        },
    )


@require_http_methods(["GET", "POST"])
@access.member_required
def questionnaire(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    if request.method == "POST":
        assessment = access.get_assessment_for_edit(request.user, pk)
    else:
        assessment = access.get_assessment_for_view(request.user, pk)
    urls = StepUrls(
        step="assessments:questionnaire",
        answer="assessments:answer",
        owner=assessment.pk,
        done=reverse("assessments:detail", args=[assessment.pk]),
        history="assessments:answer_history",
    )
    return step_page_response(
        request,
        assessment,
        request.user,
        build_step_page(assessment, request.user, step),
        urls,
        template="assessments/rounds/questionnaire.html",
        can_edit=access.can_edit(assessment),
    )


@require_POST
@access.member_required
def answer(request: HttpRequest, pk: int, question_id: int) -> HttpResponse:
    """Autosave of one answer (htmx). Answers with a status fragment, never the input."""
    assessment = access.get_assessment_for_edit(request.user, pk)
    saved = autosave_answer(assessment, request.user, question_id, request.POST)
    if not saved.error and not request.htmx:
        messages.success(request, _("Uw antwoord is opgeslagen."))
        return redirect("assessments:questionnaire", pk=pk, step=saved.question.theme.step.code)
    return saved.status_response()


@require_POST
@access.member_required
def perspective(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = access.get_assessment_for_edit(request.user, pk)
    form = PerspectiveForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Kies een perspectief uit de lijst."))
    round_services.set_perspective(
        assessment=assessment, user=request.user, perspective=form.cleaned_data["perspective"]
    )
    messages.success(request, _("Uw perspectief is opgeslagen."))
    return redirect("assessments:detail", pk=pk)


@require_http_methods(["GET", "POST"])
@access.member_required
def close(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = access.get_assessment_for_manage(request.user, pk)
    if request.method == "POST":
        with refusal_as_message(request):
            round_services.close_assessment(assessment=assessment, user=request.user)
            log_event("round_closed", request=request, action="afsluiten", obj=f"meting:{pk}")
            messages.success(request, _("De meting is afgesloten. De resultaten liggen nu vast."))
        return redirect("assessments:detail", pk=pk)
    answered = Counter(
        Answer.objects.filter(response__assessment=assessment)
        .exclude(value="")
        .values_list("response_id", flat=True)
    )
    results = compute_results(assessment)  # warns about low coverage and uncounted responses
    return render(
        request,
        "assessments/rounds/assessment_close.html",
        {
            "assessment": assessment,
            "answer_count": sum(answered.values()),
            "results": results,
            "coverage": display_score(100 * (results.scores.overall.coverage or 0)),
        },
    )


@require_GET
@access.member_required
def results(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = access.get_assessment_for_view(request.user, pk)
    visible = access.visibility(assessment, request.user).only_questions
    context = results_context(
        assessment, can_edit=access.can_edit(assessment), visible_answers=visible
    )
    return render(request, "assessments/rounds/results.html", context)


@require_POST
@access.member_required
def targets(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = access.get_assessment_for_edit(request.user, pk)
    form = TargetsForm(request.POST, steps=outline_for(assessment.framework).steps)
    if not form.is_valid():
        errors = " ".join(str(m) for errors in form.errors.values() for m in errors)
        return HttpResponseBadRequest(_("Ambitie niet opgeslagen: %(e)s") % {"e": errors})
    round_services.set_targets(assessment=assessment, targets=form.cleaned_data)
    messages.success(request, _("De ambitie is opgeslagen."))
    return redirect("assessments:results", pk=pk)


@require_GET
@access.member_required
def answer_history(request: HttpRequest, pk: int, question_id: int) -> HttpResponse:
    """Every saved version of the answers to one question in a round: who, when, what."""
    assessment = access.get_assessment_for_view(request.user, pk)
    question = access.get_question_of_round(assessment, question_id)
    history = (
        Answer.history.filter(response__assessment=assessment, question=question)
        .select_related("history_user", "response__respondent")
        .order_by("-history_date", "-history_id")
    )
    # Independent answers: a respondent sees colleagues' versions only after answering.
    seen = access.visibility(assessment, request.user)
    sees_all = seen.sees_answers_to(question.code)
    if not sees_all:
        history = history.filter(response__respondent=request.user)
    return render(
        request,
        "assessments/rounds/answer_history.html",
        {
            "assessment": assessment,
            "question": question,
            "history": history,
            "sees_all": sees_all,
            "show_names": seen.names,
        },
    )
