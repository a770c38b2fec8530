"""A workshop's answers or agreed levels, brought back in from an XLSX file.

The file has the layout of the answers export (``plans/exports.py``, sheet *Antwoorden*):
a heading row, then one row per statement with its code in the column *Vraag*. What is
read depends on the kind of import:

- **answers** (``ImportKind.ANSWERS``): per statement as its kind asks, the way the export
  writes it: a maturity statement's *Niveau* (0–4) or *Antwoord* (a level, *weet niet*,
  *n.v.t.*); a legal duty's *Antwoord* (*voldaan*, *deels*, *niet*, *n.v.t.*, never a
  level); an indicator's *Getal* (a number, "3,5" or 3.5; never a level or an answer); and
  *Toelichting*. A statement for the other role in the region is n.v.t. for the round's
  municipality: a row that answers it is an error. The answers go into one response of the
  round: the coordinator's
  own or a colleague's who answers (a coordinator or an editor), e.g. the one who led the
  session. One row per statement: a file with two rows for one statement (the export of
  several respondents) is refused, since one response holds one answer per statement.
  The answers are saved by ``services.save_answers``, the one save path, which records the
  importing coordinator in the answers' history.
- **agreed levels** (``ImportKind.AGREED``): *Vastgesteld niveau* (0–4) with its rationale
  from *Onderbouwing*, or from *Toelichting* when the file has no such column; rows of one
  statement must agree. Only a maturity statement has a level: a legal duty or indicator
  row with one is an error. A statement whose level is already agreed keeps its rationale
  when the file gives none. Saved by ``agreement.set_agreed_level``.

Every row is checked before anything is stored, and any error refuses the whole file with
one message per row ("Rij 7: onbekend niveau 'vijf' bij B3"); the import itself is one
transaction. Formulas are never evaluated (openpyxl does not compute them): a formula in a
column that is read is an error in its row. The file's size, type and unpacked size are
checked before it is opened (``assessments/common/spreadsheets.py``). The cells of a row
are read, and its errors collected, by ``rounds/import_rows.py``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.common.spreadsheets import Cell, Sheet
from assessments.models import (
    NOTE_MAX_LENGTH,
    AgreedLevel,
    Answer,
    Assessment,
    Membership,
    Response,
)
from assessments.rounds import agreement
from assessments.rounds.import_rows import HEADINGS, RowReader, read_answers_sheet
from assessments.rounds.services import (
    AnswerInput,
    check_open,
    lock_open_round,
    save_answers,
)
from readiness.kinds import applies
from readiness.models import (
    AnswerValue,
    Domain,
    Question,
    QuestionKind,
)

# Shown on the page; the rest is counted ("en nog 12 fouten").
MAX_ERRORS_SHOWN = 100


class ImportKind(models.TextChoices):
    ANSWERS = "antwoorden", gettext_lazy("Antwoorden van één invulling")
    AGREED = "vastgesteld", gettext_lazy("Vastgestelde niveaus van het gesprek")


@dataclass(frozen=True)
class ImportResult:
    kind: str
    total: int  # statements in the file
    changed: int  # of them new or different from what is stored
    dry_run: bool


def _refuse(message: str) -> ValidationError:
    return ValidationError(message, code="file")


def _missing_column(name) -> ValidationError:
    return _refuse(
        _(
            "In de eerste rij van het blad staat geen kolom '%(column)s'. Gebruik de indeling "
            "van de export van de antwoorden."
        )
        % {"column": name}
    )


def parse_answers(
    sheet: Sheet, assessment: Assessment
) -> tuple[list[AnswerInput], list[tuple[int, str]]]:
    """The answers of the file and the errors of its rows."""
    if not sheet.has("code"):
        raise _missing_column(HEADINGS["code"])
    if not (sheet.has("level") or sheet.has("label") or sheet.has("number")):
        raise _missing_column(HEADINGS["level"])
    rows = RowReader(sheet, assessment)
    items: list[AnswerInput] = []
    seen: dict[int, int] = {}  # question id -> row number
    for number, row in sheet.rows:
        question = rows.question(number, row)
        if question is None:
            continue
        if question.pk in seen:
            rows.error(
                number,
                _(
                    "vraag %(code)s staat ook al in rij %(first)s. Eén invulling heeft één "
                    "antwoord per vraag: laat één rij staan."
                )
                % {"code": question.code, "first": seen[question.pk]},
            )
            continue
        seen[question.pk] = number
        item = _answer_of_row(rows, number, row, question)
        if item is None:
            continue
        if not applies(question.applies_to, rows.region_role):
            rows.error(
                number,
                _(
                    "%(code)s geldt alleen voor een %(role)s en is voor deze gemeente n.v.t. "
                    "Laat de rij leeg of haal hem weg."
                )
                % {"code": question.code, "role": question.applies_to},
            )
            continue
        items.append(item)
    return items, rows.errors


def _answer_of_row(
    rows: RowReader, number: int, row: Sequence[Cell], question: Question
) -> AnswerInput | None:
    """The row's answer to ``question`` as its kind asks; None after an error or when the
    row says nothing about it (its stored answer stays)."""
    code = question.code
    note = rows.text(number, row, "note", code, NOTE_MAX_LENGTH)
    if question.kind == QuestionKind.INDICATOR:
        value = rows.number(number, row, code)
        if note is None or value is False or (value is None and not note):
            return None
        return AnswerInput(question=question, value="", note=note, number=value)
    if not rows.no_number(number, row, code):
        return None
    if question.kind == QuestionKind.LEGAL_DUTY:
        answer = rows.duty(number, row, code)
        if note is None or answer is None or not (answer or note):
            return None
        return AnswerInput(question=question, value=answer, note=note)
    level = rows.value(number, row, "level", code)
    label = rows.value(number, row, "label", code)
    if level is None or label is None or note is None:
        return None
    if not (level or label or note):
        return None
    if level and label and level != label:
        rows.error(
            number,
            _("bij %(code)s spreken de kolommen Antwoord en Niveau elkaar tegen.") % {"code": code},
        )
        return None
    return AnswerInput(question=question, value=level or label, note=note)


@dataclass(frozen=True)
class AgreedInput:
    question: Question
    level: int
    rationale: str
    row: int
    # The rationale came from *Toelichting* (the file has no *Onderbouwing*): a respondent's
    # note in an export, so it never replaces the rationale of a level that stays the same.
    from_note: bool = False


def parse_agreed(
    sheet: Sheet, assessment: Assessment
) -> tuple[list[AgreedInput], list[tuple[int, str]]]:
    """The agreed levels of the file (one per statement) and the errors of its rows."""
    if not sheet.has("code"):
        raise _missing_column(HEADINGS["code"])
    if not sheet.has("agreed"):
        raise _missing_column(HEADINGS["agreed"])
    source = "rationale" if sheet.has("rationale") else "note"
    rows = RowReader(sheet, assessment)
    found: dict[int, AgreedInput] = {}
    for number, row in sheet.rows:
        question = rows.question(number, row)
        if question is None:
            continue
        if question.kind != QuestionKind.MATURITY:
            if rows.sheet.cell(row, "agreed").text:
                rows.error(
                    number,
                    _(
                        "%(code)s is een %(kind)s en krijgt geen vastgesteld niveau. Maak de "
                        "kolom Vastgesteld niveau leeg."
                    )
                    % {"code": question.code, "kind": str(question.get_kind_display()).lower()},
                )
            continue  # a legal duty or indicator row: nothing to agree on
        value = rows.value(number, row, "agreed", question.code)
        rationale = rows.text(number, row, source, question.code, AgreedLevel.RATIONALE_MAX_LENGTH)
        if value is None or rationale is None or value == "":
            continue  # an error, or no agreed level in this row
        if not value.isdigit():
            rows.error(
                number,
                _("bij %(code)s is '%(value)s' geen vastgesteld niveau: kies 0 tot en met 4.")
                % {"code": question.code, "value": AnswerValue(value).label},
            )
            continue
        earlier = found.get(question.pk)
        if earlier is not None and earlier.level != int(value):
            rows.error(
                number,
                _(
                    "bij %(code)s staat in rij %(first)s een ander vastgesteld niveau "
                    "(%(level)s). Eén vraag heeft één vastgesteld niveau."
                )
                % {"code": question.code, "first": earlier.row, "level": earlier.level},
            )
        elif earlier is None or (not earlier.rationale and rationale):
            found[question.pk] = AgreedInput(
                question, int(value), rationale, number, from_note=source == "note"
            )
    return list(found.values()), rows.errors


def _raise_errors(errors: list[tuple[int, str]]) -> None:
    """One message per row with an error, in row order: "Rij 7: ..."."""
    if not errors:
        return
    shown = [
        _("Rij %(row)s: %(message)s") % {"row": row, "message": message}
        for row, message in sorted(errors, key=lambda error: error[0])[:MAX_ERRORS_SHOWN]
    ]
    if len(errors) > MAX_ERRORS_SHOWN:
        rest = len(errors) - MAX_ERRORS_SHOWN
        shown.append(_("En nog %(n)s fouten.") % {"n": rest})
    raise ValidationError(shown, code="rows")


def answer_respondents(assessment: Assessment):
    """Who a coordinator may import answers for: the round's municipality's current
    coordinators and editors (the people who answer)."""
    return (
        Membership.objects.current()
        .filter(
            municipality=assessment.municipality_id,
            role__in=[Membership.Role.COORDINATOR, Membership.Role.EDITOR],
        )
        .select_related("user")
        .order_by("user__first_name", "user__last_name", "user__username")
    )


def import_workbook(
    *,
    assessment: Assessment,
    user,
    data: bytes,
    kind: str,
    respondent=None,
    perspective: str = "",
    dry_run: bool = False,
) -> ImportResult:
    """Check the whole file, then import it in one transaction (nothing with ``dry_run``).

    Raises ``ValidationError``: one message for a file that cannot be read, one per row
    with an error; then nothing is stored. The caller has checked that the user
    coordinates the round (``access.get_assessment_for_manage``)."""
    check_open(assessment)
    if kind not in ImportKind.values:
        raise _refuse(_("Kies wat u wilt importeren."))
    if kind == ImportKind.ANSWERS:
        respondent = respondent or user
        if not answer_respondents(assessment).filter(user=respondent.pk).exists():
            raise _refuse(_("Kies een invuller die bij deze gemeente hoort."))
        if perspective not in {"", *Domain.values}:
            raise _refuse(_("Kies een perspectief uit de lijst."))
    sheet = read_answers_sheet(data)
    parse = parse_answers if kind == ImportKind.ANSWERS else parse_agreed
    items, errors = parse(sheet, assessment)
    _raise_errors(errors)
    if not items:
        raise _refuse(_("Het bestand bevat niets om te importeren."))
    with transaction.atomic():
        # The round's row lock: it cannot close halfway, and what is compared with below
        # cannot change before it is saved.
        locked = lock_open_round(assessment.pk)
        if kind == ImportKind.ANSWERS:
            changed = _changed_answers(locked, respondent, items)
        else:
            changed, errors = _changed_agreed(locked, items, [])
            _raise_errors(errors)
        if not dry_run:
            _save(locked, user, kind, changed, respondent, perspective)
    return ImportResult(kind=kind, total=len(items), changed=len(changed), dry_run=dry_run)


def _save(assessment: Assessment, user, kind: str, changed: list, respondent, perspective: str):
    if kind == ImportKind.ANSWERS:
        save_answers(assessment=assessment, user=user, items=changed, respondent=respondent)
        if perspective:
            Response.objects.filter(assessment=assessment, respondent=respondent.pk).update(
                perspective=perspective
            )
        return
    for item in changed:
        agreement.set_agreed_level(
            assessment=assessment,
            user=user,
            question=item.question,
            level=item.level,
            rationale=item.rationale,
        )


def _changed_answers(assessment: Assessment, respondent, items: list[AnswerInput]):
    stored = {
        question_id: (value, note, number, carried)
        for question_id, value, note, number, carried in Answer.objects.filter(
            response__assessment=assessment, response__respondent=respondent.pk
        ).values_list("question_id", "value", "note", "number", "is_carried_over")
    }
    # An answer carried over from the last round counts as changed: the import confirms it.
    return [
        item
        for item in items
        if stored.get(item.question.pk) != (item.value, item.note, item.number, False)
    ]


def _changed_agreed(
    assessment: Assessment, items: list[AgreedInput], errors: list[tuple[int, str]]
) -> tuple[list[AgreedInput], list[tuple[int, str]]]:
    """The agreed levels that are new or different; a missing rationale is an error unless
    the statement already has that level agreed (its rationale stays)."""
    stored = {
        question_id: (level, rationale)
        for question_id, level, rationale in AgreedLevel.objects.filter(
            assessment=assessment
        ).values_list("question_id", "level", "rationale")
    }
    changed = []
    for item in items:
        level, rationale = stored.get(item.question.pk, (None, ""))
        if level == item.level and (item.from_note or item.rationale in ("", rationale)):
            continue
        if not item.rationale:
            message = _(
                "schrijf bij %(code)s op waarom u dit niveau samen vaststelt (kolom Onderbouwing)."
            ) % {"code": item.question.code}
            errors.append((item.row, message))
            continue
        changed.append(item)
    return changed, errors
