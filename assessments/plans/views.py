"""Views of a round's action plan and its XLSX and CSV exports: HTTP only, like ``views.py``.

Every round is loaded through ``access`` (404 for another municipality, 403 for a viewer's
write or a closed round); an action is then looked up within that round only, so an action
of another round is a 404 too. Inline editing uses htmx and falls back to plain pages.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assessments import access
from assessments.common.downloads import download
from assessments.common.refusals import refusal_as_message, refusal_on_form
from assessments.models import Action, Assessment
from assessments.plans import exports, follow_up, plan_page, timeline
from assessments.plans import services as plan_services
from assessments.plans.forms import ActionForm, ProgressForm
from assessments.rounds.results import QUESTION_CODES, ActionRow, compute_actions
from readiness.models import Domain


def _get_action(assessment: Assessment, action_id: int) -> Action:
    """An action of this round (already loaded through ``access``), or 404."""
    action = (
        Action.objects.filter(pk=action_id, assessment=assessment)
        .prefetch_related(QUESTION_CODES)
        .first()
    )
    if action is None:
        raise Http404(_("Deze actie bestaat niet (meer) in deze meting."))
    return action


def _plan(assessment: Assessment) -> tuple[list[ActionRow], list[timeline.PlanRow]]:
    # The actions as they are now: a closed round's plan lives on during the year (its
    # snapshot keeps the plan as decided, for the report and the "zoals besloten" notes).
    rows = compute_actions(assessment)
    flagged = timeline.plan_rows(
        rows,
        today=timezone.localdate(),
        transition=timeline.transition_date(),
        critical=timeline.critical_codes(assessment),
        round_start=timezone.localdate(assessment.created_at),
    )
    return rows, flagged


@require_GET
@access.member_required
def action_list(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan, filtered by status, owner and domain and sorted as the GET asks."""
    assessment = access.get_assessment_for_view(request.user, pk)
    rows, flagged = _plan(assessment)
    owners = plan_page.owners_of(rows)
    query = plan_page.parse_query(request.GET, owners)
    for message in query.ignored:
        messages.warning(request, message)
    plan = plan_page.apply_query(flagged, query)
    follow = follow_up.plan_follow_up(assessment, rows, plan, request.user)
    return render(
        request,
        "assessments/plans/action_list.html",
        {
            "assessment": assessment,
            "rows": rows,
            "plan": plan,
            "follow_up": follow,
            "query": query,
            "owners": owners,
            "statuses": Action.Status.choices,
            "domains": Domain.choices,
            "sorts": [(key, label) for key, (label, _key) in plan_page.SORTS.items()],
            "overdue": sum(p.is_overdue for p in flagged),
            "after_transition": sum(p.is_after_transition for p in flagged),
            "transition": timeline.transition_date(),
            "can_edit": access.can_edit(assessment),
        },
    )


@require_GET
@access.member_required
def action_timeline(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan on a timeline up to (and past) the transition date, with the same data as
    a table."""
    assessment = access.get_assessment_for_view(request.user, pk)
    _rows, flagged = _plan(assessment)
    dated = sorted(
        (p for p in flagged if p.row.due_date), key=lambda p: (p.row.due_date, p.row.order)
    )
    return render(
        request,
        "assessments/plans/action_timeline.html",
        {
            "assessment": assessment,
            "plan": dated,
            "undated": [p for p in flagged if not p.row.due_date],
            "svg": timeline.timeline_svg(dated, today=timezone.localdate()),
            "overdue": sum(p.is_overdue for p in flagged),
            "after_transition": sum(p.is_after_transition for p in flagged),
            "transition": timeline.transition_date(),
        },
    )


@require_POST
@access.member_required
def actions_propose(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = access.get_assessment_for_edit(request.user, pk)
    with refusal_as_message(request):
        created = plan_services.propose_actions(assessment=assessment, user=request.user)
        if created:
            message = ngettext(
                "Er is %(n)d nieuwe actie voorgesteld. Pas hem gerust aan.",
                "Er zijn %(n)d nieuwe acties voorgesteld. Pas ze gerust aan.",
                len(created),
            ) % {"n": len(created)}
        else:
            message = _(
                "Er zijn geen nieuwe acties voor te stellen: elk tekort ten opzichte van de "
                "ambitie heeft al een actie, of er zijn (nog) geen tekorten."
            )
        messages.success(request, message)
    return redirect("assessments:actions", pk=pk)


@require_http_methods(["GET", "POST"])
@access.member_required
def action_add(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = access.get_assessment_for_edit(request.user, pk)
    posted = request.method == "POST"
    form = ActionForm(
        request.POST if posted else None, assessment=assessment, submit_label=_("Actie toevoegen")
    )
    if posted and form.is_valid():
        data = plan_services.ActionInput(**form.cleaned_data)
        with refusal_on_form(form):
            plan_services.add_action(assessment=assessment, user=request.user, data=data)
            messages.success(request, _("De actie is toegevoegd aan het actieplan."))
            return redirect("assessments:actions", pk=pk)
    return render(
        request,
        "assessments/plans/action_form.html",
        {"assessment": assessment, "form": form, "action": None},
        status=400 if posted else 200,
    )


@require_http_methods(["GET", "POST"])
@access.member_required
def action_edit(request: HttpRequest, pk: int, action_id: int) -> HttpResponse:
    """Edit an action: inline in the table with htmx, or on its own page without."""
    assessment = access.get_assessment_for_edit(request.user, pk)
    action = _get_action(assessment, action_id)
    posted, htmx = request.method == "POST", bool(request.htmx)
    form = ActionForm(
        request.POST if posted else None,
        instance=action,
        assessment=assessment,
        auto_id=f"id_actie{action.pk}_%s",
        inline=htmx,
    )
    if posted and form.is_valid():
        data = plan_services.ActionInput(**form.cleaned_data)
        with refusal_on_form(form):
            plan_services.update_action(action=action, user=request.user, data=data)
            if htmx:
                return _row(request, assessment, action)
            messages.success(request, _("De actie is opgeslagen."))
            return redirect("assessments:actions", pk=pk)
    context = {"assessment": assessment, "form": form, "action": action}
    if htmx:
        # 200 even with errors: htmx does not swap a 4xx response, and the user must see
        # the messages next to their input. Without htmx a rejected form is a 400.
        return render(request, "assessments/plans/_action_form_row.html", context)
    return render(
        request, "assessments/plans/action_form.html", context, status=400 if posted else 200
    )


@require_http_methods(["GET", "POST"])
@access.member_required
def action_follow_up(request: HttpRequest, pk: int, action_id: int) -> HttpResponse:
    """Record the progress of a closed round's action: coordinators and its owner."""
    action = access.get_action_for_follow_up(request.user, pk, action_id)
    assessment = action.assessment
    posted = request.method == "POST"
    form = ProgressForm(request.POST if posted else None, instance=action, assessment=assessment)
    if posted and form.is_valid():
        data = plan_services.ProgressInput(**form.cleaned_data)
        with refusal_on_form(form):
            plan_services.update_action_progress(action=action, user=request.user, data=data)
            messages.success(request, _("De voortgang van de actie is opgeslagen."))
            return redirect("assessments:actions", pk=pk)
    return render(
        request,
        "assessments/plans/action_follow_up.html",
        {"assessment": assessment, "form": form, "action": action},
        status=400 if posted else 200,
    )


def _row(request: HttpRequest, assessment: Assessment, action: Action) -> HttpResponse:
    row = ActionRow.from_action(action)
    (flags,) = timeline.plan_rows(
        [row],
        today=timezone.localdate(),
        transition=timeline.transition_date(),
        critical=timeline.critical_codes(assessment),
        round_start=timezone.localdate(assessment.created_at),
    )
    context = {
        "assessment": assessment,
        "row": row,
        "flags": flags,
        "can_edit": True,
        "focus": True,
    }
    return render(request, "assessments/plans/_action_row.html", context)


@require_http_methods(["GET", "POST"])
@access.member_required
def action_delete(request: HttpRequest, pk: int, action_id: int) -> HttpResponse:
    assessment = access.get_assessment_for_edit(request.user, pk)
    action = _get_action(assessment, action_id)
    if request.method == "GET":
        return render(
            request,
            "assessments/plans/action_confirm_delete.html",
            {"assessment": assessment, "action": action},
        )
    with refusal_as_message(request):
        plan_services.delete_action(action=action, user=request.user)
        messages.success(
            request, _("De actie “%(title)s” is verwijderd.") % {"title": action.title}
        )
    return redirect("assessments:actions", pk=pk)


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    return download(content, filename=filename, content_type=exports.XLSX_CONTENT_TYPE)


@require_GET
@access.member_required
def actions_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = access.get_assessment_for_view(request.user, pk)
    filename = exports.export_filename("actieplan", assessment, timezone.localdate())
    return _xlsx(exports.actions_workbook(assessment), filename)


def _visible_questions(assessment: Assessment, user) -> set[str] | None:
    """Independent answers: a respondent of an open round gets only what they answered."""
    return access.visibility(assessment, user).only_questions


@require_GET
@access.member_required
def answers_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = access.get_assessment_for_view(request.user, pk)
    filename = exports.export_filename("antwoorden", assessment, timezone.localdate())
    only = _visible_questions(assessment, request.user)
    return _xlsx(exports.answers_workbook(assessment, only_questions=only), filename)


def _csv(content: bytes, filename: str) -> HttpResponse:
    return download(content, filename=filename, content_type=exports.CSV_CONTENT_TYPE)


@require_GET
@access.member_required
def answers_csv(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = access.get_assessment_for_view(request.user, pk)
    filename = exports.export_filename("antwoorden", assessment, timezone.localdate(), "csv")
    only = _visible_questions(assessment, request.user)
    return _csv(exports.answers_csv(assessment, only_questions=only), filename)


@require_GET
@access.member_required
def scores_csv(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = access.get_assessment_for_view(request.user, pk)
    filename = exports.export_filename("scores", assessment, timezone.localdate(), "csv")
    return _csv(exports.scores_csv(assessment), filename)
