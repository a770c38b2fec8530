"""Load question-bank files (all of readiness/questionbank/*.toml by default).

``--check`` validates without writing anything and prints the lint list (warnings such as
sentences longer than B1 allows). Mapping files (``mapping-*.toml``) are not loaded: they
are checked with the version that replaces the older one, or on their own with ``--check``.
The glossary (``glossary.toml``) is not loaded either: ``--check`` of a format-3 file warns
about terms it does not explain, and ``--check glossary.toml`` validates it.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from readiness.questionbank import (
    QUESTIONBANK_DIR,
    QuestionBankError,
    check_file,
    load_questionbank,
    question_bank_files,
)


class Command(BaseCommand):
    help = "Valideert en laadt vragenbankbestanden (TOML)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="*", type=Path, help="TOML-bestanden")
        parser.add_argument(
            "--check",
            action="store_true",
            help="Alleen controleren: niets opslaan, wel de lijst met waarschuwingen tonen.",
        )

    def handle(self, *args, files: list[Path], check: bool, **options) -> None:
        paths = files or question_bank_files(QUESTIONBANK_DIR)
        if not paths:
            raise CommandError(f"Geen vragenbankbestanden gevonden in {QUESTIONBANK_DIR.name}/")
        for path in paths:
            if check:
                self._check(path)
            else:
                self._load(path)

    def _check(self, path: Path) -> None:
        try:
            warnings = check_file(path)
        except QuestionBankError as exc:
            raise CommandError(f"{path.name} is niet geldig.\n{exc}") from exc
        for warning in warnings:
            self.stdout.write(f"waarschuwing: {warning}")
        self.stdout.write(
            f"{path.name}: geldig, {len(warnings)} waarschuwing(en); er is niets opgeslagen."
        )

    def _load(self, path: Path) -> None:
        try:
            result = load_questionbank(path)
        except QuestionBankError as exc:
            raise CommandError(
                f"{path.name} is niet geladen; de database is niet gewijzigd.\n{exc}"
            ) from exc
        framework = result.framework
        self.stdout.write(
            f"{path.name}: {framework} {result.outcome} "
            f"({framework.questions.count()} vragen, "
            f"{framework.action_templates.count()} actiesjablonen)"
        )
