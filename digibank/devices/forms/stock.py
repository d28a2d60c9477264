"""Forms of the technician's and coordinator's stock screens. They check the shape of what is typed
or scanned; the services check the rules (a matching disk serial, a passed erasure before ready,
a weight above 0)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from digibank.core.text import DATE_FORMATS
from digibank.network.models import Hub

from ..lifecycle import Kind, State
from ..models import (
    READY_CHECKLIST,
    CollectionBatch,
    Device,
    Donor,
    ErasureRecord,
    Grade,
    IntakeBatch,
    RepairTicket,
    SoftwareProfile,
)
from ..services import DEVICE_FIELDS

SCAN = {"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
NO_AUTOFILL = {"autocomplete": "off", "spellcheck": "false"}
NUMBER = {"inputmode": "numeric", "autocomplete": "off"}
# Belgian decimals (1,5 and 1.250,75): a text box, as a number box sends what the browser's locale made of it.
DECIMAL = {"inputmode": "decimal", "autocomplete": "off"}
# The forms on a device's page have a prefix each, so their fields' ids never clash (several have
# a note or a medium).

# Large enough for any nwipe log of a few disks; a file far bigger is not one.
MAX_LOG_BYTES = 2 * 1024 * 1024


def _date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ServiceValidatedModelForm(forms.ModelForm):
    """A model form whose model is cleaned by the service, with the digibank set: the form only
    checks the shape of the input."""

    def _post_clean(self):
        pass


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
        widget=_date_widget(),
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


class TransferForm(forms.Form):
    prefix = "transfer"
    hub = forms.ModelChoiceField(label=_("To hub"), queryset=Hub.objects.none())
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, hubs, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["hub"]).queryset = hubs


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
        label=_("Received on"), required=False, input_formats=DATE_FORMATS, widget=_date_widget()
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


class SoftwareProfileForm(ServiceValidatedModelForm):
    class Meta:
        model = SoftwareProfile
        fields = ["name", "operating_system", "office_software", "other_software"]


class CollectionForm(ServiceValidatedModelForm):
    handed_over_on = forms.DateField(
        label=_("Handed over on"), required=False, input_formats=DATE_FORMATS, widget=_date_widget()
    )

    class Meta:
        model = CollectionBatch
        fields = ["recycler", "reference", "handed_over_on"]


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
