"""URLs of regions and a round's consent to share (namespace ``assessments``)."""

from django.urls import path

from assessments.regions import views

urlpatterns = [
    path("meting/<id:pk>/delen-met-regio/", views.region_consent, name="region_consent"),
    path("regio/<id:region_id>/", views.region, name="region"),
    path("regio/<id:region_id>/overzicht.pdf", views.region_pdf, name="region_pdf"),
]
