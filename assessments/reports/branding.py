"""The report's branding: the municipality's and the consultant's logo on the cover.

A logo is checked before it is stored: at most ``MAX_LOGO_BYTES``, a PNG that Pillow can
read, or an SVG without scripts, event handlers, embedded documents or references to
anything outside itself. The report shows a logo only as an ``<img>`` (never inline SVG),
so WeasyPrint draws it as a picture, and its URL fetcher refuses external URLs anyway:
the checks here are the first line, not the only one.
"""

from __future__ import annotations

import io
import re
import warnings
from xml.etree import ElementTree

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from assessments.models import Municipality, ReportBranding

MAX_LOGO_BYTES = 300 * 1024
MAX_LOGO_PIXELS = 4000  # per side, for a PNG
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

_SVG = "{http://www.w3.org/2000/svg}"
_XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
# Elements that run code or pull in other documents.
_FORBIDDEN_ELEMENTS = {"script", "foreignobject", "iframe", "embed", "object", "handler"}
# A url(...) that points anywhere but into the SVG itself (#id).
_EXTERNAL_URL = re.compile(r"url\(\s*['\"]?\s*(?!#)", re.IGNORECASE)


def logo_content_type(data: bytes) -> str:
    """The content type of a stored (so validated) logo."""
    return "image/png" if data.startswith(PNG_SIGNATURE) else "image/svg+xml"


def validate_logo(data: bytes) -> str:
    """Check an uploaded logo; return its content type or raise a Dutch ValidationError."""
    if len(data) > MAX_LOGO_BYTES:
        raise ValidationError(
            _("Het logo is te groot. Het mag hoogstens %(kb)s kB zijn.")
            % {"kb": MAX_LOGO_BYTES // 1024}
        )
    if data.startswith(PNG_SIGNATURE):
        _validate_png(data)
        return "image/png"
    if b"<svg" in data[:4096]:
        _validate_svg(data)
        return "image/svg+xml"
    raise ValidationError(_("Het logo moet een PNG- of SVG-bestand zijn."))


def _validate_png(data: bytes) -> None:
    too_large = ValidationError(
        _("Het logo is te groot. Het mag hoogstens %(px)s pixels breed en hoog zijn.")
        % {"px": MAX_LOGO_PIXELS}
    )
    try:
        # A few hundred bytes can claim billions of pixels: Pillow refuses those on open
        # (an error, or a warning just under its limit, raised here); the size in the header
        # is checked before any pixel is decoded.
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
                if max(width, height) > MAX_LOGO_PIXELS:
                    raise too_large
                image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise too_large from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(_("Dit PNG-bestand is beschadigd of geen echt PNG-bestand.")) from exc


def _validate_svg(data: bytes) -> None:
    refused = ValidationError(
        _(
            "Dit SVG-bestand kunnen we niet gebruiken: het bevat een script of verwijst naar "
            "iets buiten het bestand. Sla het logo op als gewone afbeelding of als PNG."
        )
    )
    # No DTD at all: entities are how an XML file reaches for other files or explodes.
    if b"<!DOCTYPE" in data.upper() or b"<!ENTITY" in data.upper():
        raise refused
    try:
        root = ElementTree.fromstring(data)  # noqa: S314 - no DTD, checked above
    except ElementTree.ParseError as exc:
        raise ValidationError(_("Dit SVG-bestand is beschadigd.")) from exc
    except (LookupError, ValueError) as exc:
        # The XML declaration names an encoding Python does not know, or one the parser
        # cannot read (multi-byte encodings such as Shift-JIS or UTF-7).
        raise ValidationError(
            _(
                "Dit SVG-bestand gebruikt een tekenset die we niet kunnen lezen. "
                "Sla het logo op als UTF-8."
            )
        ) from exc
    if root.tag != f"{_SVG}svg":
        raise ValidationError(_("Het logo moet een PNG- of SVG-bestand zijn."))
    for element in root.iter():
        name = element.tag.rsplit("}", 1)[-1].lower()
        if name in _FORBIDDEN_ELEMENTS:
            raise refused
        if name == "style" and _is_external_css(element.text or ""):
            raise refused
        for attribute, value in element.attrib.items():
            local = attribute.rsplit("}", 1)[-1].lower()
            if local.startswith("on"):
                raise refused
            if (local == "href" or attribute == _XLINK_HREF) and not value.strip().startswith("#"):
                raise refused
            if _is_external_css(value):
                raise refused


def _is_external_css(text: str) -> bool:
    return bool(_EXTERNAL_URL.search(text)) or "@import" in text.lower()


@transaction.atomic
def save_branding(
    *,
    municipality: Municipality,
    consultant_name: str,
    logo: bytes | None = None,
    consultant_logo: bytes | None = None,
    remove_logo: bool = False,
    remove_consultant_logo: bool = False,
) -> ReportBranding:
    """Store the cover's name and logos; a logo of None keeps the stored one."""
    for data in (logo, consultant_logo):
        if data is not None:
            validate_logo(data)
    branding, _created = ReportBranding.objects.select_for_update().get_or_create(
        municipality=municipality
    )
    branding.consultant_name = consultant_name.strip()
    if remove_logo:
        branding.logo = None
    elif logo is not None:
        branding.logo = logo
    if remove_consultant_logo:
        branding.consultant_logo = None
    elif consultant_logo is not None:
        branding.consultant_logo = consultant_logo
    branding.save()
    return branding
