"""A round's consent to share its closed results with the municipality's regions."""

from __future__ import annotations

from django.db import transaction

from assessments.common.securitylog import log_event
from assessments.models import (
    Assessment,
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
            actor=user.get_username(),
            action="delen met de regio aan" if shares else "delen met de regio uit",
            obj=f"meting {locked.pk} ({locked.municipality_id})",
        )
    assessment.shares_with_region = shares
    return assessment
