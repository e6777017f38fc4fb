"""``clock.today()`` is the Dutch date, not UTC's."""

from __future__ import annotations

import datetime as dt

import time_machine

from ketenradar.core import clock


def test_today_is_the_dutch_date_after_midnight_in_the_netherlands() -> None:
    # 23:30 UTC in winter is 00:30 the next day in Amsterdam
    with time_machine.travel(dt.datetime(2027, 1, 10, 23, 30, tzinfo=dt.UTC), tick=False):
        assert clock.now().date() == dt.date(2027, 1, 10)
        assert clock.today() == dt.date(2027, 1, 11)


def test_today_follows_a_set_moment() -> None:
    moment = dt.datetime(2027, 6, 30, 22, 15, tzinfo=dt.UTC)  # 00:15 on 1 July, summer time
    with clock.at(moment):
        assert clock.today() == dt.date(2027, 7, 1)
