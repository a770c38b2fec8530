"""Load (or refresh) the municipalities from the CBS list kept in the repository.

``--centrumgemeenten [FILE]`` then sets every municipality's role in its region from a list of
the 43 centrumgemeenten beschermd wonen (columns ``code,naam``; ``#`` lines name the source);
without FILE, the list kept in the repository (assessments/data/centrumgemeenten.csv).
"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from assessments.common.municipalities import (
    CENTRUMGEMEENTEN_CSV,
    GEMEENTEN_CSV,
    load_municipalities,
    mark_region_roles,
)


class Command(BaseCommand):
    help = "Laadt de gemeenten uit de CBS-lijst (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--file", type=Path, default=GEMEENTEN_CSV)
        parser.add_argument(
            "--centrumgemeenten",
            type=Path,
            nargs="?",
            const=CENTRUMGEMEENTEN_CSV,
            help=(
                "CSV met de 43 centrumgemeenten beschermd wonen (code,naam); zet de rol. "
                "Zonder bestand: de lijst in assessments/data/centrumgemeenten.csv."
            ),
        )

    def handle(self, *args, file: Path, centrumgemeenten: Path | None, **options) -> None:
        created, updated = load_municipalities(file)
        self.stdout.write(f"Gemeenten: {created} nieuw, {updated} bijgewerkt.")
        if centrumgemeenten is None:
            return
        try:
            centrum, regio = mark_region_roles(centrumgemeenten)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(f"Rol in de regio: {centrum} centrumgemeenten, {regio} regiogemeenten.")
