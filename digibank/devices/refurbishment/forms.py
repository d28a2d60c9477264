"""Refurbishment's forms: an erasure (typed or its log imported), the ready check, a repair,
recycling, a software profile and a collection."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from digibank.core.text import DATE_FORMATS
from digibank.devices.common.forms import DECIMAL, NUMBER, SCAN, ServiceValidatedModelForm, date_widget
from digibank.devices.refurbishment.models import (
    READY_CHECKLIST,
    CollectionBatch,
    ErasureRecord,
    RepairTicket,
    SoftwareProfile,
)

# The forms on a device's page have a prefix each, so their fields' ids never clash (several have
# a note or a medium).

# Large enough for any nwipe log of a few disks; a file far bigger is not one.
MAX_LOG_BYTES = 2 * 1024 * 1024


class ErasureImportForm(forms.Form):
    """The erasure tool's own report: a file, or the text pasted."""

    prefix = "import"

    log_file = forms.FileField(label=_("nwipe or ShredOS log file"), required=False)
    log = forms.CharField(
        label=_("Or paste the log here"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
        max_length=MAX_LOG_BYTES,
    )
    medium = forms.ChoiceField(
        label=_("Medium"),
        choices=[("", _("Choose")), *ErasureRecord.Medium.choices],
        error_messages={"required": _("Choose the kind of storage that was erased.")},
    )

    def clean(self):
        data = super().clean()
        upload = data.get("log_file")
        if upload:
            if upload.size > MAX_LOG_BYTES:
                self.add_error("log_file", _("This file is too big to be an nwipe log."))
                return data
            data["log"] = upload.read().decode("utf-8", errors="replace")
        if not (data.get("log") or "").strip() and "log" not in self.errors:
            self.add_error("log", _("Choose the log file, or paste its text."))
        return data


class ErasureRecordForm(forms.Form):
    """An erasure recorded by hand, when the tool writes no log (a phone's factory reset, a shredder)."""

    prefix = "erasure"

    level = forms.ChoiceField(label=_("NIST SP 800-88 level"), choices=ErasureRecord.Level.choices)
    method = forms.CharField(
        label=_("Method"), max_length=80, help_text=_("For example: factory reset with encryption, shredded.")
    )
    tool = forms.CharField(label=_("Tool"), max_length=80)
    medium = forms.ChoiceField(label=_("Medium"), choices=ErasureRecord.Medium.choices)
    medium_serial = forms.CharField(
        label=_("Disk serial number"), max_length=80, required=False, widget=forms.TextInput(attrs=SCAN)
    )
    performed_on = forms.DateField(
        label=_("Date"),
        required=False,
        input_formats=DATE_FORMATS,
        widget=date_widget(),
        help_text=_("Today when empty."),
    )
    result = forms.ChoiceField(label=_("Result"), choices=ErasureRecord.Result.choices)
    verification = forms.ChoiceField(label=_("Verification"), choices=ErasureRecord.Verification.choices)


class ReadyCheckForm(forms.Form):
    prefix = "check"
    items = forms.MultipleChoiceField(
        label=_("Checked"),
        choices=list(READY_CHECKLIST.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,  # the service names what is not yet checked
    )
    software_profile = forms.ModelChoiceField(
        label=_("Installed software profile"),
        queryset=SoftwareProfile.objects.none(),
        error_messages={"required": _("Choose the software profile that is installed.")},
    )

    def __init__(self, *args, profiles, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["software_profile"]).queryset = profiles


class RepairOpenForm(forms.Form):
    prefix = "repair"
    fault = forms.CharField(label=_("Fault"), widget=forms.Textarea(attrs={"rows": 2}))
    trainee = forms.CharField(
        label=_("Trainee"),
        max_length=120,
        required=False,
        help_text=_("A technical-skills trainee who does the work, if any."),
    )


class RepairCloseForm(ServiceValidatedModelForm):
    class Meta:
        model = RepairTicket
        fields = ["work_done", "parts_used", "minutes_spent"]
        localized_fields = ["minutes_spent"]
        widgets = {
            "work_done": forms.Textarea(attrs={"rows": 3, "autofocus": True}),
            "minutes_spent": forms.TextInput(attrs=NUMBER),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["work_done"].required = True
        self.fields["work_done"].error_messages["required"] = _("Say what was done.")


class RecycleForm(forms.Form):
    prefix = "recycle"
    collection = forms.ModelChoiceField(
        label=_("Collection"),
        queryset=CollectionBatch.objects.none(),
        error_messages={"required": _("Choose the collection the device goes with.")},
    )
    weight_kg = forms.DecimalField(
        label=_("Weight (kg)"),
        max_digits=7,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs=DECIMAL),
        error_messages={"required": _("Give the weight in kg: more than 0.")},
    )

    def __init__(self, *args, collections, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["collection"]).queryset = collections


class SoftwareProfileForm(ServiceValidatedModelForm):
    class Meta:
        model = SoftwareProfile
        fields = ["name", "operating_system", "office_software", "other_software"]


class CollectionForm(ServiceValidatedModelForm):
    handed_over_on = forms.DateField(
        label=_("Handed over on"), required=False, input_formats=DATE_FORMATS, widget=date_widget()
    )

    class Meta:
        model = CollectionBatch
        fields = ["recycler", "reference", "handed_over_on"]
