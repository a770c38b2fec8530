"""Create the fictitious demo municipality and its demo login (idempotent)."""

import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from assessments.common.municipalities import DEMO_CODE
from assessments.demo import create_example_round, create_history_rounds
from assessments.models import Membership, Municipality

DEMO_USERNAME = "demo"


class Command(BaseCommand):
    help = "Maakt de fictieve demogemeente en een demo-login (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reset-password", action="store_true", help="Geef de demo-login een nieuw wachtwoord."
        )

    @transaction.atomic
    def handle(self, *args, reset_password: bool, **options) -> None:
        municipality, _ = Municipality.objects.get_or_create(
            code=DEMO_CODE,
            defaults={
                "name": "Demodorp (fictief)",
                "province_code": "PV00",
                "province": "Demo",
                "is_demo": True,
            },
        )
        User = get_user_model()
        user, created = User.objects.get_or_create(
            username=DEMO_USERNAME,
            defaults={"first_name": "Demo", "last_name": "Beleidsadviseur"},
        )
        Membership.objects.get_or_create(
            user=user, municipality=municipality, defaults={"role": Membership.Role.COORDINATOR}
        )
        for assessment in create_history_rounds(municipality, user):
            self.stdout.write(f"Afgesloten meting '{assessment.title}' aangemaakt voor Demodorp.")
        if create_example_round(municipality, user):
            self.stdout.write("Voorbeeldmeting met drie invullers aangemaakt voor Demodorp.")
        if created or reset_password:
            password = secrets.token_urlsafe(12)
            user.set_password(password)
            user.save()
            self.stdout.write(
                self.style.SUCCESS(
                    "\n  Demo-login voor Demodorp (fictief)\n"
                    f"  gebruikersnaam: {DEMO_USERNAME}\n"
                    f"  wachtwoord:     {password}\n"
                    "  (dit wachtwoord wordt maar één keer getoond; een nieuw: "
                    "make demo-password)\n"
                )
            )
        else:
            self.stdout.write(
                f"Demo-login '{DEMO_USERNAME}' bestaat al (nieuw wachtwoord: make demo-password)."
            )
