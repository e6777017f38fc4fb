"""The time the services act at.

Screens and API calls act now. A system process that replays history (the demo region's two
years of Veilig Thuis work) sets the moment with ``clock.at(moment)``, so that the same
services write the same records as on that day: deadlines, decisions and tasks follow from
the moment, not from when the seeding ran. The access log always records the real time of
writing (``audit.services``), never this clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.utils import timezone

_moment: ContextVar[dt.datetime | None] = ContextVar("ketenradar_clock", default=None)


def now() -> dt.datetime:
    return _moment.get() or timezone.now()


def today() -> dt.date:
    """The date of ``now()`` on the Dutch wall clock (not UTC's: from 23:00 or 22:00 UTC it is
    already tomorrow in the Netherlands)."""
    return timezone.localdate(now())


@contextmanager
def at(moment: dt.datetime) -> Iterator[None]:
    if timezone.is_naive(moment):
        raise ValueError("clock.at needs an aware datetime")
    token = _moment.set(moment)
    try:
        yield
    finally:
        _moment.reset(token)
