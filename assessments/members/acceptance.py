"""Accepting an invitation: through its link (a new account or a logged-in one), or
through the login at the identity provider, which proves the address (assessments/sso)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.common.securitylog import actor_label, log_event
from assessments.common.tokens import token_hash
from assessments.members.services import _set_consultant
from assessments.models import Invitation, Membership, RegionMembership


def find_invitation(token: str) -> Invitation:
    """The open invitation for a token; ValidationError with the reason when it cannot be used."""
    invitation = (
        Invitation.objects.select_related("municipality", "assessment", "region")
        .filter(token_hash=token_hash(token))
        .first()
    )
    if invitation is None or invitation.revoked_at is not None:
        raise ValidationError(
            _("Deze uitnodiging is niet (meer) geldig. Vraag de coördinator om een nieuwe.")
        )
    if invitation.accepted_at is not None:
        raise ValidationError(_("Deze uitnodiging is al gebruikt. Log in met uw account."))
    if invitation.expires_at <= timezone.now():
        raise ValidationError(
            _("Deze uitnodiging is verlopen. Vraag de coördinator om een nieuwe.")
        )
    return invitation


@transaction.atomic
def accept_invitation(*, token: str, user=None, password: str = "", name: str = "", ip: str = ""):
    """Use an invitation once: join with an existing account, or create one with a password.

    ``user``: the logged-in user, whose e-mail address must match the invitation.
    Without a user, a new account is made for the invitation's address, named ``name``
    (or the name the coordinator gave in the invitation).
    """
    invitation = find_invitation(token)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:  # a second click while the first was on its way
        raise ValidationError(_("Deze uitnodiging is al gebruikt. Log in met uw account."))
    User = get_user_model()
    if user is not None and user.is_authenticated:
        if user.email.strip().lower() != invitation.email:
            raise ValidationError(
                _(
                    "Deze uitnodiging is voor een ander e-mailadres. Log uit en open de link "
                    "opnieuw, of vraag een uitnodiging voor uw eigen adres."
                )
            )
    else:
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise ValidationError(
                _("Er is al een account met dit e-mailadres. Log eerst in en open de link opnieuw.")
            )
        first_name, _space, last_name = (name or invitation.name).strip().partition(" ")
        user = User(
            username=invitation.email,
            email=invitation.email,
            first_name=first_name[:150],
            last_name=last_name.strip()[:150],
        )
        validate_password(password, user)
        user.set_password(password)
        user.save()
    _join(invitation, user, ip=ip)
    return user


def _join(invitation: Invitation, user, *, ip: str) -> None:
    """Give ``user`` what ``invitation`` says and use it up (rows locked by the caller)."""
    if invitation.region_id is not None:
        # A regio-coördinator: a role in the region, no membership of a municipality.
        RegionMembership.objects.get_or_create(user=user, region=invitation.region)
        target = f"regio:{invitation.region_id}"
    elif invitation.role == Membership.Role.CONSULTANT:
        _set_consultant(user, invitation.municipality, invitation.valid_until)
        target = f"gemeente:{invitation.municipality.code}"
    else:
        Membership.objects.update_or_create(
            user=user,
            municipality=invitation.municipality,
            # A former consultant who joins as a colleague: no end date any more.
            defaults={
                "role": invitation.role,
                "perspective": invitation.perspective,
                "valid_until": None,
            },
        )
        target = f"gemeente:{invitation.municipality.code}"
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    log_event(
        "invitation_accepted",
        ip=ip,
        actor=actor_label(user),
        action="uitnodiging accepteren",
        obj=f"{target} rol:{invitation.role}",
    )


def open_invitations(email: str):
    """The invitations to ``email`` that can still be used: not accepted, withdrawn or
    expired (at most one per municipality: a new one revokes the old)."""
    return Invitation.objects.usable().filter(email=email.strip().lower())


@transaction.atomic
def accept_open_invitations(*, user, ip: str = "") -> list[Invitation]:
    """Use every open invitation to ``user``'s e-mail address: the login through the
    identity provider proved the address, as opening the link in the e-mail does."""
    invitations = list(
        open_invitations(user.email).select_related("municipality").select_for_update(of=("self",))
    )
    for invitation in invitations:
        _join(invitation, user, ip=ip)
    return invitations
