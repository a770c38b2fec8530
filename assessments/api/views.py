"""API views: HTTP only, read-only. Objects come from ``assessments.access``."""

from __future__ import annotations

from collections.abc import Callable

from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from assessments import access
from assessments.models import Assessment
from assessments.regions.overview import build_region_overview
from assessments.rounds.results import ActionRow, Results, load_actions, load_results
from readiness.scoring import GroupScore

from .serializers import (
    ActionSerializer,
    HeatmapSerializer,
    IndicatorsSerializer,
    LegalDutiesSerializer,
    MunicipalitySerializer,
    RegionSerializer,
    RoundFilterSerializer,
    RoundSerializer,
    ScoresSerializer,
)


@extend_schema(exclude=True)
class ApiRoot(APIView):
    """The API's entry point: links to the endpoints and the docs. Links only, no data, so
    open to everyone, like the schema and the docs."""

    permission_classes = [AllowAny]

    def get(self, request: Request) -> Response:
        links = {
            "gemeenten": "api:municipalities",
            "metingen": "api:rounds",
            "regios": "api:regions",
            "schema": "api:schema",
            "docs": "api:docs",
        }
        return Response({key: reverse(name, request=request) for key, name in links.items()})


class _WithRoles:
    """The user's role per municipality, for the serializer's ``role`` field."""

    def get_serializer_context(self):
        roles = dict(
            access.memberships_for_user(self.request.user).values_list("municipality_id", "role")
        )
        return {**super().get_serializer_context(), "roles": roles}


class MunicipalityList(_WithRoles, generics.ListAPIView):
    """The municipalities you are a member of (a consultant: while the access lasts)."""

    serializer_class = MunicipalitySerializer

    def get_queryset(self):
        return access.municipalities_for_user(self.request.user).order_by("name")


class MunicipalityDetail(_WithRoles, generics.RetrieveAPIView):
    """One of your municipalities; another one is a 404."""

    serializer_class = MunicipalitySerializer

    def get_object(self):
        return access.get_membership(self.request.user, self.kwargs["pk"]).municipality


def _rounds(request: Request):
    rounds = access.assessments_for_user(request.user).order_by("municipality__name", "-created_at")
    filters = RoundFilterSerializer(data=request.query_params)
    filters.is_valid(raise_exception=True)
    if "gemeente" in filters.validated_data:
        rounds = rounds.filter(municipality_id=filters.validated_data["gemeente"])
    if "status" in filters.validated_data:
        rounds = rounds.filter(status=filters.validated_data["status"])
    return rounds.defer("snapshot")


@extend_schema(parameters=[RoundFilterSerializer])
class RoundList(generics.ListAPIView):
    """The rounds (metingen) of your municipalities, newest first per municipality."""

    serializer_class = RoundSerializer

    def get_queryset(self):
        return _rounds(self.request)


class RoundDetail(generics.RetrieveAPIView):
    """One round; a round of another municipality is a 404."""

    serializer_class = RoundSerializer

    def get_object(self) -> Assessment:
        return access.get_assessment_for_view(self.request.user, self.kwargs["pk"])


def _group(code: str, title: str, step: str, group: GroupScore, target: int | None) -> dict:
    return {
        "code": code,
        "title": title,
        "step": step,
        # Unrounded inside; one decimal is what the pages show.
        "score": round(group.score, 1) if group.score is not None else None,
        "is_sufficient": group.is_sufficient,
        "coverage": round(group.coverage, 3) if group.coverage is not None else None,
        "light": str(group.light) if group.light else None,
        "target": target,
    }


def scores_data(assessment: Assessment, results: Results) -> dict:
    """The round's scores per step and theme: a closed round's from its snapshot."""
    scores = results.scores
    return {
        "round": assessment.pk,
        "overall": _group("overall", "", "", scores.overall, None),
        "steps": [
            _group(s.code, s.title, s.code, scores.steps[s.code], scores.targets.get(s.code))
            for s in results.steps
            if s.code in scores.steps
        ],
        "themes": [
            _group(t.code, t.title, t.step, scores.themes[t.code], None)
            for t in results.themes
            if t.code in scores.themes
        ],
    }


class _RoundFigures(generics.GenericAPIView):
    """One round's figures from its results (a closed round's from its snapshot), built by
    ``build``; another municipality's round is a 404. Figures that list the respondents'
    own answers (``shows_answers``) get the statements whose answers the user may see
    (``access.visibility``, as on the results page)."""

    pagination_class = None
    build: Callable[..., dict]
    shows_answers = False

    def get(self, request: Request, pk: int) -> Response:
        assessment = access.get_assessment_for_view(request.user, pk)
        results = load_results(assessment)
        if not self.shows_answers:
            return Response(self.build(assessment, results))
        visible = access.visibility(assessment, request.user).only_questions
        return Response(self.build(assessment, results, visible=visible))


class RoundScores(_RoundFigures):
    """Scores (0–100) and traffic lights per step and theme, and overall."""

    serializer_class = ScoresSerializer
    build = staticmethod(scores_data)


def legal_duties_data(
    assessment: Assessment, results: Results, *, visible: set[str] | None = None
) -> dict:
    """The round's legal duties with their article: apart from the scores, never in one.
    ``visible``: the statements whose answers the user may see (None: all); for the others
    ``answers`` is null, as an editor of an open round answers a statement first."""
    summary = results.scores.legal_duties
    return {
        "round": assessment.pk,
        "met": summary.met,
        "applicable": summary.applicable,
        "duties": [
            {
                "code": q.code,
                "statement": q.statement,
                "legal_basis": q.legal_basis,
                "applies_to": q.applies_to,
                "state": duty.state,
                "answers": list(duty.answers) if visible is None or q.code in visible else None,
            }
            for q, duty in results.legal_duties
        ],
    }


def indicators_data(
    assessment: Assessment, results: Results, *, visible: set[str] | None = None
) -> dict:
    """The round's indicators (a number with unit and period each): never scored. An
    indicator for the other role in the region is left out, as on the results page.
    ``visible`` as for ``legal_duties_data``: ``values`` is null for the other statements."""
    return {
        "round": assessment.pk,
        "indicators": [
            {
                "code": q.code,
                "statement": q.statement,
                "unit": q.unit,
                "period": q.period,
                "value": indicator.value,
                "values": (
                    list(indicator.values) if visible is None or q.code in visible else None
                ),
                "differs": indicator.differs,
            }
            for q, indicator in results.indicators
        ],
    }


class RoundLegalDuties(_RoundFigures):
    """The legal duties (voldaan, deels, niet, n.v.t.) with their article, and how many of
    those that apply are met. Never part of a score."""

    serializer_class = LegalDutiesSerializer
    build = staticmethod(legal_duties_data)
    shows_answers = True


class RoundIndicators(_RoundFigures):
    """The indicators: a number with its unit and period each. Never scored or averaged."""

    serializer_class = IndicatorsSerializer
    build = staticmethod(indicators_data)
    shows_answers = True


class RoundActions(generics.ListAPIView):
    """The round's action plan in plan order (a closed round's as it was closed)."""

    serializer_class = ActionSerializer

    def get_queryset(self) -> list[ActionRow]:
        assessment = access.get_assessment_for_view(self.request.user, self.kwargs["pk"])
        return load_actions(assessment)


class RegionList(generics.ListAPIView):
    """The regions you coordinate (regio-coördinator)."""

    serializer_class = RegionSerializer

    def get_queryset(self):
        return access.regions_for(self.request.user).select_related("lead")


class RegionHeatmap(generics.GenericAPIView):
    """A region's heat map: per member municipality the theme scores of its latest closed
    round shared with the region ("deelt niet" for the others), and the region's median."""

    serializer_class = HeatmapSerializer
    pagination_class = None

    def get(self, request: Request, pk: int) -> Response:
        region = access.get_region_for_view(request.user, pk)
        return Response(HeatmapSerializer(build_region_overview(region)).data)
