"""The municipalities' role in their region comes from a list of the 43 centrumgemeenten."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from assessments.common.municipalities import mark_region_roles
from assessments.models import Municipality
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
