"""Print the OIDC_OP_* environment lines for an identity provider (docs/configuration.md)."""

from django.core.management.base import BaseCommand, CommandError

from assessments.sso.discovery import DiscoveryError, discover


class Command(BaseCommand):
    help = (
        "Leest het discovery-document van een OpenID Connect-inlogdienst en drukt de "
        "OIDC_OP_*-regels af voor de omgeving."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "issuer", help="bijvoorbeeld https://login.microsoftonline.com/TENANT-ID/v2.0"
        )

    def handle(self, *args, **options) -> None:
        try:
            settings = discover(options["issuer"])
        except DiscoveryError as exc:
            raise CommandError(str(exc)) from exc
        for name, value in settings.items():
            self.stdout.write(f"{name}={value}")
        if "OIDC_OP_LOGOUT_ENDPOINT" not in settings:
            self.stderr.write(
                "Deze inlogdienst noemt geen end_session_endpoint: uitloggen beëindigt dan "
                "alleen de sessie in de scan."
            )
