"""URLs of the action plan and its exports (namespace ``assessments``)."""

from django.urls import path

from assessments.plans import views

urlpatterns = [
    path("meting/<id:pk>/acties/", views.action_list, name="actions"),
    path("meting/<id:pk>/acties/voorstellen/", views.actions_propose, name="actions_propose"),
    path("meting/<id:pk>/acties/tijdlijn/", views.action_timeline, name="action_timeline"),
    path("meting/<id:pk>/acties/nieuw/", views.action_add, name="action_add"),
    path("meting/<id:pk>/acties/<id:action_id>/", views.action_edit, name="action_edit"),
    path(
        "meting/<id:pk>/acties/<id:action_id>/voortgang/",
        views.action_follow_up,
        name="action_follow_up",
    ),
    path(
        "meting/<id:pk>/acties/<id:action_id>/verwijderen/",
        views.action_delete,
        name="action_delete",
    ),
    path("meting/<id:pk>/export/actieplan.xlsx", views.actions_xlsx, name="actions_xlsx"),
    path("meting/<id:pk>/export/antwoorden.xlsx", views.answers_xlsx, name="answers_xlsx"),
    path("meting/<id:pk>/export/antwoorden.csv", views.answers_csv, name="answers_csv"),
    path("meting/<id:pk>/export/scores.csv", views.scores_csv, name="scores_csv"),
]
