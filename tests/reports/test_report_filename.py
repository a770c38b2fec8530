"""The English report's file name names its language; the Dutch one is unchanged (issue 21)."""

from __future__ import annotations

import dataclasses
import datetime

import pytest

from assessments.reports.build import build_report


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "filename"),
    [
        ("nl", "actieplan-beschermd-thuis-zonnedal-2026-11-23.pdf"),
        ("en", "actieplan-beschermd-thuis-zonnedal-2026-11-23-en.pdf"),
    ],
)
def test_the_filename_names_a_language_other_than_dutch(assessment, language, filename):
    report = dataclasses.replace(
        build_report(assessment, language=language), date=datetime.date(2026, 11, 23)
    )
    assert report.filename == filename
