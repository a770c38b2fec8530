"""A period a coordinator chooses by its last day (a consultant's access, a partner link):
stored as the moment it ends, the midnight after that day in the local time zone, and
shown again as that day."""

from __future__ import annotations

import datetime

from django.utils import timezone


def period_end(last_day: datetime.date) -> datetime.datetime:
    """The moment a period through ``last_day`` ends: the midnight after it."""
    next_day = last_day + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(next_day, datetime.time.min))


def period_last_day(end: datetime.datetime) -> datetime.date:
    """The last day of a period that ends at ``end``: "tot 1 juli 00:00" is shown as "tot
    en met 30 juni"."""
    return timezone.localtime(end - datetime.timedelta(microseconds=1)).date()
