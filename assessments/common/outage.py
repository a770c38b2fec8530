"""What every page answers while the database cannot be reached: 503, ``Retry-After``, and a
Dutch page that needs no database.

Django turns an exception into a response at every layer of the middleware chain, so an
outage reaches this module two ways:

- from a view: ``DatabaseOutageMiddleware.process_exception``;
- from another middleware (the session and the user are loaded there, so this is where a
  request with a session cookie fails first): the 500 handler, ``errors.server_error``,
  asks ``is_outage`` about the exception it is handling and answers with
  ``unavailable_response``. An outer middleware never sees that exception, only the 500.

Only "cannot reach" errors count (``OperationalError``, ``InterfaceError``); a query that
is wrong (``ProgrammingError``) or data the database refuses (``IntegrityError``,
``DataError``) stays a 500. No restart is needed afterwards: a broken connection is closed
here and Django opens a new one on the next query.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.db import InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

logger = logging.getLogger("assessments.outage")

OUTAGE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def is_outage(exception: BaseException | None) -> bool:
    return isinstance(exception, OUTAGE_ERRORS)


def service_unavailable(content: str, content_type: str) -> HttpResponse:
    """A 503 that says when to try again and that no cache or proxy may keep."""
    response = HttpResponse(content, status=503, content_type=content_type)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response


def probe_unavailable() -> HttpResponse:
    """``/healthz``'s answer: the same short body whether or not a session came along."""
    return service_unavailable("database unavailable\n", "text/plain")


def unavailable_response(request: HttpRequest, exception: BaseException) -> HttpResponse:
    logger.warning(
        "database unreachable, %s %s answered 503: %s: %s",
        request.method,
        request.path,
        type(exception).__name__,
        # psycopg's messages run over several lines; the log keeps one line per request.
        " ".join(str(exception).split()),
    )
    _discard_broken_connections()
    if request.path_info == reverse("healthz"):
        return probe_unavailable()
    # LocaleMiddleware may not have run (or ran for another request in this thread): the
    # language is decided here, as DutchUnlessChosenMiddleware does, from the cookie only.
    with translation.override(_chosen_language(request)):
        message = _(
            "De scan is even niet beschikbaar. Wat u als opgeslagen zag, is bewaard. "
            "Probeer het over een minuut opnieuw."
        )
        if request.headers.get("HX-Request") == "true":
            return service_unavailable(message, "text/plain; charset=utf-8")
        try:
            # No request and so no context processors: those read the session and the user.
            page = render_to_string("unavailable.html", {"message": message})
        except Exception:  # the last page standing must not fail itself
            logger.exception("the unavailable page could not be rendered")
            return service_unavailable(message, "text/plain; charset=utf-8")
    return service_unavailable(page, "text/html; charset=utf-8")


def _chosen_language(request: HttpRequest) -> str:
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    return chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _discard_broken_connections() -> None:
    # What Django does at the end of every request, done now so that the 503 itself and
    # the next request start clean. A connection inside an atomic block belongs to whoever
    # opened the block (in a request there is none left by now; in a test there is).
    for conn in connections.all(initialized_only=True):
        if not conn.in_atomic_block:
            conn.close_if_unusable_or_obsolete()


class DatabaseOutageMiddleware:
    """Outermost middleware: a view that cannot reach the database answers 503, not 500."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            return self.get_response(request)
        except OUTAGE_ERRORS as exception:
            # Only reached with DEBUG_PROPAGATE_EXCEPTIONS; otherwise Django has already
            # turned the exception into a response (see the module docstring).
            return unavailable_response(request, exception)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if is_outage(exception):
            return unavailable_response(request, exception)
        return None
