"""URLs of the action plan and its exports (namespace ``assessments``)."""

from django.urls import include, path

from assessments.plans import views

action_urls = [
    path("", views.action_edit, name="action_edit"),
    path("voortgang/", views.action_follow_up, name="action_follow_up"),
    path("verwijderen/", views.action_delete, name="action_delete"),
]

round_urls = [
    path("acties/", views.action_list, name="actions"),
    path("acties/voorstellen/", views.actions_propose, name="actions_propose"),
    path("acties/tijdlijn/", views.action_timeline, name="action_timeline"),
    path("acties/nieuw/", views.action_add, name="action_add"),
    path("acties/<id:action_id>/", include(action_urls)),
    path("export/actieplan.xlsx", views.actions_xlsx, name="actions_xlsx"),
    path("export/antwoorden.xlsx", views.answers_xlsx, name="answers_xlsx"),
    path("export/antwoorden.csv", views.answers_csv, name="answers_csv"),
    path("export/scores.csv", views.scores_csv, name="scores_csv"),
]

urlpatterns = [path("meting/<id:pk>/", include(round_urls))]
