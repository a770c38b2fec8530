"""URLs of rounds: the step page, results, dialogue and trend (namespace ``assessments``)."""

from django.urls import include, path

from assessments.rounds import dialogue_views, import_views, trend_views, views

round_urls = [
    path("", views.detail, name="detail"),
    path("perspectief/", views.perspective, name="perspective"),
    path("stap/<slug:step>/", views.questionnaire, name="questionnaire"),
    path("antwoord/<id:question_id>/", views.answer, name="answer"),
    path("antwoord/<id:question_id>/historie/", views.answer_history, name="answer_history"),
    path("afsluiten/", views.close, name="close"),
    path("heropenen/", dialogue_views.reopen, name="reopen"),
    path("resultaten/", views.results, name="results"),
    path("ontwikkeling/", trend_views.trend, name="trend"),
    path("gesprek/", dialogue_views.dialogue, name="dialogue"),
    path("gesprek/scherm/<id:number>/", dialogue_views.workshop, name="workshop"),
    path("gesprek/<id:question_id>/vaststellen/", dialogue_views.agreed_level, name="agreed_level"),
    path(
        "invulling/<id:response_id>/meetellen/",
        dialogue_views.response_include,
        name="response_include",
    ),
    path("ambitie/", views.targets, name="targets"),
    path("importeren/", import_views.answers_import, name="answers_import"),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("gemeente/<id:municipality_id>/meting/nieuw/", views.start, name="start"),
    path("meting/<id:pk>/", include(round_urls)),
]
