"""Question-bank format 3 and version 2027.2: statement kinds, applicability, partners,
the glossary and the extra check rules; 2026.1 and 2027.1 stay exactly as stored."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from assessments.rounds.services import latest_framework, start_assessment
from readiness.models import ActionTemplate, FrameworkVersion, Question
from readiness.questionbank import (
    QUESTIONBANK_DIR,
    QuestionBankError,
    joins_two_conditions,
    load_glossary,
    load_mapping,
    load_questionbank,
    parse_questionbank,
    question_bank_files,
    unexplained_terms,
)

V3 = Path(__file__).parent / "data" / "v3"
# The content hashes of the shipped versions as stored since they shipped: rounds use
# them, so loading the files again must stay "unchanged".
V2026_1_HASH = "9ffeabcdebcffcc3ff9dae0a8ce273deab0b0a6613d8b880951fdfee139ef084"
V2027_1_HASH = "ca52663b8598116355969e8d01ad538e8dcdc8c490cacda31f5bb76811666841"
V2027_2 = QUESTIONBANK_DIR / "beschermd-thuis-2027.2.toml"


def v3_variant(tmp_path: Path, old: str, new: str, file: str = "small-3.toml") -> Path:
    """A copy of the format-3 fixtures (all versions, mappings, glossary) with one change."""
    for source in V3.glob("*.toml"):
        text = source.read_text(encoding="utf-8")
        if source.name == file:
            assert old in text, f"{file} does not contain {old!r}"
            text = text.replace(old, new, 1)
        (tmp_path / source.name).write_text(text, encoding="utf-8")
    return tmp_path / "small-3.toml"


def shipped() -> dict[str, object]:
    return {
        v: parse_questionbank(QUESTIONBANK_DIR / f"beschermd-thuis-{v}.toml")
        for v in ("2026.1", "2027.1", "2027.2")
    }


# --- The loader -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_format_3_file_loads_kinds_applicability_legal_basis_unit_period_and_partners():
    framework = load_questionbank(V3 / "small-3.toml").framework
    questions = {q.code: q for q in framework.questions.all()}
    assert questions["A1"].kind == "maturity" and questions["A1"].applies_to == "all"
    assert questions["A3"].partner_perspectives == ["corporatie"]
    duty = questions["B2"]
    assert (duty.kind, duty.legal_basis, duty.level_descriptions) == (
        "legal_duty",
        "AVG artikel 6 en 9",
        [],
    )
    indicator = questions["C2"]
    assert (indicator.kind, indicator.unit, indicator.period, indicator.applies_to) == (
        "indicator",
        "aantal inwoners",
        "per half jaar",
        "regiogemeente",
    )
    assert questions["C1"].applies_to == "centrumgemeente"
    actions = {a.code: a.applies_to for a in framework.action_templates.all()}
    assert actions == {"A-1": "all", "B-1": "all", "C-1": "centrumgemeente"}


BAD_V3 = [
    pytest.param(
        'applies_to = "all"\ntitle = "Breng',
        'title = "Breng',
        "actie A-1: 'applies_to' ontbreekt of is onbekend",
        id="action-without-applicability",
    ),
    pytest.param(
        'applies_to = "centrumgemeente"\ntitle',
        'applies_to = "provincie"\ntitle',
        "actie C-1: 'applies_to' ontbreekt of is onbekend",
        id="action-unknown-applicability",
    ),
    pytest.param(
        'theme = "A"\napplies_to = "all"\nstatement = "Wij weten',
        'theme = "A"\nstatement = "Wij weten',
        "vraag A1: 'applies_to' ontbreekt",
        id="statement-without-applicability",
    ),
    pytest.param(
        'legal_basis = "AVG artikel 6 en 9"\n',
        "",
        "vraag B2: 'legal_basis' ontbreekt",
        id="legal-duty-without-article",
    ),
    pytest.param(
        'unit = "aantal inwoners"\n',
        "",
        "vraag C2: 'unit' ontbreekt",
        id="indicator-without-unit",
    ),
    pytest.param(
        'period = "per half jaar"\n',
        "",
        "vraag C2: 'period' ontbreekt",
        id="indicator-without-period",
    ),
    pytest.param(
        'legal_basis = "AVG artikel 6 en 9"\n',
        'legal_basis = "AVG artikel 6 en 9"\nweight = 2\n',
        "vraag B2: een wettelijke plicht of indicator telt niet mee in de score",
        id="legal-duty-with-weight",
    ),
    pytest.param(
        'kind = "legal_duty"', 'kind = "wens"', "vraag B2: soort 'wens' is onbekend", id="kind"
    ),
    pytest.param(
        'partners = ["corporatie"]',
        'partners = ["bakker"]',
        "vraag A3: 'partners' moet een lijst zijn met partners",
        id="unknown-partner",
    ),
    pytest.param(
        'questions = ["B1", "B2"]',
        'questions = ["B1"]',
        "vraag B2: wettelijke plicht zonder actie",
        id="legal-duty-without-action",
    ),
    pytest.param(
        'applies_to = "centrumgemeente"\ntitle',
        'applies_to = "regiogemeente"\ntitle',
        "actie C-1: geldt voor regiogemeente, maar geen van haar vragen geldt daar",
        id="action-never-proposable",
    ),
    pytest.param(
        'weight = 3\nlevels = ["geen", "soms"',
        'legal_basis = "Wmo"\nweight = 3\nlevels = ["geen", "soms"',
        "vraag B1: 'legal_basis' hoort bij een wettelijke plicht of een indicator",
        id="maturity-with-article",
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("old", "new", "message"), BAD_V3)
def test_bad_format_3_file_is_refused_naming_the_item(tmp_path, old, new, message):
    path = v3_variant(tmp_path, old, new)
    with pytest.raises(QuestionBankError) as info:
        load_questionbank(path)
    assert any(p.startswith("small-3.toml: ") and message in p for p in info.value.problems), (
        info.value.problems
    )
    assert not FrameworkVersion.objects.exists()


def test_format_2_keys_of_format_3_are_refused_in_a_format_2_file(tmp_path):
    path = v3_variant(tmp_path, "format = 3", "format = 2")
    with pytest.raises(QuestionBankError, match="onbekend veld 'applies_to'"):
        parse_questionbank(path)


# --- The check rules ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "joins"),
    [
        ("De prestatieafspraken noemen een aantal, en dat aantal wordt gehaald.", True),
        ("Het aanspreekpunt is bekend en reageert binnen een afgesproken tijd.", True),
        ("Alle corporaties melden vroeg en wij nemen contact op.", True),
        ("In elke wijk is ontmoeting, met ervaringsdeskundigen.", True),
        ("Alle vrijwilligers krijgen training en een vaste begeleider.", True),
        ("Met politie, ggz en wijkteam zijn werkafspraken vastgelegd.", False),
        ("Aanbieders en ervaringsdeskundigen stelden het overzicht op.", False),
        ("Iedere inwoner in deze groep heeft een vaste regisseur.", False),
    ],
)
def test_a_level_text_joining_two_conditions_is_recognised(text, joins):
    assert joins_two_conditions(text) is joins


def test_unexplained_terms_are_abbreviations_and_long_words_outside_the_glossary():
    glossary = load_glossary(V3)
    text = (
        "De FG adviseert over de DPIA's, het CIZ beslist, de Wlz betaalt; OOV overlegt over "
        "de gegevensbeschermingseffectbeoordeling. Wij werken samen."
    )
    assert unexplained_terms(text, glossary) == [
        "FG",
        "CIZ",
        "Wlz",
        "gegevensbeschermingseffectbeoordeling",
    ]


def test_check_warns_about_a_two_condition_level_3_and_a_term_outside_the_glossary(tmp_path):
    path = v3_variant(
        tmp_path,
        '"het aantal", "besproken"]',
        '"het aantal is gehaald en wij bespreken het met het CIZ", "besproken"]',
    )
    warnings = parse_questionbank(path).warnings
    assert [w.split(": ", 2)[1] for w in warnings] == ["vraag A3", "vraag A3"]
    assert "levels[3]: lijkt twee voorwaarden te verbinden" in warnings[0]
    assert "'CIZ' staat niet in de woordenlijst (glossary.toml)" in warnings[1]


def test_an_action_for_all_bound_to_statements_for_one_role_is_a_warning(tmp_path):
    path = v3_variant(
        tmp_path, 'applies_to = "centrumgemeente"\ntitle', 'applies_to = "all"\ntitle'
    )
    assert parse_questionbank(path).warnings == (
        "small-3.toml: actie C-1: geldt voor alle gemeenten, maar haar vragen alleen voor "
        "centrumgemeente",
    )


def test_check_command_prints_the_format_3_warnings_and_refuses_a_missing_applicability(
    tmp_path,
):
    path = v3_variant(tmp_path, "Er is overleg met OOV.", "Er is overleg met de GGD.")
    out = StringIO()
    call_command("load_questionbank", str(path), "--check", stdout=out)
    assert "vraag B1: 'GGD' staat niet in de woordenlijst" in out.getvalue()
    assert "small-3.toml: geldig, 1 waarschuwing(en)" in out.getvalue()
    bad = v3_variant(tmp_path, 'applies_to = "all"\ntitle = "Breng', 'title = "Breng')
    with pytest.raises(CommandError, match=r"actie A-1: 'applies_to' ontbreekt"):
        call_command("load_questionbank", str(bad), "--check", stdout=StringIO())


def test_the_shipped_glossary_explains_the_terms_the_review_named():
    terms = {t.term.lower() for t in load_glossary()}
    named = {
        "planning- en controlcyclus",
        "intervisie",
        "herstelacademie",
        "zorgkantoor",
        "vroegsignalering",
        "doorbraakbudget",
        "modelgetrouwheid",
        "cliëntproces",
        "arrangement",
    }
    assert named <= terms
    assert all(t.explanation for t in load_glossary())


# --- The shipped versions -------------------------------------------------------------------


def test_2026_1_and_2027_1_keep_their_stored_content_hashes():
    banks = shipped()
    assert banks["2026.1"].content_hash == V2026_1_HASH
    assert banks["2027.1"].content_hash == V2027_1_HASH
    assert banks["2027.2"].format == 3 and banks["2027.2"].replaces == "2027.1"


def test_2027_2_has_no_lint_warnings():
    assert parse_questionbank(V2027_2).warnings == ()


def test_2027_2_corrects_the_facts_of_the_legal_review():
    bank = parse_questionbank(V2027_2)
    by_key = {q.key: q for q in bank.questions}
    by_code = {q.code: q for q in bank.questions}
    # F5 is no basisvoorwaarde any more; it is about existing versus new clients.
    assert {q.code for q in bank.questions if q.critical} == {"B2", "C1", "C4"}
    assert "bestaande en voor nieuwe cliënten" in by_code["F5"].statement
    assert "lopende-contracten" in by_key
    # Woonadres, never "adres in de BRP"; the bill starts by royal decree.
    text = V2027_2.read_text(encoding="utf-8")
    assert "adres in de basisregistratie" not in text and "adres in de BRP" not in text
    assert "koninklijk besluit" in by_code["F4"].help_text
    # J1 defines "onze inwoners", is no basisvoorwaarde and does not count with CBS.
    assert "woonadres" in by_code["J1"].help_text and by_code["J1"].weight == 3
    assert "CBS" not in by_code["J1"].sources + by_code["J2"].sources
    # The FG advises, the college decides; health data need AVG art. 9.
    d2 = next(a for a in bank.actions if a.code == "D-2")
    assert "college" in d2.done_when and "goedgekeurd" not in d2.done_when
    assert "artikel 9" in by_code["D3"].legal_basis
    # C-1 is done when a person with a mandate can deploy help at every hour.
    c1 = next(a for a in bank.actions if a.code == "C-1")
    assert "mandaat" in c1.done_when and "nummer" not in c1.done_when
    assert "Geschillencommissie" in by_code["G5"].help_text
    assert "drie tot vijf" not in text.lower()


def test_2027_2_has_legal_duties_indicators_and_weights_of_the_review():
    bank = parse_questionbank(V2027_2)
    duties = {q.code: q.legal_basis for q in bank.questions if q.kind == "legal_duty"}
    assert set(duties) == {"B8", "D3", "D5", "G6"} and all(duties.values())
    assert "schuldhulpverlening" in duties["B8"] and "2.2.4" in duties["G6"]
    indicators = [q for q in bank.questions if q.kind == "indicator"]
    assert len(indicators) == 10
    assert all(q.unit and q.period and q.legal_basis and q.sources for q in indicators)
    assert all(not q.levels and not q.critical for q in indicators)
    weights = {q.code: q.weight for q in bank.questions}
    assert (weights["H1"], weights["A6"], weights["I4"]) == (2, 2, 3)
    assert "D7" not in weights  # merged into the crisis route C5


def test_2027_2_says_where_everything_applies_and_has_the_centrumgemeente_items():
    bank = parse_questionbank(V2027_2)
    centrum = {q.key for q in bank.questions if q.applies_to == "centrumgemeente"}
    assert centrum == {
        "zorg-bestaande-clienten",
        "afbouw-intramuraal",
        "specialistisch-regionaal",
        "mo-wonen-eerst",
    }
    assert {q.applies_to for q in bank.questions} == {"all", "centrumgemeente", "regiogemeente"}
    partners = {p for q in bank.questions for p in q.partners}
    assert partners == {"corporatie", "zorgaanbieder", "ervaring", "politie", "ggd"}


def test_2027_2_actions_follow_the_review():
    actions = {a.code: a for a in parse_questionbank(V2027_2).actions}
    for code in ("A-8", "C-6", "G-2", "I-1"):
        assert actions[code].level == "bestuurlijk", code
    for a in actions.values():
        if a.level == "bestuurlijk":
            assert a.owner_role.startswith("wethouder"), a.code
    for code in ("C-1", "C-2", "A-2", "A-6"):
        assert 12 <= actions[code].horizon_months <= 18, code
    # Bundles split: A-2, E-2 and G-2 each address fewer statements, new actions the rest.
    assert actions["A-2"].questions == ("A2", "A3") and actions["A-9"].questions == ("A5",)
    assert actions["G-2"].questions == ("G4",) and actions["G-5"].questions == ("G3", "G5")
    assert "E4" not in actions["E-2"].questions and "E4" in actions["E-4"].questions
    for code in ("A-4", "C-4", "C-5", "E-2", "G-2"):
        assert actions[code].description_centrumgemeente, code
        assert actions[code].description_regiogemeente, code
    vague = ("ontvangen", "gepland", "geïnformeerd", "nummer werkt")
    for a in actions.values():
        assert not any(word in a.done_when for word in vague), a.code


def test_mapping_from_2027_1_covers_every_old_question():
    mapping = load_mapping("2027.1", "2027.2")
    old = parse_questionbank(QUESTIONBANK_DIR / "beschermd-thuis-2027.1.toml")
    assert set(mapping.keys) == {q.code for q in old.questions}
    assert mapping.keys["F5"] == (
        "verantwoordelijkheid-bestaande-nieuwe-clienten",
        "lopende-contracten",
    )
    assert mapping.keys["B8"] == ("vroegsignalering-wgs",)
    assert mapping.keys["D7"] == ("crisisroute",)
    assert mapping.keys["A1"] == ("aanbod-gaten",)
    assert mapping.old_codes("indicator-wachttijd") == ()  # new content


@pytest.mark.django_db
def test_2027_2_loads_next_to_the_older_versions_and_new_rounds_use_it(municipality, editor):
    load_questionbank(QUESTIONBANK_DIR / "beschermd-thuis-2026.1.toml")
    load_questionbank(QUESTIONBANK_DIR / "beschermd-thuis-2027.1.toml")
    running = start_assessment(municipality=municipality, user=editor, title="Lopend")
    assert running.framework.version == "2027.1"
    before = list(Question.objects.filter(framework=running.framework).values())

    out = StringIO()
    call_command("load_questionbank", stdout=out)

    assert "beschermd-thuis-2027.1.toml: Gereedheidsscan beschermd thuis 2027.1 unchanged" in (
        out.getvalue()
    )
    stored = dict(FrameworkVersion.objects.values_list("version", "content_hash"))
    assert stored["2026.1"] == V2026_1_HASH and stored["2027.1"] == V2027_1_HASH
    assert list(Question.objects.filter(framework=running.framework).values()) == before
    running.refresh_from_db()
    assert running.framework.version == "2027.1"
    assert latest_framework().version == "2027.3"
    new = start_assessment(municipality=municipality, user=editor, title="Nieuw")
    assert new.framework.version == "2027.3"
    assert new.framework.questions.count() == 107
    assert ActionTemplate.objects.filter(framework=new.framework, applies_to="regiogemeente")


def test_check_command_validates_the_glossary_and_the_loader_never_loads_it(tmp_path):
    out = StringIO()
    call_command("load_questionbank", str(V3 / "glossary.toml"), "--check", stdout=out)
    assert "glossary.toml: geldig, 0 waarschuwing(en)" in out.getvalue()
    bad = tmp_path / "glossary.toml"
    bad.write_text('[[terms]]\nterm = "CIZ"\n', encoding="utf-8")
    with pytest.raises(CommandError, match=r"term CIZ: 'explanation' ontbreekt"):
        call_command("load_questionbank", str(bad), "--check", stdout=StringIO())
    assert "glossary.toml" not in [p.name for p in question_bank_files(QUESTIONBANK_DIR)]
