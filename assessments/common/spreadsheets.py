"""Reading an uploaded XLSX file without trusting it.

``read_sheet`` checks the bytes before openpyxl opens them: at most ``MAX_FILE_BYTES``, a
ZIP archive with a workbook in it, at most ``MAX_UNZIPPED_BYTES`` unpacked (a small file
must not unpack into gigabytes), then at most ``MAX_COLUMNS`` columns and ``MAX_ROWS``
rows with something in them. Formulas are never evaluated: openpyxl does not compute
them, and a cell holding one is marked (``Cell.is_formula``) so the caller can refuse it.
Every refusal is a ``ValidationError`` with a Dutch message a user can act on.
"""

from __future__ import annotations

import datetime
import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import load_workbook

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_UNZIPPED_BYTES = 40 * 1024 * 1024
MAX_ROWS = 2000
MAX_COLUMNS = 50
ZIP_SIGNATURE = b"PK\x03\x04"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Cell:
    value: object
    is_formula: bool = False

    @property
    def text(self) -> str:
        return cell_text(self.value)


@dataclass(frozen=True)
class Sheet:
    """The rows of one sheet with something in them, and where its known columns are."""

    columns: dict[str, int]  # field -> 0-based column index, from the heading row
    rows: list[tuple[int, Sequence[Cell]]]  # (row number as the spreadsheet shows it, cells)

    def has(self, field: str) -> bool:
        return field in self.columns

    def cell(self, row: Sequence[Cell], field: str) -> Cell:
        index = self.columns.get(field)
        return row[index] if index is not None and index < len(row) else Cell(None)


def cell_text(value: object) -> str:
    """A cell's value as the text a user sees (a date as YYYY-MM-DD, 3.0 as 3)."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_sheet(data: bytes, *, sheet_titles: set[str], headings: dict[str, set[str]]) -> Sheet:
    """The first sheet whose title (lower case) is in ``sheet_titles``, else the first
    sheet; its columns found by the heading row (``headings``: field -> names in lower
    case). A ``ValidationError`` when the bytes are not a readable XLSX file in limits."""
    not_xlsx = ValidationError(
        _(
            "Dit bestand kunnen we niet lezen. Kies een Excel-bestand (.xlsx), bijvoorbeeld "
            "de export van de antwoorden."
        ),
        code="not_xlsx",
    )
    if len(data) > MAX_FILE_BYTES:
        raise ValidationError(
            _("Het bestand is te groot. Het mag hoogstens %(mb)s MB zijn.")
            % {"mb": MAX_FILE_BYTES // (1024 * 1024)},
            code="too_large",
        )
    if not data.startswith(ZIP_SIGNATURE):
        raise not_xlsx
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise not_xlsx from exc
    if "xl/workbook.xml" not in names:
        raise not_xlsx
    if unpacked > MAX_UNZIPPED_BYTES:
        raise ValidationError(
            _("Het bestand is uitgepakt te groot. Zet alleen de antwoorden in het bestand."),
            code="too_large",
        )
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        try:
            return _read(workbook, sheet_titles, headings)
        finally:
            workbook.close()
    except ValidationError:
        raise
    # A damaged file can make openpyxl fail in many ways (XML, ZIP, styles, numbers):
    # each means the same to the user.
    except Exception as exc:
        raise not_xlsx from exc


def _read(workbook, sheet_titles: set[str], headings: dict[str, set[str]]) -> Sheet:
    worksheet = next(
        (ws for ws in workbook.worksheets if ws.title.lower() in sheet_titles),
        workbook.worksheets[0],
    )
    rows = worksheet.iter_rows(max_col=MAX_COLUMNS)
    columns: dict[str, int] = {}
    for index, cell in enumerate(next(rows, ())):
        text = cell_text(cell.value).lower()
        for field, names in headings.items():
            if text in names:
                columns.setdefault(field, index)
    read: list[tuple[int, Sequence[Cell]]] = []
    for number, row in enumerate(rows, start=2):
        cells = [Cell(c.value, getattr(c, "data_type", None) == "f") for c in row]
        if all(c.value in (None, "") for c in cells):
            continue
        if len(read) == MAX_ROWS:
            raise ValidationError(
                _("Het bestand heeft meer dan %(max)s gevulde rijen.") % {"max": MAX_ROWS},
                code="too_large",
            )
        read.append((number, cells))
    return Sheet(columns=columns, rows=read)
