"""URLs asked for many times on one page: a statement's save and history links, once per
statement of a step (up to 40), are the step page's most frequent ``reverse()``.

A route's URL for given arguments cannot change while the process runs (the URLconf is
loaded once), so it is kept per process: ``reverse()`` costs tens of microseconds, a
lookup here well under one. The script prefix is part of the key; a test that swaps the
URLconf (``override_settings(ROOT_URLCONF=...)``) empties it.
"""

from __future__ import annotations

from functools import lru_cache

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, reverse

# About 40 statements × 2 links × a few hundred rounds in use at once.
CACHED_URLS = 20_000


def reverse_cached(viewname: str, *args: object) -> str:
    """``reverse(viewname, args=args)``, kept per process."""
    return _reverse(get_script_prefix(), viewname, args)


@lru_cache(maxsize=CACHED_URLS)
def _reverse(script_prefix: str, viewname: str, args: tuple) -> str:
    return reverse(viewname, args=args)


@receiver(setting_changed)
def _forget_on_new_urlconf(*, setting: str, **kwargs) -> None:
    if setting == "ROOT_URLCONF":
        _reverse.cache_clear()
