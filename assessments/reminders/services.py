"""Reminder e-mails: a round's due date, the weekly digest of actions due, unsubscribing.

Two jobs, run by Celery beat (``CELERY_BEAT_SCHEDULE``, tasks in ``assessments.tasks``):

- ``send_round_reminders`` (daily): an open round with a due date within the next
  ``ROUND_REMINDER_DAYS`` days reminds every respondent who has not finished. A
  *respondent* is a current member with the role coordinator or editor: the people who
  can still answer. Someone who started a response but is now a viewer, or no longer a
  member, cannot finish and gets nothing. *Not finished*: fewer statements answered than
  the round's questionnaire has; *weet niet* and *n.v.t.* are answers, a note alone is not
  (as in the progress on the round's page). The reminder goes once per round, respondent
  and due date: a coordinator who moves the due date causes one new reminder for the new
  date. Because it runs daily over a window rather than on one exact day, a missed run or
  a due date set less than a week ahead still gets its reminder.
- ``send_action_digests`` (weekly): every member who is the owner (``Action.owner_user``)
  of actions that are not done or dropped and due within ``DIGEST_DAYS`` days gets one
  e-mail per ISO week listing them, over all their municipalities. Actions of closed rounds
  count too: a round is closed after the scan, while its action plan is carried out.
  ``Action.owner`` is free text (a name or role) and cannot receive mail, so only actions
  with an owner member are in a digest.

Nothing is sent for a municipality with ``reminders_enabled`` off, for demo
municipalities, to users without an e-mail address, inactive users, or users who
unsubscribed (``ReminderOptOut``, by the signed link in every reminder).

Once only: for each e-mail a ``Reminder`` row is inserted first, in a transaction, and the
mail is sent only when this run inserted it. Its named unique constraints refuse a second
row, so a second run (or a second worker at the same moment) sends nothing; a mail that
fails to send rolls its row back and the next run tries again.
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from urllib.parse import urljoin

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Count, F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from assessments.access import EDIT_ROLES
from assessments.models import (
    Action,
    Answer,
    Assessment,
    Reminder,
    ReminderOptOut,
    current_membership,
)
from readiness.content import outline_for

logger = logging.getLogger("assessments.reminders")  # name kept across the move to a package

ROUND_REMINDER_DAYS = 7
DIGEST_DAYS = 14
UNSUBSCRIBE_SALT = "assessments.reminders.unsubscribe"
OPEN_ACTION_STATUSES = [Action.Status.PLANNED, Action.Status.IN_PROGRESS]


# --- The due date -----------------------------------------------------------------------


@transaction.atomic
def set_due_date(
    *,
    assessment: Assessment,
    user,
    due_date: datetime.date | None,
    today: datetime.date | None = None,
) -> Assessment:
    """Set (or, with None, clear) the date by which respondents should have answered."""
    today = today or timezone.localdate()
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if not locked.is_open:
        raise ValidationError(_("Deze meting is afgesloten. De datum kan niet meer veranderen."))
    if due_date is not None and due_date < today:
        raise ValidationError(_("Kies een datum vanaf vandaag."))
    locked.due_date = due_date
    locked.save(update_fields=["due_date"])
    assessment.due_date = due_date
    return locked


# --- Unsubscribing ----------------------------------------------------------------------


def unsubscribe_token(user) -> str:
    """A signed token naming the user: the link works without logging in, and for good."""
    return signing.dumps(user.pk, salt=UNSUBSCRIBE_SALT, compress=True)


def user_for_unsubscribe_token(token: str):
    """The user the token was made for, or None for a token that was not made by us."""
    try:
        user_id = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return get_user_model().objects.filter(pk=user_id).first()


def unsubscribe(*, user) -> ReminderOptOut:
    """Stop all reminder e-mails to the user; doing it twice changes nothing."""
    opt_out, _created = ReminderOptOut.objects.get_or_create(user=user)
    return opt_out


def absolute_url(path: str) -> str:
    """A link for an e-mail: a task has no request to take the host from."""
    return urljoin(settings.SITE_URL.rstrip("/") + "/", path.lstrip("/"))


def unsubscribe_url(user) -> str:
    return absolute_url(reverse("assessments:unsubscribe", args=[unsubscribe_token(user)]))


# --- Sending ----------------------------------------------------------------------------


def _recipients(users):
    """The users that may get a reminder: active, with an address, not unsubscribed."""
    return (
        users.filter(is_active=True, reminder_opt_out__isnull=True).exclude(email="").order_by("pk")
    )


def _send_once(
    *,
    kind: str,
    recipient,
    period: str,
    now: datetime.datetime,
    message: EmailMessage,
    assessment: Assessment | None = None,
    action_ids: list[int] | None = None,
) -> bool:
    """Insert the reminder's row and send its mail, both or neither; False when the row
    was already there (sent before)."""
    with transaction.atomic():
        _row, created = Reminder.objects.get_or_create(
            kind=kind,
            recipient=recipient,
            period=period,
            assessment=assessment,
            defaults={"sent_at": now, "action_ids": action_ids or []},
        )
        if created:
            message.send(fail_silently=False)
    return created


def _message(*, subject: str, template: str, context: dict, recipient) -> EmailMessage:
    link = unsubscribe_url(recipient)
    body = render_to_string(
        template,
        {
            **context,
            "name": recipient.get_full_name() or recipient.username,
            "unsubscribe_link": link,
        },
    )
    return EmailMessage(
        subject=subject,
        body=body,
        to=[recipient.email],
        # Mail programs show their own "unsubscribe" button for this header; it opens the
        # same confirmation page.
        headers={"List-Unsubscribe": f"<{link}>"},
    )


def due_rounds(today: datetime.date):
    """Open rounds whose due date is today or within the reminder window."""
    return (
        Assessment.objects.open()
        .filter(
            due_date__gte=today,
            due_date__lte=today + datetime.timedelta(days=ROUND_REMINDER_DAYS),
            municipality__reminders_enabled=True,
            municipality__is_demo=False,
        )
        .select_related("municipality", "framework")
        .order_by("due_date", "pk")
    )


def unfinished_respondents(assessment: Assessment) -> list[tuple[object, int, int]]:
    """(user, statements answered, statements in total) for each respondent of the round
    who may get a reminder and has not answered every statement."""
    total = len(outline_for(assessment.framework).questions)
    answered = dict(
        Answer.objects.filter(response__assessment=assessment)
        .exclude(value="")
        .values("response__respondent")
        .annotate(n=Count("pk"))
        .values_list("response__respondent", "n")
    )
    members = _recipients(
        get_user_model().objects.filter(
            current_membership("memberships__"),
            memberships__municipality=assessment.municipality_id,
            memberships__role__in=EDIT_ROLES,
        )
    )
    return [
        (user, answered.get(user.pk, 0), total)
        for user in members
        if answered.get(user.pk, 0) < total
    ]


def send_round_reminders(*, now: datetime.datetime | None = None) -> int:
    """Remind the unfinished respondents of rounds due within a week; returns the number
    of e-mails sent."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for assessment in due_rounds(today):
            link = absolute_url(reverse("assessments:detail", args=[assessment.pk]))
            due = date_format(assessment.due_date, "j F Y")
            for user, answered, total in unfinished_respondents(assessment):
                message = _message(
                    subject=_("Herinnering: vul de scan in vóór %(date)s") % {"date": due},
                    template="assessments/reminders/reminder_round_email.txt",
                    context={
                        "assessment": assessment,
                        "answered": answered,
                        "total": total,
                        "link": link,
                    },
                    recipient=user,
                )
                sent += _send_once(
                    kind=Reminder.Kind.ROUND_DUE,
                    assessment=assessment,
                    recipient=user,
                    period=assessment.due_date.isoformat(),
                    now=now,
                    message=message,
                )
    logger.info("Round reminders: %s sent", sent)
    return sent


def iso_week(day: datetime.date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def actions_due(today: datetime.date, now: datetime.datetime | None = None):
    """Actions due within the digest window whose owner member may get a digest: checked
    when the digest is sent, so an owner whose membership ended gets nothing."""
    return (
        Action.objects.filter(
            # Still a member of the round's municipality, now (one membership per user and
            # municipality, so this join repeats no action; a consultant's end date counts).
            current_membership("owner_user__memberships__", now),
            status__in=OPEN_ACTION_STATUSES,
            due_date__gte=today,
            due_date__lte=today + datetime.timedelta(days=DIGEST_DAYS),
            owner_user__in=_recipients(get_user_model().objects.all()),
            owner_user__memberships__municipality=F("assessment__municipality"),
            assessment__municipality__reminders_enabled=True,
            assessment__municipality__is_demo=False,
        )
        .select_related("assessment__municipality", "owner_user")
        .order_by("due_date", "assessment__municipality__name", "pk")
    )


def send_action_digests(*, now: datetime.datetime | None = None) -> int:
    """Send each owner member one e-mail per ISO week with their actions due within two
    weeks; returns the number of e-mails sent."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    by_owner: dict[int, list[Action]] = defaultdict(list)
    for action in actions_due(today, now):
        by_owner[action.owner_user_id].append(action)
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for actions in by_owner.values():
            owner = actions[0].owner_user
            rows = [
                {
                    "action": action,
                    "link": absolute_url(
                        reverse("assessments:actions", args=[action.assessment_id])
                    ),
                }
                for action in actions
            ]
            message = _message(
                subject=_("Uw acties met een deadline in de komende twee weken"),
                template="assessments/reminders/reminder_digest_email.txt",
                context={"rows": rows, "days": DIGEST_DAYS},
                recipient=owner,
            )
            sent += _send_once(
                kind=Reminder.Kind.ACTION_DIGEST,
                recipient=owner,
                period=iso_week(today),
                now=now,
                message=message,
                action_ids=[action.pk for action in actions],
            )
    logger.info("Action digests: %s sent", sent)
    return sent


def member_choices(assessment: Assessment):
    """The users who can own an action of the round: the municipality's current members
    (a consultant whose access ended is no longer one)."""
    return (
        get_user_model()
        .objects.filter(
            current_membership("memberships__"),
            memberships__municipality=assessment.municipality_id,
        )
        .order_by("first_name", "last_name", "username")
    )
