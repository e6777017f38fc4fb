"""The counts for the regional monitor: orders imposed and extended per municipality and
per subregion, with known answers; no client data."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ketenradar.restraining import selectors, services
from ketenradar.restraining.constants import Capacity, ExtensionOutcome
from ketenradar.restraining.tests.conftest import AMS, T0, Family

DAY = dt.timedelta(days=1)


def test_counts_per_municipality_and_subregion_with_known_answers(
    family: Family, frozen: Any
) -> None:
    frozen.move_to(dt.datetime(2027, 1, 20, 12, 0, tzinfo=AMS))
    # Den Haag: three in November (one extended in November, one not), one in December
    nov = [family.register(imposed_at=T0 + n * DAY) for n in range(3)]
    family.register(imposed_at=dt.datetime(2026, 12, 1, 0, 30, tzinfo=AMS))
    # Delft: one on the last evening of November, extended on 7 December
    delft = family.register(
        imposed_at=dt.datetime(2026, 11, 30, 23, 30, tzinfo=AMS), municipality=family.delft
    )
    for order, when, outcome in (
        (nov[0], T0 + 7 * DAY, ExtensionOutcome.EXTENDED),
        (nov[1], T0 + 8 * DAY, ExtensionOutcome.NOT_EXTENDED),
        (delft, dt.datetime(2026, 12, 7, 10, 0, tzinfo=AMS), ExtensionOutcome.EXTENDED),
    ):
        services.extension_decide(
            actor=family.vt,
            order=order,
            outcome=outcome,
            decided_at=when,
            decided_by_capacity=Capacity.MAYOR,
            decided_by_name="Burgemeester",
            new_end=order.latest_end if outcome == ExtensionOutcome.EXTENDED else None,
        )

    november = selectors.counts_by_area(
        region=family.world.region, start=dt.date(2026, 11, 1), end=dt.date(2026, 11, 30)
    )
    assert [(c.name, c.imposed, c.extended) for c in november.municipalities] == [
        ("Delft", 1, 0),
        ("Den Haag", 3, 1),
    ]
    assert [(c.name, c.imposed, c.extended) for c in november.subregions] == [
        ("DWO", 1, 0),
        ("Den Haag", 3, 1),
    ]
    assert (november.imposed, november.extended) == (4, 1)

    december = selectors.counts_by_area(
        region=family.world.region, start=dt.date(2026, 12, 1), end=dt.date(2026, 12, 31)
    )
    assert [(c.name, c.imposed, c.extended) for c in december.municipalities] == [
        ("Delft", 0, 1),
        ("Den Haag", 1, 0),
    ]
    assert (december.imposed, december.extended) == (1, 1)


def test_counts_of_another_region_are_not_included(family: Family) -> None:
    family.register()
    counts = selectors.counts_by_area(
        region=family.world.other_region, start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31)
    )
    assert (counts.imposed, counts.extended, counts.municipalities) == (0, 0, [])
