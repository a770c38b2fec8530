"""Single sign-on: which people an identity provider may log in, and into which municipality."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .fields import municipality_field


class IdentityProviderDomain(models.Model):
    """An e-mail domain whose people may log in through the identity provider (OpenID
    Connect, assessments/sso/).

    The first login of someone at this domain makes their account and a membership of
    ``municipality`` as a viewer (the least role); a coordinator gives more. ``issuer``
    pins the domain to one provider (one Entra ID tenant, one Keycloak realm); empty, the
    installation's ``OIDC_OP_ISSUER`` applies.
    """

    municipality = municipality_field(related_name="sso_domains")
    email_domain = models.CharField(
        _("e-maildomein"),
        max_length=253,
        unique=True,
        help_text=_("Het deel na de @, in kleine letters, bijvoorbeeld zonnedal.nl."),
    )
    issuer = models.CharField(
        _("uitgever (issuer)"),
        max_length=255,
        blank=True,
        help_text=_(
            "De issuer van de inlogdienst van deze gemeente, bijvoorbeeld "
            "https://login.microsoftonline.com/TENANT-ID/v2.0. Leeg: OIDC_OP_ISSUER."
        ),
    )
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)

    class Meta:
        verbose_name = _("domein voor inloggen via de organisatie")
        verbose_name_plural = _("domeinen voor inloggen via de organisatie")
        ordering = ["email_domain"]
        constraints = [
            # Lower case, no @, at least one dot: the form the login compares with.
            models.CheckConstraint(
                condition=Q(email_domain__regex=r"^[a-z0-9]([a-z0-9.-]*[a-z0-9])?\.[a-z]{2,}$"),
                name="assessments_sso_domain_lowercase",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email_domain} · {self.municipality}"

    def clean(self) -> None:
        self.email_domain = self.email_domain.strip().lstrip("@").lower()
