"""URLs of partner links (namespace ``assessments``): the coordinator's pages under the
round, the partner's under ``partner/`` (reached only with a partner session)."""

from django.urls import path

from assessments.common import converters  # noqa: F401 (registers the "id" path converter)
from assessments.partners import views

urlpatterns = [
    path("meting/<id:pk>/partners/", views.partner_links, name="partner_links"),
    path("meting/<id:pk>/partners/<id:link_id>/", views.partner_link, name="partner_link"),
    path(
        "meting/<id:pk>/partners/<id:link_id>/intrekken/",
        views.partner_link_revoke,
        name="partner_link_revoke",
    ),
    path("partner/<id:link_id>/", views.partner_entry, name="partner_entry"),
    path("partner/<id:link_id>/start/", views.partner_home, name="partner_home"),
    path(
        "partner/<id:link_id>/stap/<slug:step>/",
        views.partner_questionnaire,
        name="partner_questionnaire",
    ),
    path(
        "partner/<id:link_id>/antwoord/<id:question_id>/",
        views.partner_answer,
        name="partner_answer",
    ),
    path("partner/<id:link_id>/stoppen/", views.partner_leave, name="partner_leave"),
]
