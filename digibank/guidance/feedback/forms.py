"""The period of the feedback figures: from and to, both days included; empty: this calendar year."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from digibank.core.text import DATE_FORMATS

FIRST_DAY, LAST_DAY = dt.date(2000, 1, 1), dt.date(2099, 12, 31)
DATE = {"type": "date"}


class PeriodForm(forms.Form):
    start = forms.DateField(
        label=_("From"),
        required=False,
        input_formats=["%Y-%m-%d", *DATE_FORMATS],
        widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
    )
    end = forms.DateField(
        label=_("To"),
        required=False,
        input_formats=["%Y-%m-%d", *DATE_FORMATS],
        widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
    )

    def clean(self):
        data = super().clean() or {}
        today = timezone.localdate()
        start = data.get("start") or dt.date(today.year, 1, 1)
        end = data.get("end") or dt.date(today.year, 12, 31)
        for name, day in (("start", start), ("end", end)):
            if not FIRST_DAY <= day <= LAST_DAY and name not in self.errors:
                self.add_error(name, _("Give a day of this century."))
        if not self.errors and end < start:
            self.add_error("end", _("The end cannot be before the start."))
        data["start"], data["end"] = start, end
        return data


def period_from(query) -> tuple[PeriodForm, tuple[dt.date, dt.date] | None]:
    """The form for the period asked in the query string and the period (this year when none is asked),
    or None when what was typed is no period."""
    form = PeriodForm(query)
    if form.is_valid():
        return form, (form.cleaned_data["start"], form.cleaned_data["end"])
    return form, None
