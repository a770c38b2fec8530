"""Loading the municipalities of the CBS list into the database, idempotently."""

from __future__ import annotations

import csv
from pathlib import Path

from django.db import transaction

from assessments.models import Municipality

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
GEMEENTEN_CSV = DATA_DIR / "gemeenten-2026.csv"
DEMO_CODE = "GM9999"  # not a CBS code: CBS numbers real municipalities below 2000
# The demo's fictitious neighbours (setup_demo): GM99xx, like DEMO_CODE, never a CBS code.
DEMO_NEIGHBOUR_CODES = ("GM9998", "GM9997", "GM9996", "GM9995")


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
