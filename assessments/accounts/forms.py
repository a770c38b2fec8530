"""Forms of the login's second step."""

from django import forms
from django.utils.translation import gettext_lazy


class TokenForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        help_text=gettext_lazy("De zescijferige code uit uw app, of een herstelcode."),
    )
