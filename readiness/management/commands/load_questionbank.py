"""Load question-bank files (all of readiness/questionbank/*.toml by default)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from readiness.questionbank import QUESTIONBANK_DIR, QuestionBankError, load_questionbank


class Command(BaseCommand):
    help = "Valideert en laadt vragenbankbestanden (TOML)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="*", type=Path, help="TOML-bestanden")

    def handle(self, *args, files: list[Path], **options) -> None:
        paths = files or sorted(QUESTIONBANK_DIR.glob("*.toml"))
        if not paths:
            raise CommandError(f"Geen vragenbankbestanden gevonden in {QUESTIONBANK_DIR.name}/")
        for path in paths:
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
