"""The import of a workshop's answers or agreed levels from an XLSX file: HTTP only.

Coordinators of an open round (``access.get_assessment_for_manage``); the checks and the
all-or-nothing import are ``rounds/imports.py``."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from assessments import access
from assessments.common.securitylog import log_event
from assessments.rounds import imports
from assessments.rounds.forms import ImportForm


@require_http_methods(["GET", "POST"])
@access.member_required
def answers_import(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = access.get_assessment_for_manage(request.user, pk)
    respondents = imports.answer_respondents(assessment)
    form = ImportForm(
        request.POST or None, request.FILES or None, respondents=respondents, user=request.user
    )
    errors: list[str] = []
    result = None
    if request.method == "POST" and form.is_valid():
        membership = form.cleaned_data["respondent"]
        try:
            result = imports.import_workbook(
                assessment=assessment,
                user=request.user,
                data=form.cleaned_data["file"],
                kind=form.cleaned_data["kind"],
                respondent=membership.user if membership else None,
                perspective=form.cleaned_data["perspective"],
                dry_run=form.cleaned_data["check_only"],
            )
        except ValidationError as exc:
            errors = exc.messages
        else:
            if not result.dry_run:
                log_event(
                    "answers_imported",
                    request=request,
                    action=f"importeren:{result.kind}",
                    obj=f"meting:{pk} regels:{result.total} gewijzigd:{result.changed}",
                )
                messages.success(request, _summary(result))
                return redirect("assessments:detail", pk=pk)
    failed = request.method == "POST" and (errors or not form.is_valid())
    return render(
        request,
        "assessments/rounds/answers_import.html",
        {
            "assessment": assessment,
            "form": form,
            "errors": errors,
            "result": result,
            "summary": _summary(result) if result else "",
        },
        status=400 if failed else 200,
    )


def _summary(result: imports.ImportResult) -> str:
    if result.kind == imports.ImportKind.AGREED:
        text = ngettext(
            "%(total)s vastgesteld niveau gelezen, waarvan %(changed)s nieuw of veranderd.",
            "%(total)s vastgestelde niveaus gelezen, waarvan %(changed)s nieuw of veranderd.",
            result.total,
        )
    else:
        text = ngettext(
            "%(total)s antwoord gelezen, waarvan %(changed)s nieuw of veranderd.",
            "%(total)s antwoorden gelezen, waarvan %(changed)s nieuw of veranderd.",
            result.total,
        )
    text = text % {"total": result.total, "changed": result.changed}
    if result.dry_run:
        return (
            text
            + " "
            + _(
                "Het bestand is in orde. Er is nog niets opgeslagen: kies het bestand opnieuw "
                "en importeer zonder ‘alleen controleren’."
            )
        )
    return _("Geïmporteerd: %(summary)s") % {"summary": text}
