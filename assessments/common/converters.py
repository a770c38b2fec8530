"""The ``id`` path converter: a primary key in a URL, which the database can hold.

Django's ``int`` passes any run of digits to the view, and a number past PostgreSQL's
bigint then reaches a query that cannot hold it. ``id`` matches only ids up to the largest
bigint, so a larger number is no match: a 404 before any view runs. Every URL pattern
with an id uses it (tests/fuzz/test_forms.py checks that none uses ``int``).
"""

from __future__ import annotations

from django.urls import register_converter
from django.urls.converters import IntConverter

MAX_ID = 2**63 - 1  # BigAutoField: PostgreSQL's bigint


class IdConverter(IntConverter):
    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_ID:
            raise ValueError(value)  # no match: the resolver tries the next pattern, then 404
        return number


# Registered once, on import; the URL modules import this module before their patterns.
register_converter(IdConverter, "id")
