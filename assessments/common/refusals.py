"""What a view does when a service refuses (raises ``ValidationError`` with a Dutch
message): the same in every view, so written once.

Use as ``with refusal_as_message(request):`` or ``with refusal_on_form(form):`` around the
service call and what follows it on success (the success message, the redirect): a refusal
stops the block there and the view goes on after it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest


@contextmanager
def refusal_as_message(request: HttpRequest) -> Iterator[None]:
    """The refusal becomes an error message on the next page (after a redirect)."""
    try:
        yield
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))


@contextmanager
def refusal_on_form(form: forms.Form) -> Iterator[None]:
    """The refusal becomes the form's error above its fields, for the page shown again."""
    try:
        yield
    except ValidationError as exc:
        form.add_error(None, exc)
