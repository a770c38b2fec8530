"""The public statement pages: no login, the same for everyone; staff edit them in the
admin (``Statement``)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from assessments.models import Statement
from assessments.privacy import services


def _statement(request: HttpRequest, kind: str, title: str) -> HttpResponse:
    text, language = services.statement_text(kind, get_language() or "nl")
    return render(
        request,
        "assessments/privacy/statement.html",
        {
            "title": title,
            "kind": kind,
            "body": services.render_markdown(text),
            "body_language": language,
        },
    )


@require_safe
def privacy_statement(request: HttpRequest) -> HttpResponse:
    return _statement(request, Statement.Kind.PRIVACY, _("Privacyverklaring"))


@require_safe
def accessibility_statement(request: HttpRequest) -> HttpResponse:
    return _statement(request, Statement.Kind.ACCESSIBILITY, _("Toegankelijkheidsverklaring"))
