"""Every file the app hands out (PDF, ZIP, XLSX, CSV) leaves through ``download()``.

This is the one place that sets the ``Content-Disposition`` header, through Django's
``FileResponse(as_attachment=True, filename=...)``, which quotes and encodes the name, and
the one place that says a municipality's file must not stay behind in a shared cache.
Access is the caller's business: it loads the data through ``assessments.access`` first.
"""

from __future__ import annotations

import io

from django.http import FileResponse
from django.utils.cache import patch_cache_control


def download(content: bytes, *, filename: str, content_type: str) -> FileResponse:
    response = FileResponse(
        io.BytesIO(content), as_attachment=True, filename=filename, content_type=content_type
    )
    # One municipality's answers, plan or report: not for shared caches or proxies.
    patch_cache_control(response, private=True, no_store=True)
    return response
