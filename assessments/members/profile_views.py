"""The user's profile: personal API tokens (made, listed, revoked). HTTP only."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from assessments import access
from assessments.api import services as token_services
from assessments.common.refusals import refusal_on_form
from assessments.common.securitylog import client_ip
from assessments.members.forms import ApiTokenForm
from assessments.models import ApiToken


@require_http_methods(["GET", "POST"])
@access.member_required
def profile(request: HttpRequest) -> HttpResponse:
    """Make a token (its secret is shown on this one response only) and list the tokens."""
    form = ApiTokenForm(request.POST or None)
    secret = ""
    if request.method == "POST" and form.is_valid():
        with refusal_on_form(form):
            _token, secret = token_services.create_api_token(
                user=request.user,
                name=form.cleaned_data["name"],
                days=form.cleaned_data["days"],
                ip=client_ip(request),
            )
            form = ApiTokenForm()
    response = render(
        request,
        "assessments/members/profile.html",
        {
            "form": form,
            "secret": secret,
            "tokens": ApiToken.objects.filter(user=request.user),
        },
        status=400 if form.errors else 200,
    )
    # The page can hold a secret: never kept in a cache.
    patch_cache_control(response, private=True, no_store=True)
    return response


@require_POST
@access.member_required
def api_token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = access.get_api_token_for_owner(request.user, token_id)
    token_services.revoke_api_token(token=token, revoked_by=request.user, ip=client_ip(request))
    messages.success(request, _("De sleutel is ingetrokken. Hij werkt niet meer."))
    return redirect("assessments:profile")
