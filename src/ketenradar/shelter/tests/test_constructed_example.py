"""Occupancy and waiting times on a constructed example with known answers.

November 2026, one shelter organisation with two facilities and three bed types:

- Noord, regular: 3 beds, 4 from 16 November; crisis: 1 bed.
- Zuid, family: 6 beds in 2 family units.

Ten placements (P1-P10) and six waiting list entries (W1-W6), written through the services
in the order in which they happened. The expected numbers below are worked out by hand.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError

import pytest

from ketenradar.shelter import selectors, services
from ketenradar.shelter.calculations import WaitingTimes
from ketenradar.shelter.constants import BedType, PlacementEndReason, WithdrawalReason
from ketenradar.shelter.models import Facility, Placement, WaitingListEntry
from ketenradar.shelter.tests.conftest import Shelter

NOV = lambda day: dt.date(2026, 11, day)  # noqa: E731
REG, CRISIS, FAMILY = BedType.REGULAR, BedType.CRISIS, BedType.FAMILY
LEFT = PlacementEndReason.OWN_HOME


@dataclass
class Example:
    shelter: Shelter
    noord: Facility
    zuid: Facility
    p: dict[int, Placement]


@pytest.fixture
def example(shelter: Shelter) -> Example:
    actor = shelter.actor
    noord = shelter.facility("Noord", regulier=3, crisis=1)
    services.capacity_set(actor=actor, facility=noord, bed_type=REG, beds=4, valid_from=NOV(16))
    zuid = shelter.facility("Zuid")
    services.capacity_set(
        actor=actor, facility=zuid, bed_type=FAMILY, beds=6, units=2, valid_from=dt.date(2026, 1, 1)
    )
    people = {i: shelter.person() for i in range(1, 11)}
    members = {i: [shelter.person() for _ in range(n)] for i, n in {8: 2, 9: 1, 10: 2}.items()}
    wait: dict[int | str, WaitingListEntry] = {}

    def add(i: int, registered: dt.date, bed_type: str = REG) -> None:
        wait[i] = services.waiting_list_add(
            actor=actor, person=people[i], bed_type=bed_type, registered_on=registered
        )

    p: dict[int, Placement] = {}

    def place(i: int, facility: Facility, bed_type: str, start: dt.date, entry: int = 0) -> None:
        p[i] = services.placement_start(
            actor=actor,
            facility=facility,
            person=people[i],
            members=members.get(i, []),
            bed_type=bed_type,
            start_date=start,
            waiting_entry=wait.get(entry),
        )

    def end(i: int, day: dt.date) -> None:
        p[i] = services.placement_end(actor=actor, placement=p[i], end_date=day, reason=LEFT)

    place(9, zuid, FAMILY, dt.date(2026, 4, 15))  # 2 beds, over the norm from 15 October
    place(8, zuid, FAMILY, dt.date(2026, 5, 1))  # 3 beds, leaves after exactly 6 months
    add(2, dt.date(2026, 10, 1))
    place(1, noord, REG, dt.date(2026, 10, 20))
    add(4, dt.date(2026, 10, 26))
    wait["w5"] = services.waiting_list_add(
        actor=actor, person=shelter.person(), bed_type=REG, registered_on=dt.date(2026, 10, 31)
    )
    end(8, NOV(1))
    place(2, noord, REG, NOV(1), entry=2)  # W1: waited 31 days
    place(10, zuid, FAMILY, NOV(2))  # 3 beds: both family units taken
    place(6, noord, CRISIS, NOV(3))
    place(7, noord, CRISIS, NOV(4))  # no crisis bed free: taken in over capacity
    end(7, NOV(5))
    place(3, noord, REG, NOV(5))
    add(5, NOV(6))
    end(6, NOV(6))
    end(1, NOV(10))
    place(4, noord, REG, NOV(10), entry=4)  # W2: 15 days; takes the bed P1 left that day
    wait["w4"] = services.waiting_list_add(
        actor=actor, person=shelter.person(), bed_type=REG, registered_on=NOV(10)
    )
    services.waiting_list_withdraw(
        actor=actor, entry=wait["w5"], withdrawn_on=NOV(12), reason=WithdrawalReason.ELSEWHERE
    )
    place(5, noord, REG, NOV(16), entry=5)  # W3: 10 days; the fourth bed from the 16th
    end(3, NOV(20))
    services.waiting_list_add(
        actor=actor, person=shelter.person(), bed_type=FAMILY, registered_on=NOV(25)
    )
    return Example(shelter, noord, zuid, p)


def _table(example: Example) -> dict[tuple[str, str, int], tuple[int, int, int, int]]:
    rows = selectors.occupancy_per_day(
        actor=example.shelter.actor,
        start=NOV(1),
        end=NOV(30),
        organisation=example.shelter.organisation,
    )
    return {
        (r.facility, r.bed_type, r.occupancy.day.day): (
            r.occupancy.capacity,
            r.occupancy.occupied,
            r.occupancy.free,
            r.occupancy.over,
        )
        for r in rows
    }


def test_occupancy_per_day_matches_the_hand_count(example: Example) -> None:
    table = _table(example)
    assert len(table) == 30 * 3  # every day x (Noord regular, Noord crisis, Zuid family)
    expected = {
        # (facility, bed type, day): (capacity, occupied, free, over)
        ("Noord", REG, 1): (3, 2, 1, 0),  # P1, P2
        ("Noord", REG, 4): (3, 2, 1, 0),
        ("Noord", REG, 5): (3, 3, 0, 0),  # P3 arrives
        ("Noord", REG, 9): (3, 3, 0, 0),
        ("Noord", REG, 10): (3, 3, 0, 0),  # P1 leaves, P4 arrives: the bed is free that day
        ("Noord", REG, 15): (3, 3, 0, 0),
        ("Noord", REG, 16): (4, 4, 0, 0),  # capacity 4 from the 16th, P5 arrives
        ("Noord", REG, 19): (4, 4, 0, 0),
        ("Noord", REG, 20): (4, 3, 1, 0),  # P3 leaves
        ("Noord", REG, 30): (4, 3, 1, 0),
        ("Noord", CRISIS, 2): (1, 0, 1, 0),
        ("Noord", CRISIS, 3): (1, 1, 0, 0),  # P6
        ("Noord", CRISIS, 4): (1, 2, 0, 1),  # P6 and the overflow P7
        ("Noord", CRISIS, 5): (1, 1, 0, 0),  # P7 leaves
        ("Noord", CRISIS, 6): (1, 0, 1, 0),  # P6 leaves
        ("Zuid", FAMILY, 1): (6, 2, 4, 0),  # P8 left on the 1st: only P9's 2 beds
        ("Zuid", FAMILY, 2): (6, 5, 1, 0),  # P10 with 3 beds
        ("Zuid", FAMILY, 30): (6, 5, 1, 0),
    }
    assert {key: table[key] for key in expected} == expected
    # bed-days in November at Noord, regular: 4x2 + 5x3 + 6x3 + 4x4 + 11x3 = 90 of 15x3 + 15x4
    assert sum(table[("Noord", REG, d)][1] for d in range(1, 31)) == 90
    assert sum(table[("Noord", REG, d)][0] for d in range(1, 31)) == 105
    assert example.p[7].overflow and not example.p[6].overflow


def test_family_units_and_the_occupancy_rate(example: Example) -> None:
    rows = selectors.occupancy_per_day(
        actor=example.shelter.actor,
        start=NOV(2),
        end=NOV(2),
        organisation=example.shelter.organisation,
    )
    zuid = next(r.occupancy for r in rows if r.facility == "Zuid")
    assert (zuid.units, zuid.units_occupied, zuid.free_units) == (2, 2, 0)
    assert zuid.rate == pytest.approx(5 / 6)
    crisis = next(r.occupancy for r in rows if r.bed_type == CRISIS)
    assert crisis.rate == 0


def test_waiting_times_match_the_hand_count(example: Example) -> None:
    month = selectors.waiting_times(
        actor=example.shelter.actor,
        start=NOV(1),
        end=NOV(30),
        organisation=example.shelter.organisation,
    )
    # placed: 31, 15 and 10 days; still waiting on the 30th: 20 and 5 days (W5 withdrawn)
    assert month == WaitingTimes(
        placed=3,
        mean_days_waited=pytest.approx(56 / 3),
        median_days_waited=15,
        still_waiting=2,
        mean_waiting_age=12.5,
        longest_waiting_age=20,
    )
    early = selectors.waiting_times(
        actor=example.shelter.actor,
        start=NOV(1),
        end=NOV(11),
        organisation=example.shelter.organisation,
    )
    # placed by the 11th: 31 and 15 days; waiting on the 11th: 5 (W3), 11 (W5), 1 (W4)
    assert early == WaitingTimes(
        placed=2,
        mean_days_waited=23,
        median_days_waited=23,
        still_waiting=3,
        mean_waiting_age=pytest.approx(17 / 3),
        longest_waiting_age=11,
    )


def test_the_six_month_norm_summary(example: Example) -> None:
    summary = selectors.norm_summary(
        actor=example.shelter.actor,
        start=NOV(1),
        end=NOV(30),
        organisation=example.shelter.organisation,
    )
    # ended: P8 (exactly 6 months: within the norm), P7, P6, P1, P3; staying: P2, P4, P5,
    # P9 (since 15 April: over the norm), P10
    assert summary == selectors.NormSummary(
        ended=5, ended_over_norm=0, staying=5, staying_over_norm=1
    )


def test_a_placement_is_refused_on_a_day_without_a_free_bed(example: Example) -> None:
    # On the 15th Noord's three regular beds are taken; the fourth comes on the 16th.
    actor = example.shelter.actor
    with pytest.raises(ValidationError, match="15-11-2026"):
        services.placement_start(
            actor=actor,
            facility=example.noord,
            person=example.shelter.person(),
            bed_type=REG,
            start_date=NOV(15),
        )
    # Zuid: one bed free, but both family units are taken.
    with pytest.raises(ValidationError, match="02-11-2026"):
        services.placement_start(
            actor=actor,
            facility=example.zuid,
            person=example.shelter.person(),
            bed_type=FAMILY,
            start_date=NOV(2),
        )
    # From the 20th a regular bed is free again.
    placement = services.placement_start(
        actor=actor,
        facility=example.noord,
        person=example.shelter.person(),
        bed_type=REG,
        start_date=NOV(20),
    )
    assert not placement.overflow
    assert Placement.objects.count() == 11
