"""The clock of an order: 10 days, the advice on day 8, at most 28 days; calendar days on the
Amsterdam wall clock, also across summer time and the turn of the year."""

from __future__ import annotations

import datetime as dt

import pytest

from ketenradar.restraining import deadlines
from ketenradar.restraining.tests.conftest import AMS


def local(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(AMS)


def test_an_order_runs_ten_days_with_the_advice_on_day_eight_and_at_most_28_days() -> None:
    imposed = dt.datetime(2026, 11, 2, 14, 0, tzinfo=AMS)
    assert local(deadlines.first_end(imposed)) == dt.datetime(2026, 11, 12, 14, 0, tzinfo=AMS)
    assert local(deadlines.advice_window_opens(imposed)) == dt.datetime(
        2026, 11, 9, 14, 0, tzinfo=AMS
    )
    assert local(deadlines.advice_due(imposed)) == dt.datetime(2026, 11, 10, 14, 0, tzinfo=AMS)
    assert local(deadlines.latest_end(imposed)) == dt.datetime(2026, 11, 30, 14, 0, tzinfo=AMS)


def test_across_the_start_of_summer_time_the_order_ends_at_the_same_wall_clock_time() -> None:
    imposed = dt.datetime(2027, 3, 22, 14, 0, tzinfo=AMS)  # summer time starts 28 March 2027
    end = deadlines.first_end(imposed)
    assert local(end) == dt.datetime(2027, 4, 1, 14, 0, tzinfo=AMS)
    assert local(end).utcoffset() == dt.timedelta(hours=2)
    assert end - imposed == dt.timedelta(days=10, hours=-1)  # one hour shorter on the clock


def test_across_the_end_of_summer_time_the_order_ends_at_the_same_wall_clock_time() -> None:
    imposed = dt.datetime(2026, 10, 20, 9, 30, tzinfo=AMS)  # winter time from 25 October
    end = deadlines.first_end(imposed)
    assert local(end) == dt.datetime(2026, 10, 30, 9, 30, tzinfo=AMS)
    assert end - imposed == dt.timedelta(days=10, hours=1)
    assert local(deadlines.latest_end(imposed)) == dt.datetime(2026, 11, 17, 9, 30, tzinfo=AMS)


def test_across_31_december_the_days_run_on_into_the_new_year() -> None:
    imposed = dt.datetime(2026, 12, 24, 23, 15, tzinfo=AMS)
    assert local(deadlines.advice_due(imposed)) == dt.datetime(2027, 1, 1, 23, 15, tzinfo=AMS)
    assert local(deadlines.first_end(imposed)) == dt.datetime(2027, 1, 3, 23, 15, tzinfo=AMS)
    assert local(deadlines.latest_end(imposed)) == dt.datetime(2027, 1, 21, 23, 15, tzinfo=AMS)


def test_an_order_imposed_in_utc_counts_in_local_days() -> None:
    # 23:30 UTC on 31 December is 00:30 on 1 January in Amsterdam
    imposed = dt.datetime(2026, 12, 31, 23, 30, tzinfo=dt.UTC)
    assert local(deadlines.first_end(imposed)) == dt.datetime(2027, 1, 11, 0, 30, tzinfo=AMS)


def test_a_naive_moment_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        deadlines.first_end(dt.datetime(2026, 11, 2, 14, 0))
