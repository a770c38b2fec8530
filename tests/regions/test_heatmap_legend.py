"""The heat map's columns are theme letters: the page and the PDF spell them out (issue 21)."""

from __future__ import annotations

import io
import re

import pypdf
import pytest
from django.urls import reverse

from assessments.models import Assessment
from readiness.models import Theme
from tests.factories import ResponseFactory, answer_all, close_round


@pytest.fixture
def shared(assessment, coordinator):
    """The lead municipality's round, closed and shared with the region."""
    answer_all(ResponseFactory(assessment=assessment, respondent=coordinator), "3")
    close_round(assessment, coordinator)
    Assessment.objects.filter(pk=assessment.pk).update(shares_with_region=True)
    return assessment


def visible_text(html: str) -> str:
    """The page's text without what only a screen reader gets."""
    html = re.sub(r'<span class="visually-hidden">.*?</span>', "", html)
    html = re.sub(r'title="[^"]*"', "", html)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.mark.django_db
def test_the_region_page_has_a_visible_legend_of_the_theme_letters(
    client, region, region_coordinator, framework, shared
):
    themes = Theme.objects.filter(step__framework=framework).order_by("code")
    client.force_login(region_coordinator)
    text = visible_text(client.get(reverse("assessments:region", args=[region.pk])).text)
    assert "De letters boven de kolommen zijn de thema's:" in text
    for theme in themes:
        assert f"{theme.code} : {theme.title}" in text


@pytest.mark.django_db
def test_the_regional_pdf_has_the_legend(client, region, region_coordinator, framework, shared):
    themes = Theme.objects.filter(step__framework=framework).order_by("code")
    client.force_login(region_coordinator)
    response = client.get(reverse("assessments:region_pdf", args=[region.pk]))
    reader = pypdf.PdfReader(io.BytesIO(response.getvalue()))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "De letters boven de kolommen zijn de thema's:" in text
    for theme in themes:
        assert f"{theme.code}: {theme.title}" in text
