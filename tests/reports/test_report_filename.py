"""A report's file name names its variant and its language (issues 21 and 23), so that
every version can be kept side by side."""

from __future__ import annotations

import dataclasses
import datetime

import pytest

from assessments.reports.build import build_report


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("variant", "language", "filename"),
    [
        ("volledig", "nl", "actieplan-beschermd-thuis-zonnedal-2026-11-23-volledig-nl.pdf"),
        ("volledig", "en", "actieplan-beschermd-thuis-zonnedal-2026-11-23-volledig-en.pdf"),
        ("bestuurlijk", "nl", "actieplan-beschermd-thuis-zonnedal-2026-11-23-bestuurlijk-nl.pdf"),
        ("bestuurlijk", "en", "actieplan-beschermd-thuis-zonnedal-2026-11-23-bestuurlijk-en.pdf"),
    ],
)
def test_the_filename_names_the_variant_and_the_language(assessment, variant, language, filename):
    report = dataclasses.replace(
        build_report(assessment, language=language, variant=variant),
        date=datetime.date(2026, 11, 23),
    )
    assert report.filename == filename


@pytest.mark.django_db
def test_an_unknown_variant_is_refused(assessment):
    with pytest.raises(ValueError, match="unknown report variant"):
        build_report(assessment, variant="kort")
