"""XLSX files for the import tests, in the layout of the answers export."""

from __future__ import annotations

import io

from openpyxl import Workbook

# The export's columns (assessments/plans/exports.py ANSWER_COLUMNS).
EXPORT_HEADINGS = [
    "Stap",
    "Thema",
    "Vraag",
    "Stelling",
    "Invuller",
    "Perspectief",
    "Antwoord",
    "Niveau",
    "Toelichting",
    "Geconsolideerd niveau",
    "Vastgesteld niveau",
    "Soort stelling",
    "Getal",
]


def xlsx(
    rows: list[dict], *, headings: list[str] | None = None, title: str = "Antwoorden"
) -> bytes:
    """A workbook with one sheet: ``headings`` in row 1, then one row per dict (heading ->
    value; a value starting with ``=`` is stored as a formula, as Excel would)."""
    headings = headings or EXPORT_HEADINGS
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    sheet.append(headings)
    for row in rows:
        sheet.append([row.get(h) for h in headings])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
