"""Who is where in a round: the respondents' progress, and who has not started yet.

A read-model for the round page. Everyone who may answer an open round is listed: the
municipality's current coordinators and editors, and the pending invitations (as
coordinator or editor) for this round or for no round in particular. What a user sees of
them follows the one rule in ``access.visibility``: names for coordinators only; everyone
else sees respondents as "Invuller n (perspectief)" and those who have not started only
as a number.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext_lazy

from assessments import access
from assessments.models import Assessment, Invitation, Membership, Response

NOT_STARTED = "niet_begonnen"
BUSY = "bezig"
DONE = "klaar"


def status_of(answered: int, total: int) -> str:
    if answered <= 0:
        return NOT_STARTED
    return DONE if answered >= total else BUSY


STATUS_LABELS = {
    NOT_STARTED: gettext_lazy("niet begonnen"),
    BUSY: gettext_lazy("bezig"),
    DONE: gettext_lazy("klaar"),
}


@dataclass
class Waiting:
    """Someone who may answer but has no response yet: a member, or an invitation."""

    name: str
    perspective: str
    is_invitation: bool
    is_me: bool = False


@dataclass
class RoundPeople:
    waiting: list[Waiting]  # by name: only filled for who may see names
    waiting_count: int  # for everyone else: colleagues (not the user) without a response


def round_people(
    assessment: Assessment, user, responses: list[Response], *, names: bool
) -> RoundPeople:
    """Members and pending invitations without a response in an open round (for names:
    two queries; for a number: one).

    ``responses`` are the round's responses (their respondents are left out). A closed
    round cannot be answered any more: nobody is waiting.
    """
    if not assessment.is_open:
        return RoundPeople(waiting=[], waiting_count=0)
    responded = {r.respondent_id for r in responses}
    members = (
        Membership.objects.current()
        .filter(municipality=assessment.municipality_id, role__in=access.EDIT_ROLES)
        .exclude(user__in=responded)
    )
    invitations = Invitation.objects.usable().filter(
        Q(assessment=assessment.pk) | Q(assessment__isnull=True),
        municipality=assessment.municipality_id,
        role__in=access.EDIT_ROLES,  # an invited viewer will not answer
    )
    if not names:
        # A number only, in one query: colleagues other than the user, and invitations.
        others = members.exclude(user=user.pk).order_by().values("pk")
        count = others.union(invitations.order_by().values("pk"), all=True).count()
        return RoundPeople(waiting=[], waiting_count=count)
    waiting = [
        Waiting(
            name=m.user.get_full_name() or m.user.username,
            perspective=m.get_perspective_display(),
            is_invitation=False,
            is_me=m.user_id == user.pk,
        )
        for m in members.select_related("user").order_by(
            "user__last_name", "user__first_name", "user__username"
        )
    ] + [
        Waiting(
            name=i.name or i.email,
            perspective=i.get_perspective_display(),
            is_invitation=True,
        )
        for i in invitations.order_by("name", "email")
    ]
    return RoundPeople(waiting=waiting, waiting_count=len(waiting))
