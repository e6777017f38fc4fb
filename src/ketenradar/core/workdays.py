"""Dutch working days for legal deadlines.

A working day is not a Saturday, a Sunday or a day the Algemene termijnenwet (art. 3)
treats as a public holiday: Nieuwjaarsdag, Goede Vrijdag (lid 2), tweede Paasdag, Koningsdag,
5 mei (every year), Hemelvaartsdag, tweede Pinksterdag and both Christmas days. The
``holidays`` package computes the moving dates; it lists 5 May only in lustrum years, so it
is added here for every year (see docs/adr/0007-working-days.md).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays

_NL_NAMES = {
    "New Year's Day",
    "Good Friday",
    "Easter Monday",
    "King's Day",
    "Liberation Day",
    "Ascension Day",
    "Pentecost Monday",
    "Christmas Day",
    "Second Day of Christmas",
}


# No legal deadline in Ketenradar is longer than a few weeks; a count above this (about four
# years) is a mistake (a misconfigured setting), not a deadline, and is refused instead of
# counted day by day.
MAX_WORKING_DAYS = 1000


@lru_cache(maxsize=64)
def public_holidays(year: int) -> frozenset[dt.date]:
    """The days of the Algemene termijnenwet, art. 3, in ``year``."""
    calendar = holidays.country_holidays("NL", years=year, language="en_US")
    days = {day for day, name in calendar.items() if name in _NL_NAMES}
    days.add(dt.date(year, 5, 5))
    return frozenset(days)


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in public_holidays(day.year)


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The ``days``-th working day after ``start`` (``start`` itself not counted).

    ``days`` is a whole number from 0 to ``MAX_WORKING_DAYS``; anything else (negative, a
    fraction, absurdly large) raises ValueError, as counting down to it would never end.
    """
    if not isinstance(days, int) or not 0 <= days <= MAX_WORKING_DAYS:
        raise ValueError(f"days must be a whole number from 0 to {MAX_WORKING_DAYS}: {days!r}")
    current = start
    remaining = days
    while remaining:
        current += dt.timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after ``start`` up to and including ``end``."""
    count, current = 0, start
    while current < end:
        current += dt.timedelta(days=1)
        count += is_working_day(current)
    return count
