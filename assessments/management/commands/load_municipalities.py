"""Load (or refresh) the municipalities from the CBS list kept in the repository."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser

from assessments.common.municipalities import GEMEENTEN_CSV, load_municipalities


class Command(BaseCommand):
    help = "Laadt de gemeenten uit de CBS-lijst (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--file", type=Path, default=GEMEENTEN_CSV)

    def handle(self, *args, file: Path, **options) -> None:
        created, updated = load_municipalities(file)
        self.stdout.write(f"Gemeenten: {created} nieuw, {updated} bijgewerkt.")
