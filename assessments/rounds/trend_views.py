"""The trend page of a round: HTTP only, like ``views.py``; the data is ``trend.py``."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from assessments import access
from assessments.rounds.trend import build_trend, trend_charts, trend_rows


@require_GET
@access.member_required
def trend(request: HttpRequest, pk: int) -> HttpResponse:
    """This round next to the municipality's closed rounds before it."""
    assessment = access.get_assessment_for_view(request.user, pk)
    data = build_trend(assessment)
    return render(
        request,
        "assessments/rounds/trend.html",
        {
            "assessment": assessment,
            "data": data,
            "rows": trend_rows(data),
            "charts": trend_charts(data),
            "new_questions": data.trend.new_questions if data.trend else (),
        },
    )
