"""URLs of members, consultants and the profile (namespace ``assessments``)."""

from django.urls import include, path

from assessments.members import profile_views, views

municipality_urls = [
    path("leden/", views.members, name="members"),
    path("leden/<id:membership_id>/rol/", views.member_role, name="member_role"),
    path("leden/<id:membership_id>/verwijderen/", views.member_remove, name="member_remove"),
    path("adviseurs/", views.consultant_grant, name="consultant_grant"),
    path(
        "adviseurs/<id:membership_id>/intrekken/",
        views.consultant_revoke,
        name="consultant_revoke",
    ),
    path(
        "uitnodigingen/<id:invitation_id>/opnieuw-versturen/",
        views.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "uitnodigingen/<id:invitation_id>/intrekken/",
        views.invitation_withdraw,
        name="invitation_withdraw",
    ),
]

urlpatterns = [
    path("gemeente/<id:municipality_id>/", include(municipality_urls)),
    path("profiel/", profile_views.profile, name="profile"),
    path(
        "profiel/api-sleutels/<id:token_id>/intrekken/",
        profile_views.api_token_revoke,
        name="api_token_revoke",
    ),
]
