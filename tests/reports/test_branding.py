"""The report's cover: who may set the logos and the consultant, and which logos pass."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader

from assessments.models import ReportBranding
from assessments.reports.branding import MAX_LOGO_BYTES, save_branding, validate_logo
from assessments.reports.build import build_report
from assessments.reports.render import render_pdf

SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20" viewBox="0 0 40 20">'
    b'<title>Zonnedal</title><rect width="40" height="20" fill="#1f4e8c"/></svg>'
)


def png(width: int = 40, height: int = 20) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "#1f4e8c").save(buffer, format="PNG")
    return buffer.getvalue()


def url(municipality) -> str:
    return reverse("assessments:report_branding", args=[municipality.pk])


def upload(data: bytes, name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


# --- Which logos pass ------------------------------------------------------------------


def test_a_png_and_a_plain_svg_pass():
    assert validate_logo(png()) == "image/png"
    assert validate_logo(SVG) == "image/svg+xml"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (png() + b"\0" * MAX_LOGO_BYTES, "te groot"),
        (png(5000, 10), "pixels"),
        (b"GIF89a" + b"\0" * 20, "PNG- of SVG-bestand"),
        (b"%PDF-1.7 <svg", "beschadigd"),
        (b"\x89PNG\r\n\x1a\n" + b"rommel", "beschadigd"),
        (SVG.replace(b"<title>", b"<script>alert(1)</script><title>"), "script"),
        (SVG.replace(b"<rect ", b'<rect onload="alert(1)" '), "script"),
        (
            SVG.replace(
                b"<title>",
                b'<image xmlns:xlink="http://www.w3.org/1999/xlink" '
                b'xlink:href="https://example.org/x.png"/><title>',
            ),
            "buiten het bestand",
        ),
        (SVG.replace(b"<title>", b'<image href="file:///etc/passwd"/><title>'), "script"),
        (SVG.replace(b'fill="#1f4e8c"', b'style="fill: url(https://example.org/a)"'), "script"),
        (SVG.replace(b"<title>", b"<foreignObject><p>x</p></foreignObject><title>"), "script"),
        (b'<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>' + SVG, "script"),
        (b'<html><svg xmlns="http://www.w3.org/2000/svg"/></html>', "PNG- of SVG-bestand"),
    ],
)
def test_a_wrong_logo_is_refused_with_a_dutch_message(data, message):
    with pytest.raises(ValidationError) as refused:
        validate_logo(data)

    assert message in " ".join(refused.value.messages)


@pytest.mark.django_db
def test_the_service_stores_nothing_when_a_logo_is_refused(municipality):
    with pytest.raises(ValidationError):
        save_branding(
            municipality=municipality,
            consultant_name="Bureau",
            logo=png(),
            consultant_logo=SVG.replace(b"<title>", b"<script>x</script><title>"),
        )

    assert not ReportBranding.objects.exists()


# --- The page ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client, municipality):
    response = client.get(url(municipality))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_outsider_gets_404(client, municipality, outsider):
    client.force_login(outsider)

    assert client.get(url(municipality)).status_code == 404
    assert client.post(url(municipality), {"consultant_name": "X"}).status_code == 404
    assert not ReportBranding.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["viewer", "editor"])
def test_other_members_may_neither_see_nor_change_it(client, municipality, persona, request):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(url(municipality)).status_code == 403
    response = client.post(url(municipality), {"logo": upload(png(), "logo.png")})
    assert response.status_code == 403
    assert not ReportBranding.objects.exists()


@pytest.mark.django_db
def test_coordinator_uploads_logos_and_they_go_on_the_cover(
    client, municipality, coordinator, assessment
):
    client.force_login(coordinator)
    assert client.get(url(municipality)).status_code == 200

    response = client.post(
        url(municipality),
        {
            "consultant_name": "Adviesbureau Noord",
            "logo": upload(png(), "gemeente.png"),
            "consultant_logo": upload(SVG, "bureau.svg"),
        },
    )

    assert response.status_code == 302
    branding = ReportBranding.objects.get(municipality=municipality)
    assert (branding.consultant_name, bytes(branding.logo)) == ("Adviesbureau Noord", png())
    assert bytes(branding.consultant_logo) == SVG
    report = build_report(assessment)
    assert report.consultant_name == "Adviesbureau Noord"
    assert (report.logo.content_type, report.logo.data) == ("image/png", png())
    assert report.consultant_logo.content_type == "image/svg+xml"
    pdf = render_pdf(report)
    reader = PdfReader(io.BytesIO(pdf))
    assert "Begeleiding Adviesbureau Noord" in " ".join(reader.pages[0].extract_text().split())
    assert len(reader.pages[0].images) >= 1  # the PNG; the SVG is drawn as vectors

    # Another post without files keeps the logos; the box removes one.
    client.post(url(municipality), {"consultant_name": "", "remove_logo": "on"})
    branding.refresh_from_db()
    assert (branding.consultant_name, branding.logo) == ("", None)
    assert bytes(branding.consultant_logo) == SVG


@pytest.mark.django_db
def test_coordinator_gets_the_form_back_with_the_reason_when_a_logo_is_refused(
    client, municipality, coordinator
):
    client.force_login(coordinator)

    response = client.post(
        url(municipality),
        {"logo": upload(SVG.replace(b"<title>", b"<script>x</script><title>"), "logo.svg")},
    )

    assert response.status_code == 200
    assert "bevat een script" in response.content.decode()
    assert not ReportBranding.objects.exists()
