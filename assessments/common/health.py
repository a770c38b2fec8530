"""``/healthz``: 200 when the database answers, 503 when it does not (no details leaked)."""

import logging

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from assessments.common.outage import probe_unavailable

logger = logging.getLogger("assessments.health")  # name kept across the move to a package


@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("health check: database unavailable")
        return probe_unavailable()
    return HttpResponse("ok\n", content_type="text/plain")
