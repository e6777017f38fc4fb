"""An acute report's safety assessment is due 24 elapsed hours after receipt, also across
the clock changes on the last Sundays of March and October."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from ketenradar.reports.services import assessment_deadline

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@pytest.mark.parametrize(
    ("received", "due"),
    [
        # summer time starts on Sunday 28 March 2027 at 02:00 (clocks go to 03:00)
        (dt.datetime(2027, 3, 27, 12, 0), dt.datetime(2027, 3, 28, 13, 0)),
        (dt.datetime(2027, 3, 28, 1, 30), dt.datetime(2027, 3, 29, 2, 30)),
        # winter time starts on Sunday 25 October 2026 at 03:00 (clocks go to 02:00)
        (dt.datetime(2026, 10, 24, 12, 0), dt.datetime(2026, 10, 25, 11, 0)),
        (dt.datetime(2026, 10, 25, 1, 30), dt.datetime(2026, 10, 26, 0, 30)),
        # an ordinary day
        (dt.datetime(2026, 12, 7, 9, 15), dt.datetime(2026, 12, 8, 9, 15)),
    ],
)
def test_acute_is_24_elapsed_hours(received: dt.datetime, due: dt.datetime) -> None:
    received_local = received.replace(tzinfo=AMSTERDAM)
    deadline = assessment_deadline(received_local, acute=True)
    assert deadline - received_local == dt.timedelta(hours=24)  # elapsed, aware arithmetic
    assert deadline.astimezone(dt.UTC) - received_local.astimezone(dt.UTC) == dt.timedelta(hours=24)
    assert deadline.astimezone(AMSTERDAM).replace(tzinfo=None) == due


def test_received_in_utc_or_local_time_gives_the_same_deadline() -> None:
    local = dt.datetime(2027, 3, 27, 12, 0, tzinfo=AMSTERDAM)
    utc = local.astimezone(dt.UTC)
    assert assessment_deadline(local, acute=True) == assessment_deadline(utc, acute=True)
