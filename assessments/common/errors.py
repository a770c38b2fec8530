"""Error pages in Dutch; to an htmx request a short text the page can show in place
(``error_page``, also for a view that refuses with its own title and message). And the one
check of the input that every request gets (``RejectNulCharactersMiddleware``)."""

import sys

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from assessments.access import NotFoundForUser
from assessments.common.outage import is_outage, unavailable_response
from assessments.common.securitylog import log_event


def error_page(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    # Set by django-htmx's middleware; an error raised before it ran is not an htmx one.
    if getattr(request, "htmx", False):
        return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
    return render(
        request, "error.html", {"title": title, "message": message, "status": status}, status=status
    )


def bad_request(request: HttpRequest, exception=None) -> HttpResponse:
    return error_page(
        request, 400, _("Ongeldig verzoek"), _("Dit verzoek kon niet worden verwerkt.")
    )


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    log_event(
        "access_refused", request=request, action=request.method, obj=request.path, result="403"
    )
    message = (
        str(exception) if exception and str(exception) else _("U heeft hier geen rechten voor.")
    )
    return error_page(request, 403, _("Geen toegang"), message)


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    if isinstance(exception, NotFoundForUser):
        log_event(
            "access_refused", request=request, action=request.method, obj=request.path, result="404"
        )
    return error_page(
        request,
        404,
        _("Niet gevonden"),
        _("Deze pagina bestaat niet of u heeft er geen toegang toe."),
    )


class RejectNulCharactersMiddleware:
    """A query string with a NUL character is a 400. No text we store or search may hold
    one (PostgreSQL refuses it), forms refuse it already, but a query parameter that goes
    into a lookup unchecked, such as the admin's search and filters, made it a 500."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        for key, values in request.GET.lists():
            if "\x00" in key or any("\x00" in value for value in values):
                return error_page(
                    request,
                    400,
                    _("Ongeldig verzoek"),
                    _("Het adres bevat een teken dat niet is toegestaan (een NUL-teken)."),
                )
        return self.get_response(request)


def server_error(request: HttpRequest) -> HttpResponse:
    # Django calls this while it handles the exception, so sys.exc_info() is that exception:
    # an unreachable database raised in a middleware (loading the session) arrives here.
    exception = sys.exc_info()[1]
    if is_outage(exception):
        return unavailable_response(request, exception)
    message = _("Er ging iets mis aan onze kant. Wat u als opgeslagen zag, is bewaard.")
    try:
        return error_page(request, 500, _("Er ging iets mis"), message)
    except Exception:  # the page itself needs the database, which may be what failed
        return HttpResponse(message, status=500, content_type="text/plain; charset=utf-8")
