"""URLs of rounds: the step page, results, dialogue and trend (namespace ``assessments``)."""

from django.urls import path

from assessments.rounds import dialogue_views, import_views, trend_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("gemeente/<id:municipality_id>/meting/nieuw/", views.start, name="start"),
    path("meting/<id:pk>/", views.detail, name="detail"),
    path("meting/<id:pk>/perspectief/", views.perspective, name="perspective"),
    path("meting/<id:pk>/stap/<slug:step>/", views.questionnaire, name="questionnaire"),
    path("meting/<id:pk>/antwoord/<id:question_id>/", views.answer, name="answer"),
    path(
        "meting/<id:pk>/antwoord/<id:question_id>/historie/",
        views.answer_history,
        name="answer_history",
    ),
    path("meting/<id:pk>/afsluiten/", views.close, name="close"),
    path("meting/<id:pk>/heropenen/", dialogue_views.reopen, name="reopen"),
    path("meting/<id:pk>/resultaten/", views.results, name="results"),
    path("meting/<id:pk>/ontwikkeling/", trend_views.trend, name="trend"),
    path("meting/<id:pk>/gesprek/", dialogue_views.dialogue, name="dialogue"),
    path(
        "meting/<id:pk>/gesprek/scherm/<id:number>/",
        dialogue_views.workshop,
        name="workshop",
    ),
    path(
        "meting/<id:pk>/gesprek/<id:question_id>/vaststellen/",
        dialogue_views.agreed_level,
        name="agreed_level",
    ),
    path(
        "meting/<id:pk>/invulling/<id:response_id>/meetellen/",
        dialogue_views.response_include,
        name="response_include",
    ),
    path("meting/<id:pk>/ambitie/", views.targets, name="targets"),
    path("meting/<id:pk>/importeren/", import_views.answers_import, name="answers_import"),
]
