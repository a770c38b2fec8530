"""Members of a municipality and invitations: managed by its coordinators."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from . import access, services
from .models import Invitation, Membership


class InviteForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("E-mailadres"))
    role = forms.ChoiceField(
        label=gettext_lazy("Rol"), choices=Membership.Role.choices, initial="editor"
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=gettext_lazy("Rol"), choices=Membership.Role.choices)


class SetPasswordForm(forms.Form):
    password1 = forms.CharField(
        label=gettext_lazy("Kies een wachtwoord"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=gettext_lazy("Minstens 12 tekens; geen veelgebruikt wachtwoord."),
    )
    password2 = forms.CharField(
        label=gettext_lazy("Herhaal het wachtwoord"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("password1") != data.get("password2"):
            self.add_error("password2", _("De twee wachtwoorden zijn niet gelijk."))
        return data


@require_http_methods(["GET", "POST"])
@access.member_required
def members(request: HttpRequest, municipality_id: int) -> HttpResponse:
    municipality = access.get_municipality_for_manage(request.user, municipality_id)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation, token = services.invite_member(
                municipality=municipality,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                invited_by=request.user,
                request=request,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            _send_invitation(request, invitation, token)
            messages.success(
                request,
                _("Uitnodiging verstuurd naar %(email)s. De link werkt 7 dagen.")
                % {"email": invitation.email},
            )
            return redirect("assessments:members", municipality_id=municipality.pk)
    return render(
        request,
        "assessments/members.html",
        {
            "municipality": municipality,
            "memberships": Membership.objects.filter(municipality=municipality)
            .select_related("user")
            .order_by("user__last_name", "user__username"),
            "invitations": Invitation.objects.filter(
                municipality=municipality,
                accepted_at__isnull=True,
                revoked_at__isnull=True,
                expires_at__gt=timezone.now(),
            ),
            "form": form,
            "roles": Membership.Role.choices,
        },
        status=400 if form.errors else 200,
    )


def _send_invitation(request: HttpRequest, invitation: Invitation, token: str) -> None:
    link = request.build_absolute_uri(reverse("accept_invitation", args=[token]))
    body = render_to_string(
        "assessments/invitation_email.txt",
        {"invitation": invitation, "link": link, "inviter": request.user},
    )
    send_mail(
        _("Uitnodiging voor de Gereedheidsscan beschermd thuis"),
        body,
        None,
        [invitation.email],
    )


@require_POST
@access.member_required
def member_role(request: HttpRequest, municipality_id: int, membership_id: int) -> HttpResponse:
    membership = access.get_member_for_manage(request.user, municipality_id, membership_id)
    form = RoleForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "error.html",
            {"title": _("Ongeldige rol"), "message": _("Kies een rol uit de lijst.")},
            status=400,
        )
    try:
        services.change_role(membership=membership, role=form.cleaned_data["role"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("De rol is gewijzigd."))
    return redirect("assessments:members", municipality_id=municipality_id)


@require_http_methods(["GET", "POST"])
@access.member_required
def member_remove(request: HttpRequest, municipality_id: int, membership_id: int) -> HttpResponse:
    membership = access.get_member_for_manage(request.user, municipality_id, membership_id)
    if request.method == "POST":
        try:
            services.remove_member(membership=membership)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Het lid is verwijderd."))
        return redirect("assessments:members", municipality_id=municipality_id)
    return render(request, "assessments/member_confirm_remove.html", {"membership": membership})


@require_http_methods(["GET", "POST"])
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    """Public: the link from the e-mail. Works once, for 7 days, for the invited address."""
    try:
        invitation = services.find_invitation(token)
    except ValidationError as exc:
        return render(
            request,
            "error.html",
            {"title": _("Uitnodiging"), "message": " ".join(exc.messages)},
            status=410,
        )
    logged_in = request.user.is_authenticated
    form = None if logged_in else SetPasswordForm(request.POST or None)
    if request.method == "POST" and (logged_in or form.is_valid()):
        try:
            user = services.accept_invitation(
                token=token,
                user=request.user if logged_in else None,
                password="" if logged_in else form.cleaned_data["password1"],
                request=request,
            )
        except ValidationError as exc:
            if form is None:
                return render(
                    request,
                    "error.html",
                    {"title": _("Uitnodiging"), "message": " ".join(exc.messages)},
                    status=403,
                )
            form.add_error("password1" if "wachtwoord" in str(exc).lower() else None, exc)
        else:
            if not logged_in:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request,
                _("Welkom! U bent nu lid van %(m)s.") % {"m": invitation.municipality},
            )
            return redirect("assessments:home")
    return render(
        request,
        "assessments/invitation_accept.html",
        {"invitation": invitation, "form": form},
        status=400 if form is not None and form.errors else 200,
    )
