"""The register's forms: the device list's filter, a device's details, and the moves a technician
chooses on a device's page."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from digibank.devices.common.forms import DECIMAL, NO_AUTOFILL, NUMBER, SCAN, ServiceValidatedModelForm
from digibank.devices.register.lifecycle import Kind, State
from digibank.devices.register.models import Device, Grade
from digibank.devices.register.services import DEVICE_FIELDS
from digibank.network.models import Hub

# --- the stock list --------------------------------------------------------------------------


class DeviceFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Asset tag, serial number, make or model"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={**SCAN, "type": "search", "autofocus": True}),
        help_text=_("Scan a label to open the device at once."),
    )
    hub = forms.ModelChoiceField(label=_("Hub"), queryset=Hub.objects.none(), required=False, empty_label=_("All"))
    kind = forms.ChoiceField(label=_("Type"), choices=[("", _("All")), *Kind.choices], required=False)
    state = forms.ChoiceField(label=_("State"), choices=[("", _("All")), *State.choices], required=False)
    grade = forms.ChoiceField(label=_("Grade"), choices=[("", _("All")), *Grade.choices], required=False)

    def __init__(self, *args, hubs, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["hub"]).queryset = hubs


# --- devices ---------------------------------------------------------------------------------


class DeviceForm(ServiceValidatedModelForm):
    """The details of one item, at intake and when they are corrected."""

    class Meta:
        model = Device
        fields = list(DEVICE_FIELDS)
        localized_fields = ["screen_inches"]
        widgets = {
            "kind": forms.Select(attrs={"autofocus": True}),
            "make": forms.TextInput(attrs=NO_AUTOFILL),
            "model_name": forms.TextInput(attrs=NO_AUTOFILL),
            "serial_number": forms.TextInput(attrs=SCAN),
            "storage_serial": forms.TextInput(attrs=SCAN),
            "processor": forms.TextInput(attrs=NO_AUTOFILL),
            "memory_gb": forms.NumberInput(attrs=NUMBER),
            "storage_gb": forms.NumberInput(attrs=NUMBER),
            "screen_inches": forms.TextInput(attrs=DECIMAL),
            "battery_health": forms.NumberInput(attrs=NUMBER),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }

    def device_fields(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in DEVICE_FIELDS}
        # The model keeps '' for "not known", not None.
        for name in ("make", "model_name", "serial_number", "processor", "storage_serial", "notes"):
            data[name] = data[name] or ""
        return data


class MoveForm(forms.Form):
    """A move along the lifecycle without more to say: start wiping, send to repair."""

    prefix = "move"

    target = forms.ChoiceField(choices=State.choices, widget=forms.HiddenInput)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class ReadyForm(forms.Form):
    prefix = "ready"
    target = forms.CharField(widget=forms.HiddenInput, initial=State.READY)
    grade = forms.ChoiceField(
        label=_("Grade"),
        choices=Grade.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Give the device a grade (A, B or C) before it is ready.")},
    )


class RetireForm(forms.Form):
    prefix = "retire"
    target = forms.CharField(widget=forms.HiddenInput, initial=State.RETIRED)
    note = forms.CharField(
        label=_("Why is the device retired?"),
        max_length=300,
        error_messages={"required": _("Say why the device is retired.")},
        help_text=_("For example: motherboard broken, too old to repair."),
    )


class TransferForm(forms.Form):
    prefix = "transfer"
    hub = forms.ModelChoiceField(label=_("To hub"), queryset=Hub.objects.none())
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, hubs, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["hub"]).queryset = hubs
