"""Template context that every page needs: the configurable start date of the law."""

from django.conf import settings
from django.http import HttpRequest


def scan_settings(request: HttpRequest) -> dict[str, object]:
    return {"woonplaatsbeginsel_date": settings.WOONPLAATSBEGINSEL_DATE}
