"""URLs of partner links (namespace ``assessments``): the coordinator's pages under the
round, the partner's under ``partner/`` (reached only with a partner session)."""

from django.urls import include, path

from assessments.common import converters  # noqa: F401 (registers the "id" path converter)
from assessments.partners import views

coordinator_urls = [
    path("", views.partner_links, name="partner_links"),
    path("<id:link_id>/", views.partner_link, name="partner_link"),
    path("<id:link_id>/intrekken/", views.partner_link_revoke, name="partner_link_revoke"),
]

partner_urls = [
    path("", views.partner_entry, name="partner_entry"),
    path("start/", views.partner_home, name="partner_home"),
    path("stap/<slug:step>/", views.partner_questionnaire, name="partner_questionnaire"),
    path("antwoord/<id:question_id>/", views.partner_answer, name="partner_answer"),
    path("stoppen/", views.partner_leave, name="partner_leave"),
]

urlpatterns = [
    path("meting/<id:pk>/partners/", include(coordinator_urls)),
    path("partner/<id:link_id>/", include(partner_urls)),
]
