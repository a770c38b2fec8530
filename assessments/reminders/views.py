"""Views of reminders: a round's due date, and unsubscribing by the link in an e-mail.

HTTP only: the due date goes through ``access`` (another municipality's round is a 404, a
non-coordinator's write a 403) and ``reminders.set_due_date``. The unsubscribe page needs
no login: the signed token in its link names the user. Its GET only shows a button, so a
mail scanner that follows every link unsubscribes nobody; the POST does it.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from assessments import access
from assessments.common.refusals import refusal_as_message
from assessments.models import Assessment
from assessments.reminders import services as reminders
from assessments.reminders.forms import DueDateForm


@require_POST
@access.member_required
def due_date(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = access.get_assessment_for_manage(request.user, pk)
    form = DueDateForm(request.POST)
    if form.is_valid():
        with refusal_as_message(request):
            reminders.set_due_date(
                assessment=assessment, user=request.user, due_date=form.cleaned_data["due_date"]
            )
            messages.success(request, _due_date_message(assessment))
    else:
        messages.error(request, " ".join(form.errors["due_date"]))
    return redirect("assessments:detail", pk=pk)


def _due_date_message(assessment: Assessment) -> str:
    if assessment.due_date is None:
        return _("De datum is weggehaald. Er gaan geen herinneringen meer uit voor deze meting.")
    return _("Invullen vóór %(date)s is opgeslagen.") % {
        "date": date_format(assessment.due_date, "j F Y")
    }


@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    user = reminders.user_for_unsubscribe_token(token)
    if user is None:
        return render(
            request, "assessments/reminders/unsubscribe.html", {"invalid": True}, status=400
        )
    done = request.method == "POST"
    if done:
        reminders.unsubscribe(user=user)
    return render(request, "assessments/reminders/unsubscribe.html", {"token": token, "done": done})
