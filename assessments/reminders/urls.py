"""URLs of the due date and unsubscribing from reminders (namespace ``assessments``)."""

from django.urls import path

from assessments.reminders import views

urlpatterns = [
    path("meting/<id:pk>/invullen-voor/", views.due_date, name="due_date"),
    path("afmelden/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
