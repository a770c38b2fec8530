"""Field definitions that several models share."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def actor_field(verbose_name, *, blank: bool = True) -> models.ForeignKey:
    """Who did something (created, closed, revoked ...): the row outlives the account
    (SET_NULL) and a user has no reverse relation to it."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=blank,
        related_name="+",
        verbose_name=verbose_name,
    )


def user_field(verbose_name, *, related_name: str) -> models.ForeignKey:
    """The user a row is for (a member, a token's owner, a reminder's recipient, an
    export's requester): it goes when the account goes (CASCADE)."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name=related_name,
        verbose_name=verbose_name,
    )


def round_field(*, related_name: str) -> models.ForeignKey:
    """The round a row belongs to (its answers, actions, files, partner links): it goes
    when the round goes (CASCADE)."""
    return models.ForeignKey(
        "assessments.Assessment",
        on_delete=models.CASCADE,
        related_name=related_name,
        verbose_name=_("meting"),
    )


def municipality_field(*, related_name: str) -> models.ForeignKey:
    """The municipality a row belongs to (its members, invitations, sign-in domains): it
    goes when the municipality goes (CASCADE)."""
    return models.ForeignKey(
        "assessments.Municipality",
        on_delete=models.CASCADE,
        related_name=related_name,
        verbose_name=_("gemeente"),
    )
