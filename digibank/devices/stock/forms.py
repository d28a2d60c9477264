"""Stock's forms: starting a stock-take and scanning in it."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from digibank.devices.common.forms import SCAN
from digibank.network.models import Hub

# --- stock-take ------------------------------------------------------------------------------


class StockTakeStartForm(forms.Form):
    hub = forms.ModelChoiceField(label=_("Hub"), queryset=Hub.objects.none())

    def __init__(self, *args, hubs, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["hub"]).queryset = hubs


class ScanForm(forms.Form):
    code = forms.CharField(
        label=_("Scan a label"),
        max_length=40,
        widget=forms.TextInput(attrs={**SCAN, "autofocus": True}),
        error_messages={"required": _("Scan a label.")},
        help_text=_("Scan each label in turn; the page comes back after every scan."),
    )
