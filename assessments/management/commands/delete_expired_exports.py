"""Delete the batch export ZIPs whose 24 hours are over (also a beat task, hourly)."""

from django.core.management.base import BaseCommand

from assessments.tasks import delete_expired_batch_exports


class Command(BaseCommand):
    help = "Verwijdert verlopen ZIP-exports van meerdere metingen."

    def handle(self, *args, **options) -> None:
        deleted = delete_expired_batch_exports()
        self.stdout.write(f"Verlopen exports verwijderd: {deleted}.")
