"""Reading the cells of an imported answers sheet (``rounds/imports.py``): the export's
headings in every language of the app, the words for a level, *weet niet*, *n.v.t.* or a
legal duty's answer, an indicator's number, and the per-row errors ("Rij 7: ...") that the
import collects before it refuses or stores anything."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.common.spreadsheets import Cell, Sheet, cell_text, read_sheet
from assessments.models import Assessment
from assessments.rounds.services import fits_number
from readiness.content import outline_for
from readiness.kinds import parse_number
from readiness.models import LEVEL_LABELS, AnswerValue, DutyValue, Question

# The export's headings (plans/exports.py ANSWER_COLUMNS), read in every language of the
# app; ``Onderbouwing`` is the one column the export does not have.
SHEET_TITLE = gettext_lazy("Antwoorden")
HEADINGS = {
    "code": gettext_lazy("Vraag"),
    "label": gettext_lazy("Antwoord"),
    "level": gettext_lazy("Niveau"),
    "note": gettext_lazy("Toelichting"),
    "agreed": gettext_lazy("Vastgesteld niveau"),
    "rationale": gettext_lazy("Onderbouwing"),
    "number": gettext_lazy("Getal"),
}
LANGUAGES = ("nl", "en")
# A formula where a value is read: what to put in the cell instead.
FORMULA_MESSAGES = {
    "text": gettext_lazy(
        "bij %(code)s staat een formule in de kolom %(column)s. Zet er de tekst in."
    ),
    "level": gettext_lazy(
        "bij %(code)s staat een formule in de kolom %(column)s. Zet er het niveau in."
    ),
    "value": gettext_lazy(
        "bij %(code)s staat een formule in de kolom %(column)s. Zet er de waarde in."
    ),
}


def read_answers_sheet(data: bytes) -> Sheet:
    """The *Antwoorden* sheet of an uploaded file (headings in any of the app's languages)."""
    return read_sheet(
        data,
        sheet_titles=_all_languages(SHEET_TITLE),
        headings={field: _all_languages(name) for field, name in HEADINGS.items()},
    )


def _all_languages(text) -> set[str]:
    names = set()
    for language in LANGUAGES:
        with translation.override(language):
            names.add(str(text).lower())
    return names


def _answer_words() -> dict[str, str]:
    """Every way a level, *weet niet* or *n.v.t.* may be written, lower case -> value."""
    words = {"weet niet": "weet_niet", "n.v.t": "nvt", "nvt.": "nvt"}
    words |= _choice_words(AnswerValue.choices)
    words |= _choice_words([(str(level), label) for level, label in LEVEL_LABELS.items()])
    return words


def _duty_words() -> dict[str, str]:
    """Every way a legal duty's answer may be written, lower case -> value: the codes, the
    labels the export writes ("Deels voldaan"), and n.v.t. as for a level."""
    return {"n.v.t": "nvt", "nvt.": "nvt", **_choice_words(DutyValue.choices)}


def _choice_words(choices: Sequence[tuple[str, object]]) -> dict[str, str]:
    """Each value as itself and its label in every language, lower case -> value."""
    words = {}
    for language in LANGUAGES:
        with translation.override(language):
            for value, label in choices:
                words[value] = value
                words[str(label).lower()] = value
    return words


def parse_duty(raw: object, words: dict[str, str]) -> str | None:
    """The stored value of a legal duty's cell, ``""`` for an empty cell, None when it is
    not one of voldaan, deels, niet or n.v.t. (a level is not)."""
    if raw is None or raw == "":
        return ""
    if isinstance(raw, bool | int | float):
        return None
    return words.get(" ".join(str(raw).split()).lower())


def parse_cell_number(raw: object) -> Decimal | None:
    """An indicator's cell as a decimal ("3,5", "3.5" or the number 3.5); None when it is
    no number. An empty cell is not asked for here."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, float):
        raw = repr(raw)  # the shortest text of the float: 3.3, not 3.29999...
    try:
        return parse_number(raw)
    except ValueError:
        return None


def parse_answer(raw: object, words: dict[str, str]) -> str | None:
    """The stored value of a level cell (``"0"``–``"4"``, ``weet_niet``, ``nvt``), ``""``
    for an empty cell, None when it is not on the scale."""
    if raw is None or raw == "":
        return ""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int | float):
        return str(int(raw)) if float(raw).is_integer() and 0 <= raw <= 4 else None
    return words.get(" ".join(str(raw).split()).lower())


def _questions(assessment: Assessment) -> dict[str, Question]:
    """The round's statements by code (upper case) and by key (lower case)."""
    found: dict[str, Question] = {}
    for question in outline_for(assessment.framework).questions:
        found[question.code.upper()] = question
        if question.key:
            found[question.key.lower()] = question
    return found


class RowReader:
    """Collects the per-row errors of one file."""

    def __init__(self, sheet: Sheet, assessment: Assessment) -> None:
        self.sheet = sheet
        self.errors: list[tuple[int, str]] = []
        self.questions = _questions(assessment)
        self.words = _answer_words()
        self.duty_words = _duty_words()
        self.region_role = assessment.municipality.region_role

    def error(self, number: int, message: str) -> None:
        self.errors.append((number, message))

    def question(self, number: int, row: Sequence[Cell]) -> Question | None:
        cell = self.sheet.cell(row, "code")
        code = cell_text(cell.value)
        if cell.is_formula:
            self.error(number, _("in de kolom Vraag staat een formule. Zet er de code in."))
            return None
        if not code:
            self.error(number, _("de kolom Vraag is leeg. Zet er de code van de stelling in."))
            return None
        question = self.questions.get(code.upper()) or self.questions.get(code.lower())
        if question is None:
            self.error(
                number,
                _("onbekende vraag '%(code)s'. Gebruik de code uit de kolom Vraag, zoals B3.")
                % {"code": code[:20]},
            )
        return question

    def text(self, number: int, row: Sequence[Cell], field: str, code: str, limit: int):
        if self.formula(number, row, field, code, "text"):
            return None
        text = cell_text(self.sheet.cell(row, field).value)
        if len(text) > limit:
            self.error(
                number,
                _(
                    "de tekst bij %(code)s in de kolom %(column)s is te lang: %(n)s tekens, "
                    "maximaal %(max)s."
                )
                % {"code": code, "column": HEADINGS[field], "n": len(text), "max": limit},
            )
            return None
        return text

    def value(self, number: int, row: Sequence[Cell], field: str, code: str) -> str | None:
        if self.formula(number, row, field, code, "level"):
            return None
        cell = self.sheet.cell(row, field)
        value = parse_answer(cell.value, self.words)
        if value is None:
            self.error(
                number,
                _("onbekend niveau '%(value)s' bij %(code)s")
                % {"value": cell_text(cell.value)[:40], "code": code},
            )
        return value

    def formula(
        self, number: int, row: Sequence[Cell], field: str, code: str, expected: str = "value"
    ) -> bool:
        """Whether the cell holds a formula (then an error in its row that says what to put
        there instead: ``FORMULA_MESSAGES[expected]``)."""
        if not self.sheet.cell(row, field).is_formula:
            return False
        self.error(number, FORMULA_MESSAGES[expected] % {"code": code, "column": HEADINGS[field]})
        return True

    def duty(self, number: int, row: Sequence[Cell], code: str) -> str | None:
        """A legal duty's answer from *Antwoord* or *Niveau* (they must agree), ``""`` when
        both are empty, None after an error."""
        values = []
        for field in ("label", "level"):
            if self.formula(number, row, field, code):
                return None
            raw = self.sheet.cell(row, field).value
            value = parse_duty(raw, self.duty_words)
            if value is None:
                self.error(
                    number,
                    _(
                        "onbekende waarde '%(value)s' bij %(code)s; kies voldaan, deels, niet "
                        "of n.v.t."
                    )
                    % {"value": cell_text(raw)[:40], "code": code},
                )
                return None
            values.append(value)
        label, level = values
        if label and level and label != level:
            self.error(
                number,
                _("bij %(code)s spreken de kolommen Antwoord en Niveau elkaar tegen.")
                % {"code": code},
            )
            return None
        return label or level

    def number(self, number: int, row: Sequence[Cell], code: str) -> Decimal | bool | None:
        """An indicator's *Getal*: the number, None for an empty cell, False after an error.
        A level or an answer in its row is an error too."""
        for field in ("label", "level"):
            if self.sheet.cell(row, field).text:
                self.error(
                    number,
                    _(
                        "bij %(code)s hoort een getal in de kolom Getal, geen waarde in de "
                        "kolom %(column)s."
                    )
                    % {"code": code, "column": HEADINGS[field]},
                )
                return False
        if self.formula(number, row, "number", code):
            return False
        raw = self.sheet.cell(row, "number").value
        if raw is None or cell_text(raw) == "":
            return None
        value = parse_cell_number(raw)
        if value is None:
            self.error(
                number,
                _("'%(value)s' bij %(code)s is geen getal; vul een getal in, zoals 12 of 3,5.")
                % {"value": cell_text(raw)[:40], "code": code},
            )
            return False
        if not fits_number(value):
            self.error(
                number,
                _(
                    "het getal bij %(code)s past niet: hoogstens 12 cijfers, met hoogstens "
                    "2 cijfers achter de komma."
                )
                % {"code": code},
            )
            return False
        return value

    def no_number(self, number: int, row: Sequence[Cell], code: str) -> bool:
        """Whether the row's *Getal* is empty, as it must be for a statement that is no
        indicator (else an error)."""
        if not self.sheet.cell(row, "number").text:
            return True
        self.error(
            number,
            _(
                "bij %(code)s hoort geen getal: alleen een indicator heeft een getal. Maak de "
                "kolom Getal leeg."
            )
            % {"code": code},
        )
        return False
