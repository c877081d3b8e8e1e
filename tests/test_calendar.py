"""Working days in England and Wales, from the real `holidays` package: weekends, bank
holidays and their substitute days, across Christmas 2026 and Easter 2027."""
from __future__ import annotations

import datetime as dt

import pytest

from permanence.calendar import WorkingDayCalendar, add_months, add_period, describe_period, parse_date

D = dt.date
cal = WorkingDayCalendar()


@pytest.mark.parametrize("day,name", [
    (D(2026, 12, 25), "Christmas Day"),
    (D(2026, 12, 28), "Boxing Day"),       # 26/12/2026 is a Saturday: substitute Monday 28/12
    (D(2027, 1, 1), "New Year's Day"),
    (D(2027, 3, 26), "Good Friday"),
    (D(2027, 3, 29), "Easter Monday"),
    (D(2027, 5, 3), "May Day"),
    (D(2027, 5, 31), "Spring Bank Holiday"),
    (D(2027, 8, 30), "Late Summer Bank Holiday"),
    (D(2027, 12, 27), "Christmas Day"),    # 25/12/2027 is a Saturday: substitute Monday 27/12
    (D(2027, 12, 28), "Boxing Day"),       # and Sunday 26/12 moves to Tuesday 28/12
])
def test_bank_holidays_of_england_and_wales(day, name):
    assert cal.is_bank_holiday(day)
    assert name in cal.bank_holiday_name(day)
    assert not cal.is_working_day(day)


def test_weekends_and_ordinary_days():
    assert not cal.is_working_day(D(2026, 11, 21))  # Saturday
    assert not cal.is_working_day(D(2026, 11, 22))  # Sunday
    assert cal.is_working_day(D(2026, 11, 23))      # Monday
    assert cal.is_working_day(D(2026, 12, 24))      # Christmas Eve is not a bank holiday
    assert not cal.is_working_day(D(2026, 12, 26))  # Boxing Day itself falls on a Saturday


def test_scottish_only_holidays_do_not_count():
    assert not cal.is_bank_holiday(D(2027, 1, 4))   # 2 January substitute in Scotland only
    assert not cal.is_bank_holiday(D(2026, 11, 30))  # St Andrew's Day (Scotland)
    assert cal.is_working_day(D(2027, 1, 4))


def test_ten_working_days_across_christmas_2026():
    # Monday 21/12/2026: 22, 23, 24, then 25 (Christmas), 28 (Boxing Day substitute) skipped,
    # 29, 30, 31, 1/1 (New Year) skipped, 4, 5, 6, 7 January.
    assert cal.add_working_days(D(2026, 12, 21), 10) == D(2027, 1, 7)
    assert cal.working_days_between(D(2026, 12, 21), D(2027, 1, 7)) == 10
    assert cal.working_days_between(D(2027, 1, 7), D(2026, 12, 21)) == -10


def test_three_working_days_before_a_panel_after_easter_2027():
    # Wednesday 31/03/2027: 30 (1), 29 Easter Monday, 26 Good Friday, 25 (2), 24 (3).
    assert cal.add_working_days(D(2027, 3, 31), -3) == D(2027, 3, 24)
    # the same count without bank holidays would give Friday 26/03
    assert D(2027, 3, 31) - dt.timedelta(days=5) == D(2027, 3, 26)


def test_start_day_never_counts_and_zero_is_the_same_day():
    assert cal.add_working_days(D(2026, 11, 20), 1) == D(2026, 11, 23)  # Friday + 1 = Monday
    assert cal.add_working_days(D(2026, 11, 21), 0) == D(2026, 11, 21)
    assert cal.working_days_between(D(2026, 11, 23), D(2026, 11, 23)) == 0


def test_extra_closures_are_respected():
    closed = WorkingDayCalendar(extra_closures=[D(2026, 11, 24)])
    assert closed.add_working_days(D(2026, 11, 23), 1) == D(2026, 11, 25)


def test_calendar_months_clamp_to_the_end_of_the_month():
    assert add_months(D(2026, 1, 31), 1) == D(2026, 2, 28)
    assert add_months(D(2028, 1, 31), 1) == D(2028, 2, 29)
    assert add_months(D(2026, 5, 11), 12) == D(2027, 5, 11)
    assert add_months(D(2026, 11, 30), 3) == D(2027, 2, 28)


@pytest.mark.parametrize("period,expected", [
    ({"working_days": 10}, D(2027, 1, 7)),
    ({"days": 28}, D(2027, 1, 18)),
    ({"weeks": 6}, D(2027, 2, 1)),
    ({"months": 3}, D(2027, 3, 21)),
])
def test_periods_as_data(period, expected):
    assert add_period(cal, D(2026, 12, 21), period) == expected


@pytest.mark.parametrize("bad", [{}, {"fortnights": 2}, {"weeks": 1, "days": 2}, "6 weeks"])
def test_a_bad_period_is_refused(bad):
    with pytest.raises(ValueError):
        add_period(cal, D(2026, 1, 1), bad)


def test_describe_period():
    assert describe_period({"working_days": 1}) == "1 working day"
    assert describe_period({"weeks": 6}) == "6 weeks"


@pytest.mark.parametrize("value,expected", [
    ("2026-11-23", D(2026, 11, 23)), ("2026-02-30", None), ("23/11/2026", None), (20261123, None), (None, None),
    ("2026-11-23T10:00", None),
])
def test_parse_date(value, expected):
    assert parse_date(value) == expected
