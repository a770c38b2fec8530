"""URLs of the PDF report, the cover's branding and batch exports (namespace ``assessments``)."""

from django.urls import include, path

from assessments.reports import batch_views, branding_views, views

export_urls = [
    path("", batch_views.batch_export, name="batch_export"),
    path("status/", batch_views.batch_export_status, name="batch_export_status"),
    path("metingen.zip", batch_views.batch_export_download, name="batch_export_download"),
]

round_urls = [
    path("rapport/", views.report, name="report"),
    path("rapport/maken/", views.report_make, name="report_make"),
    path("rapport/status/", views.report_status, name="report_status"),
    path("rapport.pdf", views.report_download, name="report_download"),
    path("voortgang.pdf", views.progress_pdf, name="progress_pdf"),
    path("lege-vragenlijst.pdf", views.blank_questionnaire, name="blank_questionnaire"),
    path(
        "stap/<slug:step>/lege-vragenlijst.pdf",
        views.blank_questionnaire,
        name="blank_step_questionnaire",
    ),
]

urlpatterns = [
    path(
        "gemeente/<id:municipality_id>/rapport-voorblad/",
        branding_views.report_branding,
        name="report_branding",
    ),
    path("exports/nieuw/", batch_views.batch_export_new, name="batch_export_new"),
    path("exports/<id:export_id>/", include(export_urls)),
    path("meting/<id:pk>/", include(round_urls)),
]
