"""Who may log in through the identity provider, and what their first login makes.

A person may log in when their e-mail domain is configured for a municipality
(``IdentityProviderDomain``, with the provider's issuer pinned), or when an open
invitation waits for their address. The first login makes the account (without a
password: it logs in through the provider only), uses the open invitations and, for a
configured domain, makes a membership with the least role, viewer. Later logins use new
invitations but never add a domain membership again: a coordinator who removed someone
keeps them out.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from mozilla_django_oidc.auth import default_username_algo

from assessments.common.securitylog import actor_label, log_event
from assessments.members.acceptance import accept_open_invitations, open_invitations
from assessments.models import IdentityProviderDomain, Membership
from assessments.sso.claims import Refusal, Refused, email_domain


def domain_for(email: str) -> IdentityProviderDomain | None:
    return (
        IdentityProviderDomain.objects.select_related("municipality")
        .filter(email_domain=email_domain(email))
        .first()
    )


def check_admission(*, email: str, issuer: str) -> None:
    """Raise ``Refused`` unless this provider may log in ``email``.

    The issuer is always pinned: the domain's own, or else the installation's
    ``OIDC_OP_ISSUER``. Without that, any tenant of a multi-tenant provider could claim an
    address at a municipality's domain.
    """
    domain = domain_for(email)
    if domain is not None:
        expected = domain.issuer or settings.OIDC_OP_ISSUER
        if not expected or issuer != expected:
            raise Refused(Refusal.WRONG_ISSUER)
        return
    if open_invitations(email).exists():
        if not settings.OIDC_OP_ISSUER or issuer != settings.OIDC_OP_ISSUER:
            raise Refused(Refusal.WRONG_ISSUER)
        return
    raise Refused(Refusal.UNKNOWN_DOMAIN)


def _free_username(email: str) -> str:
    """The e-mail address, as invitations do; a hash of it in the rare case it is taken."""
    User = get_user_model()
    if not User.objects.filter(username__iexact=email).exists():
        return email
    return default_username_algo(email)


@transaction.atomic
def create_sso_user(*, email: str, first_name: str = "", last_name: str = "", ip: str = ""):
    """Make the account of a first login (``check_admission`` passed) and its memberships."""
    User = get_user_model()
    user = User(
        username=_free_username(email),
        email=email,
        first_name=first_name.strip()[:150],
        last_name=last_name.strip()[:150],
    )
    user.set_unusable_password()
    user.save()
    joined = {
        invitation.municipality_id for invitation in accept_open_invitations(user=user, ip=ip)
    }
    domain = domain_for(email)
    if domain is not None and domain.municipality_id not in joined:
        Membership.objects.create(
            user=user, municipality=domain.municipality, role=Membership.Role.VIEWER
        )
    codes = sorted(user.memberships.values_list("municipality__code", flat=True))
    log_event(
        "sso_account_created",
        ip=ip,
        actor=actor_label(user),
        action="account maken bij eerste inlog via de organisatie",
        obj=f"gemeenten:{','.join(codes)}",
    )
    return user


@transaction.atomic
def update_sso_user(*, user, first_name: str = "", last_name: str = "", ip: str = ""):
    """A later login: the provider's name wins, and new invitations are used."""
    changed = []
    for field, value in (("first_name", first_name), ("last_name", last_name)):
        value = value.strip()[:150]
        if value and getattr(user, field) != value:
            setattr(user, field, value)
            changed.append(field)
    if changed:
        user.save(update_fields=changed)
    accept_open_invitations(user=user, ip=ip)
    return user
