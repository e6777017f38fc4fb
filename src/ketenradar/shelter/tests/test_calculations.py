"""The arithmetic of the norm, occupancy and waiting times, on plain values."""

from __future__ import annotations

import datetime as dt

from ketenradar.shelter import calculations as calc

D = dt.date


def test_six_months_later_is_the_same_day_or_the_last_day_of_the_month() -> None:
    assert calc.norm_date(D(2026, 5, 1)) == D(2026, 11, 1)
    assert calc.norm_date(D(2026, 8, 31)) == D(2027, 2, 28)
    assert calc.norm_date(D(2027, 8, 31)) == D(2028, 2, 29)
    assert calc.add_months(D(2026, 11, 30), 3) == D(2027, 2, 28)


def test_a_stay_of_exactly_six_months_is_within_the_norm_one_day_more_is_over() -> None:
    start = D(2026, 5, 1)
    assert not calc.over_norm(start, D(2026, 11, 1), today=D(2027, 1, 1))
    assert calc.over_norm(start, D(2026, 11, 2), today=D(2027, 1, 1))
    # still staying: measured against today
    assert not calc.over_norm(start, None, today=D(2026, 11, 1))
    assert calc.over_norm(start, None, today=D(2026, 11, 2))


def test_days_stayed_counts_nights_up_to_the_end_or_today() -> None:
    assert calc.days_stayed(D(2026, 11, 1), D(2026, 11, 10), today=D(2026, 12, 1)) == 9
    assert calc.days_stayed(D(2026, 11, 1), None, today=D(2026, 11, 3)) == 2
    assert calc.days_stayed(D(2026, 11, 5), None, today=D(2026, 11, 3)) == 0


def test_a_bed_is_occupied_on_the_start_day_and_free_on_the_end_day() -> None:
    stay = calc.Stay(D(2026, 11, 1), D(2026, 11, 10))
    assert not stay.occupies(D(2026, 10, 31))
    assert stay.occupies(D(2026, 11, 1))
    assert stay.occupies(D(2026, 11, 9))
    assert not stay.occupies(D(2026, 11, 10))
    assert calc.Stay(D(2026, 11, 1), None).occupies(D(2030, 1, 1))


def test_the_capacity_of_a_day_is_the_latest_step_starting_on_or_before_it() -> None:
    steps = [calc.CapacityStep(D(2026, 11, 16), 4), calc.CapacityStep(D(2026, 1, 1), 3)]
    assert calc.capacity_on(steps, D(2025, 12, 31)) is None
    assert calc.capacity_on(steps, D(2026, 11, 15)).beds == 3
    assert calc.capacity_on(steps, D(2026, 11, 16)).beds == 4


def test_occupancy_counts_beds_units_free_over_and_rate() -> None:
    steps = [calc.CapacityStep(D(2026, 1, 1), 6, units=2)]
    stays = [calc.Stay(D(2026, 11, 1), None, beds=3), calc.Stay(D(2026, 11, 2), None, beds=2)]
    day = calc.occupancy(steps, stays, D(2026, 11, 2))
    assert (day.capacity, day.occupied, day.free, day.over) == (6, 5, 1, 0)
    assert (day.units, day.units_occupied, day.free_units) == (2, 2, 0)
    assert day.rate == 5 / 6
    crisis = calc.occupancy(
        [calc.CapacityStep(D(2026, 1, 1), 1)],
        [calc.Stay(D(2026, 11, 3), None), calc.Stay(D(2026, 11, 4), None)],
        D(2026, 11, 4),
    )
    assert (crisis.capacity, crisis.occupied, crisis.free, crisis.over) == (1, 2, 0, 1)
    assert calc.occupancy([], [], D(2026, 11, 4)).rate is None


def test_first_shortage_finds_the_first_full_day_of_a_planned_stay() -> None:
    steps = [calc.CapacityStep(D(2026, 1, 1), 2), calc.CapacityStep(D(2026, 12, 1), 1)]
    stays = [calc.Stay(D(2026, 11, 1), None)]
    assert calc.first_shortage(steps, stays, D(2026, 11, 2), D(2026, 12, 1), beds=1) is None
    assert calc.first_shortage(steps, stays, D(2026, 11, 2), D(2026, 12, 2), beds=1) == D(
        2026, 12, 1
    )
    assert calc.first_shortage(steps, stays, D(2026, 11, 2), D(2026, 11, 5), beds=2) == D(
        2026, 11, 2
    )
    family = [calc.CapacityStep(D(2026, 1, 1), 6, units=1)]
    assert calc.first_shortage(family, stays, D(2026, 11, 2), D(2026, 11, 5), beds=1) == D(
        2026, 11, 2
    )


def test_waiting_times_of_placed_and_still_waiting_entries() -> None:
    waits = [
        calc.Wait(D(2026, 10, 1), D(2026, 11, 1), None),  # 31 days
        calc.Wait(D(2026, 10, 26), D(2026, 11, 10), None),  # 15 days
        calc.Wait(D(2026, 11, 6), D(2026, 11, 16), None),  # 10 days
        calc.Wait(D(2026, 11, 10), None, None),  # waiting 20 days on 30 November
        calc.Wait(D(2026, 10, 31), None, D(2026, 11, 12)),  # withdrawn
        calc.Wait(D(2026, 11, 25), None, None),  # waiting 5 days
    ]
    result = calc.waiting_times(waits, D(2026, 11, 1), D(2026, 11, 30))
    assert result == calc.WaitingTimes(
        placed=3,
        mean_days_waited=56 / 3,
        median_days_waited=15,
        still_waiting=2,
        mean_waiting_age=12.5,
        longest_waiting_age=20,
    )
    empty = calc.waiting_times([], D(2026, 11, 1), D(2026, 11, 30))
    assert (empty.placed, empty.mean_days_waited, empty.longest_waiting_age) == (0, None, None)


def test_bed_days_are_the_daily_occupancy_summed_over_the_period() -> None:
    d = dt.date
    steps = [
        calc.CapacityStep(d(2026, 1, 1), 10),
        calc.CapacityStep(d(2026, 3, 10), 12),
        calc.CapacityStep(d(2026, 3, 10), 8),  # same day: the last one listed applies
        calc.CapacityStep(d(2026, 4, 20), 6),
    ]
    stays = [
        calc.Stay(d(2025, 12, 1), d(2026, 3, 5), 2),  # began before the period
        calc.Stay(d(2026, 3, 1), d(2026, 3, 31), 1),  # ends on the last day: not occupied then
        calc.Stay(d(2026, 3, 31), None, 3),  # starts on the last day, still staying
        calc.Stay(d(2026, 2, 1), d(2026, 2, 20), 1),  # ended before the period
        calc.Stay(d(2026, 4, 1), None, 1),  # starts after the period
    ]
    start, end = d(2026, 3, 1), d(2026, 3, 31)
    by_day = [calc.occupancy(steps, stays, day) for day in calc.days(start, end)]
    summed = calc.bed_days(steps, stays, start, end)
    assert summed.capacity == sum(o.capacity for o in by_day) == 9 * 10 + 22 * 8
    assert summed.occupied == sum(o.occupied for o in by_day) == 4 * 2 + 30 * 1 + 1 * 3
    # before the first step there is no capacity
    assert calc.bed_days(steps, [], d(2025, 12, 30), d(2026, 1, 2)).capacity == 2 * 10
