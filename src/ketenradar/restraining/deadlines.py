"""The clock of a tijdelijk huisverbod (reference section 5): 10 days from the moment it is
imposed, the extension advice to the mayor around day 8, at most 28 days in total.

Days are calendar days on the wall clock of ``settings.TIME_ZONE`` (Europe/Amsterdam): an
order imposed at 14:00 ends at 14:00 ten days later, also across a change to or from
summer time (so it lasts 239 or 241 hours then) and across the turn of the year. Day 1 is
the first 24 hours after the order was imposed, day 8 runs from 7 to 8 days after it.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

FIRST_PERIOD_DAYS = 10
MAX_TOTAL_DAYS = 28
ADVICE_DAY = 8


def add_days(moment: dt.datetime, days: int) -> dt.datetime:
    """``moment`` plus whole calendar days on the local wall clock, as an aware UTC time."""
    if timezone.is_naive(moment):
        raise ValueError("add_days needs an aware datetime")
    local = timezone.localtime(moment)
    return (local + dt.timedelta(days=days)).astimezone(dt.UTC)


def first_end(imposed_at: dt.datetime) -> dt.datetime:
    return add_days(imposed_at, FIRST_PERIOD_DAYS)


def latest_end(imposed_at: dt.datetime) -> dt.datetime:
    """The end of an order extended as far as the law allows: 28 days in total."""
    return add_days(imposed_at, MAX_TOTAL_DAYS)


def advice_window_opens(imposed_at: dt.datetime) -> dt.datetime:
    """The start of day 8: from here the extension decision is due."""
    return add_days(imposed_at, ADVICE_DAY - 1)


def advice_due(imposed_at: dt.datetime) -> dt.datetime:
    """The end of day 8: the advice on extension should have reached the mayor."""
    return add_days(imposed_at, ADVICE_DAY)
