"""Views of the dialogue agenda, the workshop mode, agreed levels, which responses count
and reopening a round: HTTP only, like ``views.py``. Coordinators only (``access``)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assessments import access
from assessments.common.securitylog import log_event
from assessments.models import Response
from assessments.rounds import agreement
from assessments.rounds import services as round_services
from assessments.rounds.dialogue_page import (
    agenda_items,
    form_prefix,
    partner_rows,
    split_agenda,
)
from assessments.rounds.forms import (
    AgreedLevelForm,
    ReopenForm,
    ResponseInclusionForm,
    WorkshopScreenForm,
)
from assessments.rounds.results import load_results


@require_GET
@access.member_required
def dialogue(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = access.get_assessment_for_dialogue(request.user, pk)
    results = load_results(assessment)
    items = agenda_items(results)
    top, rest = split_agenda(items)
    context = {
        "assessment": assessment,
        "results": results,
        "top": top,
        "rest": rest,
        "disagreement_count": len(results.scores.disagreements),
        "agreed_count": sum(item.agreed is not None for item in items),
        "can_record": access.can_manage(assessment),
        "partner_rows": partner_rows(results),
    }
    return render(request, "assessments/rounds/dialogue.html", context)


@require_GET
@access.member_required
def workshop(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """One statement of the agenda per screen, for a projector; arrow keys page through."""
    assessment = access.get_assessment_for_dialogue(request.user, pk)
    results = load_results(assessment)
    items = agenda_items(results)
    if not 1 <= number <= len(items):
        raise Http404(_("Dit onderwerp staat niet op de gespreksagenda."))
    context = {
        "assessment": assessment,
        "item": items[number - 1],
        "total": len(items),
        "disagreement_count": len(results.scores.disagreements),
        "previous": number - 1 if number > 1 else None,
        "next": number + 1 if number < len(items) else None,
        "can_record": access.can_manage(assessment),
    }
    return render(request, "assessments/rounds/dialogue_workshop.html", context)


@require_POST
@access.member_required
def agreed_level(request: HttpRequest, pk: int, question_id: int) -> HttpResponse:
    assessment = access.get_assessment_for_manage(request.user, pk)
    question = access.get_question_of_round(assessment, question_id)
    form = AgreedLevelForm(request.POST, prefix=form_prefix(question.pk))
    back = WorkshopScreenForm(request.POST)
    try:
        if not form.is_valid() or not back.is_valid():
            errors = [*form.errors.values(), *back.errors.values()]
            raise ValidationError([m for messages_ in errors for m in messages_])
        level = form.cleaned_data["level"]
        if level is None:
            agreement.clear_agreed_level(
                assessment=assessment, user=request.user, question=question
            )
            messages.success(
                request, _("Vraag %(code)s telt weer met de mediaan.") % {"code": question.code}
            )
        else:
            agreement.set_agreed_level(
                assessment=assessment,
                user=request.user,
                question=question,
                level=level,
                rationale=form.cleaned_data["rationale"],
            )
            messages.success(
                request,
                _("Niveau %(level)s is vastgesteld voor vraag %(code)s.")
                % {"level": level, "code": question.code},
            )
        log_event(
            "agreed_level",
            request=request,
            action="niveau vaststellen",
            obj=f"meting:{pk} vraag:{question.code}",
        )
    except ValidationError as exc:
        messages.error(request, _("Niet opgeslagen: %(e)s") % {"e": " ".join(exc.messages)})
    if back.is_valid() and back.cleaned_data["screen"]:
        return redirect("assessments:workshop", pk=pk, number=back.cleaned_data["screen"])
    return redirect(reverse("assessments:dialogue", args=[pk]) + f"#vraag-{question.code}")


@require_POST
@access.member_required
def response_include(request: HttpRequest, pk: int, response_id: int) -> HttpResponse:
    assessment = access.get_assessment_for_manage(request.user, pk)
    response = Response.objects.filter(pk=response_id, assessment=assessment).first()
    if response is None:
        raise Http404(_("Deze invulling hoort niet bij deze meting."))
    form = ResponseInclusionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Kies: automatisch, wel meetellen of niet meetellen."))
        return redirect("assessments:detail", pk=pk)
    included = ResponseInclusionForm.VALUES[form.cleaned_data["included"]]
    agreement.set_response_inclusion(assessment=assessment, response=response, included=included)
    log_event(
        "response_included",
        request=request,
        action=f"meetellen:{form.cleaned_data['included']}",
        obj=f"meting:{pk} invulling:{response.pk}",
    )
    messages.success(request, _("Opgeslagen: of deze invulling meetelt."))
    return redirect("assessments:detail", pk=pk)


@require_http_methods(["GET", "POST"])
@access.member_required
def reopen(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = access.get_closed_assessment_for_manage(request.user, pk)
    form = ReopenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            round_services.reopen_assessment(
                assessment=assessment, user=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            form.add_error("reason", exc)
        else:
            log_event("round_reopened", request=request, action="heropenen", obj=f"meting:{pk}")
            messages.success(request, _("De meting is weer open. Scores worden opnieuw berekend."))
            return redirect("assessments:detail", pk=pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "assessments/rounds/assessment_reopen.html",
        {"assessment": assessment, "form": form},
        status=status,
    )
