"""Create the fictitious demo municipality, its region and the demo logins (idempotent):
a coordinator of Demodorp, a consultant of Demodorp and a neighbour, and a
regio-coördinator. A new login's password is printed once; --reset-password makes new ones.
"""

import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from assessments.common.municipalities import DEMO_CODE
from assessments.demo import (
    create_consultant,
    create_example_round,
    create_history_rounds,
    create_neighbours,
    create_region,
    create_region_coordinator,
)
from assessments.models import Membership, Municipality

DEMO_USERNAME = "demo"


class Command(BaseCommand):
    help = "Maakt de fictieve demogemeente en een demo-login (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reset-password",
            action="store_true",
            help="Geef de demo-logins een nieuw wachtwoord.",
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
        self._password(user, created or reset_password, "Demo-login voor Demodorp (fictief)")
        neighbours = create_neighbours(municipality)
        region = create_region(municipality, neighbours)
        consultant, created = create_consultant([municipality, neighbours[0]])
        self._password(
            consultant,
            created or reset_password,
            f"Adviseur-login (portefeuille: {municipality.name}, {neighbours[0].name})",
        )
        region_coordinator, created = create_region_coordinator(region)
        self._password(
            region_coordinator, created or reset_password, f"Regio-login ({region.name})"
        )

    def _password(self, user, new: bool, title: str) -> None:
        """Print a new throwaway password once, or say the login exists."""
        username = user.get_username()
        if not new:
            self.stdout.write(
                f"Login '{username}' bestaat al (nieuw wachtwoord: make demo-password)."
            )
            return
        password = secrets.token_urlsafe(12)
        user.set_password(password)
        user.save()
        self.stdout.write(
            self.style.SUCCESS(
                f"\n  {title}\n"
                f"  gebruikersnaam: {username}\n"
                f"  wachtwoord:     {password}\n"
                "  (dit wachtwoord wordt maar één keer getoond; een nieuw: "
                "make demo-password)\n"
            )
        )
