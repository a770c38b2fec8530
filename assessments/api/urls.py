"""URLs of the read-only API, version 1, with its OpenAPI schema and docs."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from assessments.common import converters  # noqa: F401 (registers the "id" path converter)

from . import views

app_name = "api"

urlpatterns = [
    path("", views.ApiRoot.as_view(), name="root"),
    path("gemeenten/", views.MunicipalityList.as_view(), name="municipalities"),
    path("gemeenten/<id:pk>/", views.MunicipalityDetail.as_view(), name="municipality"),
    path("metingen/", views.RoundList.as_view(), name="rounds"),
    path("metingen/<id:pk>/", views.RoundDetail.as_view(), name="round"),
    path("metingen/<id:pk>/scores/", views.RoundScores.as_view(), name="round_scores"),
    path("metingen/<id:pk>/acties/", views.RoundActions.as_view(), name="round_actions"),
    path(
        "metingen/<id:pk>/wettelijke-plichten/",
        views.RoundLegalDuties.as_view(),
        name="round_legal_duties",
    ),
    path("metingen/<id:pk>/indicatoren/", views.RoundIndicators.as_view(), name="round_indicators"),
    path("regios/", views.RegionList.as_view(), name="regions"),
    path("regios/<id:pk>/heatmap/", views.RegionHeatmap.as_view(), name="region_heatmap"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view loads its start script from a URL, not inline: the CSP allows that.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
]
