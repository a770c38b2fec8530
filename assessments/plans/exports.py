"""The action plan and a round's answers as XLSX workbooks, and the answers and scores as
CSV files, for Excel, LibreOffice and a data analyst's tools.

Like the report, an export is built from the round's plain data (``load_actions`` and
``load_results``, frozen for a closed round) and rendered to bytes here; the views only
send the bytes. Respondents appear by number, never by name, as on the results page.

The answers workbook has three sheets. *Antwoorden*: one row per respondent's answer,
with the answer's label and its level as a number (empty for *weet niet*, *n.v.t.* and a
note alone), and per statement the consolidated level (the lower median of the counted
respondents' levels) and the level agreed in conversation (``AgreedLevel``, empty when
none; it replaces the consolidated level in the scores). *Scores*: every step, theme and
the whole round with score 0–100 (one decimal; empty when too few statements are
answered, as the report says *onvoldoende beantwoord*), traffic light, counts and
ambition. *Metadata*: municipality, CBS code, round, dates and framework version.
Legal duties and indicators are never scored (``readiness.kinds``): on *Antwoorden* their
rows say their kind, a duty's answer is a label without a level and an indicator's number
has its own column; the sheet *Plichten en indicatoren* lists each with its outcome
("wettelijke plichten: n van m voldaan", an indicator's value, unit and period).

The CSV files hold the same rows as the *Antwoorden* and *Scores* sheets, each row led by
the CBS code, the round's number and the framework version so that files of several
rounds can be stacked. Dialect: the one Dutch Excel opens with a double click: UTF-8 with
a byte order mark, ``;`` between fields, a decimal comma, dates as ``YYYY-MM-DD``.
(pandas: ``read_csv(path, sep=";", decimal=",", encoding="utf-8-sig")``.)

Text that users typed goes into cells as text only: a value starting with ``=`` would be
stored as a formula by openpyxl, and ``+``, ``-``, ``@`` become formulas when someone edits
the cell in a spreadsheet. Such cells are forced to the string type and get the
``quotePrefix`` style, the spreadsheet's own "this is text" mark (not shown in the cell).
A CSV file has no such mark: there such a value gets a leading ``'`` (OWASP's advice).
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from assessments.models import Assessment
from assessments.models.rounds import ANSWER_CHOICES
from assessments.rounds.results import Results, load_actions, load_results
from readiness.kinds import number_text
from readiness.models import DutyValue, QuestionKind
from readiness.scoring import GroupScore, consolidate

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
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
    (gettext_lazy("Klaar als"), 50, True),
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
    (gettext_lazy("Niveau"), 8, False),
    (gettext_lazy("Toelichting"), 70, True),
    (gettext_lazy("Geconsolideerd niveau"), 14, False),
    (gettext_lazy("Vastgesteld niveau"), 14, False),
    (gettext_lazy("Soort stelling"), 16, False),
    (gettext_lazy("Getal"), 12, False),
]
KIND_COLUMNS = [
    (gettext_lazy("Soort stelling"), 16, False),
    (gettext_lazy("Vraag"), 8, False),
    (gettext_lazy("Stelling"), 70, True),
    (gettext_lazy("Grondslag"), 30, True),
    (gettext_lazy("Uitkomst"), 16, False),
    (gettext_lazy("Getal"), 12, False),
    (gettext_lazy("Eenheid"), 16, True),
    (gettext_lazy("Periode"), 16, True),
]
SCORE_COLUMNS = [
    (gettext_lazy("Soort"), 10, False),
    (gettext_lazy("Code"), 14, False),
    (gettext_lazy("Naam"), 45, True),
    (gettext_lazy("Score"), 8, False),
    (gettext_lazy("Stoplicht"), 10, False),
    (gettext_lazy("Voldoende beantwoord"), 12, False),
    (gettext_lazy("Beantwoord"), 12, False),
    (gettext_lazy("Van toepassing"), 12, False),
    (gettext_lazy("Stellingen"), 11, False),
    (gettext_lazy("Ambitie"), 9, False),
]
METADATA_COLUMNS = [
    (gettext_lazy("Gegeven"), 28, False),
    (gettext_lazy("Waarde"), 50, True),
]
# What leads every CSV row: enough to stack the files of several rounds.
CSV_KEY_COLUMNS = [gettext_lazy("CBS-code"), gettext_lazy("Meting"), gettext_lazy("Versie")]

Value = str | int | float | Decimal | datetime.date | None


def export_filename(
    kind: str, assessment: Assessment, day: datetime.date, extension: str = "xlsx"
) -> str:
    """``<kind>-<municipality slug>-<yyyy-mm-dd>.xlsx``, e.g. ``actieplan-zonnedal-2026-03-01``."""
    municipality = slugify(assessment.municipality.name) or assessment.municipality.code.lower()
    return f"{kind}-{municipality}-{day.isoformat()}.{extension}"


def actions_workbook(assessment: Assessment) -> bytes:
    """The round's action plan, one row per action in plan order."""
    rows = [
        [
            row.priority or None,  # 0: an action a user added, not proposed for a gap
            row.title,
            row.description,
            row.done_when,
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


def answers_workbook(
    assessment: Assessment,
    *,
    only_questions: set[str] | None = None,
    today: datetime.date | None = None,
) -> bytes:
    """The round's answers, scores and metadata (see the module's docstring).

    ``only_questions``: the codes of the questions to include (all when ``None``); an
    editor of an open round gets only the questions they answered themselves.
    """
    results = load_results(assessment)
    workbook = Workbook()
    workbook.remove(workbook.active)
    _add_sheet(workbook, _("Antwoorden"), ANSWER_COLUMNS, answer_rows(results, only_questions))
    _add_sheet(workbook, _("Scores"), SCORE_COLUMNS, score_rows(results))
    if results.legal_duties or results.indicators:
        _add_sheet(workbook, _("Plichten en indicatoren"), KIND_COLUMNS, kind_rows(results))
    _add_sheet(
        workbook,
        _("Metadata"),
        METADATA_COLUMNS,
        metadata_rows(assessment, results, today or timezone.localdate()),
    )
    return _save(workbook, _("Antwoorden"))


def answer_rows(results: Results, only_questions: set[str] | None = None) -> list[list[Value]]:
    """One row per respondent's answer, by question order, then respondent number."""
    steps = {s.code: f"{s.order}. {s.title}" for s in results.steps}
    themes = {t.code: f"{t.code}. {t.title}" for t in results.themes}
    labels = {value: str(label) for value, label in ANSWER_CHOICES}
    kinds = {value: str(label) for value, label in QuestionKind.choices}
    rows = []
    for question in results.questions:
        if only_questions is not None and question.code not in only_questions:
            continue
        consolidated = results.scores.consolidated.get(question.code)
        # The respondents' median, also when an agreed level replaced it in the scores.
        median = (
            consolidate(consolidated.levels).level
            if consolidated is not None and consolidated.levels
            else None
        )
        agreed = results.agreed.get(question.code)
        for answer in results.answers.get(question.code, []):
            rows.append(
                [
                    steps.get(question.step, question.step),
                    themes.get(question.theme, question.theme),
                    question.code,
                    question.statement,
                    answer.respondent,
                    answer.perspective,
                    labels.get(answer.value, answer.value),
                    int(answer.value) if answer.value.isdigit() else None,
                    answer.note,
                    median,
                    agreed.level if agreed is not None else None,
                    kinds.get(question.kind, question.kind),
                    Decimal(answer.number) if answer.number else None,
                ]
            )
    return rows


def kind_rows(results: Results) -> list[list[Value]]:
    """The legal duties (with their "n van m voldaan" first) and the indicators, never scored."""
    duty, indicator = str(QuestionKind.LEGAL_DUTY.label), str(QuestionKind.INDICATOR.label)
    rows: list[list[Value]] = []
    if results.legal_duties:
        summary = results.scores.legal_duties
        text = _("wettelijke plichten: %(n)s van %(m)s voldaan") % {
            "n": summary.met,
            "m": summary.applicable,
        }
        rows.append([duty, None, text, None, None, None, None, None])
    for question, result in results.legal_duties:
        outcome = _("niet beantwoord") if result.state == "empty" else DutyValue(result.state).label
        rows.append([duty, question.code, question.statement, question.legal_basis, str(outcome)])
    for question, result in results.indicators:
        number = Decimal(result.value) if result.value is not None else None
        rows.append(
            [indicator, question.code, question.statement, question.legal_basis, None, number]
        )
        rows[-1].extend([question.unit, question.period])
    # Every row as wide as the sheet: a duty has no number, unit or period.
    return [row + [None] * (len(KIND_COLUMNS) - len(row)) for row in rows]


def score_rows(results: Results) -> list[list[Value]]:
    """Each step followed by its themes, then the whole round."""
    targets = {s.code: s.target for s in results.steps}

    def row(kind: str, code: str, name: str, group: GroupScore | None, target: int | None):
        if group is None:  # a step without questions in this framework version
            return [kind, code, name, None, None, None, None, None, None, target]
        return [
            kind,
            code,
            name,
            round(group.score, 1) if group.is_sufficient and group.score is not None else None,
            str(group.light) if group.light and group.is_sufficient else None,
            _("ja") if group.is_sufficient else _("nee"),
            group.answered,
            group.applicable,
            group.total,
            target,
        ]

    rows = []
    for step in results.steps:
        rows.append(
            row(
                _("Stap"),
                step.code,
                f"{step.order}. {step.title}",
                results.scores.steps.get(step.code),
                step.target,
            )
        )
        rows.extend(
            row(
                _("Thema"),
                theme.code,
                theme.title,
                results.scores.themes.get(theme.code),
                targets[step.code],
            )
            for theme in results.themes
            if theme.step == step.code
        )
    rows.append(row(_("Totaal"), "overall", _("Hele meting"), results.scores.overall, None))
    return rows


def metadata_rows(
    assessment: Assessment, results: Results, today: datetime.date
) -> list[list[Value]]:
    municipality, framework = assessment.municipality, assessment.framework

    def day(moment: datetime.datetime | None) -> datetime.date | None:
        return timezone.localdate(moment) if moment else None

    return [
        [_("Gemeente"), municipality.name],
        [_("CBS-code"), municipality.code],
        [_("Provincie"), municipality.province],
        [_("Meting"), assessment.title],
        [_("Nummer van de meting"), assessment.pk],
        [_("Status"), assessment.get_status_display()],
        [_("Gestart op"), day(assessment.created_at)],
        [_("Invullen vóór"), assessment.due_date],
        [_("Afgesloten op"), day(assessment.closed_at)],
        [_("Vragenlijst"), framework.name],
        [_("Versie van de vragenlijst"), framework.version],
        [_("Invullers die meetellen"), len(results.perspectives)],
        [_("Invullingen die niet meetellen"), results.left_out],
        [
            _("Gegevens"),
            _("vastgelegd bij het afsluiten") if assessment.snapshot else _("stand van nu"),
        ],
        [_("Geëxporteerd op"), today],
    ]


def answers_csv(assessment: Assessment, *, only_questions: set[str] | None = None) -> bytes:
    """The *Antwoorden* sheet as CSV, each row led by the round's key columns."""
    results = load_results(assessment)
    return _csv(assessment, ANSWER_COLUMNS, answer_rows(results, only_questions))


def scores_csv(assessment: Assessment) -> bytes:
    """The *Scores* sheet as CSV, each row led by the round's key columns."""
    return _csv(assessment, SCORE_COLUMNS, score_rows(load_results(assessment)))


def _csv(
    assessment: Assessment, columns: Sequence[tuple[Promise, int, bool]], rows: list[list[Value]]
) -> bytes:
    key = [assessment.municipality.code, assessment.pk, assessment.framework.version]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([str(h) for h in CSV_KEY_COLUMNS] + [str(h) for h, _w, _wrap in columns])
    for values in rows:
        writer.writerow([_csv_value(v) for v in key + values])
    # The byte order mark tells Excel the file is UTF-8 (otherwise "ë" turns into "Ã«").
    return buffer.getvalue().encode("utf-8-sig")


def _csv_value(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    if isinstance(value, Decimal):
        return number_text(value).replace(".", ",")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return str(value)


def _render(
    title: str, columns: Sequence[tuple[Promise, int, bool]], rows: Iterable[Sequence[Value]]
) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    _add_sheet(workbook, title, columns, rows)
    return _save(workbook, title)


def _add_sheet(
    workbook: Workbook,
    title: str,
    columns: Sequence[tuple[Promise, int, bool]],
    rows: Iterable[Sequence[Value]],
) -> Worksheet:
    sheet = workbook.create_sheet(title)
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
    return sheet


def _save(workbook: Workbook, title: str) -> bytes:
    workbook.active = 0
    workbook.properties.title = title
    workbook.properties.creator = _("Gereedheidsscan beschermd thuis")
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
