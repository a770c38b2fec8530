"""Partner links in tests: make one, and open it as a partner does (tests/partners/)."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from assessments.models import PartnerLink
from assessments.partners.services import create_partner_link, link_query_string


def make_link(assessment, coordinator, **overrides) -> PartnerLink:
    options = {
        "organisation": "Woningcorporatie De Woonplaats",
        "perspective": "corporatie",
        "expires_at": timezone.now() + datetime.timedelta(days=30),
    } | overrides
    return create_partner_link(assessment=assessment, created_by=coordinator, **options)


def link_address(link: PartnerLink) -> str:
    """The path and signed query string a coordinator hands out (as in the QR code)."""
    return reverse("assessments:partner_entry", args=[link.pk]) + link_query_string(link)


def open_link(client, link: PartnerLink):
    """Open the link as a partner: the response of the entry (a redirect when it works)."""
    return client.get(link_address(link))


def partner_url(name: str, link: PartnerLink, *args) -> str:
    return reverse(f"assessments:{name}", args=[link.pk, *args])
