"""The shelter's arithmetic, on plain values: dates of the 6-month norm, capacity and
occupancy per day, waiting times. No database, no actor (selectors.py and services.py feed
these)."""

from __future__ import annotations

import calendar
import datetime as dt
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ketenradar.shelter.constants import NORM_MONTHS


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later; the last day of the month when that day does not
    exist (31 August + 6 months = 28 or 29 February)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def norm_date(start: dt.date) -> dt.date:
    """The day a stay reaches the norm: start + 6 months. A stay ending on that day (or
    still running on it) has lasted exactly 6 months, which is within the norm."""
    return add_months(start, NORM_MONTHS)


def days_stayed(start: dt.date, actual_end: dt.date | None, today: dt.date) -> int:
    """Nights in the shelter: from the start day up to the end day (or today)."""
    end = actual_end if actual_end is not None else today
    return max(0, (end - start).days)


def over_norm(start: dt.date, actual_end: dt.date | None, today: dt.date) -> bool:
    """A stay (ended, or so far) longer than 6 months."""
    end = actual_end if actual_end is not None else today
    return end > norm_date(start)


def days(start: dt.date, end: dt.date) -> list[dt.date]:
    """Every day from ``start`` to ``end``, both included."""
    return [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]


@dataclass(frozen=True)
class CapacityStep:
    valid_from: dt.date
    beds: int
    units: int | None = None


def capacity_on(steps: Sequence[CapacityStep], day: dt.date) -> CapacityStep | None:
    """The capacity that applies on ``day``: the latest step starting on or before it."""
    current = None
    for step in sorted(steps, key=lambda s: s.valid_from):
        if step.valid_from <= day:
            current = step
    return current


@dataclass(frozen=True)
class Stay:
    start: dt.date
    end: dt.date | None  # the actual end; None while staying
    beds: int = 1

    def occupies(self, day: dt.date) -> bool:
        """Occupied on the start day, free again on the end day."""
        return self.start <= day and (self.end is None or day < self.end)


@dataclass(frozen=True)
class DayOccupancy:
    day: dt.date
    capacity: int
    occupied: int  # beds
    units: int | None  # family systems the beds are in (None: not counted in units)
    units_occupied: int  # placements (one family system each)

    @property
    def free(self) -> int:
        return max(0, self.capacity - self.occupied)

    @property
    def over(self) -> int:
        """Beds occupied beyond capacity (crisis overflow)."""
        return max(0, self.occupied - self.capacity)

    @property
    def free_units(self) -> int | None:
        return None if self.units is None else max(0, self.units - self.units_occupied)

    @property
    def rate(self) -> float | None:
        """Occupied beds as a share of capacity; None without capacity."""
        return None if self.capacity == 0 else self.occupied / self.capacity


def occupancy(steps: Sequence[CapacityStep], stays: Iterable[Stay], day: dt.date) -> DayOccupancy:
    step = capacity_on(steps, day)
    present = [s for s in stays if s.occupies(day)]
    return DayOccupancy(
        day=day,
        capacity=step.beds if step else 0,
        occupied=sum(s.beds for s in present),
        units=step.units if step else None,
        units_occupied=len(present),
    )


@dataclass(frozen=True)
class BedDays:
    capacity: int  # beds of capacity summed over the days
    occupied: int  # beds occupied summed over the days


def bed_days(
    steps: Sequence[CapacityStep], stays: Iterable[Stay], start: dt.date, end: dt.date
) -> BedDays:
    """``occupancy`` summed over every day from ``start`` to ``end`` (both included), by
    intervals instead of day by day: a step applies from its ``valid_from`` up to the next
    step's (as ``capacity_on``: of steps starting on the same day the last one listed), a
    stay occupies its beds from its start day up to, not including, its end day."""
    after = end + dt.timedelta(days=1)

    def overlap(first: dt.date, until: dt.date) -> int:
        return max(0, (min(until, after) - max(first, start)).days)

    ordered = sorted(steps, key=lambda s: s.valid_from)
    capacity = 0
    for i, step in enumerate(ordered):
        until = ordered[i + 1].valid_from if i + 1 < len(ordered) else after
        capacity += step.beds * overlap(step.valid_from, until)
    occupied = sum(s.beds * overlap(s.start, s.end or after) for s in stays)
    return BedDays(capacity=capacity, occupied=occupied)


def first_shortage(
    steps: Sequence[CapacityStep],
    stays: Sequence[Stay],
    start: dt.date,
    end: dt.date,
    beds: int,
) -> dt.date | None:
    """The first day in [start, end) without ``beds`` free beds (or a free unit, where
    units are counted); None when every day has room.

    Occupancy only rises on the day a stay starts and capacity only changes on the day a
    step starts, so those days (and ``start`` itself) are the only ones to check."""
    changes = {s.start for s in stays} | {step.valid_from for step in steps}
    for day in sorted({start} | {d for d in changes if start < d < end}):
        day_occupancy = occupancy(steps, stays, day)
        if day_occupancy.capacity - day_occupancy.occupied < beds:
            return day
        if day_occupancy.units is not None and day_occupancy.units_occupied >= day_occupancy.units:
            return day
    return None


@dataclass(frozen=True)
class Wait:
    registered_on: dt.date
    placed_on: dt.date | None  # the placement's start
    withdrawn_on: dt.date | None

    def waiting_on(self, day: dt.date) -> bool:
        return (
            self.registered_on <= day
            and (self.placed_on is None or day < self.placed_on)
            and (self.withdrawn_on is None or day < self.withdrawn_on)
        )


@dataclass(frozen=True)
class WaitingTimes:
    placed: int  # placed within the period
    mean_days_waited: float | None
    median_days_waited: float | None
    still_waiting: int  # on the last day of the period
    mean_waiting_age: float | None
    longest_waiting_age: int | None


def waiting_times(waits: Iterable[Wait], start: dt.date, end: dt.date) -> WaitingTimes:
    """Of the entries placed from ``start`` to ``end`` (both included): how many and how
    long they waited (days from registration to the placement's start). Of those still
    waiting on ``end``: how many and how long they have waited so far."""
    waits = list(waits)
    waited = [
        (w.placed_on - w.registered_on).days
        for w in waits
        if w.placed_on is not None and start <= w.placed_on <= end
    ]
    ages = [(end - w.registered_on).days for w in waits if w.waiting_on(end)]
    return WaitingTimes(
        placed=len(waited),
        mean_days_waited=statistics.fmean(waited) if waited else None,
        median_days_waited=statistics.median(waited) if waited else None,
        still_waiting=len(ages),
        mean_waiting_age=statistics.fmean(ages) if ages else None,
        longest_waiting_age=max(ages) if ages else None,
    )
