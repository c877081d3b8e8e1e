"""Working days in England and Wales: the only place that knows about bank holidays.

Bank holidays come from the `holidays` package (GB, subdivision ENG: England and Wales
share their bank holidays), never from a hand-written list.
"""
from __future__ import annotations

import calendar as _calendar
import datetime as dt
from functools import lru_cache

import holidays

WEEKEND = {5, 6}


YEARS = range(2000, 2051)


@lru_cache(maxsize=1)
def _bank_holidays() -> holidays.HolidayBase:
    # observed=True (the default) adds the substitute Monday/Tuesday for weekend holidays.
    return holidays.country_holidays("GB", subdiv="ENG", years=YEARS)


@lru_cache(maxsize=1)
def _closed_days() -> frozenset[dt.date]:
    """Every bank holiday date of the years loaded, as a plain set: membership of a
    HolidayBase normalises its key on every test, which working-day loops feel."""
    return frozenset(_bank_holidays().keys())


class WorkingDayCalendar:
    """Working-day arithmetic: Monday to Friday, less England and Wales bank holidays."""

    def __init__(self, extra_closures: list[dt.date] | None = None):
        self._closures = set(extra_closures or [])
        self._added: dict[tuple[dt.date, int], dt.date] = {}

    def is_bank_holiday(self, day: dt.date) -> bool:
        if day.year in YEARS:
            return day in _closed_days()
        return day in _bank_holidays()  # outside the years loaded: the package works it out

    def bank_holiday_name(self, day: dt.date) -> str | None:
        return _bank_holidays().get(day)

    def is_working_day(self, day: dt.date) -> bool:
        return day.weekday() not in WEEKEND and not self.is_bank_holiday(day) and day not in self._closures

    def add_working_days(self, start: dt.date, n: int) -> dt.date:
        """The nth working day after start (n > 0) or before it (n < 0); start itself never counts."""
        key = (start, n)
        found = self._added.get(key)
        if found is None:
            found = self._added[key] = self._add_working_days(start, n)
            if len(self._added) > 50_000:
                self._added.clear()
        return found

    def _add_working_days(self, start: dt.date, n: int) -> dt.date:
        step = 1 if n >= 0 else -1
        day, left = start, abs(n)
        while left:
            day += dt.timedelta(days=step)
            if self.is_working_day(day):
                left -= 1
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after start up to and including end (negative if end is before start)."""
        if end == start:
            return 0
        sign = 1 if end > start else -1
        lo, hi = (start, end) if sign == 1 else (end, start)
        count, day = 0, lo
        while day < hi:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return sign * count


def add_months(start: dt.date, months: int) -> dt.date:
    """Calendar months, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb)."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    day = min(start.day, _calendar.monthrange(year, month)[1])
    return dt.date(year, month, day)


def add_period(cal: WorkingDayCalendar, start: dt.date, period: dict) -> dt.date:
    """Add a period written as data: {"working_days": 10}, {"weeks": 4}, {"days": 28} or {"months": 3}."""
    if not isinstance(period, dict) or len(period) != 1:
        raise ValueError(f"a period is one of working_days, days, weeks or months: {period!r}")
    (unit, amount), = period.items()
    if unit == "working_days":
        return cal.add_working_days(start, amount)
    if unit == "days":
        return start + dt.timedelta(days=amount)
    if unit == "weeks":
        return start + dt.timedelta(weeks=amount)
    if unit == "months":
        return add_months(start, amount)
    raise ValueError(f"unknown unit of time '{unit}': use working_days, days, weeks or months")


def describe_period(period: dict) -> str:
    (unit, amount), = period.items()
    words = {"working_days": "working day", "days": "day", "weeks": "week", "months": "month"}[unit]
    return f"{amount} {words}{'' if amount == 1 else 's'}"


def parse_date(value) -> dt.date | None:
    """An ISO date string (or date) as a date; None if missing or not a real date."""
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or len(value) != 10:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None
