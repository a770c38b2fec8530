"""The inputs that were server errors (issue 20, item 6): each is now a clear answer in
Dutch, and changes nothing."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.api.services import create_api_token
from assessments.models import AgreedLevel, Region, ReportBranding
from readiness.models import Question
from tests.helpers.uploads import SVG, png_claiming

pytestmark = pytest.mark.django_db


def bearer(user) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {create_api_token(user=user, name='x', days=1)[1]}"}


@pytest.mark.parametrize("value", ["²", "٣x", "1.5", "abc", "0", str(2**63), str(10**30)])
def test_the_api_refuses_a_municipality_filter_that_is_no_id(client, assessment, editor, value):
    response = client.get(reverse("api:rounds"), {"gemeente": value}, **bearer(editor))
    assert response.status_code == 400
    assert list(response.json()) == ["gemeente"]


def test_the_api_still_filters_by_municipality_and_status(client, assessment, editor):
    url = reverse("api:rounds")
    own = {"gemeente": assessment.municipality_id, "status": "open"}
    assert [r["id"] for r in client.get(url, own, **bearer(editor)).json()["results"]] == [
        assessment.pk
    ]
    other = client.get(url, {"gemeente": assessment.municipality_id + 1}, **bearer(editor))
    assert other.json()["results"] == []
    assert client.get(url, {"status": "dicht"}, **bearer(editor)).status_code == 400


def test_the_api_lists_a_region_without_a_lead_municipality(client, region, region_coordinator):
    Region.objects.filter(pk=region.pk).update(lead=None)
    response = client.get(reverse("api:regions"), **bearer(region_coordinator))
    assert response.status_code == 200
    assert [(r["name"], r["lead_code"]) for r in response.json()["results"]] == [
        ("Regio Rivierenland", None)
    ]


@pytest.mark.parametrize(
    ("screen", "saved"),
    [("2", True), ("²", False), ("-1", False), ("x", False), (str(2**63), False)],
)
def test_an_agreed_level_with_a_screen_number_that_is_no_number_is_not_saved(
    client, assessment, coordinator, screen, saved
):
    client.force_login(coordinator)
    question = Question.objects.filter(framework=assessment.framework).first()
    prefix = f"v{question.pk}"
    data = {f"{prefix}-level": "3", f"{prefix}-rationale": "Besproken", "screen": screen}
    url = reverse("assessments:agreed_level", args=[assessment.pk, question.pk])

    response = client.post(url, data)

    back = (
        reverse("assessments:workshop", args=[assessment.pk, 2])
        if saved
        else reverse("assessments:dialogue", args=[assessment.pk]) + f"#vraag-{question.code}"
    )
    assert (response.status_code, response["Location"]) == (302, back)
    assert AgreedLevel.objects.exists() is saved
    if not saved:
        notice = client.get(reverse("assessments:dialogue", args=[assessment.pk]))
        assert "Niet opgeslagen" in notice.content.decode()


UNREADABLE_SVGS = [
    f'<?xml version="1.0" encoding="{name}"?>{SVG}'.encode()
    for name in ("x-onbekend", "shift_jis", "utf-7", "rot13")
]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        *[(svg, "tekenset die we niet kunnen lezen") for svg in UNREADABLE_SVGS],
        (png_claiming(60000, 60000), "hoogstens 4000 pixels"),
        # Under Pillow's hard limit, over its warning: a warning is an error here too.
        (png_claiming(9500, 9500), "hoogstens 4000 pixels"),
        (png_claiming(0, 0), "beschadigd"),
    ],
)
def test_a_logo_that_cannot_be_read_is_refused_in_dutch(
    client, municipality, coordinator, data, message
):
    client.force_login(coordinator)
    upload = SimpleUploadedFile("logo", data, content_type="application/octet-stream")
    url = reverse("assessments:report_branding", args=[municipality.pk])

    response = client.post(url, {"logo": upload})

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ReportBranding.objects.exists()


@pytest.mark.parametrize(
    "path",
    [
        f"/meting/{2**63}/",
        f"/meting/1/acties/{2**64}/",
        f"/gemeente/{10**30}/leden/",
        f"/api/v1/metingen/{2**63}/",
        f"/api/v1/regios/{2**64}/heatmap/",
    ],
)
def test_an_id_past_the_largest_bigint_is_a_404(client, coordinator, path):
    client.force_login(coordinator)
    assert client.get(path).status_code == 404
    assert client.post(path).status_code == 404


@pytest.mark.parametrize("member", ["abc", " ", "²", "1.5"])
def test_the_admin_region_form_refuses_a_member_id_that_is_no_id(client, staff, member):
    client.force_login(staff)
    response = client.post(
        reverse("admin:assessments_region_add"),
        {
            "name": "Regio Test",
            "kind": Region.Kind.OWN,
            "members": [member],
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
            "_save": "Opslaan",
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["members"]
    assert not Region.objects.exists()


@pytest.mark.parametrize("query", [{"q": "a\x00b"}, {"kind__exact": "\x00"}, {"\x00": "1"}])
def test_a_nul_character_in_the_query_string_is_a_400(client, staff, query):
    client.force_login(staff)
    response = client.get(reverse("admin:assessments_region_changelist"), query)
    assert response.status_code == 400
    assert "NUL-teken" in response.content.decode()
