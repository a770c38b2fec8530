"""Reading a question-bank file (TOML) and writing it into the database.

Two steps so that a bad file never half-loads: ``parse_questionbank`` reads and validates
the whole file into plain data, collecting every problem; ``load_questionbank`` writes it
in one transaction. The file format is described in ``readiness/questionbank/README.md``.

Two formats. Format 1 (no ``format`` key; version 2026.1) loads exactly as it always did:
its content hash, and so the "unchanged" check of versions in use, is computed over the
same fields as before. Format 2 (``format = 2``, from 2027.1) adds stable question keys,
actions bound to lists of statements with a done-when sentence and an owner role, sources
with a URL and a year, five level descriptions for every statement, theme letters in step
order, no step above 40% of the weight, and a mapping file from the version it replaces
(``mapping-<old>-<new>.toml``). Besides refusing problems it collects *warnings* (the lint
list: sentences longer than B1 allows, a statement of more than one sentence, a year in
the text), which never block loading; ``load_questionbank --check`` prints them.

Format 3 (``format = 3``, from 2027.2) keeps every format-2 rule and adds statement kinds
(``kind``: maturity, legal duty with its article, indicator with unit and period), where a
statement or action applies (``applies_to``: all, centrumgemeente, regiogemeente; required
on both) and partner modules (``partners``: the partner domains whose own voice a statement
is in). Its lint list adds a level-3 text that joins two conditions with "en" and a term
that is not in the glossary (``glossary.toml``). Formats 1 and 2 keep their content hashes:
the fields format 3 added are left out of them (``V3_FIELDS``).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
import tomllib
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import (
    ActionLevel,
    ActionTemplate,
    Applicability,
    Domain,
    FrameworkVersion,
    Question,
    QuestionKind,
    Source,
    Step,
    Theme,
)

QUESTIONBANK_DIR = Path(__file__).resolve().parent / "questionbank"
STEP_CODES = [code for code, _label in Step.Code.choices]

FRAMEWORK_KEYS = {"name", "version", "status", "description"}
FRAMEWORK_KEYS_V2 = FRAMEWORK_KEYS | {"format", "replaces"}
SOURCE_KEYS = {"code", "title", "url"}
SOURCE_KEYS_V2 = SOURCE_KEYS | {"year"}
STEP_KEYS = {"code", "title", "description"}
THEME_KEYS = {"code", "step", "title", "description"}
QUESTION_KEYS = {
    "code",
    "theme",
    "statement",
    "help_text",
    "sources",
    "source_note",
    "weight",
    "critical",
    "levels",
}
ACTION_KEYS = {
    "code",
    "theme",
    "question",
    "title",
    "description",
    "owner_domain",
    "horizon_months",
    "level",
}
QUESTION_KEYS_V2 = QUESTION_KEYS | {"key"}
# Format 2 binds an action to its statements: no theme or single question of its own.
ACTION_KEYS_V2 = (ACTION_KEYS - {"theme", "question"}) | {
    "questions",
    "done_when",
    "owner_role",
    "description_centrumgemeente",
    "description_regiogemeente",
}
# The fields format 2 added to the parsed data. A format-1 bank leaves them out of its
# content hash, so a stored 2026.1 version stays "unchanged" (and loadable while in use).
V2_FIELDS = {
    "": {"format", "replaces"},
    "sources": {"year"},
    "questions": {"key"},
    "actions": {
        "questions",
        "done_when",
        "owner_role",
        "description_centrumgemeente",
        "description_regiogemeente",
    },
}
# The fields format 3 added: left out of the content hash of a format-1 or format-2 bank, so
# stored 2026.1 and 2027.1 versions stay "unchanged".
V3_FIELDS = {
    "questions": {"kind", "applies_to", "legal_basis", "unit", "period", "partners"},
    "actions": {"applies_to"},
}
QUESTION_KEYS_V3 = QUESTION_KEYS_V2 | {
    "kind",
    "applies_to",
    "legal_basis",
    "unit",
    "period",
    "partners",
}
ACTION_KEYS_V3 = ACTION_KEYS_V2 | {"applies_to"}
# The partners that can have a module of statements in their own voice.
PARTNER_DOMAINS = (
    Domain.CORPORATIE,
    Domain.ZORGAANBIEDER,
    Domain.ERVARING,
    Domain.POLITIE,
    Domain.GGD,
)
GLOSSARY_FILE = "glossary.toml"
FORMATS = (1, 2, 3)
MAX_STEP_SHARE = 0.40  # format 2: no step holds more of the total weight (docs/scoring.md)
MAX_SENTENCE_WORDS = 20  # B1: the lint list names longer sentences
KEY_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
MAPPING_PREFIX = "mapping-"


class QuestionBankError(Exception):
    """A question-bank file that cannot be loaded; ``problems`` lists every reason."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class SourceData:
    code: str
    title: str
    url: str = ""
    year: int | None = None


@dataclass(frozen=True)
class StepData:
    code: str
    title: str
    description: str = ""


@dataclass(frozen=True)
class ThemeData:
    code: str
    step: str
    title: str
    description: str = ""


@dataclass(frozen=True)
class QuestionData:
    code: str
    theme: str
    statement: str
    help_text: str
    sources: tuple[str, ...]
    weight: int
    critical: bool
    source_note: str = ""
    levels: tuple[str, ...] = ()
    key: str = ""
    kind: str = QuestionKind.MATURITY
    applies_to: str = Applicability.ALL
    legal_basis: str = ""
    unit: str = ""
    period: str = ""
    partners: tuple[str, ...] = ()


@dataclass(frozen=True)
class ActionData:
    code: str
    theme: str
    title: str
    description: str
    owner_domain: str
    horizon_months: int
    level: str
    question: str = ""
    questions: tuple[str, ...] = ()
    done_when: str = ""
    owner_role: str = ""
    description_centrumgemeente: str = ""
    description_regiogemeente: str = ""
    applies_to: str = Applicability.ALL


@dataclass(frozen=True)
class QuestionBank:
    name: str
    version: str
    status: str
    description: str
    sources: tuple[SourceData, ...]
    steps: tuple[StepData, ...]
    themes: tuple[ThemeData, ...]
    questions: tuple[QuestionData, ...]
    actions: tuple[ActionData, ...]
    source_file: str = ""
    format: int = 1
    replaces: str = ""
    # The lint list: never part of the content, never a reason to refuse the file.
    warnings: tuple[str, ...] = ()

    @property
    def content_hash(self) -> str:
        content = asdict(self)
        content.pop("source_file")
        content.pop("warnings")
        left_out = []
        if self.format == 1:
            left_out.append(V2_FIELDS)
        if self.format in (1, 2):
            left_out.append(V3_FIELDS)
        for fields in left_out:
            for part, names in fields.items():
                for item in [content] if not part else content[part]:
                    for name in names:
                        item.pop(name)
        blob = json.dumps(content, sort_keys=True, ensure_ascii=False).encode()
        return hashlib.sha256(blob).hexdigest()

    @property
    def question_keys(self) -> dict[str, str]:
        """Question code -> key (format 2; empty for format 1)."""
        return {q.code: q.key for q in self.questions if q.key}


@dataclass
class _Checker:
    """Collects problems, each prefixed with the file and the item it is about."""

    file: str
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def fail(self, where: str, problem: str) -> None:
        self.problems.append(f"{self.file}: {where}: {problem}")

    def warn(self, where: str, problem: str) -> None:
        self.warnings.append(f"{self.file}: {where}: {problem}")

    def text(self, item: dict[str, Any], key: str, where: str, *, required: bool = True) -> str:
        value = item.get(key, "")
        if not isinstance(value, str):
            self.fail(where, _("'%(key)s' moet tekst zijn") % {"key": key})
            return ""
        value = value.strip()
        if required and not value:
            self.fail(where, _("'%(key)s' ontbreekt") % {"key": key})
        return value

    def unknown_keys(self, item: dict[str, Any], allowed: set[str], where: str) -> None:
        for key in sorted(set(item) - allowed):
            self.fail(where, _("onbekend veld '%(key)s'") % {"key": key})

    def items(
        self, data: dict[str, Any], key: str, label: str, allowed: set[str]
    ) -> Iterator[tuple[dict[str, Any], str, str]]:
        """Each table of ``[[key]]`` with its code and a 'where' label; flags duplicates."""
        seen: set[str] = set()
        for index, item in enumerate(self.table_list(data, key), start=1):
            code = self.text(item, "code", f"{label} {index}")
            where = f"{label} {code or index}"
            self.unknown_keys(item, allowed, where)
            if code in seen:
                self.fail(where, _("dubbele code"))
            seen.add(code)
            yield item, code, where

    def table_list(self, data: dict[str, Any], key: str) -> list[dict[str, Any]]:
        items = data.get(key, [])
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            self.fail(key, _("moet een lijst van tabellen zijn ([[%(key)s]])") % {"key": key})
            return []
        return items


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise QuestionBankError([f"{path.name}: " + _("bestand niet gevonden")]) from exc
    except tomllib.TOMLDecodeError as exc:
        raise QuestionBankError(
            [f"{path.name}: " + _("geen geldige TOML: %(error)s") % {"error": exc}]
        ) from exc


def parse_questionbank(path: Path | str, *, with_mapping: bool = True) -> QuestionBank:
    """Read and validate a question-bank file; raise QuestionBankError listing all problems.

    A format-2 file that replaces an older version is checked together with its mapping
    file from that version (same folder), unless ``with_mapping`` is false.
    """
    path = Path(path)
    check = _Checker(file=path.name)
    data = _read_toml(path)

    framework = data.get("framework")
    if not isinstance(framework, dict):
        check.fail("[framework]", _("de tabel ontbreekt"))
        framework = {}
    fmt = framework.get("format", 1)
    if isinstance(fmt, bool) or fmt not in FORMATS:
        check.fail("[framework]", _("'format' moet 1, 2 of 3 zijn"))
        fmt = 1
    v2 = fmt >= 2  # format 3 keeps every format-2 rule
    v3 = fmt == 3
    check.unknown_keys(framework, FRAMEWORK_KEYS_V2 if v2 else FRAMEWORK_KEYS, "[framework]")
    replaces = check.text(framework, "replaces", "[framework]", required=False)
    name = check.text(framework, "name", "[framework]")
    version = check.text(framework, "version", "[framework]")
    description = check.text(framework, "description", "[framework]", required=False)
    status = framework.get("status", FrameworkVersion.Status.DRAFT)
    if status not in FrameworkVersion.Status.values:
        check.fail("[framework]", _("status moet 'published' of 'draft' zijn"))

    sources = _parse_sources(check, data, v2)
    steps = _parse_steps(check, data)
    themes = _parse_themes(check, data, {s.code for s in steps})
    questions = _parse_questions(check, data, themes, {s.code for s in sources}, v2, v3)
    if v2:
        actions = _parse_bound_actions(check, data, themes, questions, v3)
        _check_v2_structure(check, steps, themes, questions, actions)
        _lint(check, description, questions, actions)
        if v3:
            _lint_v3(check, questions, actions, load_glossary(path.parent))
    else:
        actions = _parse_actions(check, data, themes, questions)

    if check.problems:
        raise QuestionBankError(check.problems)
    bank = QuestionBank(
        name=name,
        version=version,
        status=status,
        description=description,
        sources=tuple(sources),
        steps=tuple(steps),
        themes=tuple(themes),
        questions=tuple(questions),
        actions=tuple(actions),
        source_file=path.name,
        format=fmt,
        replaces=replaces,
        warnings=tuple(check.warnings),
    )
    if v2 and replaces and with_mapping:
        mapping_path = path.parent / f"{MAPPING_PREFIX}{replaces}-{version}.toml"
        old = find_bank(path.parent, name, replaces)
        if old is None:
            raise QuestionBankError(
                [
                    f"{path.name}: [framework]: "
                    + _("de vervangen versie %(v)s staat niet in deze map") % {"v": replaces}
                ]
            )
        parse_mapping(mapping_path, old, bank)
    return bank


def find_bank(folder: Path, name: str, version: str) -> QuestionBank | None:
    """The question bank with this name and version among the files of a folder, or None."""
    for candidate in question_bank_files(folder):
        try:
            framework = _read_toml(candidate).get("framework", {})
        except QuestionBankError:
            continue
        if framework.get("name") == name and framework.get("version") == version:
            return parse_questionbank(candidate, with_mapping=False)
    return None


def question_bank_files(folder: Path) -> list[Path]:
    """The question-bank files of a folder: every ``*.toml`` but mappings and the glossary."""
    return sorted(
        p
        for p in folder.glob("*.toml")
        if not p.name.startswith(MAPPING_PREFIX) and p.name != GLOSSARY_FILE
    )


def _parse_sources(check: _Checker, data: dict[str, Any], v2: bool) -> list[SourceData]:
    result: list[SourceData] = []
    keys = SOURCE_KEYS_V2 if v2 else SOURCE_KEYS
    for item, code, where in check.items(data, "sources", _("bron"), keys):
        title = check.text(item, "title", where)
        url = check.text(item, "url", where, required=v2)
        year = item.get("year")
        if v2 and (isinstance(year, bool) or not isinstance(year, int) or not 1900 <= year <= 2100):
            check.fail(where, _("'year' moet een jaartal zijn, bijvoorbeeld 2024"))
            year = None
        result.append(SourceData(code=code, title=title, url=url, year=year))
    return result


def _parse_steps(check: _Checker, data: dict[str, Any]) -> list[StepData]:
    result: list[StepData] = []
    for item, code, where in check.items(data, "steps", _("stap"), STEP_KEYS):
        title = check.text(item, "title", where)
        description = check.text(item, "description", where, required=False)
        result.append(StepData(code=code, title=title, description=description))
    codes = [s.code for s in result]
    if codes != STEP_CODES:
        check.fail(
            "[[steps]]",
            _("verwacht precies de stappen %(expected)s in die volgorde, gevonden %(found)s")
            % {"expected": ", ".join(STEP_CODES), "found": ", ".join(codes) or "-"},
        )
    return result


def _parse_themes(check: _Checker, data: dict[str, Any], step_codes: set[str]) -> list[ThemeData]:
    result: list[ThemeData] = []
    for item, code, where in check.items(data, "themes", _("thema"), THEME_KEYS):
        step = check.text(item, "step", where)
        if step and step not in step_codes:
            check.fail(where, _("onbekende stap '%(step)s'") % {"step": step})
        title = check.text(item, "title", where)
        description = check.text(item, "description", where, required=False)
        result.append(ThemeData(code=code, step=step, title=title, description=description))
    if not result:
        check.fail("[[themes]]", _("er zijn geen thema's"))
    return result


def _parse_questions(
    check: _Checker,
    data: dict[str, Any],
    themes: list[ThemeData],
    source_codes: set[str],
    v2: bool = False,
    v3: bool = False,
) -> list[QuestionData]:
    theme_codes = {t.code for t in themes}
    result: list[QuestionData] = []
    keys_seen: set[str] = set()
    allowed = QUESTION_KEYS_V3 if v3 else QUESTION_KEYS_V2 if v2 else QUESTION_KEYS
    for item, code, where in check.items(data, "questions", _("vraag"), allowed):
        key = ""
        if v2:
            key = check.text(item, "key", where)
            if key and not KEY_PATTERN.match(key):
                check.fail(
                    where,
                    _("sleutel '%(k)s' mag alleen kleine letters, cijfers en streepjes bevatten")
                    % {"k": key},
                )
            elif key in keys_seen:
                check.fail(where, _("dubbele sleutel '%(k)s'") % {"k": key})
            keys_seen.add(key)
        theme = check.text(item, "theme", where)
        if theme and theme not in theme_codes:
            check.fail(where, _("onbekend thema '%(theme)s'") % {"theme": theme})
        elif theme and code and not code.startswith(theme):
            check.fail(where, _("de code begint niet met de letter van thema %(t)s") % {"t": theme})
        statement = check.text(item, "statement", where)
        help_text = check.text(item, "help_text", where)
        source_note = check.text(item, "source_note", where, required=False)
        kinds = _parse_kind_fields(check, item, where) if v3 else {}
        scored = kinds.get("kind", QuestionKind.MATURITY) == QuestionKind.MATURITY
        # Legal duties and indicators are never scored: no weight, no levels, not critical.
        weight = item.get("weight") if scored else item.get("weight", 1)
        if not scored and ("weight" in item or "levels" in item or "critical" in item):
            check.fail(
                where,
                _(
                    "een wettelijke plicht of indicator telt niet mee in de score: "
                    "geen 'weight', 'levels' of 'critical'"
                ),
            )
        if isinstance(weight, bool) or not isinstance(weight, int) or not 1 <= weight <= 3:
            check.fail(where, _("gewicht %(w)r ligt niet tussen 1 en 3") % {"w": weight})
            weight = 0
        critical = item.get("critical", False)
        if not isinstance(critical, bool):
            check.fail(where, _("'critical' moet true of false zijn"))
            critical = False
        sources = item.get("sources", [])
        if not isinstance(sources, list) or not sources:
            check.fail(where, _("'sources' moet een niet-lege lijst met broncodes zijn"))
            sources = []
        for source in sources:
            if source not in source_codes:
                check.fail(where, _("onbekende bron '%(s)s'") % {"s": source})
        levels = item.get("levels", [])
        if levels and (
            not isinstance(levels, list)
            or len(levels) != 5
            or not all(isinstance(text, str) and text.strip() for text in levels)
        ):
            check.fail(where, _("'levels' moet precies 5 teksten hebben (niveau 0 tot en met 4)"))
            levels = []
        if critical and not levels:
            check.fail(where, _("een kritieke vraag heeft een beschrijving per niveau nodig"))
        elif v2 and scored and not levels:
            check.fail(
                where, _("elke vraag heeft vijf niveaubeschrijvingen nodig (0 tot en met 4)")
            )
        result.append(
            QuestionData(
                code=code,
                theme=theme,
                statement=statement,
                help_text=help_text,
                sources=tuple(str(s) for s in sources),
                weight=weight,
                critical=critical,
                source_note=source_note,
                levels=tuple(text.strip() for text in levels),
                key=key,
                **kinds,
            )
        )
    if not result:
        check.fail("[[questions]]", _("er zijn geen vragen"))
    return result


def _applies_to(check: _Checker, item: dict[str, Any], where: str) -> str:
    """Format 3: where a statement or action applies; required, one of Applicability."""
    value = item.get("applies_to")
    if value not in Applicability.values:
        check.fail(
            where,
            _("'applies_to' ontbreekt of is onbekend; kies uit %(choices)s")
            % {"choices": ", ".join(Applicability.values)},
        )
        return Applicability.ALL
    return value


def _parse_kind_fields(check: _Checker, item: dict[str, Any], where: str) -> dict[str, Any]:
    """Format 3: a statement's kind, applicability, legal basis, unit, period and partners."""
    kind = item.get("kind", QuestionKind.MATURITY)
    if kind not in QuestionKind.values:
        check.fail(
            where,
            _("soort '%(k)s' is onbekend; kies uit %(choices)s")
            % {"k": kind, "choices": ", ".join(QuestionKind.values)},
        )
        kind = QuestionKind.MATURITY
    legal_basis = check.text(item, "legal_basis", where, required=kind != QuestionKind.MATURITY)
    unit = check.text(item, "unit", where, required=kind == QuestionKind.INDICATOR)
    period = check.text(item, "period", where, required=kind == QuestionKind.INDICATOR)
    if kind == QuestionKind.MATURITY and legal_basis:
        check.fail(where, _("'legal_basis' hoort bij een wettelijke plicht of een indicator"))
    if kind != QuestionKind.INDICATOR and (unit or period):
        check.fail(where, _("'unit' en 'period' horen alleen bij een indicator"))
    partners = item.get("partners", [])
    if not isinstance(partners, list) or not all(p in PARTNER_DOMAINS for p in partners):
        check.fail(
            where,
            _("'partners' moet een lijst zijn met partners uit %(choices)s")
            % {"choices": ", ".join(PARTNER_DOMAINS)},
        )
        partners = []
    return {
        "kind": kind,
        "applies_to": _applies_to(check, item, where),
        "legal_basis": legal_basis,
        "unit": unit,
        "period": period,
        "partners": tuple(str(p) for p in partners),
    }


def _parse_actions(
    check: _Checker, data: dict[str, Any], themes: list[ThemeData], questions: list[QuestionData]
) -> list[ActionData]:
    theme_codes = {t.code for t in themes}
    question_theme = {q.code: q.theme for q in questions}
    result: list[ActionData] = []
    for item, code, where in check.items(data, "actions", _("actie"), ACTION_KEYS):
        theme = check.text(item, "theme", where)
        if theme and theme not in theme_codes:
            check.fail(where, _("onbekend thema '%(theme)s'") % {"theme": theme})
        question = check.text(item, "question", where, required=False)
        if question and question_theme.get(question) != theme:
            check.fail(
                where, _("vraag '%(q)s' bestaat niet in thema %(t)s") % {"q": question, "t": theme}
            )
        result.append(
            ActionData(
                code=code, theme=theme, question=question, **_action_fields(check, item, where)
            )
        )
    return result


def _action_fields(check: _Checker, item: dict[str, Any], where: str) -> dict[str, Any]:
    """The fields both formats share: title, description, owner domain, horizon, level."""
    title = check.text(item, "title", where)
    description = check.text(item, "description", where)
    owner = check.text(item, "owner_domain", where)
    if owner and owner not in Domain.values:
        check.fail(where, _("onbekend domein '%(d)s'") % {"d": owner})
    horizon = item.get("horizon_months")
    if isinstance(horizon, bool) or not isinstance(horizon, int) or not 1 <= horizon <= 36:
        check.fail(where, _("termijn %(h)r ligt niet tussen 1 en 36 maanden") % {"h": horizon})
        horizon = 0
    level = item.get("level", ActionLevel.AMBTELIJK)
    if level not in ActionLevel.values:
        check.fail(where, _("niveau moet 'ambtelijk' of 'bestuurlijk' zijn"))
    return {
        "title": title,
        "description": description,
        "owner_domain": owner,
        "horizon_months": horizon,
        "level": level,
    }


def _parse_bound_actions(
    check: _Checker,
    data: dict[str, Any],
    themes: list[ThemeData],
    questions: list[QuestionData],
    v3: bool = False,
) -> list[ActionData]:
    """Format 2: each action names the statements it addresses; its theme is the first's."""
    question_theme = {q.code: q.theme for q in questions}
    result: list[ActionData] = []
    allowed = ACTION_KEYS_V3 if v3 else ACTION_KEYS_V2
    for item, code, where in check.items(data, "actions", _("actie"), allowed):
        bound = item.get("questions")
        if not isinstance(bound, list) or not bound or not all(isinstance(q, str) for q in bound):
            check.fail(where, _("'questions' moet een niet-lege lijst met vraagcodes zijn"))
            bound = []
        for question in bound:
            if question not in question_theme:
                check.fail(where, _("onbekende vraag '%(q)s'") % {"q": question})
        if len(set(bound)) != len(bound):
            check.fail(where, _("een vraag staat twee keer in 'questions'"))
        fields = _action_fields(check, item, where)
        done_when = check.text(item, "done_when", where)
        owner_role = check.text(item, "owner_role", where)
        centrum = check.text(item, "description_centrumgemeente", where, required=False)
        regio = check.text(item, "description_regiogemeente", where, required=False)
        extra = {"applies_to": _applies_to(check, item, where)} if v3 else {}
        result.append(
            ActionData(
                code=code,
                theme=question_theme.get(bound[0], "") if bound else "",
                **fields,
                questions=tuple(bound),
                done_when=done_when,
                owner_role=owner_role,
                description_centrumgemeente=centrum,
                description_regiogemeente=regio,
                **extra,
            )
        )
    return result


def _check_v2_structure(
    check: _Checker,
    steps: list[StepData],
    themes: list[ThemeData],
    questions: list[QuestionData],
    actions: list[ActionData],
) -> None:
    """Format 2: theme letters in step order, balanced steps, an action for every weight ≥ 2."""
    step_order = {s.code: n for n, s in enumerate(steps)}
    in_step_order = sorted(themes, key=lambda t: step_order.get(t.step, len(steps)))
    letters = [chr(ord("A") + n) for n in range(len(themes))]
    if [t.code for t in themes] != letters or in_step_order != themes:
        check.fail(
            "[[themes]]",
            _(
                "de thema's moeten op volgorde van de stappen staan en A, B, C enzovoort heten; "
                "gevonden: %(found)s"
            )
            % {"found": ", ".join(f"{t.code} ({t.step})" for t in themes)},
        )
    theme_step = {t.code: t.step for t in themes}
    # Only the municipality's own maturity statements are scored (format 3): legal duties,
    # indicators and partner statements carry no weight in a step.
    scored = [q for q in questions if q.kind == QuestionKind.MATURITY and not q.partners]
    total = sum(q.weight for q in scored)
    if total:
        for step in steps:
            weight = sum(q.weight for q in scored if theme_step.get(q.theme) == step.code)
            if weight / total > MAX_STEP_SHARE:
                check.fail(
                    f"stap {step.code}",
                    _(
                        "heeft %(share)d%% van het totale gewicht (%(w)s van %(t)s); "
                        "maximaal %(max)d%%"
                    )
                    % {
                        "share": round(100 * weight / total),
                        "w": weight,
                        "t": total,
                        "max": round(100 * MAX_STEP_SHARE),
                    },
                )
    addressed = {code for a in actions for code in a.questions}
    for q in scored:
        if q.weight >= 2 and q.code not in addressed:
            check.fail(
                f"vraag {q.code}",
                _("gewicht %(w)s maar geen actie met deze vraag in 'questions'") % {"w": q.weight},
            )
    _check_applicability(check, questions, actions)
    for q in questions:
        if q.kind == QuestionKind.LEGAL_DUTY and q.code not in addressed:
            check.fail(
                f"vraag {q.code}",
                _("wettelijke plicht zonder actie met deze vraag in 'questions'"),
            )


def _check_applicability(
    check: _Checker, questions: list[QuestionData], actions: list[ActionData]
) -> None:
    """Format 3: an action applies where at least one of its statements applies.

    An action for one role bound only to statements for the other role is never proposed
    (an error); an action for all bound only to statements for one role should say so (a
    warning).
    """
    applies = {q.code: q.applies_to for q in questions}
    for a in actions:
        roles = {applies.get(code, Applicability.ALL) for code in a.questions}
        if a.applies_to != Applicability.ALL and not roles & {a.applies_to, Applicability.ALL}:
            check.fail(
                f"actie {a.code}",
                _("geldt voor %(a)s, maar geen van haar vragen geldt daar") % {"a": a.applies_to},
            )
        elif (
            a.applies_to == Applicability.ALL and len(roles) == 1 and Applicability.ALL not in roles
        ):
            check.warn(
                f"actie {a.code}",
                _("geldt voor alle gemeenten, maar haar vragen alleen voor %(r)s")
                % {"r": next(iter(roles))},
            )


SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
YEAR = re.compile(r"\b(19|20)\d{2}\b")


def _sentences(text: str) -> list[str]:
    return [part for part in SENTENCE_END.split(text.strip()) if part]


def _lint(
    check: _Checker, description: str, questions: list[QuestionData], actions: list[ActionData]
) -> None:
    """The lint list (warnings): B1 sentence length, one requirement per statement, years."""

    def texts() -> Iterator[tuple[str, str, str]]:
        yield "[framework]", "description", description
        for q in questions:
            where = f"vraag {q.code}"
            yield where, "statement", q.statement
            yield where, "help_text", q.help_text
            for level, text in enumerate(q.levels):
                yield where, f"levels[{level}]", text
        for a in actions:
            where = f"actie {a.code}"
            yield where, "title", a.title
            yield where, "description", a.description
            yield where, "description_centrumgemeente", a.description_centrumgemeente
            yield where, "description_regiogemeente", a.description_regiogemeente
            yield where, "done_when", a.done_when

    for where, name, text in texts():
        for sentence in _sentences(text):
            words = len(sentence.split())
            if words > MAX_SENTENCE_WORDS:
                check.warn(
                    where,
                    _("%(field)s: zin van %(n)s woorden (B1: hoogstens %(max)s): '%(start)s …'")
                    % {
                        "field": name,
                        "n": words,
                        "max": MAX_SENTENCE_WORDS,
                        "start": " ".join(sentence.split()[:6]),
                    },
                )
        if YEAR.search(text):
            check.warn(
                where,
                _(
                    "%(field)s: noemt een jaartal; een datum voor het woonplaatsbeginsel hoort "
                    "niet in de tekst"
                )
                % {"field": name},
            )
    for q in questions:
        if len(_sentences(q.statement)) > 1:
            check.warn(
                f"vraag {q.code}",
                _("statement: meer dan één zin; vraag één ding per stelling"),
            )


# --- Format 3: the glossary and the extra lint rules ---------------------------------------

# Words that may join two conditions when they follow "en": a new subject or a verb.
CLAUSE_STARTERS = frozenset(
    [
        "een",
        "wij",
        "we",
        "zij",
        "ze",
        "hij",
        "het",
        "de",
        "dat",
        "die",
        "dit",
        "deze",
        "er",
        "elk",
        "elke",
        "ieder",
        "iedere",
        "alle",
        "onze",
        "ons",
        "hun",
        "is",
        "zijn",
        "wordt",
        "worden",
        "heeft",
        "hebben",
        "krijgt",
        "krijgen",
        "kan",
        "kunnen",
        "moet",
        "moeten",
        "staat",
        "staan",
        "gaat",
        "gaan",
        "komt",
        "komen",
        "werkt",
        "werken",
        "reageert",
        "reageren",
        "tekent",
        "tekenen",
    ]
)
LEVEL_JOIN = re.compile(r",\s+(en|met)\s+|\sen\s+(\w+)", re.IGNORECASE)
# Law abbreviations look like words with one capital: W and a consonant (Wmo, Wlz, Wgs,
# Wvggz); ordinary Dutch words start with W and a vowel (or "Wr").
LAW_ABBREVIATION = re.compile(r"^W[bcdfgjklmnpqstvxz][a-z]{1,3}$")
TOKEN = re.compile(r"[\w'’-]+")
LONG_WORD = 22  # letters: a compound this long needs an explanation in the glossary


@dataclass(frozen=True)
class GlossaryTerm:
    term: str
    explanation: str
    forms: tuple[str, ...] = ()


def load_glossary(folder: Path = QUESTIONBANK_DIR) -> tuple[GlossaryTerm, ...]:
    """The glossary of a question-bank folder (``glossary.toml``), or the shipped one.

    Each ``[[terms]]`` has a ``term``, a plain-language ``explanation`` and optional other
    ``forms`` (a plural, an abbreviation). The check warns about terms not in it; pages can
    show the explanation where a term appears.
    """
    path = folder / GLOSSARY_FILE
    if not path.exists():
        path = QUESTIONBANK_DIR / GLOSSARY_FILE
    check = _Checker(file=path.name)
    terms: list[GlossaryTerm] = []
    for item in check.table_list(_read_toml(path), "terms"):
        where = f"term {item.get('term', '?')}"
        check.unknown_keys(item, {"term", "explanation", "forms"}, where)
        term = check.text(item, "term", where)
        explanation = check.text(item, "explanation", where)
        forms = item.get("forms", [])
        if not isinstance(forms, list) or not all(isinstance(f, str) for f in forms):
            check.fail(where, _("'forms' moet een lijst met teksten zijn"))
            forms = []
        terms.append(GlossaryTerm(term=term, explanation=explanation, forms=tuple(forms)))
    if check.problems:
        raise QuestionBankError(check.problems)
    return tuple(terms)


def joins_two_conditions(text: str) -> bool:
    """Whether a level text seems to ask two things: ", en", ", met" or "en" + a clause."""
    for match in LEVEL_JOIN.finditer(text):
        if match.group(1) or (match.group(2) or "").lower() in CLAUSE_STARTERS:
            return True
    return False


def unexplained_terms(text: str, glossary: tuple[GlossaryTerm, ...]) -> list[str]:
    """Abbreviations and very long words in a text that the glossary does not explain.

    A glossary term covers every word that starts with it (``DPIA`` covers ``DPIA's``,
    ``ervaringsdeskundige`` covers ``ervaringsdeskundigen``).
    """
    known = tuple(f.lower() for t in glossary for f in (t.term, *t.forms))
    found: list[str] = []
    for word in TOKEN.findall(text):
        word = word.strip("-'’")
        letters = [c for c in word if c.isalpha()]
        is_abbreviation = sum(c.isupper() for c in letters) >= 2 or bool(
            LAW_ABBREVIATION.match(word)
        )
        if not (is_abbreviation or len(letters) >= LONG_WORD):
            continue
        if not word.lower().startswith(known) and word not in found:
            found.append(word)
    return found


def _lint_v3(
    check: _Checker,
    questions: list[QuestionData],
    actions: list[ActionData],
    glossary: tuple[GlossaryTerm, ...],
) -> None:
    """Format 3 lint list: a level 3 with two conditions, terms outside the glossary."""
    for q in questions:
        if len(q.levels) == 5 and joins_two_conditions(q.levels[3]):
            check.warn(
                f"vraag {q.code}",
                _(
                    "levels[3]: lijkt twee voorwaarden te verbinden ('%(text)s'); "
                    "controleer of het één eis is"
                )
                % {"text": q.levels[3]},
            )
    texts: list[tuple[str, str]] = []
    for q in questions:
        texts += [(f"vraag {q.code}", t) for t in (q.statement, q.help_text, *q.levels)]
    for a in actions:
        texts += [
            (f"actie {a.code}", t)
            for t in (
                a.title,
                a.description,
                a.description_centrumgemeente,
                a.description_regiogemeente,
                a.done_when,
            )
        ]
    reported: set[str] = set()
    for where, text in texts:
        for term in unexplained_terms(text, glossary):
            if term in reported:
                continue
            reported.add(term)
            check.warn(
                where,
                _("'%(term)s' staat niet in de woordenlijst (%(file)s); leg het uit of voeg toe")
                % {"term": term, "file": GLOSSARY_FILE},
            )


# --- Mapping between versions -------------------------------------------------------------


@dataclass(frozen=True)
class QuestionMapping:
    """Which statements of a newer version continue the questions of an older one.

    ``keys`` maps every question code of the old version to the keys of the new version's
    statements that continue it: one key, several (a question split in two), or none (a
    question that was dropped). Trends and carry-forward compare rounds through this.
    """

    name: str
    old_version: str
    new_version: str
    keys: dict[str, tuple[str, ...]]

    def old_codes(self, key: str) -> tuple[str, ...]:
        """The old questions a new statement continues (none for new content)."""
        return tuple(code for code, keys in self.keys.items() if key in keys)


MAPPING_KEYS = {"name", "from", "to"}


def parse_mapping(path: Path | str, old: QuestionBank, new: QuestionBank) -> QuestionMapping:
    """Read and validate a mapping file between two parsed versions.

    Every question code of the old version must be mapped (to one or more keys, or to ``[]``
    when it was dropped); a code the old version does not have and a key the new version
    does not have are refused.
    """
    path = Path(path)
    check = _Checker(file=path.name)
    data = _read_toml(path)
    head = data.get("mapping")
    if not isinstance(head, dict):
        check.fail("[mapping]", _("de tabel ontbreekt"))
        head = {}
    check.unknown_keys(head, MAPPING_KEYS, "[mapping]")
    for key, expected in (("name", new.name), ("from", old.version), ("to", new.version)):
        if head.get(key) != expected:
            check.fail(
                "[mapping]",
                _("'%(key)s' moet '%(expected)s' zijn") % {"key": key, "expected": expected},
            )
    table = data.get("questions")
    if not isinstance(table, dict):
        check.fail("[questions]", _("de tabel ontbreekt"))
        table = {}
    new_keys = {q.key for q in new.questions if q.key}
    old_codes = [q.code for q in old.questions]
    keys: dict[str, tuple[str, ...]] = {}
    for code, value in table.items():
        where = f"vraag {code} van {old.version}"
        if code not in old_codes:
            check.fail(where, _("deze vraag bestaat niet in versie %(v)s") % {"v": old.version})
            continue
        targets = [value] if isinstance(value, str) else value
        if not isinstance(targets, list) or not all(isinstance(t, str) for t in targets):
            check.fail(where, _("verwacht een sleutel of een lijst met sleutels"))
            continue
        for target in targets:
            if target not in new_keys:
                check.fail(
                    where,
                    _("onbekende sleutel '%(k)s' in versie %(v)s")
                    % {"k": target, "v": new.version},
                )
        keys[code] = tuple(targets)
    for code in old_codes:
        if code not in table:
            check.fail(
                f"vraag {code} van {old.version}",
                _("staat niet in de mapping; geef de sleutel(s) in %(v)s of [] als ze vervalt")
                % {"v": new.version},
            )
    if check.problems:
        raise QuestionBankError(check.problems)
    return QuestionMapping(
        name=new.name, old_version=old.version, new_version=new.version, keys=keys
    )


def load_mapping(old_version: str, new_version: str, folder: Path = QUESTIONBANK_DIR):
    """The validated mapping between two shipped versions (QuestionMapping)."""
    path = folder / f"{MAPPING_PREFIX}{old_version}-{new_version}.toml"
    name = _read_toml(path).get("mapping", {}).get("name", "")
    old = find_bank(folder, name, old_version)
    new = find_bank(folder, name, new_version)
    if old is None or new is None:
        raise QuestionBankError([f"{path.name}: " + _("een van beide versies ontbreekt")])
    return parse_mapping(path, old, new)


def load_mapping_path(
    old_version: str, new_version: str, folder: Path = QUESTIONBANK_DIR
) -> QuestionMapping:
    """The mapping between two shipped versions, through the versions between them when no
    file maps them directly (2026.1 -> 2027.1 -> 2027.2): a question continues in the
    statements that its continuations continue in. Raises QuestionBankError without a path.
    """
    steps: dict[str, list[str]] = {}
    for path in sorted(folder.glob(f"{MAPPING_PREFIX}*.toml")):
        old, _dash, new = path.stem.removeprefix(MAPPING_PREFIX).partition("-")
        steps.setdefault(old, []).append(new)
    paths, seen = [[old_version]], {old_version}
    while paths and paths[0][-1] != new_version:
        path = paths.pop(0)
        for version in steps.get(path[-1], []):
            if version not in seen:
                seen.add(version)
                paths.append([*path, version])
    if not paths:
        raise QuestionBankError(
            [
                _("Geen koppeling van %(old)s naar %(new)s.")
                % {"old": old_version, "new": new_version}
            ]
        )
    chain = paths[0]
    mapping = load_mapping(chain[0], chain[1], folder)
    keys = mapping.keys
    for between, newer in itertools.pairwise(chain[1:]):
        bank = find_bank(folder, mapping.name, between)
        code_of_key = {q.key: q.code for q in bank.questions} if bank else {}
        onward = load_mapping(between, newer, folder).keys
        keys = {
            code: tuple(
                dict.fromkeys(k for key in old_keys for k in onward.get(code_of_key.get(key), ()))
            )
            for code, old_keys in keys.items()
        }
    return QuestionMapping(mapping.name, old_version, new_version, keys)


def check_file(path: Path | str) -> tuple[str, ...]:
    """Validate a question-bank, mapping or glossary file without writing; return warnings."""
    path = Path(path)
    if path.name == GLOSSARY_FILE:
        load_glossary(path.parent)
        return ()
    if path.name.startswith(MAPPING_PREFIX):
        head = _read_toml(path).get("mapping", {})
        load_mapping(str(head.get("from", "")), str(head.get("to", "")), path.parent)
        return ()
    return parse_questionbank(path).warnings


@dataclass(frozen=True)
class LoadResult:
    framework: FrameworkVersion
    outcome: str  # "created", "replaced" or "unchanged"


def load_questionbank(path: Path | str) -> LoadResult:
    """Validate the whole file, then write it in one transaction.

    Loading a file whose content is already stored changes nothing. A stored version that
    a round uses cannot be replaced: that needs a new version number in the file.
    """
    bank = parse_questionbank(path)
    with transaction.atomic():
        framework = (
            FrameworkVersion.objects.select_for_update()
            .filter(name=bank.name, version=bank.version)
            .first()
        )
        if framework is not None and framework.content_hash == bank.content_hash:
            return LoadResult(framework=framework, outcome="unchanged")
        if framework is not None and framework.is_in_use:
            raise QuestionBankError(
                [
                    f"{bank.source_file}: "
                    + _(
                        "versie %(version)s wordt al gebruikt in een meting en kan niet meer "
                        "veranderen; geef de nieuwe inhoud een nieuw versienummer"
                    )
                    % {"version": bank.version}
                ]
            )
        outcome = "created" if framework is None else "replaced"
        if framework is None:
            framework = FrameworkVersion(name=bank.name, version=bank.version)
        else:
            Step.objects.filter(framework=framework).delete()
            Source.objects.filter(framework=framework).delete()
        framework.status = bank.status
        framework.description = bank.description
        framework.source_file = bank.source_file
        framework.content_hash = bank.content_hash
        if bank.status == FrameworkVersion.Status.PUBLISHED and framework.published_at is None:
            framework.published_at = timezone.now()
        framework.save()
        _write_content(framework, bank)
    return LoadResult(framework=framework, outcome=outcome)


def _write_content(framework: FrameworkVersion, bank: QuestionBank) -> None:
    Source.objects.bulk_create(
        Source(framework=framework, code=s.code, title=s.title, url=s.url, year=s.year)
        for s in bank.sources
    )
    steps = {
        s.code: Step.objects.create(
            framework=framework,
            code=s.code,
            order=order,
            title=s.title,
            description=s.description,
        )
        for order, s in enumerate(bank.steps, start=1)
    }
    themes = {
        t.code: Theme.objects.create(
            framework=framework,
            step=steps[t.step],
            code=t.code,
            order=order,
            title=t.title,
            description=t.description,
        )
        for order, t in enumerate(bank.themes, start=1)
    }
    # Questions are ordered by step, then theme, then file order, so the questionnaire and
    # the report can sort on one column.
    ordered = sorted(
        bank.questions,
        key=lambda q: (themes[q.theme].step.order, themes[q.theme].order),
    )
    created = Question.objects.bulk_create(
        Question(
            framework=framework,
            theme=themes[q.theme],
            code=q.code,
            key=q.key,
            order=order,
            statement=q.statement,
            help_text=q.help_text,
            sources=", ".join(q.sources),
            source_note=q.source_note,
            weight=q.weight,
            is_critical=q.critical,
            level_descriptions=list(q.levels),
            kind=q.kind,
            applies_to=q.applies_to,
            legal_basis=q.legal_basis,
            unit=q.unit,
            period=q.period,
            partner_perspectives=list(q.partners),
        )
        for order, q in enumerate(ordered, start=1)
    )
    questions = {q.code: q for q in created}
    ActionTemplate.objects.bulk_create(
        ActionTemplate(
            framework=framework,
            theme=themes[a.theme],
            question=questions.get(a.question) if a.question else None,
            code=a.code,
            order=order,
            title=a.title,
            description=a.description,
            owner_domain=a.owner_domain,
            horizon_months=a.horizon_months,
            level=a.level,
            question_codes=", ".join(a.questions),
            done_when=a.done_when,
            owner_role=a.owner_role,
            description_centrumgemeente=a.description_centrumgemeente,
            description_regiogemeente=a.description_regiogemeente,
            applies_to=a.applies_to,
        )
        for order, a in enumerate(bank.actions, start=1)
    )
