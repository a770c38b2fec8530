"""URLs of regions and a round's consent to share (namespace ``assessments``)."""

from django.urls import path

from assessments.regions import views

urlpatterns = [
    path("meting/<int:pk>/delen-met-regio/", views.region_consent, name="region_consent"),
    path("regio/<int:region_id>/", views.region, name="region"),
    path("regio/<int:region_id>/overzicht.pdf", views.region_pdf, name="region_pdf"),
]
