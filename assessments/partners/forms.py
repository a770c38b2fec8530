"""The coordinator's form for a new partner link."""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.models import PARTNER_PERSPECTIVES, PartnerLink, period_end


def default_last_day() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=30)


class PartnerLinkForm(forms.Form):
    organisation = forms.CharField(
        label=gettext_lazy("Organisatie"),
        max_length=200,
        help_text=gettext_lazy("Bijvoorbeeld: Woningcorporatie De Woonplaats."),
    )
    perspective = forms.ChoiceField(
        label=gettext_lazy("Perspectief"),
        choices=[(p.value, p.label) for p in PARTNER_PERSPECTIVES],
        help_text=gettext_lazy("De antwoorden tellen mee als dit perspectief."),
    )
    last_day = forms.DateField(
        label=gettext_lazy("Link werkt tot en met"),
        # ISO, as a date field needs it: the Dutch format would leave the field empty.
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        initial=default_last_day,
        help_text=gettext_lazy(
            "Hoogstens 90 dagen vanaf vandaag. U kunt de link altijd eerder intrekken."
        ),
    )
    contact_name = forms.CharField(
        label=gettext_lazy("Contactpersoon (niet verplicht)"), max_length=150, required=False
    )
    contact_email = forms.EmailField(
        label=gettext_lazy("E-mailadres contactpersoon (niet verplicht)"), required=False
    )

    def clean_last_day(self) -> datetime.datetime:
        day = self.cleaned_data["last_day"]
        today = timezone.localdate()
        if day < today:
            raise ValidationError(_("Kies een datum vanaf vandaag."))
        if day > today + datetime.timedelta(days=PartnerLink.MAX_DAYS):
            raise ValidationError(
                _("Een partnerlink werkt hoogstens %(n)s dagen. Kies een eerdere datum.")
                % {"n": PartnerLink.MAX_DAYS}
            )
        # Through the whole chosen day: the link ends at midnight after it.
        return period_end(day)
