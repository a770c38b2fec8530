"""URLs of the action plan and its exports (namespace ``assessments``)."""

from django.urls import path

from assessments.plans import views

urlpatterns = [
    path("meting/<int:pk>/acties/", views.action_list, name="actions"),
    path("meting/<int:pk>/acties/voorstellen/", views.actions_propose, name="actions_propose"),
    path("meting/<int:pk>/acties/tijdlijn/", views.action_timeline, name="action_timeline"),
    path("meting/<int:pk>/acties/nieuw/", views.action_add, name="action_add"),
    path("meting/<int:pk>/acties/<int:action_id>/", views.action_edit, name="action_edit"),
    path(
        "meting/<int:pk>/acties/<int:action_id>/voortgang/",
        views.action_follow_up,
        name="action_follow_up",
    ),
    path(
        "meting/<int:pk>/acties/<int:action_id>/verwijderen/",
        views.action_delete,
        name="action_delete",
    ),
    path("meting/<int:pk>/export/actieplan.xlsx", views.actions_xlsx, name="actions_xlsx"),
    path("meting/<int:pk>/export/antwoorden.xlsx", views.answers_xlsx, name="answers_xlsx"),
    path("meting/<int:pk>/export/antwoorden.csv", views.answers_csv, name="answers_csv"),
    path("meting/<int:pk>/export/scores.csv", views.scores_csv, name="scores_csv"),
]
