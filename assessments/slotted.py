"""Templates rendered once per process and language, with slots for per-request values.

The two pages a respondent opens most, the step page and the results page, consist mostly
of text that is the same for every request in a language: headings, captions, the menu,
the language switch. Rendering it through Django's template engine on every request cost
about a third of those pages' CPU after everything else had been made cheap (about 1.2 ms
of the results page's 4 ms of own work; docs/performance.md, third session).

``render_slotted`` renders a template once per (template, language, flags) with a marker
in each slot, splits the output at the markers and keeps the pieces; a request joins them
with its own values. *Flags* are the values that decide the page's structure (``{% if %}``)
and are part of the key; *slots* are only printed, each value escaped here unless it is
already safe markup. ``render_page`` does the same for the site's frame (``base.html``):
the title and the page's body go into its slots, with the user's name, the CSRF token and
the page's path. A request with messages to show takes the template path, which is the
reference: tests render every slotted page both ways and require the same HTML.

Decision 0003 describes the same technique for the questions of the step page.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Mapping
from html import escape

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeData, SafeString, mark_safe

PAGE_TEMPLATE = "_page.html"
_SLOT = re.compile("\x00(\\w+)\x00")
_pieces: dict[tuple, tuple[str, ...]] = {}


def clear_cache() -> None:
    """Forget every rendered template (tests: they change settings such as static files)."""
    _pieces.clear()


def marker(name: str) -> SafeString:
    """Where slot ``name`` goes, in a template rendered to be split."""
    return mark_safe(f"\x00{name}\x00")  # a fixed marker, no outside input


def _as_html(value: object) -> str:
    """What ``{{ value }}`` prints for a string or a number: escaped unless already safe."""
    return str(value) if isinstance(value, SafeData) else escape(str(value))


def join_pieces(pieces: tuple[str, ...], slots: Mapping[str, object]) -> SafeString:
    """The pieces with each slot's value, escaped unless it is already markup."""
    # Every even piece is the template's own output; every odd one names a slot.
    return mark_safe(  # slot values are escaped by _as_html
        "".join(piece if i % 2 == 0 else _as_html(slots[piece]) for i, piece in enumerate(pieces))
    )


def split_at_markers(html: str, slots: Mapping[str, object], where: str) -> tuple[str, ...]:
    """Static text, slot name, static text, …; a marker that is not one of ``slots`` is
    refused."""
    pieces = tuple(_SLOT.split(html))
    unknown = set(pieces[1::2]) - set(slots)
    if unknown:
        raise ValueError(f"{where}: a marker that is no slot: {sorted(unknown)}")
    return pieces


def render_slotted(
    template_name: str, *, flags: Mapping[str, Hashable], slots: Mapping[str, object]
) -> SafeString:
    """The template with these flags and slot values, from pieces rendered once.

    The template may only print a slot (``{{ name }}``, also inside ``blocktranslate``):
    a filter or a condition on it would act on the marker, and the test that renders the
    page both ways would catch the difference.
    """
    key = (template_name, translation.get_language(), tuple(sorted(flags.items())))
    pieces = _pieces.get(key)
    if pieces is None:
        context = {**flags, **{name: marker(name) for name in slots}}
        pieces = _pieces[key] = split_at_markers(
            render_to_string(template_name, context), slots, key
        )
    return join_pieces(pieces, slots)


def render_reference(
    template_name: str, *, flags: Mapping[str, Hashable], slots: Mapping[str, object]
) -> SafeString:
    """The same through the template engine, every time (tests compare the two)."""
    context = {**flags, **{name: mark_safe(_as_html(value)) for name, value in slots.items()}}
    return mark_safe(render_to_string(template_name, context))  # our template


class _StandInUser:
    """The user as base.html reads it while the frame's pieces are rendered."""

    is_authenticated = True
    username = ""

    def get_full_name(self) -> SafeString:
        return marker("user_name")


class _StandInRequest:
    def get_full_path(self) -> SafeString:
        return marker("path")


def render_page(
    request: HttpRequest, *, title: str, body: SafeString, status: int = 200
) -> HttpResponse:
    """A page of the site: ``body`` (markup) in the frame of ``base.html``, with ``title``
    (text, escaped here unless safe) before the site's name in the window title."""
    user = request.user
    if not user.is_authenticated or _has_messages(request):
        return render(
            request, PAGE_TEMPLATE, {"page_title": title, "page_body": body}, status=status
        )
    start = settings.WOONPLAATSBEGINSEL_DATE
    key = (PAGE_TEMPLATE, translation.get_language(), start)
    pieces = _pieces.get(key)
    slots = {
        "page_title": title,
        "page_body": body,
        "user_name": user.get_full_name() or user.username,
        "path": request.get_full_path(),
        "csrf_token": get_token(request),
    }
    if pieces is None:
        context = {
            "page_title": marker("page_title"),
            "page_body": marker("page_body"),
            "csrf_token": marker("csrf_token"),
            "user": _StandInUser(),
            "request": _StandInRequest(),
            "messages": [],
            "woonplaatsbeginsel_date": start,
        }
        html = render_to_string(PAGE_TEMPLATE, context)
        pieces = _pieces[key] = split_at_markers(html, slots, PAGE_TEMPLATE)
    return HttpResponse(join_pieces(pieces, slots), status=status)


def _has_messages(request: HttpRequest) -> bool:
    """Whether messages wait to be shown (reading them does not mark them as shown)."""
    return len(messages.get_messages(request)) > 0
