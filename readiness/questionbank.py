"""Reading a question-bank file (TOML) and writing it into the database.

Two steps so that a bad file never half-loads: ``parse_questionbank`` reads and validates
the whole file into plain data, collecting every problem; ``load_questionbank`` writes it
in one transaction. The file format is described in ``readiness/questionbank/README.md``.
"""

from __future__ import annotations

import hashlib
import json
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
    Domain,
    FrameworkVersion,
    Question,
    Source,
    Step,
    Theme,
)

QUESTIONBANK_DIR = Path(__file__).resolve().parent / "questionbank"
STEP_CODES = [code for code, _label in Step.Code.choices]

FRAMEWORK_KEYS = {"name", "version", "status", "description"}
SOURCE_KEYS = {"code", "title", "url"}
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

    @property
    def content_hash(self) -> str:
        content = asdict(self)
        content.pop("source_file")
        blob = json.dumps(content, sort_keys=True, ensure_ascii=False).encode()
        return hashlib.sha256(blob).hexdigest()


@dataclass
class _Checker:
    """Collects problems, each prefixed with the file and the item it is about."""

    file: str
    problems: list[str] = field(default_factory=list)

    def fail(self, where: str, problem: str) -> None:
        self.problems.append(f"{self.file}: {where}: {problem}")

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


def parse_questionbank(path: Path | str) -> QuestionBank:
    """Read and validate a question-bank file; raise QuestionBankError listing all problems."""
    path = Path(path)
    check = _Checker(file=path.name)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise QuestionBankError([f"{path.name}: " + _("bestand niet gevonden")]) from exc
    except tomllib.TOMLDecodeError as exc:
        raise QuestionBankError(
            [f"{path.name}: " + _("geen geldige TOML: %(error)s") % {"error": exc}]
        ) from exc

    framework = data.get("framework")
    if not isinstance(framework, dict):
        check.fail("[framework]", _("de tabel ontbreekt"))
        framework = {}
    check.unknown_keys(framework, FRAMEWORK_KEYS, "[framework]")
    name = check.text(framework, "name", "[framework]")
    version = check.text(framework, "version", "[framework]")
    description = check.text(framework, "description", "[framework]", required=False)
    status = framework.get("status", FrameworkVersion.Status.DRAFT)
    if status not in FrameworkVersion.Status.values:
        check.fail("[framework]", _("status moet 'published' of 'draft' zijn"))

    sources = _parse_sources(check, data)
    steps = _parse_steps(check, data)
    themes = _parse_themes(check, data, {s.code for s in steps})
    questions = _parse_questions(check, data, themes, {s.code for s in sources})
    actions = _parse_actions(check, data, themes, questions)

    if check.problems:
        raise QuestionBankError(check.problems)
    return QuestionBank(
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
    )


def _parse_sources(check: _Checker, data: dict[str, Any]) -> list[SourceData]:
    result: list[SourceData] = []
    for item, code, where in check.items(data, "sources", _("bron"), SOURCE_KEYS):
        title = check.text(item, "title", where)
        url = check.text(item, "url", where, required=False)
        result.append(SourceData(code=code, title=title, url=url))
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
    check: _Checker, data: dict[str, Any], themes: list[ThemeData], source_codes: set[str]
) -> list[QuestionData]:
    theme_codes = {t.code for t in themes}
    result: list[QuestionData] = []
    for item, code, where in check.items(data, "questions", _("vraag"), QUESTION_KEYS):
        theme = check.text(item, "theme", where)
        if theme and theme not in theme_codes:
            check.fail(where, _("onbekend thema '%(theme)s'") % {"theme": theme})
        elif theme and code and not code.startswith(theme):
            check.fail(where, _("de code begint niet met de letter van thema %(t)s") % {"t": theme})
        statement = check.text(item, "statement", where)
        help_text = check.text(item, "help_text", where)
        source_note = check.text(item, "source_note", where, required=False)
        weight = item.get("weight")
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
            )
        )
    if not result:
        check.fail("[[questions]]", _("er zijn geen vragen"))
    return result


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
        result.append(
            ActionData(
                code=code,
                theme=theme,
                title=title,
                description=description,
                owner_domain=owner,
                horizon_months=horizon,
                level=level,
                question=question,
            )
        )
    return result


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
        Source(framework=framework, code=s.code, title=s.title, url=s.url) for s in bank.sources
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
            order=order,
            statement=q.statement,
            help_text=q.help_text,
            sources=", ".join(q.sources),
            source_note=q.source_note,
            weight=q.weight,
            is_critical=q.critical,
            level_descriptions=list(q.levels),
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
        )
        for order, a in enumerate(bank.actions, start=1)
    )
