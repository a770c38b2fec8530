"""An invitation as the members and the regions pages hand it out: its e-mail (one text for
every kind of invitation: a colleague, a consultant without an account, a
regio-coördinator), and withdrawing one with the coordinator's message."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from assessments.common.refusals import refusal_as_message
from assessments.common.securitylog import client_ip
from assessments.members import services as member_services
from assessments.members.forms import INVITATION_EXPLANATIONS
from assessments.models import Invitation
from assessments.rounds import services as round_services
from readiness.content import outline_for


def send_invitation(
    request: HttpRequest,
    invitation: Invitation,
    token: str,
    answer_by: datetime.date | None = None,
) -> None:
    link = request.build_absolute_uri(reverse("accept_invitation", args=[token]))
    body = render_to_string(
        "assessments/members/invitation_email.txt",
        {
            "invitation": invitation,
            "link": link,
            "inviter": request.user,
            "answer_by": answer_by,
            "role_explanation": INVITATION_EXPLANATIONS[invitation.role],
            "answers": invitation.role in member_services.MEMBER_ROLES,
            "question_count": question_count(),
        },
    )
    send_mail(
        _("Uitnodiging voor de Gereedheidsscan beschermd thuis"),
        body,
        None,
        [invitation.email],
    )


def question_count() -> int:
    """The number of statements of the questionnaire a new round would use (0 if none yet)."""
    try:
        framework = round_services.latest_framework()
    except ValidationError:
        return 0
    return len(outline_for(framework).questions)


def withdraw_invitation(request: HttpRequest, invitation: Invitation) -> None:
    """Withdraw an open invitation (its link stops working) and say so on the next page,
    or why not."""
    with refusal_as_message(request):
        member_services.withdraw_invitation(
            invitation=invitation, withdrawn_by=request.user, ip=client_ip(request)
        )
        messages.success(
            request,
            _("De uitnodiging voor %(email)s is ingetrokken. De link werkt niet meer.")
            % {"email": invitation.email},
        )
