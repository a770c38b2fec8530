"""URLs of the scan. Every view loads its objects through ``assessments.access``."""

from django.urls import path

from . import (
    action_views,
    batch_views,
    branding_views,
    converters,  # noqa: F401 - registers the "id" path converter
    dialogue_views,
    member_views,
    profile_views,
    region_views,
    reminder_views,
    report_views,
    trend_views,
    views,
)

app_name = "assessments"

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
    path("meting/<id:pk>/invullen-voor/", reminder_views.due_date, name="due_date"),
    path("afmelden/<str:token>/", reminder_views.unsubscribe, name="unsubscribe"),
    path("gemeente/<id:municipality_id>/leden/", member_views.members, name="members"),
    path(
        "gemeente/<id:municipality_id>/rapport-voorblad/",
        branding_views.report_branding,
        name="report_branding",
    ),
    path(
        "gemeente/<id:municipality_id>/leden/<id:membership_id>/rol/",
        member_views.member_role,
        name="member_role",
    ),
    path(
        "gemeente/<id:municipality_id>/leden/<id:membership_id>/verwijderen/",
        member_views.member_remove,
        name="member_remove",
    ),
    path(
        "gemeente/<id:municipality_id>/adviseurs/",
        member_views.consultant_grant,
        name="consultant_grant",
    ),
    path(
        "gemeente/<id:municipality_id>/adviseurs/<id:membership_id>/intrekken/",
        member_views.consultant_revoke,
        name="consultant_revoke",
    ),
    path("profiel/", profile_views.profile, name="profile"),
    path(
        "profiel/api-sleutels/<id:token_id>/intrekken/",
        profile_views.api_token_revoke,
        name="api_token_revoke",
    ),
    path("exports/nieuw/", batch_views.batch_export_new, name="batch_export_new"),
    path("exports/<id:export_id>/", batch_views.batch_export, name="batch_export"),
    path(
        "exports/<id:export_id>/status/",
        batch_views.batch_export_status,
        name="batch_export_status",
    ),
    path(
        "exports/<id:export_id>/metingen.zip",
        batch_views.batch_export_download,
        name="batch_export_download",
    ),
    path("meting/<id:pk>/acties/", action_views.action_list, name="actions"),
    path(
        "meting/<id:pk>/acties/voorstellen/", action_views.actions_propose, name="actions_propose"
    ),
    path("meting/<id:pk>/acties/tijdlijn/", action_views.action_timeline, name="action_timeline"),
    path("meting/<id:pk>/acties/nieuw/", action_views.action_add, name="action_add"),
    path("meting/<id:pk>/acties/<id:action_id>/", action_views.action_edit, name="action_edit"),
    path(
        "meting/<id:pk>/acties/<id:action_id>/verwijderen/",
        action_views.action_delete,
        name="action_delete",
    ),
    path("meting/<id:pk>/export/actieplan.xlsx", action_views.actions_xlsx, name="actions_xlsx"),
    path("meting/<id:pk>/export/antwoorden.xlsx", action_views.answers_xlsx, name="answers_xlsx"),
    path("meting/<id:pk>/export/antwoorden.csv", action_views.answers_csv, name="answers_csv"),
    path("meting/<id:pk>/export/scores.csv", action_views.scores_csv, name="scores_csv"),
    path("meting/<id:pk>/delen-met-regio/", region_views.region_consent, name="region_consent"),
    path("regio/<id:region_id>/", region_views.region, name="region"),
    path("regio/<id:region_id>/overzicht.pdf", region_views.region_pdf, name="region_pdf"),
    path("meting/<id:pk>/rapport/", report_views.report, name="report"),
    path("meting/<id:pk>/rapport/maken/", report_views.report_make, name="report_make"),
    path("meting/<id:pk>/rapport/status/", report_views.report_status, name="report_status"),
    path("meting/<id:pk>/rapport.pdf", report_views.report_download, name="report_download"),
]
