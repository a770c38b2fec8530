"""The municipalities' role in their region comes from a list of the 43 centrumgemeenten."""

import csv
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from assessments.common.municipalities import (
    CENTRUMGEMEENTEN_CSV,
    GEMEENTEN_CSV,
    mark_region_roles,
)
from assessments.models import Membership, Municipality
from assessments.rounds.questionnaire import for_municipality
from assessments.rounds.services import save_answer, start_assessment
from readiness.models import Question
from readiness.questionbank import QUESTIONBANK_DIR, load_questionbank
from tests.factories import MunicipalityFactory


def write_list(tmp_path: Path, codes: list[str]) -> Path:
    path = tmp_path / "centrumgemeenten.csv"
    rows = "".join(f"{code},Gemeente {code}\n" for code in codes)
    path.write_text("# Bron: een testlijst\ncode,naam\n" + rows, encoding="utf-8")
    return path


@pytest.mark.django_db
def test_listed_municipalities_become_centrumgemeente_and_the_others_regiogemeente(tmp_path):
    municipalities = MunicipalityFactory.create_batch(45)
    demo = MunicipalityFactory(is_demo=True, region_role="")
    listed = [m.code for m in municipalities[:43]]

    assert mark_region_roles(write_list(tmp_path, listed)) == (43, 2)

    roles = dict(Municipality.objects.values_list("code", "region_role"))
    assert {roles[c] for c in listed} == {"centrumgemeente"}
    assert roles[municipalities[43].code] == roles[municipalities[44].code] == "regiogemeente"
    assert roles[demo.code] == ""  # the demo keeps its own setting


@pytest.mark.django_db
def test_a_list_of_the_wrong_length_or_with_unknown_codes_changes_nothing(tmp_path):
    municipalities = MunicipalityFactory.create_batch(43, region_role="")
    codes = [m.code for m in municipalities]
    with pytest.raises(ValidationError, match="43 centrumgemeenten noemen; gevonden: 42"):
        mark_region_roles(write_list(tmp_path, codes[:42]))
    with pytest.raises(ValidationError, match="Onbekende gemeentecodes: GM0001"):
        mark_region_roles(write_list(tmp_path, [*codes[:42], "GM0001"]))
    assert set(Municipality.objects.values_list("region_role", flat=True)) == {""}


@pytest.mark.django_db
def test_the_command_sets_roles_only_when_given_the_list(tmp_path):
    csv = tmp_path / "gemeenten.csv"
    rows = "".join(f"GM{n:04d},Gemeente {n},PV26,Utrecht\n" for n in range(1, 45))
    csv.write_text("code,naam,provincie_code,provincie\n" + rows, encoding="utf-8")
    out = StringIO()
    call_command("load_municipalities", "--file", str(csv), stdout=out)
    assert set(Municipality.objects.values_list("region_role", flat=True)) == {""}

    listed = write_list(tmp_path, [f"GM{n:04d}" for n in range(1, 44)])
    call_command(
        "load_municipalities", "--file", str(csv), "--centrumgemeenten", str(listed), stdout=out
    )
    assert "Rol in de regio: 43 centrumgemeenten, 1 regiogemeenten." in out.getvalue()

    short = write_list(tmp_path, ["GM0001"])
    with pytest.raises(CommandError, match="gevonden: 1"):
        call_command("load_municipalities", "--file", str(csv), "--centrumgemeenten", str(short))


# --- The list kept in the repository -----------------------------------------------------------


def shipped_list() -> tuple[str, list[dict[str, str]]]:
    text = CENTRUMGEMEENTEN_CSV.read_text(encoding="utf-8")
    header = "".join(line for line in text.splitlines(keepends=True) if line.startswith("#"))
    rows = list(csv.DictReader(line for line in text.splitlines() if not line.startswith("#")))
    return header, rows


def test_the_shipped_list_names_43_municipalities_of_the_cbs_list_and_its_sources():
    header, rows = shipped_list()
    with GEMEENTEN_CSV.open(encoding="utf-8", newline="") as handle:
        cbs = {row["code"]: row["naam"] for row in csv.DictReader(handle)}

    assert len({row["code"] for row in rows}) == len(rows) == 43
    assert {row["code"]: row["naam"] for row in rows}.items() <= cbs.items()
    # Every name comes from one of the two decrees the header names (27 + 16).
    sources = [row["bron"] for row in rows]
    assert (sources.count("BDU SIV"), sources.count("Bmo bijlage A")) == (27, 16)
    assert "BWBR0018238" in header and "BWBR0020379" in header
    # Spijkenisse merged into Nissewaard, which takes over its role; the merger's law is named.
    nissewaard = next(row for row in rows if row["naam"] == "Nissewaard")
    assert "Spijkenisse" in nissewaard["opmerking"] and "BWBR0035172" in header


@pytest.mark.django_db
def test_the_command_without_a_file_marks_the_shipped_list():
    out = StringIO()
    call_command("load_municipalities", "--centrumgemeenten", stdout=out)

    assert "Rol in de regio: 43 centrumgemeenten, 299 regiogemeenten." in out.getvalue()
    roles = dict(Municipality.objects.values_list("name", "region_role"))
    assert roles["Utrecht"] == roles["Nissewaard"] == roles["Vlissingen"] == "centrumgemeente"
    assert roles["Zeist"] == roles["Schiedam"] == roles["Lelystad"] == "regiogemeente"


@pytest.mark.django_db
def test_the_role_from_the_list_makes_the_other_roles_statements_nvt(editor):
    call_command("load_municipalities", "--centrumgemeenten", stdout=StringIO())
    load_questionbank(QUESTIONBANK_DIR / "beschermd-thuis-2027.2.toml")
    utrecht = Municipality.objects.get(name="Utrecht")
    zeist = Municipality.objects.get(name="Zeist")
    for municipality in (utrecht, zeist):
        Membership.objects.create(user=editor, municipality=municipality, role="editor")
    centrum = start_assessment(municipality=utrecht, user=editor, title="Nulmeting")
    regio = start_assessment(municipality=zeist, user=editor, title="Nulmeting")

    def asked(assessment):
        return {q.code for q in for_municipality(assessment)}

    only_centrum = {"F9", "F10", "F11", "F12"}
    only_regio = {"F13"}
    assert only_centrum <= asked(centrum) and not only_regio & asked(centrum)
    assert only_regio <= asked(regio) and not only_centrum & asked(regio)

    f9 = Question.objects.get(framework=regio.framework, code="F9")
    with pytest.raises(ValidationError, match="niet van toepassing"):
        save_answer(assessment=regio, user=editor, question=f9, value="3", note="")
