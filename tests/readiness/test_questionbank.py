"""The question-bank loader: valid files load, bad files name their problem and write nothing."""

import dataclasses
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from assessments.rounds.services import latest_framework
from readiness.models import ActionTemplate, FrameworkVersion, Question, Step, Theme
from readiness.questionbank import (
    QUESTIONBANK_DIR,
    QuestionBankError,
    load_mapping,
    load_questionbank,
    parse_questionbank,
)
from tests.factories import AssessmentFactory

SMALL = Path(__file__).parent / "data" / "small.toml"
# The content hash of beschermd-thuis-2026.1.toml as stored since that version shipped.
V2026_1_HASH = "9ffeabcdebcffcc3ff9dae0a8ce273deab0b0a6613d8b880951fdfee139ef084"


def write_variant(tmp_path: Path, old: str, new: str, name: str = "bad.toml") -> Path:
    text = SMALL.read_text(encoding="utf-8")
    assert old in text, f"fixture does not contain {old!r}"
    path = tmp_path / name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def counts() -> tuple[int, ...]:
    return tuple(
        m.objects.count() for m in (FrameworkVersion, Step, Theme, Question, ActionTemplate)
    )


@pytest.mark.django_db
def test_valid_file_loads_everything():
    result = load_questionbank(SMALL)
    framework = result.framework
    assert result.outcome == "created"
    assert framework.is_published and framework.published_at is not None
    assert [s.code for s in framework.steps.all()] == ["wijkbasis", "samenwerking", "start_nu"]
    assert framework.themes.count() == 3
    a2 = framework.questions.get(code="A2")
    assert a2.is_critical and a2.weight == 3 and a2.level_descriptions[4] == "gemonitord"
    assert a2.theme.step.code == "wijkbasis"
    assert framework.action_templates.get(code="A-2").question == a2
    assert framework.action_templates.get(code="A-1").question is None


@pytest.mark.django_db
def test_loading_twice_changes_nothing():
    first = load_questionbank(SMALL)
    before = counts()
    second = load_questionbank(SMALL)
    assert second.outcome == "unchanged"
    assert second.framework.pk == first.framework.pk
    assert counts() == before


BAD_FILES = [
    pytest.param('code = "B1"', 'code = "A1"', "vraag A1: dubbele code", id="duplicate-code"),
    pytest.param(
        'theme = "C"\nstatement',
        'theme = "Z"\nstatement',
        "vraag C1: onbekend thema 'Z'",
        id="unknown-theme",
    ),
    pytest.param(
        'statement = "Er is een scholingsplan."\n',
        "",
        "vraag C1: 'statement' ontbreekt",
        id="missing-statement",
    ),
    pytest.param(
        "weight = 1",
        "weight = 4",
        "vraag B1: gewicht 4 ligt niet tussen 1 en 3",
        id="weight-too-high",
    ),
    pytest.param(
        "weight = 1", "weight = 0", "vraag B1: gewicht 0 ligt niet tussen 1 en 3", id="weight-zero"
    ),
    pytest.param(
        'sources = ["S1"]\nweight = 1',
        'sources = ["S9"]\nweight = 1',
        "vraag B1: onbekende bron 'S9'",
        id="unknown-source",
    ),
    pytest.param(
        'levels = ["geen", ', "levels = [", "vraag A2: 'levels' moet precies 5", id="four-levels"
    ),
    pytest.param(
        "horizon_months = 6", "horizon_months = 60", "actie A-1: termijn 60", id="horizon"
    ),
    pytest.param(
        'owner_domain = "wonen"',
        'owner_domain = "sport"',
        "actie A-2: onbekend domein 'sport'",
        id="domain",
    ),
    pytest.param(
        'code = "start_nu"', 'code = "later"', "verwacht precies de stappen", id="wrong-steps"
    ),
    pytest.param(
        'weight = 2\ncritical = false\n\n[[questions]]\ncode = "A2"',
        'wieght = 2\ncritical = false\n\n[[questions]]\ncode = "A2"',
        "vraag A1: onbekend veld 'wieght'",
        id="typo-key",
    ),
    pytest.param("[framework]", "[framework", "geen geldige TOML", id="syntax"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("old", "new", "message"), BAD_FILES)
def test_bad_file_names_file_code_and_problem_and_writes_nothing(tmp_path, old, new, message):
    path = write_variant(tmp_path, old, new)
    before = counts()
    with pytest.raises(QuestionBankError) as info:
        load_questionbank(path)
    assert any(p.startswith("bad.toml: ") and message in p for p in info.value.problems), (
        info.value.problems
    )
    assert counts() == before


@pytest.mark.django_db
def test_command_reports_bad_file_and_leaves_database_unchanged(tmp_path):
    load_questionbank(SMALL)
    before = counts()
    path = write_variant(tmp_path, "weight = 1", "weight = 7")
    with pytest.raises(CommandError, match=r"bad\.toml.*vraag B1: gewicht 7"):
        call_command("load_questionbank", str(path))
    assert counts() == before


@pytest.mark.django_db
def test_changed_file_replaces_a_version_nobody_uses(tmp_path):
    load_questionbank(SMALL)
    path = write_variant(tmp_path, "Er is een scholingsplan.", "Er is een opleidingsplan.")
    result = load_questionbank(path)
    assert result.outcome == "replaced"
    assert Question.objects.get(code="C1").statement == "Er is een opleidingsplan."
    assert FrameworkVersion.objects.count() == 1


@pytest.mark.django_db
def test_changed_file_cannot_replace_a_version_in_use(tmp_path):
    framework = load_questionbank(SMALL).framework
    AssessmentFactory(framework=framework)
    before = counts()
    path = write_variant(tmp_path, "Er is een scholingsplan.", "Er is een opleidingsplan.")
    with pytest.raises(QuestionBankError, match="nieuw versienummer"):
        load_questionbank(path)
    assert counts() == before
    assert Question.objects.get(code="C1").statement == "Er is een scholingsplan."


@pytest.mark.django_db
def test_new_version_loads_beside_a_version_in_use(tmp_path):
    framework = load_questionbank(SMALL).framework
    AssessmentFactory(framework=framework)
    path = write_variant(tmp_path, 'version = "1"', 'version = "2"')
    result = load_questionbank(path)
    assert result.outcome == "created"
    assert FrameworkVersion.objects.count() == 2


def test_shipped_2026_1_is_complete_and_keeps_its_content_hash():
    bank = parse_questionbank(QUESTIONBANK_DIR / "beschermd-thuis-2026.1.toml")
    # The hash of the stored version: loading it again must stay "unchanged", also now
    # that the loader knows format 2 (rounds use this version, so it can never change).
    assert bank.content_hash == V2026_1_HASH
    assert bank.format == 1 and bank.warnings == ()
    assert [s.code for s in bank.steps] == ["wijkbasis", "samenwerking", "start_nu"]
    assert len(bank.questions) == 66 and len(bank.themes) == 8
    critical = {q.code for q in bank.questions if q.critical}
    assert critical == {"A7", "E1", "E4", "F5", "H1"}
    theme_step = {t.code: t.step for t in bank.themes}
    assert theme_step == {
        "A": "wijkbasis",
        "E": "wijkbasis",
        "B": "samenwerking",
        "D": "samenwerking",
        "F": "samenwerking",
        "G": "samenwerking",
        "C": "start_nu",
        "H": "start_nu",
    }


def test_shipped_2027_1_follows_the_format_2_rules():
    bank = parse_questionbank(QUESTIONBANK_DIR / "beschermd-thuis-2027.1.toml")
    assert bank.format == 2 and bank.replaces == "2026.1"
    assert [t.code for t in bank.themes] == list("ABCDEFGHIJ")
    assert all(len(q.levels) == 5 and q.key for q in bank.questions)
    assert all(s.url and s.year for s in bank.sources)
    critical = {q.key for q in bank.questions if q.critical}
    assert critical == {
        "woningen-uitstroom",
        "bereikbaar-24-7",
        "crisisplekken",
        "overgang-clienten",
        "aantal-eigen-inwoners",
    }
    addressed = {code for a in bank.actions for code in a.questions}
    assert {q.code for q in bank.questions} <= addressed  # every statement has an action
    assert all(a.done_when and a.owner_role for a in bank.actions)
    theme_step = {t.code: t.step for t in bank.themes}
    total = sum(q.weight for q in bank.questions)
    for step in ("wijkbasis", "samenwerking", "start_nu"):
        weight = sum(q.weight for q in bank.questions if theme_step[q.theme] == step)
        assert weight / total <= 0.40, step
    owners = [a.owner_domain for a in bank.actions]
    assert owners.count("wmo_zorg") / len(owners) < 0.25
    assert {"financien", "inkoop", "informatie_fg", "ggd", "regio"} <= set(owners)
    # Texts never fix a date for the woonplaatsbeginsel; the one year left is a fact
    # about the Wlz (open to ggz since 2021), kept as a reviewed lint warning.
    assert [w for w in bank.warnings if "jaartal" in w] == [
        "beschermd-thuis-2027.1.toml: vraag C6: help_text: noemt een jaartal; een datum "
        "voor het woonplaatsbeginsel hoort niet in de tekst"
    ]
    assert not [w for w in bank.warnings if "woorden" in w]


def test_mapping_from_2026_1_covers_every_old_question():
    mapping = load_mapping("2026.1", "2027.1")
    old = parse_questionbank(QUESTIONBANK_DIR / "beschermd-thuis-2026.1.toml")
    assert set(mapping.keys) == {q.code for q in old.questions}
    assert mapping.keys["A7"] == ("woningen-uitstroom",)
    assert mapping.keys["B2"] == ("signalen-werkafspraken", "gegevensdeling-grondslag")
    assert mapping.old_codes("woningen-uitstroom") == ("A7",)
    assert mapping.old_codes("wvggz-meldpunt") == ()  # new content


# --- Format 2 -----------------------------------------------------------------------------

V2 = Path(__file__).parent / "data" / "v2"


def v2_variant(tmp_path: Path, old: str, new: str, file: str = "small-2.toml") -> Path:
    """A copy of the format-2 fixtures (both versions and the mapping) with one change."""
    for source in V2.glob("*.toml"):
        text = source.read_text(encoding="utf-8")
        if source.name == file:
            assert old in text, f"{file} does not contain {old!r}"
            text = text.replace(old, new, 1)
        (tmp_path / source.name).write_text(text, encoding="utf-8")
    return tmp_path / "small-2.toml"


@pytest.mark.django_db
def test_format_2_file_loads_keys_bindings_and_done_when():
    load_questionbank(V2 / "small-1.toml")
    framework = load_questionbank(V2 / "small-2.toml").framework
    assert framework.questions.get(code="A2").key == "woningen-uitstroom"
    assert framework.sources.get(code="S1").year == 2022
    b1 = framework.action_templates.get(code="B-1")
    assert b1.bound_question_codes == ("B1", "B2")
    assert b1.theme.code == "B" and b1.question is None
    assert b1.done_when == "De afspraken zijn getekend en de FG heeft ze getoetst."
    assert b1.owner_role == "privacyadviseur"
    a2 = framework.action_templates.get(code="A-2")
    assert a2.description_for("centrumgemeente") == "Leg met de regiogemeenten aantallen vast."
    assert a2.description_for("regiogemeente") == "Leg met de centrumgemeente aantallen vast."
    assert a2.description_for("") == "Leg aantallen vast in de prestatieafspraken."


BAD_V2_FILES = [
    pytest.param(
        'levels = ["geen", "soms", "afgesproken", "vast", "geëvalueerd"]\n',
        "",
        "small-2.toml",
        "vraag B1: elke vraag heeft vijf niveaubeschrijvingen nodig",
        id="statement-without-levels",
    ),
    pytest.param(
        'questions = ["C1"]\n',
        "",
        "small-2.toml",
        "actie C-1: 'questions' moet een niet-lege lijst met vraagcodes zijn",
        id="action-without-questions",
    ),
    pytest.param(
        'done_when = "Het plan heeft budget."\n',
        "",
        "small-2.toml",
        "actie C-1: 'done_when' ontbreekt",
        id="action-without-done-when",
    ),
    pytest.param(
        'questions = ["C1"]',
        'questions = ["C9"]',
        "small-2.toml",
        "actie C-1: onbekende vraag 'C9'",
        id="action-with-unknown-question",
    ),
    pytest.param(
        'help_text = "Opleidingen zijn schaars."\nsources = ["S1"]',
        'help_text = "Opleidingen zijn schaars."\nsources = ["S7"]',
        "small-2.toml",
        "vraag C1: onbekende bron 'S7'",
        id="unknown-source",
    ),
    pytest.param(
        "year = 2022\n", "", "small-2.toml", "bron S1: 'year' moet een jaartal zijn", id="no-year"
    ),
    pytest.param(
        'url = "https://example.org/bron-een"\n',
        "",
        "small-2.toml",
        "bron S1: 'url' ontbreekt",
        id="no-url",
    ),
    pytest.param(
        'C1 = "scholingsplan"\n',
        "",
        "mapping-1-2.toml",
        "mapping-1-2.toml: vraag C1 van 1: staat niet in de mapping",
        id="unmapped-question",
    ),
    pytest.param(
        'C1 = "scholingsplan"',
        'C1 = "opleidingsplan"',
        "mapping-1-2.toml",
        "mapping-1-2.toml: vraag C1 van 1: onbekende sleutel 'opleidingsplan' in versie 2",
        id="unknown-key-in-mapping",
    ),
    pytest.param(
        'C1 = "scholingsplan"',
        'C1 = "scholingsplan"\nC7 = "scholingsplan"',
        "mapping-1-2.toml",
        "mapping-1-2.toml: vraag C7 van 1: deze vraag bestaat niet in versie 1",
        id="unknown-old-code-in-mapping",
    ),
    pytest.param(
        "weight = 2\ncritical = true",
        "weight = 3\ncritical = true",
        "small-2.toml",
        "stap wijkbasis: heeft 45% van het totale gewicht (5 van 11); maximaal 40%",
        id="step-over-40-percent",
    ),
    pytest.param(
        'code = "C"\nstep = "start_nu"',
        'code = "D"\nstep = "start_nu"',
        "small-2.toml",
        "de thema's moeten op volgorde van de stappen staan en A, B, C",
        id="theme-letters",
    ),
    pytest.param(
        'key = "scholingsplan"',
        'key = "aanbod-gaten"',
        "small-2.toml",
        "vraag C1: dubbele sleutel 'aanbod-gaten'",
        id="duplicate-key",
    ),
    pytest.param(
        'questions = ["C1"]\n',
        'questions = ["A1"]\n',
        "small-2.toml",
        "vraag C1: gewicht 3 maar geen actie met deze vraag",
        id="weight-without-action",
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("old", "new", "file", "message"), BAD_V2_FILES)
def test_bad_format_2_file_is_refused_naming_the_item(tmp_path, old, new, file, message):
    load_questionbank(V2 / "small-1.toml")
    before = counts()
    path = v2_variant(tmp_path, old, new, file)
    with pytest.raises(QuestionBankError) as info:
        load_questionbank(path)
    assert any(message in p for p in info.value.problems), info.value.problems
    assert counts() == before


def test_lint_lists_long_sentences_and_years_without_refusing(tmp_path):
    long = " ".join(["woord"] * 21) + "."
    path = v2_variant(
        tmp_path,
        'help_text = "Wonen is de basis."',
        f'help_text = "Wonen is de basis. {long} Dat staat sinds 2024 vast."',
    )
    bank = parse_questionbank(path)
    assert bank.warnings == (
        "small-2.toml: vraag A2: help_text: zin van 21 woorden (B1: hoogstens 20): "
        "'woord woord woord woord woord woord …'",
        "small-2.toml: vraag A2: help_text: noemt een jaartal; een datum voor het "
        "woonplaatsbeginsel hoort niet in de tekst",
    )
    # Warnings never refuse a file, and they are no content: not part of the hash.
    assert dataclasses.replace(bank, warnings=()).content_hash == bank.content_hash


@pytest.mark.django_db
def test_check_command_writes_nothing_and_prints_the_lint_list(tmp_path):
    path = v2_variant(
        tmp_path, 'statement = "Er is een DPIA."', 'statement = "Er is een DPIA. Ook een FG."'
    )
    out = StringIO()
    call_command("load_questionbank", str(path), "--check", stdout=out)
    assert counts() == (0, 0, 0, 0, 0)
    assert "vraag B2: statement: meer dan één zin" in out.getvalue()
    assert "small-2.toml: geldig, 1 waarschuwing(en); er is niets opgeslagen." in out.getvalue()
    call_command("load_questionbank", str(tmp_path / "mapping-1-2.toml"), "--check", stdout=out)
    assert "mapping-1-2.toml: geldig" in out.getvalue()


def test_check_command_refuses_a_bad_file(tmp_path):
    path = v2_variant(tmp_path, 'done_when = "Het plan heeft budget."\n', "")
    with pytest.raises(CommandError, match=r"small-2\.toml.*actie C-1: 'done_when' ontbreekt"):
        call_command("load_questionbank", str(path), "--check", stdout=StringIO())


@pytest.mark.django_db
def test_loading_every_shipped_file_loads_every_version_and_new_rounds_use_the_newest():
    call_command("load_questionbank", stdout=StringIO())
    versions = sorted(FrameworkVersion.objects.values_list("version", flat=True))
    assert versions == ["2026.1", "2027.1", "2027.2", "2027.3"]
    assert latest_framework().version == "2027.3"
    assert FrameworkVersion.objects.get(version="2027.1").questions.count() == 84
    assert FrameworkVersion.objects.get(version="2027.2").questions.count() == 107
    assert FrameworkVersion.objects.get(version="2027.3").questions.count() == 107
