"""The forms of referrals: making one (a client by card, or a person not yet a client), the receiving hub's
steps, the code box of the desk and the digibank's setting."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from digibank.clients.numbers import normalise as normalise_number
from digibank.clients.selectors import client_by_number
from digibank.core.tenancy import Tenancy
from digibank.core.validators import multi_line_text, single_line_text
from digibank.guidance.contacts.note_guard import no_sensitive_data
from digibank.guidance.e_services.models import EService
from digibank.guidance.e_services.selectors import e_services_seen_by
from digibank.guidance.referrals.models import ConsentHow, ReferralSettings, Service
from digibank.guidance.selectors import open_hubs
from digibank.network.models import Hub

SCAN = {"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
DATE_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]
NOT_FOUND = _("No client of your digibank has this number.")
NO_CONSENT = _("Record how the person agreed to be referred: without their consent no referral is made.")


def _card_client(tenancy: Tenancy, raw: str):
    number = normalise_number(raw or "")
    if not number:
        raise forms.ValidationError(
            _("This is not a client number: scan the card again or type the 8 characters on it.")
        )
    client = client_by_number(tenancy, number)
    if client is None:
        raise forms.ValidationError(NOT_FOUND)
    return client


class ReferralForm(forms.Form):
    """Refer a person: a client by card number, or the name and phone of someone not yet a client."""

    card = forms.CharField(
        label=_("Client card"),
        max_length=20,
        required=False,
        help_text=_("Scan the client card or type the client number. Not a client yet? Leave it empty."),
        widget=forms.TextInput(attrs=SCAN),
    )
    person_name = forms.CharField(
        label=_("Name (not yet a client)"),
        max_length=120,
        required=False,
        validators=[single_line_text],
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    person_phone = forms.CharField(
        label=_("Phone (not yet a client)"),
        max_length=20,
        required=False,
        validators=[single_line_text],
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel"}),
    )
    to_hub = forms.ModelChoiceField(label=_("To hub"), queryset=Hub.objects.none(), empty_label="—")
    service = forms.ChoiceField(label=_("Service"), choices=[("", "—"), *Service.choices])
    e_service = forms.ModelChoiceField(
        label=_("E-service (optional)"), queryset=EService.objects.none(), required=False, empty_label="—"
    )
    consent_how = forms.ChoiceField(
        label=_("The person agrees to be referred"),
        choices=ConsentHow.choices,
        widget=forms.RadioSelect,
        error_messages={"required": NO_CONSENT},
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        validators=[multi_line_text, no_sensitive_data],
        help_text=_("A few words. Do not write sensitive data: no national register number, bank account or PIN."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, tenancy: Tenancy, **kwargs):
        self.tenancy = tenancy
        super().__init__(*args, **kwargs)
        hubs = open_hubs(tenancy)
        cast(forms.ModelChoiceField, self.fields["to_hub"]).queryset = hubs
        cast(forms.ModelChoiceField, self.fields["e_service"]).queryset = e_services_seen_by(tenancy)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["client"] = None
        if data.get("card"):
            try:
                data["client"] = _card_client(self.tenancy, data["card"])
            except forms.ValidationError as error:
                self.add_error("card", error)
        elif not data.get("person_name", "").strip() and "person_name" not in self.errors:
            self.add_error("person_name", _("Give the client's card number, or the name of a person not yet a client."))
        data.pop("card", None)
        return data


class PlanForm(forms.Form):
    planned_on = forms.DateField(
        label=_("Expected on"),
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"autocomplete": "off", "placeholder": "dd/mm/jjjj"}),
        help_text=_("For example 14/10/2026."),
    )

    def clean_planned_on(self):
        day = self.cleaned_data["planned_on"]
        if day < timezone.localdate():
            raise forms.ValidationError(_("Choose today or a day in the future."))
        return day


class CompleteForm(forms.Form):
    outcome = forms.CharField(
        label=_("Outcome"),
        max_length=300,
        validators=[multi_line_text],
        help_text=_("The referrer reads this: a few words, nothing sensitive."),
    )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Why declined"),
        max_length=300,
        validators=[multi_line_text],
        help_text=_("The referrer reads this: a few words, nothing sensitive."),
    )


class NotesForm(forms.Form):
    internal_notes = forms.CharField(
        label=_("Internal notes"),
        max_length=2000,
        required=False,
        validators=[multi_line_text, no_sensitive_data],
        help_text=_("Only your hub's staff read these, never the referrer. No sensitive data."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class LinkForm(forms.Form):
    card = forms.CharField(
        label=_("Client card"),
        max_length=20,
        help_text=_("The person has registered: scan their card to link the referral."),
        widget=forms.TextInput(attrs=SCAN),
    )

    def __init__(self, *args, tenancy: Tenancy, **kwargs):
        self.tenancy = tenancy
        super().__init__(*args, **kwargs)

    def clean_card(self):
        self.cleaned_data["client"] = _card_client(self.tenancy, self.cleaned_data["card"])
        return self.cleaned_data["card"]


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Referral code"),
        max_length=20,
        help_text=_("Scan the slip or type the code on it."),
        widget=forms.TextInput(attrs=SCAN),
    )


class SettingsForm(forms.Form):
    stale_after_days = forms.IntegerField(
        label=_("Flag open referrals after (days)"),
        min_value=1,
        max_value=365,
        initial=ReferralSettings.DEFAULT_STALE_DAYS,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
