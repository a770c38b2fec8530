"""Forms: they validate input and give Dutch messages; views call services with the result."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.common.converters import MAX_ID
from assessments.common.fields import IdModelChoiceField
from assessments.common.spreadsheets import MAX_FILE_BYTES
from assessments.models import NOTE_MAX_LENGTH, Assessment, Membership
from assessments.rounds.imports import ImportKind
from readiness.kinds import parse_number
from readiness.models import AnswerValue, Domain, DutyValue, QuestionKind


class StartAssessmentForm(forms.Form):
    title = forms.CharField(
        label=_("Titel van de meting"),
        max_length=200,
        help_text=_("Bijvoorbeeld: Nulmeting voorjaar, of Herhaalmeting najaar."),
    )
    carry_answers = forms.BooleanField(
        label=_("Begin met de antwoorden van de vorige meting"),
        required=False,
        help_text=_(
            "Iedere invuller ziet zijn eigen antwoorden en toelichtingen van de vorige meting "
            "als startpunt, gemarkeerd als “overgenomen” tot hij ze bevestigt of wijzigt."
        ),
    )
    carry_actions = forms.BooleanField(
        label=_("Neem de open acties van het vorige actieplan over"),
        required=False,
        help_text=_("Acties die gepland of bezig zijn, met hun status, eigenaar en deadline."),
    )

    def __init__(self, *args, previous=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if previous is None:
            # Nothing to start from: the municipality has no closed round yet.
            del self.fields["carry_answers"]
            del self.fields["carry_actions"]
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Meting starten")))


class AnswerForm(forms.Form):
    """One question's answer; prefixed ``q-<question id>`` so a step page holds many.

    ``kind`` is the statement's kind (``QuestionKind``): a maturity statement takes a
    level, 'weet niet' or 'n.v.t.'; a legal duty voldaan, deels, niet or 'n.v.t.'; an
    indicator a number (a comma or a point before the decimals).
    """

    value = forms.ChoiceField(
        label=_("Antwoord"),
        choices=[("", _("Nog niet gekozen")), *AnswerValue.choices],
        required=False,
        error_messages={
            "invalid_choice": _("Kies een niveau van 0 tot en met 4, 'weet niet' of 'n.v.t.'.")
        },
    )
    note = forms.CharField(
        label=_("Toelichting of bewijs"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        strip=False,
        error_messages={
            "max_length": _(
                "De toelichting is te lang: maximaal %(limit_value)d tekens (nu %(show_value)d)."
            )
        },
    )

    number = forms.CharField(label=_("Getal"), required=False, max_length=40)

    def __init__(self, *args, kind: str = QuestionKind.MATURITY, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        if kind == QuestionKind.LEGAL_DUTY:
            self.fields["value"].choices = [("", _("Nog niet gekozen")), *DutyValue.choices]
            self.fields["value"].error_messages["invalid_choice"] = _(
                "Kies voldaan, deels voldaan, niet voldaan of 'n.v.t.'."
            )
        elif kind == QuestionKind.INDICATOR:
            self.fields["value"].choices = [("", _("Nog niet gekozen"))]
            self.fields["value"].error_messages["invalid_choice"] = _(
                "Bij deze vraag vult u een getal in, geen niveau."
            )

    def clean_note(self) -> str:
        # Keep the user's line breaks but not trailing spaces from a paste.
        return self.cleaned_data["note"].strip()

    def clean_number(self):
        text = self.cleaned_data["number"].strip()
        if not text:
            return None
        if self.kind != QuestionKind.INDICATOR:
            raise forms.ValidationError(_("Bij deze vraag hoort geen getal."))
        try:
            return parse_number(text)
        except ValueError:
            raise forms.ValidationError(
                _("Vul een getal in, bijvoorbeeld 12 of 3,5."), code="invalid"
            ) from None


class PerspectiveForm(forms.Form):
    perspective = forms.ChoiceField(
        label=_("Vanuit welk domein vult u in?"),
        choices=[("", _("Geen opgegeven")), *Domain.choices],
        required=False,
        # Bootstrap's class keeps the select within a phone's width (static/css/app.css).
        widget=forms.Select(attrs={"class": "form-select"}),
    )


class TargetsForm(forms.Form):
    """The ambition: a target level per step."""

    def __init__(self, *args, steps, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        level_choices = [(str(v), label) for v, label in AnswerValue.choices if v.isdigit()]
        for step in steps:
            self.fields[step.code] = forms.TypedChoiceField(
                label=step.title,
                choices=level_choices,
                coerce=int,
                error_messages={"invalid_choice": _("Kies een niveau van 0 tot en met 4.")},
            )


LEVEL_CHOICES = [(v, label) for v, label in AnswerValue.choices if v.isdigit()]


class AgreedLevelForm(forms.Form):
    """The level agreed on in conversation for one statement; prefixed ``v<question id>``
    so the agenda holds one per statement. No level: the agreement is removed."""

    level = forms.TypedChoiceField(
        label=_("Vastgesteld niveau"),
        choices=[("", _("Geen: de mediaan telt")), *LEVEL_CHOICES],
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": _("Kies een niveau van 0 tot en met 4.")},
    )
    rationale = forms.CharField(
        label=_("Onderbouwing"),
        help_text=_("Kort: waarom stelt u dit niveau samen vast?"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("level") is not None and not data.get("rationale"):
            self.add_error("rationale", _("Schrijf kort op waarom u dit niveau samen vaststelt."))
        return data


class WorkshopScreenForm(forms.Form):
    """The workshop screen an agreed level was set on, to return to; empty: the agenda."""

    screen = forms.IntegerField(
        min_value=1,
        max_value=MAX_ID,
        required=False,
        error_messages={"invalid": _("Het schermnummer van de werksessie is geen geldig getal.")},
    )


class ResponseInclusionForm(forms.Form):
    """Whether a response counts, whatever its number of answers."""

    CHOICES = [("auto", _("Automatisch")), ("ja", _("Wel meetellen")), ("nee", _("Niet meetellen"))]
    VALUES = {"auto": None, "ja": True, "nee": False}

    included = forms.ChoiceField(
        label=_("Telt mee"),
        choices=CHOICES,
        widget=forms.Select(attrs={"class": "form-select form-select-sm w-auto"}),
        error_messages={"invalid_choice": _("Kies: automatisch, wel meetellen of niet meetellen.")},
    )

    @classmethod
    def initial_for(cls, included: bool | None) -> str:
        return {None: "auto", True: "ja", False: "nee"}[included]


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Reden om de meting weer te openen"),
        max_length=100,
        help_text=_("Komt in de historie van de meting. Maximaal 100 tekens."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Meting heropenen"), css_class="btn-danger"))


class PortfolioFilterForm(forms.Form):
    q = forms.CharField(label=_("Gemeente"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("Alle")),
            *Assessment.Status.choices,
            ("geen", _("Nog geen meting")),
        ],
    )
    overdue = forms.BooleanField(label=_("Alleen met acties over de deadline"), required=False)


class ImportForm(forms.Form):
    """An XLSX file with a workshop's answers or agreed levels (``rounds/imports.py``)."""

    kind = forms.ChoiceField(
        label=_("Wat wilt u importeren?"),
        choices=ImportKind.choices,
        initial=ImportKind.ANSWERS,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Kies wat u wilt importeren.")},
    )
    file = forms.FileField(
        label=_("Excel-bestand (.xlsx)"),
        help_text=_("Hoogstens 2 MB, in de indeling van de export van de antwoorden."),
        error_messages={"required": _("Kies een bestand.")},
    )
    respondent = IdModelChoiceField(
        label=_("In de invulling van"),
        queryset=Membership.objects.none(),
        required=False,
        empty_label=None,
        widget=forms.Select(attrs={"class": "form-select"}),
        help_text=_(
            "Alleen bij antwoorden. De antwoorden komen in de invulling van deze persoon, "
            "alsof die ze zelf invult: bestaande antwoorden op dezelfde vragen worden "
            "vervangen, andere blijven staan. In de geschiedenis staat u als degene die "
            "ze heeft ingevoerd."
        ),
        error_messages={"invalid_choice": _("Kies een invuller uit de lijst.")},
    )
    perspective = forms.ChoiceField(
        label=_("Perspectief van deze invulling"),
        choices=[("", _("Niet veranderen")), *Domain.choices],
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
        help_text=_("Alleen bij antwoorden, bijvoorbeeld het domein van de groep in de sessie."),
    )
    check_only = forms.BooleanField(
        label=_("Alleen controleren, nog niets opslaan"),
        required=False,
    )

    def __init__(self, *args, respondents, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["respondent"]
        field.queryset = respondents
        field.label_from_instance = lambda m: (
            _("Mijzelf (%(name)s)") % {"name": m.user.get_full_name() or m.user.username}
            if m.user_id == user.pk
            else m.user.get_full_name() or m.user.username
        )
        own = next((m for m in respondents if m.user_id == user.pk), None)
        if own is not None:
            field.initial = own.pk
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Importeren")))

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(
                _("Kies een Excel-bestand dat eindigt op .xlsx (geen .xls, .csv of .ods).")
            )
        # One byte more than allowed: enough to refuse a file that is too big.
        return upload.read(MAX_FILE_BYTES + 1)
