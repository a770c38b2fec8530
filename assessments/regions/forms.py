"""Forms of setting up a region: its name, inviting a municipality, a regio-coördinator."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from assessments.models import Municipality, Region
from assessments.regions.services import invitable_municipalities


class RegionForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Naam van de regio"),
        max_length=100,
        help_text=gettext_lazy("Bijvoorbeeld: Regio Rivierenland beschermd wonen."),
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Soort regio"),
        choices=Region.Kind.choices,
        initial=Region.Kind.BESCHERMD_WONEN,
    )


class MunicipalityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Municipality) -> str:
        return f"{obj.name} ({obj.province})" if obj.province else obj.name


class RegionInviteForm(forms.Form):
    municipality = MunicipalityChoiceField(
        label=gettext_lazy("Gemeente"),
        queryset=Municipality.objects.none(),
        empty_label=gettext_lazy("Kies een gemeente"),
        help_text=gettext_lazy(
            "Een coördinator van die gemeente neemt de uitnodiging aan of wijst haar af."
        ),
    )

    def __init__(self, *args, region: Region, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = invitable_municipalities(region)


class RegionCoordinatorForm(forms.Form):
    prefix = "regio"  # apart from the invitation form on the same page
    email = forms.EmailField(
        label=gettext_lazy("E-mailadres van de regio-coördinator"),
        help_text=gettext_lazy(
            "Heeft deze persoon nog geen account? Dan krijgt hij of zij een uitnodiging per "
            "e-mail om er een te maken."
        ),
    )
    name = forms.CharField(label=gettext_lazy("Naam"), max_length=150, required=False)
