import datetime as dt
from types import SimpleNamespace as Row
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from digibank.network import hours

BRUSSELS = ZoneInfo("Europe/Brussels")
T = dt.time
MONDAY = dt.date(2026, 11, 30)
WEEK = [
    Row(weekday=0, opens=T(9), closes=T(12)),
    Row(weekday=0, opens=T(13), closes=T(16)),
    Row(weekday=2, opens=T(13, 30), closes=T(17)),
]


def test_day_has_its_weekly_periods_in_order():
    assert hours.hours_on(MONDAY, WEEK, []).periods == [(T(9), T(12)), (T(13), T(16))]
    assert hours.hours_on(MONDAY + dt.timedelta(days=1), WEEK, []).is_closed


def test_closure_replaces_the_week_and_says_why():
    closure = Row(starts_on=MONDAY, ends_on=MONDAY, opens=None, closes=None, reason="Brugdag")
    day = hours.hours_on(MONDAY, WEEK, [closure])
    assert day.is_closed and day.note == "Brugdag"


def test_other_hours_replace_the_week_on_each_day_of_the_exception():
    special = Row(starts_on=MONDAY, ends_on=MONDAY + dt.timedelta(days=2), opens=T(10), closes=T(11), reason="")
    assert hours.hours_on(MONDAY + dt.timedelta(days=2), WEEK, [special]).periods == [(T(10), T(11))]
    assert hours.hours_on(MONDAY + dt.timedelta(days=3), WEEK, [special]).is_closed


def test_open_now_is_judged_in_brussels_time_not_utc():
    # 08:30 UTC on a winter Monday is 09:30 in Brussels: open. 11:30 UTC is 12:30 there: closed.
    assert hours.is_open_at(dt.datetime(2026, 11, 30, 8, 30, tzinfo=dt.UTC), WEEK, [])
    assert not hours.is_open_at(dt.datetime(2026, 11, 30, 11, 30, tzinfo=dt.UTC), WEEK, [])


def test_open_now_in_summer_time():
    # 7:30 UTC on Monday 29 June 2026 is 9:30 CEST.
    assert hours.is_open_at(dt.datetime(2026, 6, 29, 7, 30, tzinfo=dt.UTC), WEEK, [])


def test_closing_minute_is_closed_and_opening_minute_is_open():
    assert hours.is_open_at(dt.datetime(2026, 11, 30, 9, 0, tzinfo=BRUSSELS), WEEK, [])
    assert not hours.is_open_at(dt.datetime(2026, 11, 30, 12, 0, tzinfo=BRUSSELS), WEEK, [])


def test_overlaps_finds_the_days_that_clash_only():
    assert hours.overlaps([(0, T(9), T(12)), (0, T(11), T(14)), (1, T(9), T(12)), (1, T(12), T(13))]) == [0]
    assert hours.overlaps([(3, T(9), T(12)), (3, T(9), T(10))]) == [3]
    assert hours.overlaps([(3, T(9), T(12))]) == []


# Property: overlaps() agrees with a minute-by-minute count of the same periods.


@st.composite
def period(draw):
    start = draw(st.integers(min_value=0, max_value=23 * 60))
    length = draw(st.integers(min_value=1, max_value=24 * 60 - 1 - start))
    return (draw(st.integers(0, 6)), T(*divmod(start, 60)), T(*divmod(start + length, 60)))


@given(st.lists(period(), max_size=6))
def test_overlaps_agrees_with_counting_minutes(periods):
    expected = set()
    for day in range(7):
        minutes: dict[int, int] = {}
        for weekday, opens, closes in periods:
            if weekday == day:
                for m in range(opens.hour * 60 + opens.minute, closes.hour * 60 + closes.minute):
                    minutes[m] = minutes.get(m, 0) + 1
        if any(n > 1 for n in minutes.values()):
            expected.add(day)
    assert hours.overlaps(periods) == sorted(expected)
