"""URLs of regions, setting one up, and a round's consent to share (namespace
``assessments``)."""

from django.urls import path

from assessments.regions import views

urlpatterns = [
    path("meting/<id:pk>/delen-met-regio/", views.region_consent, name="region_consent"),
    path("regio/<id:region_id>/", views.region, name="region"),
    path("regio/<id:region_id>/overzicht.pdf", views.region_pdf, name="region_pdf"),
    path(
        "gemeente/<id:municipality_id>/regios/",
        views.municipality_regions,
        name="municipality_regions",
    ),
    path("gemeente/<id:municipality_id>/regios/nieuw/", views.region_create, name="region_create"),
    path(
        "gemeente/<id:municipality_id>/regio-uitnodigingen/<id:invitation_id>/",
        views.region_invitation_answer,
        name="region_invitation_answer",
    ),
    path("regio/<id:region_id>/beheer/", views.region_manage, name="region_manage"),
    path("regio/<id:region_id>/beheer/gemeenten/", views.region_invite, name="region_invite"),
    path(
        "regio/<id:region_id>/beheer/gemeenten/<id:invitation_id>/intrekken/",
        views.region_invitation_withdraw,
        name="region_invitation_withdraw",
    ),
    path(
        "regio/<id:region_id>/beheer/regio-coordinatoren/uitnodigingen/<id:invitation_id>/intrekken/",
        views.region_coordinator_invitation_withdraw,
        name="region_coordinator_invitation_withdraw",
    ),
    path(
        "regio/<id:region_id>/beheer/regio-coordinatoren/",
        views.region_coordinator_appoint,
        name="region_coordinator_appoint",
    ),
    path(
        "regio/<id:region_id>/beheer/regio-coordinatoren/<id:membership_id>/verwijderen/",
        views.region_coordinator_remove,
        name="region_coordinator_remove",
    ),
]
