"""The action plan and a round's answers as XLSX workbooks, for Excel and LibreOffice.

Like the report, an export is built from the round's plain data (``load_actions`` and
``load_results``, frozen for a closed round) and rendered to bytes here; the views only
send the bytes. Respondents appear by number, never by name, as on the results page.

Text that users typed goes into cells as text only: a value starting with ``=`` would be
stored as a formula by openpyxl, and ``+``, ``-``, ``@`` become formulas when someone edits
the cell in a spreadsheet. Such cells are forced to the string type and get the
``quotePrefix`` style, the spreadsheet's own "this is text" mark (not shown in the cell).
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable, Sequence

from django.utils.functional import Promise
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from readiness.models import AnswerValue

from .models import Assessment
from .results import load_actions, load_results

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "DD-MM-YYYY"
# Characters that make a spreadsheet read a typed value as a formula (OWASP: CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")

# (heading, width in characters, wrap text)
ACTION_COLUMNS = [
    (gettext_lazy("Prioriteit"), 11, False),
    (gettext_lazy("Actie"), 45, True),
    (gettext_lazy("Omschrijving"), 70, True),
    (gettext_lazy("Vragen"), 14, True),
    (gettext_lazy("Eigenaar"), 24, True),
    (gettext_lazy("Domein"), 26, True),
    (gettext_lazy("Deadline"), 12, False),
    (gettext_lazy("Status"), 12, False),
    (gettext_lazy("Niveau"), 13, False),
]
ANSWER_COLUMNS = [
    (gettext_lazy("Stap"), 32, True),
    (gettext_lazy("Thema"), 32, True),
    (gettext_lazy("Vraag"), 8, False),
    (gettext_lazy("Stelling"), 70, True),
    (gettext_lazy("Invuller"), 10, False),
    (gettext_lazy("Perspectief"), 26, True),
    (gettext_lazy("Antwoord"), 22, False),
    (gettext_lazy("Toelichting"), 70, True),
]

Value = str | int | datetime.date | None


def export_filename(kind: str, assessment: Assessment, day: datetime.date) -> str:
    """``<kind>-<municipality slug>-<yyyy-mm-dd>.xlsx``, e.g. ``actieplan-zonnedal-2026-03-01``."""
    municipality = slugify(assessment.municipality.name) or assessment.municipality.code.lower()
    return f"{kind}-{municipality}-{day.isoformat()}.xlsx"


def actions_workbook(assessment: Assessment) -> bytes:
    """The round's action plan, one row per action in plan order."""
    rows = [
        [
            row.priority or None,  # 0: an action a user added, not proposed for a gap
            row.title,
            row.description,
            ", ".join(row.question_codes),
            row.owner,
            row.owner_domain,
            row.due_date,
            row.status,
            row.level,
        ]
        for row in load_actions(assessment)
    ]
    return _render(_("Actieplan"), ACTION_COLUMNS, rows)


def answers_workbook(assessment: Assessment, *, only_questions: set[str] | None = None) -> bytes:
    """Every respondent's answer of the round, by question order, then respondent number.

    ``only_questions``: the codes of the questions to include (all when ``None``); an
    editor of an open round gets only the questions they answered themselves.
    """
    results = load_results(assessment)
    steps = {s.code: f"{s.order}. {s.title}" for s in results.steps}
    themes = {t.code: f"{t.code}. {t.title}" for t in results.themes}
    labels = {value: str(label) for value, label in AnswerValue.choices}
    rows = [
        [
            steps.get(question.step, question.step),
            themes.get(question.theme, question.theme),
            question.code,
            question.statement,
            answer.respondent,
            answer.perspective,
            labels.get(answer.value, answer.value),
            answer.note,
        ]
        for question in results.questions
        if only_questions is None or question.code in only_questions
        for answer in results.answers.get(question.code, [])
    ]
    return _render(_("Antwoorden"), ANSWER_COLUMNS, rows)


def _render(
    title: str, columns: Sequence[tuple[Promise, int, bool]], rows: Iterable[Sequence[Value]]
) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    workbook.properties.title = title
    workbook.properties.creator = _("Gereedheidsscan beschermd thuis")
    bold = Font(bold=True)
    for index, (heading, width, _wrap) in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index, value=str(heading))
        cell.font = bold
        sheet.column_dimensions[get_column_letter(index)].width = width
    last_row = 1
    for last_row, values in enumerate(rows, start=2):
        for index, value in enumerate(values, start=1):
            _write(sheet, last_row, index, value, wrap=columns[index - 1][2])
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{last_row}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _write(sheet: Worksheet, row: int, column: int, value: Value, *, wrap: bool) -> None:
    if isinstance(value, str):
        # openpyxl refuses control characters (a paste from another program can hold them).
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = sheet.cell(row=row, column=column, value=value)
    cell.alignment = WRAP if wrap else TOP
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        cell.data_type = "s"
        cell.quotePrefix = True
    elif isinstance(value, datetime.date):
        cell.number_format = DATE_FORMAT
