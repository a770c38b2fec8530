"""Reading a rendered PDF back: the smoke test of every PDF the app makes."""

from __future__ import annotations

import io

from pypdf import PdfReader


def pdf_text(pdf: bytes) -> tuple[PdfReader, list[str]]:
    """The reader and the extracted text of each page."""
    reader = PdfReader(io.BytesIO(pdf))
    return reader, [page.extract_text() for page in reader.pages]
