"""The forms of help contacts: logging one in seconds (the common case in four fields, the rest with
a sensible default behind "more"), and the filter of the list."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from digibank.clients.numbers import normalise as normalise_number
from digibank.clients.selectors import client_by_number
from digibank.core.tenancy import Tenancy
from digibank.core.text import DATE_FORMATS
from digibank.guidance.contacts.models import (
    MAX_MINUTES,
    MIN_MINUTES,
    NOTE_LENGTH,
    AgeBand,
    Channel,
    Outcome,
    Topic,
)
from digibank.guidance.contacts.note_guard import no_sensitive_data
from digibank.guidance.e_services.models import EService
from digibank.network.models import Hub
from digibank.network.selectors import municipality_for_postal_code

SCAN = {"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
DATE = {"type": "date"}
FIRST_DAY, LAST_DAY = dt.date(2000, 1, 1), dt.date(2099, 12, 31)
MORE_FIELDS = ("hub", "channel", "topics", "started_on", "started_time", "age_band", "postal_code", "note")


class ContactForm(forms.Form):
    """Card (or empty for an anonymous visitor), e-services, outcome and minutes: the rest defaults to
    the helper's hub, now and a walk-in. Validates the shape; the service checks the rules."""

    card = forms.CharField(
        label=_("Client card"),
        required=False,
        max_length=20,
        help_text=_("Scan the card or type the client number. Empty for an anonymous visitor."),
        widget=forms.TextInput(attrs={**SCAN, "autofocus": True}),
    )
    e_services = forms.ModelMultipleChoiceField(
        label=_("E-services"),
        queryset=EService.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices, widget=forms.RadioSelect)
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"),
        min_value=MIN_MINUTES,
        max_value=MAX_MINUTES,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "maxlength": 3}),
        error_messages={
            "min_value": _("A help contact lasts at least 1 minute."),
            "max_value": _("A help contact lasts at most 480 minutes (8 hours)."),
        },
    )
    follow_up_on = forms.DateField(
        label=_("Follow up on"),
        required=False,
        input_formats=["%Y-%m-%d", *DATE_FORMATS],
        help_text=_("Only for “follow-up needed”: the day the hub picks it up again."),
        widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
    )
    hub = forms.ModelChoiceField(
        label=_("Hub"), queryset=Hub.objects.none(), required=False, help_text=_("Empty: your last hub.")
    )
    channel = forms.ChoiceField(label=_("How"), choices=Channel.choices, initial=Channel.WALK_IN, required=False)
    topics = forms.MultipleChoiceField(
        label=_("Topics"), choices=Topic.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    started_on = forms.DateField(
        label=_("Day"),
        required=False,
        input_formats=["%Y-%m-%d", *DATE_FORMATS],
        help_text=_("Empty: today."),
        widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
    )
    started_time = forms.TimeField(
        label=_("Started at"),
        required=False,
        help_text=_("Empty: now."),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    age_band = forms.ChoiceField(
        label=_("Age (anonymous visitor)"),
        choices=[("", "—"), *AgeBand.choices],
        required=False,
        help_text=_("Only when there is no client card."),
    )
    postal_code = forms.CharField(
        label=_("Postal code (anonymous visitor)"),
        required=False,
        max_length=4,
        help_text=_("Where the visitor lives, if they want to say."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "maxlength": 4}),
    )
    note = forms.CharField(
        label=_("Short note"),
        required=False,
        max_length=NOTE_LENGTH,
        validators=[no_sensitive_data],
        help_text=_(
            "Never write sensitive data: no national register number, bank account, password or PIN, no health details."
        ),
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": NOTE_LENGTH}),
    )

    def __init__(
        self,
        *args,
        tenancy: Tenancy,
        hubs: QuerySet[Hub],
        e_services: QuerySet[EService],
        default_hub: Hub | None = None,
        **kwargs: Any,
    ) -> None:
        self.tenancy, self.default_hub = tenancy, default_hub
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["hub"]).queryset = hubs
        cast(forms.ModelMultipleChoiceField, self.fields["e_services"]).queryset = e_services

    def clean_card(self) -> str:
        raw = self.cleaned_data["card"].strip()
        self.cleaned_data["client"] = None
        if not raw:
            return ""
        number = normalise_number(raw)
        if not number:
            raise forms.ValidationError(
                _("This is not a client number: scan the card again or type the 8 characters on it.")
            )
        client = client_by_number(self.tenancy, number)
        if client is None:
            raise forms.ValidationError(_("No client of your digibank has this number."))
        self.cleaned_data["client"] = client
        return number

    def clean_postal_code(self):
        code = self.cleaned_data["postal_code"].strip()
        if not code:
            return None
        municipality = municipality_for_postal_code(code)
        if municipality is None:
            raise forms.ValidationError(_("This is not a postal code of a Flemish municipality."))
        return municipality

    def clean_started_on(self) -> dt.date | None:
        day = self.cleaned_data["started_on"]
        if day is not None and not FIRST_DAY <= day <= LAST_DAY:
            raise forms.ValidationError(_("Give a day of this century."))
        return day

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        day, time = data.get("started_on"), data.get("started_time")
        if day or time:
            now = timezone.localtime()
            moment = dt.datetime.combine(day or now.date(), time or now.time().replace(second=0, microsecond=0))
            data["started_at"] = timezone.make_aware(moment)
        return data

    def service_arguments(self) -> dict[str, Any]:
        """The cleaned data as `services.contact_log` takes it."""
        data = self.cleaned_data
        return {
            "hub": data.get("hub") or self.default_hub,
            "client": data.get("client"),
            "age_band": data.get("age_band") or "",
            "municipality": data.get("postal_code"),
            "started_at": data.get("started_at"),
            "duration_minutes": data.get("duration_minutes"),
            "channel": data.get("channel") or Channel.WALK_IN,
            "e_services": list(data.get("e_services") or []),
            "topics": data.get("topics") or [],
            "outcome": data.get("outcome"),
            "follow_up_on": data.get("follow_up_on"),
            "note": data.get("note") or "",
        }

    def more_has_errors(self) -> bool:
        return any(name in self.errors for name in MORE_FIELDS)


class ContactFilterForm(forms.Form):
    """The list's filter: a hub and a day, both optional; a wrong value filters nothing and says why."""

    hub = forms.ModelChoiceField(label=_("Hub"), queryset=Hub.objects.none(), required=False, empty_label=_("all hubs"))
    day = forms.DateField(
        label=_("Day"),
        required=False,
        input_formats=["%Y-%m-%d", *DATE_FORMATS],
        widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
    )

    def __init__(self, *args, hubs: QuerySet[Hub], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["hub"]).queryset = hubs

    def clean_day(self) -> dt.date | None:
        day = self.cleaned_data["day"]
        if day is not None and not FIRST_DAY <= day <= LAST_DAY:
            raise forms.ValidationError(_("Give a day of this century."))
        return day
