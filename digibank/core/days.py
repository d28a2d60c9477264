"""The aware moments a day or a period spans in Brussels. Every screen, API and figure that filters on
days reads its bounds here, so a day of 23 or 25 hours (when the clocks change) is counted alike everywhere."""

from __future__ import annotations

import datetime as dt

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
