"""URLs of rounds: the step page, results, dialogue and trend (namespace ``assessments``)."""

from django.urls import path

from assessments.rounds import dialogue_views, trend_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("gemeente/<int:municipality_id>/meting/nieuw/", views.start, name="start"),
    path("meting/<int:pk>/", views.detail, name="detail"),
    path("meting/<int:pk>/perspectief/", views.perspective, name="perspective"),
    path("meting/<int:pk>/stap/<slug:step>/", views.questionnaire, name="questionnaire"),
    path("meting/<int:pk>/antwoord/<int:question_id>/", views.answer, name="answer"),
    path(
        "meting/<int:pk>/antwoord/<int:question_id>/historie/",
        views.answer_history,
        name="answer_history",
    ),
    path("meting/<int:pk>/afsluiten/", views.close, name="close"),
    path("meting/<int:pk>/heropenen/", dialogue_views.reopen, name="reopen"),
    path("meting/<int:pk>/resultaten/", views.results, name="results"),
    path("meting/<int:pk>/ontwikkeling/", trend_views.trend, name="trend"),
    path("meting/<int:pk>/gesprek/", dialogue_views.dialogue, name="dialogue"),
    path(
        "meting/<int:pk>/gesprek/scherm/<int:number>/",
        dialogue_views.workshop,
        name="workshop",
    ),
    path(
        "meting/<int:pk>/gesprek/<int:question_id>/vaststellen/",
        dialogue_views.agreed_level,
        name="agreed_level",
    ),
    path(
        "meting/<int:pk>/invulling/<int:response_id>/meetellen/",
        dialogue_views.response_include,
        name="response_include",
    ),
    path("meting/<int:pk>/ambitie/", views.targets, name="targets"),
]
