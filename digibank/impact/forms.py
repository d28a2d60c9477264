"""Forms of the circularity figures: the period to show, and the Department's factor per type."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from digibank.devices.register.lifecycle import Kind

from .circularity import Period

DATE_FORMATS = ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y"]


class PeriodForm(forms.Form):
    """From and to (both days included); empty: this calendar year."""

    start = forms.DateField(
        label=_("From"),
        required=False,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    end = forms.DateField(
        label=_("To"),
        required=False,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def clean(self):
        data = super().clean()
        if not self.errors:
            try:
                self.period = Period.checked(data.get("start"), data.get("end"))
            except ValidationError as error:
                for name, messages in error.message_dict.items():
                    self.add_error(name, messages)
        return data


def period_from(query) -> tuple[PeriodForm, Period | None]:
    """The form for the period in the query string, and the period it names (this calendar year
    when none is asked for), or None when what was typed is not a period."""
    if not (query.get("start") or query.get("end")):
        period = Period.this_year()
        return PeriodForm(initial={"start": period.start, "end": period.end}), period
    form = PeriodForm(query)
    return form, (form.period if form.is_valid() else None)


class EmissionFactorForm(forms.Form):
    """One type's factor and the public source it comes from."""

    kind = forms.ChoiceField(choices=Kind.choices, widget=forms.HiddenInput)
    kg_co2e = forms.DecimalField(
        label=_("kg CO2e avoided per device reused"),
        min_value=0,
        max_digits=7,
        decimal_places=1,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        help_text=_("What making a new device of this type emits: reuse avoids buying one new."),
    )
    source = forms.CharField(
        label=_("Source"),
        max_length=300,
        required=False,  # checked by the service, so the message is the same on the screen and in the API
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The public source of the figure: title, publisher and year."),
    )
    source_url = forms.URLField(
        label=_("Web address of the source"), required=False, assume_scheme="https", max_length=200
    )
