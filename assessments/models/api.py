"""Personal API tokens (hashed)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .fields import user_field


class ApiToken(models.Model):
    """A personal token for the read-only API (``assessments/api``), made in the profile.

    The secret is shown once, when made; only its SHA-256 hash is stored, so a copy of the
    database gives no access. The ``prefix`` (the token's first characters) lets the owner
    tell tokens apart. A token reads what its user may read, no more.
    """

    user = user_field(_("gebruiker"), related_name="api_tokens")
    name = models.CharField(_("naam"), max_length=100)
    prefix = models.CharField(_("begin van de sleutel"), max_length=16)
    token_hash = models.CharField(_("hash van de sleutel"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    expires_at = models.DateTimeField(_("verloopt op"))
    revoked_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("laatst gebruikt op"), null=True, blank=True)

    class Meta:
        verbose_name = _("API-sleutel")
        verbose_name_plural = _("API-sleutels")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()
