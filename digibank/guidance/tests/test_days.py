"""The days of guidance: a day's and a period's bounds in Brussels, and the day a screen is asked for."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import RequestFactory
from django.utils import timezone
from rest_framework import exceptions
from rest_framework.request import Request

from digibank.core.days import day_bounds, period_bounds
from digibank.guidance.days import day_asked, day_param


def hours(start: dt.datetime, end: dt.datetime) -> float:
    """Real hours between two moments (Python subtracts wall-clock times within one zone)."""
    return (end.astimezone(dt.UTC) - start.astimezone(dt.UTC)) / dt.timedelta(hours=1)


def test_a_day_runs_from_midnight_to_midnight_in_brussels_even_when_the_clocks_change():
    start, end = day_bounds(dt.date(2026, 3, 29))  # the clocks go forward
    assert start.isoformat() == "2026-03-29T00:00:00+01:00"
    assert end.isoformat() == "2026-03-30T00:00:00+02:00"
    assert hours(start, end) == 23
    start, end = day_bounds(dt.date(2026, 10, 25))  # and back
    assert hours(start, end) == 25


def test_a_period_holds_both_its_first_and_its_last_day():
    start, after = period_bounds(dt.date(2026, 12, 1), dt.date(2026, 12, 31))
    assert (start, after) == (day_bounds(dt.date(2026, 12, 1))[0], day_bounds(dt.date(2026, 12, 31))[1])


@pytest.mark.parametrize(
    ("raw", "day"),
    [
        ("2026-12-03", dt.date(2026, 12, 3)),  # what a date field sends
        ("3/12/2026", dt.date(2026, 12, 3)),  # typed the Belgian way
        ("03.12.2026", dt.date(2026, 12, 3)),
    ],
)
def test_the_day_asked_reads_iso_and_belgian_dates(raw, day):
    assert day_asked(RequestFactory().get("/", {"dag": raw})) == day


@pytest.mark.parametrize("raw", ["", "morgen", "2026-02-30", "12/31/2026", "9" * 40])
def test_the_day_asked_is_today_without_a_real_date(raw):
    assert day_asked(RequestFactory().get("/", {"dag": raw})) == timezone.localdate()


def test_the_day_asked_is_today_when_none_is_asked():
    assert day_asked(RequestFactory().get("/")) == timezone.localdate()


def api_get(**params) -> Request:
    return Request(RequestFactory().get("/", params))


def test_an_api_day_is_an_iso_date_or_none():
    assert day_param(api_get(day="2026-12-03")) == dt.date(2026, 12, 3)
    assert day_param(api_get()) is None


@pytest.mark.parametrize("raw", ["2026-02-30", "3/12/2026", "1899-12-31", "2026-12-3", ""])
def test_an_api_day_that_is_no_day_is_a_field_error(raw):
    with pytest.raises(exceptions.ValidationError) as refused:
        day_param(api_get(day=raw))
    assert list(refused.value.detail) == ["day"]
