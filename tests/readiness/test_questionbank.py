"""The question-bank loader: valid files load, bad files name their problem and write nothing."""

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from readiness.models import ActionTemplate, FrameworkVersion, Question, Step, Theme
from readiness.questionbank import (
    QUESTIONBANK_DIR,
    QuestionBankError,
    load_questionbank,
    parse_questionbank,
)
from tests.factories import AssessmentFactory

SMALL = Path(__file__).parent / "data" / "small.toml"


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


def test_shipped_question_bank_is_complete():
    files = sorted(QUESTIONBANK_DIR.glob("*.toml"))
    assert files, "no question bank file in readiness/questionbank/"
    for path in files:
        bank = parse_questionbank(path)
        assert [s.code for s in bank.steps] == ["wijkbasis", "samenwerking", "start_nu"]
        assert len(bank.themes) == 8
        assert len(bank.questions) >= 60
        critical = {q.code for q in bank.questions if q.critical}
        assert critical == {"A7", "E1", "E4", "F5", "H1"}
        assert all(len(q.levels) == 5 for q in bank.questions if q.critical)
        per_theme = {t.code: 0 for t in bank.themes}
        for action in bank.actions:
            per_theme[action.theme] += 1
        assert min(per_theme.values()) >= 2, per_theme
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
