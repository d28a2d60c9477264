"""Opening hours arithmetic, on plain rows: which periods a hub is open on a day and at a moment.
Times are wall-clock times in Europe/Brussels."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from django.utils import timezone


class WeeklyRow(Protocol):
    weekday: int
    opens: dt.time
    closes: dt.time


class ExceptionRow(Protocol):
    starts_on: dt.date
    ends_on: dt.date
    opens: dt.time | None
    closes: dt.time | None
    reason: str


@dataclass
class DayHours:
    day: dt.date
    periods: list[tuple[dt.time, dt.time]] = field(default_factory=list)
    note: str = ""  # the reason of an exception, when one applies

    @property
    def is_closed(self) -> bool:
        return not self.periods


def hours_on(day: dt.date, weekly: Iterable[WeeklyRow], exceptions: Iterable[ExceptionRow]) -> DayHours:
    """An exception covering the day replaces the week: a closure (no times) or its own hours."""
    special = [e for e in exceptions if e.starts_on <= day <= e.ends_on]
    if special:
        periods = sorted((e.opens, e.closes) for e in special if e.opens is not None and e.closes is not None)
        return DayHours(day, periods, note="; ".join(e.reason for e in special if e.reason))
    return DayHours(day, sorted((w.opens, w.closes) for w in weekly if w.weekday == day.weekday()))


def is_open_at(moment: dt.datetime, weekly: Iterable[WeeklyRow], exceptions: Iterable[ExceptionRow]) -> bool:
    local = timezone.localtime(moment)
    now = local.time()
    return any(opens <= now < closes for opens, closes in hours_on(local.date(), weekly, exceptions).periods)


def overlaps(periods: Iterable[tuple[int, dt.time, dt.time]]) -> list[int]:
    """Weekdays on which two periods overlap. Periods are (weekday, opens, closes)."""
    clashing: set[int] = set()
    by_day: dict[int, list[tuple[dt.time, dt.time]]] = {}
    for weekday, opens, closes in periods:
        by_day.setdefault(weekday, []).append((opens, closes))
    for weekday, day_periods in by_day.items():
        day_periods.sort()
        for (_, first_closes), (second_opens, _) in zip(day_periods, day_periods[1:]):
            if second_opens < first_closes:
                clashing.add(weekday)
    return sorted(clashing)
