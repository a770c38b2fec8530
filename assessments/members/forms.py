"""Forms of the members page, invitations and the profile."""

from __future__ import annotations

import datetime

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.api import services as token_services
from assessments.models import (
    REGION_COORDINATOR,
    Assessment,
    Invitation,
    Membership,
    Municipality,
    period_end,
)
from readiness.models import Domain

# One sentence per role, shown when inviting, on the invitation page and in its e-mail.
ROLE_EXPLANATIONS = {
    Membership.Role.COORDINATOR: gettext_lazy(
        "Een coördinator nodigt collega's uit, start en sluit metingen en kan zelf ook invullen."
    ),
    Membership.Role.EDITOR: gettext_lazy(
        "Een invuller beantwoordt de stellingen vanuit het eigen domein en ziet de antwoorden "
        "van collega's op een vraag pas nadat hij die zelf heeft beantwoord."
    ),
    Membership.Role.VIEWER: gettext_lazy(
        "Een meelezer bekijkt de antwoorden, de resultaten en het actieplan, maar vult niets in."
    ),
}


# The roles of the municipality's own people; a consultant is granted access separately.
MEMBER_ROLE_CHOICES = [(r, label) for r, label in Membership.Role.choices if r in ROLE_EXPLANATIONS]


CONSULTANT_EXPLANATION = gettext_lazy(
    "Een adviseur van buiten de gemeente leest mee zoals een meelezer, zonder namen van "
    "invullers, tot de einddatum die u kiest. U kunt de toegang altijd eerder intrekken."
)


REGION_COORDINATOR_EXPLANATION = gettext_lazy(
    "Een regio-coördinator ziet de scores per thema van de afgesloten metingen die de "
    "gemeenten in de regio delen. Geen namen en geen antwoorden van invullers."
)

# What the invitee is asked to become: every role an invitation can have (e-mail, page).
INVITATION_EXPLANATIONS = {
    **ROLE_EXPLANATIONS,
    Membership.Role.CONSULTANT: CONSULTANT_EXPLANATION,
    REGION_COORDINATOR: REGION_COORDINATOR_EXPLANATION,
}


class RoundChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Assessment) -> str:
        # The title only: the round's own __str__ names the municipality (one query each).
        return obj.title


class InviteForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Naam"), max_length=150)
    email = forms.EmailField(label=gettext_lazy("E-mailadres"))
    perspective = forms.ChoiceField(
        label=gettext_lazy("Domein (perspectief)"),
        choices=[("", gettext_lazy("Nog niet bekend")), *Domain.choices],
        required=False,
        help_text=gettext_lazy("Vanuit welk domein vult deze collega de scan in?"),
    )
    role = forms.ChoiceField(
        label=gettext_lazy("Rol"),
        choices=MEMBER_ROLE_CHOICES,
        initial="editor",
        help_text=format_lazy("{} {} {}", *ROLE_EXPLANATIONS.values()),
    )
    assessment = RoundChoiceField(
        label=gettext_lazy("Voor meting"),
        queryset=Assessment.objects.none(),
        required=False,
        empty_label=gettext_lazy("Geen bepaalde meting"),
        help_text=gettext_lazy(
            "De e-mail noemt deze meting. Na het aannemen komt de collega er meteen op uit."
        ),
    )
    answer_by = forms.DateField(
        label=gettext_lazy("Graag ingevuld vóór"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("Deze datum staat in de e-mail. Leeg laten mag."),
    )

    def __init__(self, *args, municipality: Municipality, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The municipality's open rounds, newest first; the newest is the default.
        rounds = Assessment.objects.filter(municipality=municipality).open().order_by("-created_at")
        field = self.fields["assessment"]
        field.queryset = rounds
        newest = rounds.first()
        field.initial = newest.pk if newest else None

    def clean_answer_by(self) -> datetime.date | None:
        day = self.cleaned_data["answer_by"]
        if day is not None and day < timezone.localdate():
            raise ValidationError(_("Kies een datum vanaf vandaag."))
        return day


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=gettext_lazy("Rol"), choices=MEMBER_ROLE_CHOICES)


class ConsultantForm(forms.Form):
    prefix = "adviseur"  # the invitation form on the same page also has an e-mail field
    email = forms.EmailField(
        label=gettext_lazy("E-mailadres van de adviseur"),
        help_text=gettext_lazy(
            "Heeft de adviseur nog geen account? Dan krijgt hij of zij een uitnodiging per "
            "e-mail om er een te maken."
        ),
    )
    valid_until = forms.DateField(
        label=gettext_lazy("Toegang tot en met"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=CONSULTANT_EXPLANATION,
    )

    def clean_valid_until(self) -> datetime.datetime:
        day = self.cleaned_data["valid_until"]
        if day < timezone.localdate():
            raise ValidationError(_("Kies een datum vanaf vandaag."))
        # Through the whole chosen day: access ends at midnight after it.
        return period_end(day)


class SetPasswordForm(forms.Form):
    """A new account from an invitation: the name and a password (checked as Django does)."""

    name = forms.CharField(label=gettext_lazy("Uw naam"), max_length=150)
    password1 = forms.CharField(
        label=gettext_lazy("Kies een wachtwoord"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=gettext_lazy("Minstens 12 tekens; geen veelgebruikt wachtwoord."),
    )
    password2 = forms.CharField(
        label=gettext_lazy("Herhaal het wachtwoord"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, invitation: Invitation, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.invitation = invitation
        self.fields["name"].initial = invitation.name

    def clean(self):
        data = super().clean()
        if data.get("password1") != data.get("password2"):
            self.add_error("password2", _("De twee wachtwoorden zijn niet gelijk."))
        elif data.get("password1"):
            # Here, not only in the service, so the messages stand under the password field.
            user = get_user_model()(
                username=self.invitation.email,
                email=self.invitation.email,
                first_name=data.get("name", ""),
            )
            try:
                password_validation.validate_password(data["password1"], user)
            except ValidationError as exc:
                self.add_error("password1", exc)
        return data


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Naam van de sleutel"),
        max_length=100,
        help_text=gettext_lazy("Bijvoorbeeld: Power BI-dashboard regio."),
    )
    days = forms.IntegerField(
        label=gettext_lazy("Geldig (dagen)"),
        min_value=1,
        max_value=token_services.API_TOKEN_MAX_DAYS,
        initial=90,
    )
