"""The invitation e-mail: one text for every kind of invitation (a colleague, a consultant
without an account, a regio-coördinator), sent by the members and the regions pages."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

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
