"""URLs of the public statements (namespace ``assessments``)."""

from django.urls import path

from assessments.privacy import views

urlpatterns = [
    path("privacyverklaring/", views.privacy_statement, name="privacy_statement"),
    path(
        "toegankelijkheidsverklaring/",
        views.accessibility_statement,
        name="accessibility_statement",
    ),
]
