"""Members: invitations, roles, removal and consultants' time-limited access."""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.common.securitylog import actor_label, log_event
from assessments.common.tokens import token_hash
from assessments.models import (
    Assessment,
    Invitation,
    Membership,
    Municipality,
    Region,
    RegionMembership,
)
from readiness.models import (
    Domain,
)

# The roles of the municipality's own people: invited, or changed on the members page.
MEMBER_ROLES = [r for r in Membership.Role.values if r != Membership.Role.CONSULTANT]


@transaction.atomic
def invite_member(
    *,
    municipality: Municipality,
    email: str,
    role: str,
    invited_by,
    name: str = "",
    perspective: str = "",
    assessment: Assessment | None = None,
    ip: str = "",
) -> tuple[Invitation, str]:
    """Create an invitation and return it with its secret token (only ever in the e-mail).

    ``name`` and ``perspective`` (the invitee's domain) become the new member's name and
    usual perspective. ``assessment``: the open round of this municipality the invitee is
    asked to fill in (or None). Inviting the same address again revokes the earlier, still
    open invitation.
    """
    email = email.strip().lower()
    if role not in MEMBER_ROLES:
        raise ValidationError(_("Kies een rol uit de lijst."))
    if perspective not in {"", *Domain.values}:
        raise ValidationError(_("Kies een perspectief uit de lijst."))
    if assessment is not None and (
        assessment.municipality_id != municipality.pk or not assessment.is_open
    ):
        raise ValidationError(_("Kies een open meting van %(m)s.") % {"m": municipality})
    if Membership.objects.filter(municipality=municipality, user__email__iexact=email).exists():
        raise ValidationError(_("Deze persoon is al lid van %(m)s.") % {"m": municipality})
    return create_invitation(
        municipality=municipality,
        email=email,
        role=role,
        invited_by=invited_by,
        name=name,
        perspective=perspective,
        assessment=assessment,
        ip=ip,
    )


def create_invitation(
    *,
    municipality: Municipality,
    email: str,
    role: str,
    invited_by,
    name: str = "",
    perspective: str = "",
    assessment: Assessment | None = None,
    valid_until: datetime.datetime | None = None,
    region: Region | None = None,
    ip: str = "",
) -> tuple[Invitation, str]:
    """Store an invitation (checked by the caller) and return it with its secret token.

    The earlier open invitation of the same address for the same thing (the municipality,
    or the region for a regio-coördinator) is revoked: one link works at a time.
    """
    email = email.strip().lower()
    now = timezone.now()
    Invitation.objects.pending().filter(
        municipality=municipality, region=region, email=email
    ).update(revoked_at=now)
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        municipality=municipality,
        email=email,
        name=name.strip(),
        perspective=perspective,
        role=role,
        assessment=assessment,
        valid_until=valid_until,
        region=region,
        token_hash=token_hash(token),
        invited_by=invited_by,
        expires_at=now + datetime.timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    target = f"regio:{region.pk}" if region is not None else f"gemeente:{municipality.code}"
    log_event(
        "invitation",
        ip=ip,
        actor=actor_label(invited_by) if invited_by is not None else None,
        action="uitnodigen",
        obj=f"{target} rol:{role}",
    )
    return invitation, token


def _lock_open_invitation(invitation: Invitation) -> Invitation:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise ValidationError(_("Deze uitnodiging is al gebruikt."))
    if invitation.revoked_at is not None:
        raise ValidationError(_("Deze uitnodiging is al ingetrokken."))
    return invitation


@transaction.atomic
def resend_invitation(*, invitation: Invitation, resent_by, ip: str = "") -> tuple[Invitation, str]:
    """Give an open invitation a new token and a new expiry; return it with the token.

    The old link stops working at once: only the hash of the new token is stored. The
    caller sends the e-mail again.
    """
    invitation = _lock_open_invitation(invitation)
    token = secrets.token_urlsafe(32)
    invitation.token_hash = token_hash(token)
    invitation.expires_at = timezone.now() + datetime.timedelta(days=settings.INVITATION_VALID_DAYS)
    invitation.save(update_fields=["token_hash", "expires_at"])
    log_event(
        "invitation",
        ip=ip,
        actor=actor_label(resent_by),
        action="uitnodiging opnieuw versturen",
        obj=f"gemeente:{invitation.municipality.code} uitnodiging:{invitation.pk}",
    )
    return invitation, token


@transaction.atomic
def withdraw_invitation(*, invitation: Invitation, withdrawn_by, ip: str = "") -> Invitation:
    """Revoke an open invitation: its link refuses from now on."""
    invitation = _lock_open_invitation(invitation)
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    log_event(
        "invitation",
        ip=ip,
        actor=actor_label(withdrawn_by),
        action="uitnodiging intrekken",
        obj=f"gemeente:{invitation.municipality.code} uitnodiging:{invitation.pk}",
    )
    return invitation


def _check_coordinators_remain(municipality: Municipality, *, without: Membership) -> None:
    others = (
        Membership.objects.select_for_update()
        .filter(municipality=municipality, role=Membership.Role.COORDINATOR)
        .exclude(pk=without.pk)
    )
    if not others.exists():
        raise ValidationError(
            _(
                "Een gemeente heeft altijd minstens één coördinator. Maak eerst iemand anders "
                "coördinator."
            )
        )


@transaction.atomic
def change_role(*, membership: Membership, role: str) -> Membership:
    # A consultant's access is granted for a limited time (grant_consultant), never by
    # changing a member's role; a consultant is not made a colleague this way either.
    if role not in MEMBER_ROLES or membership.role == Membership.Role.CONSULTANT:
        raise ValidationError(_("Kies een rol uit de lijst."))
    if membership.role == Membership.Role.COORDINATOR and role != Membership.Role.COORDINATOR:
        _check_coordinators_remain(membership.municipality, without=membership)
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def remove_member(*, membership: Membership) -> None:
    if membership.role == Membership.Role.COORDINATOR:
        _check_coordinators_remain(membership.municipality, without=membership)
    membership.delete()


CONSULTANT_MAX_DAYS = 366


@dataclass(frozen=True)
class AccessGiven:
    """What giving access to an e-mail address gave: the membership or region role (the
    person has an account) or an invitation with its secret token (they have none yet; the
    caller e-mails the link). Granting a consultant and appointing a regio-coördinator."""

    membership: Membership | RegionMembership | None = None
    invitation: Invitation | None = None
    token: str = ""


@transaction.atomic
def grant_consultant(
    *,
    municipality: Municipality,
    email: str,
    valid_until: datetime.datetime,
    granted_by,
    ip: str = "",
) -> AccessGiven:
    """Give read access to the municipality until ``valid_until``.

    An existing account gets it at once; granting again extends or shortens the period. An
    address without an account gets an invitation: accepting it makes the account and
    gives the same access until the same moment. A colleague who is already a member with
    another role keeps that role: a consultant is someone from outside.
    """
    now = timezone.now()
    if valid_until <= now:
        raise ValidationError(_("Kies een einddatum in de toekomst."))
    if valid_until > now + datetime.timedelta(days=CONSULTANT_MAX_DAYS):
        raise ValidationError(_("Een adviseur krijgt toegang voor hoogstens een jaar."))
    user = get_user_model().objects.filter(email__iexact=email.strip()).first()
    if user is None:
        invitation, token = create_invitation(
            municipality=municipality,
            email=email,
            role=Membership.Role.CONSULTANT,
            valid_until=valid_until,
            invited_by=granted_by,
            ip=ip,
        )
        return AccessGiven(invitation=invitation, token=token)
    membership = _set_consultant(user, municipality, valid_until)
    log_event(
        "consultant_granted",
        ip=ip,
        actor=actor_label(granted_by),
        action="adviseur toegang geven",
        obj=f"gemeente:{municipality.code} gebruiker:{user.pk} tot:{valid_until.isoformat()}",
    )
    return AccessGiven(membership=membership)


def _set_consultant(user, municipality: Municipality, valid_until) -> Membership:
    """Make or extend the user's consultant membership (inside the caller's transaction)."""
    if valid_until is None or valid_until <= timezone.now():
        raise ValidationError(
            _("De toegang uit deze uitnodiging is al afgelopen. Vraag de coördinator opnieuw.")
        )
    membership = (
        Membership.objects.select_for_update().filter(user=user, municipality=municipality).first()
    )
    if membership is not None and membership.role != Membership.Role.CONSULTANT:
        raise ValidationError(
            _("Deze persoon is al lid van %(m)s met een andere rol.") % {"m": municipality}
        )
    if membership is None:
        membership = Membership(
            user=user, municipality=municipality, role=Membership.Role.CONSULTANT
        )
    membership.valid_until = valid_until
    membership.save()
    return membership


@transaction.atomic
def revoke_consultant(*, membership: Membership, revoked_by, ip: str = "") -> None:
    """End a consultant's access now. The membership's history keeps who had access when."""
    if membership.role != Membership.Role.CONSULTANT:
        raise ValidationError(_("Dit lid is geen adviseur."))
    membership.delete()
    log_event(
        "consultant_revoked",
        ip=ip,
        actor=actor_label(revoked_by),
        action="adviseur toegang intrekken",
        obj=f"gemeente:{membership.municipality.code} gebruiker:{membership.user_id}",
    )
