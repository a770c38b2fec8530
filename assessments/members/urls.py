"""URLs of members, consultants and the profile (namespace ``assessments``)."""

from django.urls import path

from assessments.members import profile_views, views

urlpatterns = [
    path("gemeente/<id:municipality_id>/leden/", views.members, name="members"),
    path(
        "gemeente/<id:municipality_id>/leden/<id:membership_id>/rol/",
        views.member_role,
        name="member_role",
    ),
    path(
        "gemeente/<id:municipality_id>/leden/<id:membership_id>/verwijderen/",
        views.member_remove,
        name="member_remove",
    ),
    path(
        "gemeente/<id:municipality_id>/adviseurs/",
        views.consultant_grant,
        name="consultant_grant",
    ),
    path(
        "gemeente/<id:municipality_id>/adviseurs/<id:membership_id>/intrekken/",
        views.consultant_revoke,
        name="consultant_revoke",
    ),
    path(
        "gemeente/<id:municipality_id>/uitnodigingen/<id:invitation_id>/opnieuw-versturen/",
        views.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "gemeente/<id:municipality_id>/uitnodigingen/<id:invitation_id>/intrekken/",
        views.invitation_withdraw,
        name="invitation_withdraw",
    ),
    path("profiel/", profile_views.profile, name="profile"),
    path(
        "profiel/api-sleutels/<id:token_id>/intrekken/",
        profile_views.api_token_revoke,
        name="api_token_revoke",
    ),
]
