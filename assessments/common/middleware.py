"""Responses with a municipality's data are never kept by a browser cache or a proxy."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control


class PrivateNoStoreMiddleware:
    """``Cache-Control: private, no-store`` on every response to a request with a session.

    Pages, exports and files of a logged-in user hold a municipality's answers, names,
    plans or reports; a shared computer's browser cache or a proxy must not keep them.
    Every logged-in request carries the session cookie; asking for the cookie rather than
    the user needs no database (nothing more to fail while the database is down).
    Requests without a session (static files are served before this) are left alone.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            patch_cache_control(response, private=True, no_store=True)
        return response
