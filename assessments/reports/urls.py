"""URLs of the PDF report, the cover's branding and batch exports (namespace ``assessments``)."""

from django.urls import path

from assessments.reports import batch_views, branding_views, views

urlpatterns = [
    path(
        "gemeente/<id:municipality_id>/rapport-voorblad/",
        branding_views.report_branding,
        name="report_branding",
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
    path("meting/<id:pk>/rapport/", views.report, name="report"),
    path("meting/<id:pk>/rapport/maken/", views.report_make, name="report_make"),
    path("meting/<id:pk>/rapport/status/", views.report_status, name="report_status"),
    path("meting/<id:pk>/rapport.pdf", views.report_download, name="report_download"),
    path("meting/<id:pk>/voortgang.pdf", views.progress_pdf, name="progress_pdf"),
    path(
        "meting/<id:pk>/lege-vragenlijst.pdf",
        views.blank_questionnaire,
        name="blank_questionnaire",
    ),
    path(
        "meting/<id:pk>/stap/<slug:step>/lege-vragenlijst.pdf",
        views.blank_questionnaire,
        name="blank_step_questionnaire",
    ),
]
