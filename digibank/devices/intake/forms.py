"""Intake's forms: a donor and a batch with its devices."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from digibank.core.text import DATE_FORMATS
from digibank.devices.common.forms import NO_AUTOFILL, NUMBER, ServiceValidatedModelForm, date_widget
from digibank.devices.intake.models import Donor, IntakeBatch

# --- donors and intake -----------------------------------------------------------------------


class DonorForm(ServiceValidatedModelForm):
    class Meta:
        model = Donor
        fields = ["name", "partner", "enterprise_number", "email"]
        widgets = {
            "name": forms.TextInput(attrs=NO_AUTOFILL),
            "enterprise_number": forms.TextInput(attrs={**NUMBER, "placeholder": "0403.170.701"}),
        }

    def __init__(self, *args, partners, **kwargs):
        super().__init__(*args, **kwargs)
        partner = cast(forms.ModelChoiceField, self.fields["partner"])
        partner.queryset = partners
        partner.help_text = _("Only when the donor is one of your partners.")
        self.fields["enterprise_number"].help_text = _("The ten digits of the KBO, if the donor is an organisation.")


class BatchForm(ServiceValidatedModelForm):
    received_on = forms.DateField(
        label=_("Received on"), required=False, input_formats=DATE_FORMATS, widget=date_widget()
    )

    class Meta:
        model = IntakeBatch
        fields = ["donor", "hub", "received_on", "reference", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2}), "reference": forms.TextInput(attrs=NO_AUTOFILL)}

    def __init__(self, *args, donors, hubs, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["donor"]).queryset = donors
        cast(forms.ModelChoiceField, self.fields["hub"]).queryset = hubs
        self.fields["donor"].widget.attrs["autofocus"] = True
        self.fields["reference"].help_text = _("The donor's own reference for this hand-over, if any.")
