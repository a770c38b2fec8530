"""Regions without /admin: a coordinator creates one (their municipality leads), invites
member municipalities (whose coordinator accepts or declines) and appoints or removes
regio-coördinatoren; and a round's consent to share its closed results with its regions.

Every change is in the security log; invitations and region roles keep their history.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.common.securitylog import actor_label, log_event
from assessments.members import services as member_services
from assessments.models import (
    REGION_COORDINATOR,
    Assessment,
    Municipality,
    Region,
    RegionInvitation,
    RegionMembership,
)


@transaction.atomic
def set_region_consent(*, assessment: Assessment, user, shares: bool, ip: str = "") -> Assessment:
    """Switch whether the round's closed results are shown to the coordinators of the
    municipality's regions. Every change is in the round's history and the security log."""
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if locked.shares_with_region != shares:
        locked.shares_with_region = shares
        # simple-history keeps who and why with the row.
        locked._history_user = user
        locked._change_reason = "delen met de regio aan" if shares else "delen met de regio uit"
        locked.save(update_fields=["shares_with_region"])
        log_event(
            "region_consent",
            ip=ip,
            actor=actor_label(user),
            action="delen met de regio aan" if shares else "delen met de regio uit",
            obj=f"meting {locked.pk} ({locked.municipality_id})",
        )
    assessment.shares_with_region = shares
    return assessment


@transaction.atomic
def create_region(*, lead: Municipality, name: str, kind: str, created_by, ip: str = "") -> Region:
    """A new region led by ``lead`` (the coordinator's own municipality), which is its
    first member. Other municipalities join by accepting an invitation."""
    name = " ".join(name.split())
    if not name:
        raise ValidationError(_("Geef de regio een naam."))
    if kind not in Region.Kind.values:
        raise ValidationError(_("Kies een soort regio uit de lijst."))
    if Region.objects.filter(lead=lead, name__iexact=name).exists():
        raise ValidationError(_("%(m)s trekt al een regio met deze naam.") % {"m": lead})
    region = Region.objects.create(name=name, kind=kind, lead=lead)
    region.members.add(lead)
    log_event(
        "region_created",
        ip=ip,
        actor=actor_label(created_by),
        action="regio aanmaken",
        obj=f"regio:{region.pk} trekker:{lead.code}",
    )
    return region


def invitable_municipalities(region: Region):
    """The municipalities a region may invite: current ones, not yet a member, without an
    open invitation; fictitious (demo) ones only to a demo region and the other way round."""
    lead_is_demo = region.lead.is_demo if region.lead_id else False
    return (
        Municipality.objects.active()
        .filter(is_demo=lead_is_demo)
        .exclude(pk__in=region.members.values("pk"))
        .exclude(pk__in=region.invitations.pending().values("municipality_id"))
        .order_by("name")
    )


@transaction.atomic
def invite_municipality(
    *, region: Region, municipality: Municipality, invited_by, ip: str = ""
) -> RegionInvitation:
    """Ask a municipality to join the region; its coordinators answer on its regions page."""
    Region.objects.select_for_update().get(pk=region.pk)  # one invitation at a time
    if region.members.filter(pk=municipality.pk).exists():
        raise ValidationError(_("%(m)s hoort al bij deze regio.") % {"m": municipality})
    if region.invitations.pending().filter(municipality=municipality).exists():
        raise ValidationError(_("%(m)s is al uitgenodigd.") % {"m": municipality})
    if not invitable_municipalities(region).filter(pk=municipality.pk).exists():
        raise ValidationError(_("Kies een gemeente uit de lijst."))
    invitation = RegionInvitation.objects.create(
        region=region, municipality=municipality, invited_by=invited_by
    )
    log_event(
        "region_invitation",
        ip=ip,
        actor=actor_label(invited_by),
        action="gemeente uitnodigen voor regio",
        obj=f"regio:{region.pk} gemeente:{municipality.code}",
    )
    return invitation


@transaction.atomic
def answer_region_invitation(
    *, invitation: RegionInvitation, accept: bool, answered_by, ip: str = ""
) -> RegionInvitation:
    """Accept (the municipality joins the region) or decline, once. Joining shares no round:
    each round is shared by its own consent, as before."""
    invitation = (
        RegionInvitation.objects.select_for_update()
        .select_related("region", "municipality")
        .get(pk=invitation.pk)
    )
    if invitation.status != RegionInvitation.Status.PENDING:
        raise ValidationError(_("Op deze uitnodiging is al geantwoord."))
    invitation.status = (
        RegionInvitation.Status.ACCEPTED if accept else RegionInvitation.Status.DECLINED
    )
    invitation.decided_at = timezone.now()
    invitation.decided_by = answered_by
    invitation._history_user = answered_by
    invitation.save(update_fields=["status", "decided_at", "decided_by"])
    if accept:
        invitation.region.members.add(invitation.municipality)
    log_event(
        "region_invitation_answered",
        ip=ip,
        actor=actor_label(answered_by),
        action="uitnodiging regio aannemen" if accept else "uitnodiging regio afwijzen",
        obj=f"regio:{invitation.region_id} gemeente:{invitation.municipality.code}",
    )
    return invitation


@transaction.atomic
def appoint_region_coordinator(
    *, region: Region, email: str, appointed_by, name: str = "", ip: str = ""
) -> member_services.AccessGiven:
    """Make someone regio-coördinator: at once with an existing account, else by an
    invitation (accepting it makes the account, as for a colleague)."""
    email = email.strip().lower()
    user = get_user_model().objects.filter(email__iexact=email).first()
    if user is None:
        invitation, token = member_services.create_invitation(
            municipality=region.lead,
            region=region,
            email=email,
            name=name,
            role=REGION_COORDINATOR,
            invited_by=appointed_by,
            ip=ip,
        )
        return member_services.AccessGiven(invitation=invitation, token=token)
    membership, created = RegionMembership.objects.get_or_create(user=user, region=region)
    if not created:
        raise ValidationError(_("Deze persoon is al regio-coördinator van deze regio."))
    log_event(
        "region_coordinator_appointed",
        ip=ip,
        actor=actor_label(appointed_by),
        action="regio-coördinator aanstellen",
        obj=f"regio:{region.pk} gebruiker:{user.pk}",
    )
    return member_services.AccessGiven(membership=membership)


@transaction.atomic
def remove_region_coordinator(*, membership: RegionMembership, removed_by, ip: str = "") -> None:
    """End a regio-coördinator's role now: the region's page is a 404 for them at once.
    The role's history keeps who had it when."""
    membership._history_user = removed_by
    membership.delete()
    log_event(
        "region_coordinator_removed",
        ip=ip,
        actor=actor_label(removed_by),
        action="regio-coördinator verwijderen",
        obj=f"regio:{membership.region_id} gebruiker:{membership.user_id}",
    )


@transaction.atomic
def withdraw_region_invitation(*, invitation: RegionInvitation, withdrawn_by, ip: str = "") -> None:
    """Take back a region's unanswered invitation: it is gone from the municipality's page.
    The invitation's history keeps that it was sent and withdrawn."""
    invitation = RegionInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status != RegionInvitation.Status.PENDING:
        raise ValidationError(_("Op deze uitnodiging is al geantwoord."))
    invitation._history_user = withdrawn_by
    invitation.delete()
    log_event(
        "region_invitation",
        ip=ip,
        actor=actor_label(withdrawn_by),
        action="uitnodiging regio intrekken",
        obj=f"regio:{invitation.region_id} gemeente:{invitation.municipality_id}",
    )
