"""Loading the municipalities of the CBS list into the database, idempotently."""

from __future__ import annotations

import csv
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from assessments.models import Municipality
from readiness.models import RegionRole

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
GEMEENTEN_CSV = DATA_DIR / "gemeenten-2026.csv"
# The 43 centrumgemeenten with the source of each name in its header (docs/domain-sources.md).
CENTRUMGEMEENTEN_CSV = DATA_DIR / "centrumgemeenten.csv"
DEMO_CODE = "GM9999"  # not a CBS code: CBS numbers real municipalities below 2000
# The demo's fictitious neighbours (setup_demo): GM99xx, like DEMO_CODE, never a CBS code.
DEMO_NEIGHBOUR_CODES = ("GM9998", "GM9997", "GM9996", "GM9995")
# There are 43 centrumgemeenten for beschermd wonen (Wmo 2015; memorie van toelichting bij
# wetsvoorstel 36288). A list of another length is refused: it is not that list.
CENTRUMGEMEENTEN_COUNT = 43


@transaction.atomic
def load_municipalities(path: Path = GEMEENTEN_CSV) -> tuple[int, int]:
    """Create or update municipalities from a CBS CSV; return (created, updated).

    Rows are matched on the CBS code, so loading twice changes nothing, and a municipality
    missing from a newer list is kept (it may have rounds); mark it ended in the admin.
    """
    created = updated = 0
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            values = {
                "name": row["naam"].strip(),
                "province_code": row["provincie_code"].strip(),
                "province": row["provincie"].strip(),
            }
            municipality, was_created = Municipality.objects.get_or_create(
                code=row["code"].strip(), defaults=values
            )
            if was_created:
                created += 1
            elif any(getattr(municipality, k) != v for k, v in values.items()):
                for key, value in values.items():
                    setattr(municipality, key, value)
                municipality.save()
                updated += 1
    return created, updated


@transaction.atomic
def mark_region_roles(path: Path) -> tuple[int, int]:
    """Set every municipality's role in its region from a list of the centrumgemeenten.

    The CSV has the columns ``code`` and ``naam`` (lines starting with ``#`` name the
    source). The listed municipalities become centrumgemeente, every other (non-demo)
    municipality regiogemeente; return (centrumgemeenten, regiogemeenten). A list without
    exactly 43 known codes changes nothing and raises ValidationError naming the problem.
    """
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(line for line in handle if not line.startswith("#")))
    codes = {row["code"].strip() for row in rows}
    problems = []
    if len(codes) != CENTRUMGEMEENTEN_COUNT:
        problems.append(
            _("De lijst moet %(n)s centrumgemeenten noemen; gevonden: %(found)s.")
            % {"n": CENTRUMGEMEENTEN_COUNT, "found": len(codes)}
        )
    unknown = sorted(
        codes - set(Municipality.objects.filter(code__in=codes).values_list("code", flat=True))
    )
    if unknown:
        problems.append(
            _("Onbekende gemeentecodes: %(codes)s. Laad eerst de gemeenten.")
            % {"codes": ", ".join(unknown)}
        )
    if problems:
        raise ValidationError(problems)
    real = Municipality.objects.filter(is_demo=False)
    centrum = real.filter(code__in=codes).update(region_role=RegionRole.CENTRUMGEMEENTE)
    regio = real.exclude(code__in=codes).update(region_role=RegionRole.REGIOGEMEENTE)
    return centrum, regio
