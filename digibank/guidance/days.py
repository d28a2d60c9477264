"""Days in guidance: the aware moments a day or a period spans in Brussels, and the day a screen is asked
for. Every feature that filters on a day reads its bounds here, so a day of 23 or 25 hours (when the
clocks change) is counted alike everywhere."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone


def period_bounds(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """From midnight of `first` up to (not including) midnight after `last`, both days included, in the
    current time zone (Europe/Brussels)."""
    start = timezone.make_aware(dt.datetime.combine(first, dt.time.min))
    after = timezone.make_aware(dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min))
    return start, after


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Midnight to midnight of one day in Brussels (a day has 23 or 25 hours when the clocks change)."""
    return period_bounds(day, day)


def day_asked(request, name: str = "dag") -> dt.date:
    """The day in `?dag=`: 2026-12-03 as a date field sends it, or a typed Belgian 3/12/2026; today when
    none or not a date."""
    raw = request.GET.get(name, "").strip()
    if raw:
        try:
            return forms.DateField().to_python(raw)
        except ValidationError:
            pass
    return timezone.localdate()
