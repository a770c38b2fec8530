"""The retention job: personal data and files are kept no longer than needed.

Run daily by Celery beat (``assessments.tasks.apply_retention``, CELERY_BEAT_SCHEDULE):

- accounts unused for ``RETENTION_INACTIVE_DAYS`` are anonymised (``erase_person``): the
  name becomes "Invuller (Wonen)", the e-mail address goes, the answers stay;
- invitations past their expiry are deleted (they hold an e-mail address and a name);
- stored files past their use: a concept report older than ``RETENTION_FILE_DAYS`` or of a
  round since closed (never served again), a failed render, and batch ZIPs past their
  24 hours. A closed round's final report is the round's record and stays;
- partner links past their end or revoked: the contact's name and e-mail are cleared and
  the link's hidden user switched off; the link and its answers (the organisation's, not
  a person's) stay with the round.

Each step is a security event (``retention``) with the number of rows; each anonymised
account is a ``person_erased`` event with its id only.
"""

from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from assessments.common.securitylog import log_event
from assessments.models import (
    ApiToken,
    Assessment,
    BatchExport,
    Erasure,
    Invitation,
    PartnerLink,
    ReportFile,
)
from assessments.privacy.services import erase_person


@dataclass(frozen=True)
class RetentionResult:
    anonymised: int = 0
    invitations: int = 0
    report_files: int = 0
    batch_exports: int = 0
    partner_links: int = 0


def inactive_accounts(now: datetime.datetime):
    """Accounts not used since the cut-off: no login (or, never logged in, made before it)
    and no API token used since. Staff accounts are reviewed by hand (docs/security.md);
    an erased account is not erased again; a partner link's hidden user holds no person's
    data (``expire_partner_links`` handles the link's contact)."""
    cutoff = now - datetime.timedelta(days=settings.RETENTION_INACTIVE_DAYS)
    recent_token_users = ApiToken.objects.filter(last_used_at__gte=cutoff).values("user_id")
    return (
        get_user_model()
        .objects.filter(is_staff=False, is_superuser=False)
        .filter(Q(last_login__lt=cutoff) | Q(last_login__isnull=True, date_joined__lt=cutoff))
        .exclude(pk__in=Erasure.objects.values("user_id"))
        .exclude(pk__in=recent_token_users)
        .exclude(partner_link__isnull=False)
        .order_by("pk")
    )


def delete_expired_invitations(now: datetime.datetime) -> int:
    deleted, _by_model = Invitation.objects.filter(expires_at__lte=now).delete()
    return deleted


def delete_stale_files(now: datetime.datetime) -> tuple[int, int]:
    """(report files, batch exports) deleted."""
    cutoff = now - datetime.timedelta(days=settings.RETENTION_FILE_DAYS)
    closed = Assessment.objects.exclude(status=Assessment.Status.OPEN).values("pk")
    reports, _by_model = (
        ReportFile.objects.filter(
            Q(is_final=False, requested_at__lt=cutoff)
            | Q(is_final=False, assessment__in=closed)
            | Q(status=ReportFile.Status.FAILED, requested_at__lt=cutoff)
        )
        .only("pk")
        .delete()
    )
    exports, _by_model = BatchExport.objects.filter(expires_at__lte=now).only("pk").delete()
    return reports, exports


def expire_partner_links(now: datetime.datetime) -> int:
    """Clear the contact of every partner link past its end or revoked, and switch off its
    hidden user (a revoked link's is already off); returns how many links changed."""
    ended = PartnerLink.objects.filter(Q(expires_at__lte=now) | Q(revoked_at__isnull=False))
    with_contact = ended.exclude(contact_name="", contact_email="")
    cleared = set(with_contact.values_list("pk", flat=True))
    with_contact.update(contact_name="", contact_email="")
    active = get_user_model().objects.filter(partner_link__in=ended, is_active=True)
    cleared |= set(active.values_list("partner_link__pk", flat=True))
    active.update(is_active=False)
    return len(cleared)


def apply_retention(now: datetime.datetime | None = None) -> RetentionResult:
    """One run of every retention rule; ``now`` is the clock, for tests."""
    now = now or timezone.now()
    anonymised = 0
    for user in inactive_accounts(now):
        erase_person(user=user, reason=Erasure.Reason.RETENTION)
        anonymised += 1
    invitations = delete_expired_invitations(now)
    report_files, batch_exports = delete_stale_files(now)
    result = RetentionResult(
        anonymised=anonymised,
        invitations=invitations,
        report_files=report_files,
        batch_exports=batch_exports,
        partner_links=expire_partner_links(now),
    )
    log_event(
        "retention",
        actor="bewaartermijn",
        action="apply",
        obj=" ".join(f"{key}={value}" for key, value in asdict(result).items()),
    )
    return result
