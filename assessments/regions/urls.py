"""URLs of regions, setting one up, and a round's consent to share (namespace
``assessments``)."""

from django.urls import include, path

from assessments.regions import views

municipality_urls = [
    path("regios/", views.municipality_regions, name="municipality_regions"),
    path("regios/nieuw/", views.region_create, name="region_create"),
    path(
        "regio-uitnodigingen/<id:invitation_id>/",
        views.region_invitation_answer,
        name="region_invitation_answer",
    ),
]

manage_urls = [
    path("", views.region_manage, name="region_manage"),
    path("gemeenten/", views.region_invite, name="region_invite"),
    path(
        "gemeenten/<id:invitation_id>/intrekken/",
        views.region_invitation_withdraw,
        name="region_invitation_withdraw",
    ),
    path(
        "regio-coordinatoren/uitnodigingen/<id:invitation_id>/intrekken/",
        views.region_coordinator_invitation_withdraw,
        name="region_coordinator_invitation_withdraw",
    ),
    path(
        "regio-coordinatoren/",
        views.region_coordinator_appoint,
        name="region_coordinator_appoint",
    ),
    path(
        "regio-coordinatoren/<id:membership_id>/verwijderen/",
        views.region_coordinator_remove,
        name="region_coordinator_remove",
    ),
]

region_urls = [
    path("", views.region, name="region"),
    path("overzicht.pdf", views.region_pdf, name="region_pdf"),
    path("beheer/", include(manage_urls)),
]

urlpatterns = [
    path("meting/<id:pk>/delen-met-regio/", views.region_consent, name="region_consent"),
    path("regio/<id:region_id>/", include(region_urls)),
    path("gemeente/<id:municipality_id>/", include(municipality_urls)),
]
