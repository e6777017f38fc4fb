"""The demo's shelters hold the figures of seed 002, replayed through the services."""

from __future__ import annotations

from django.core.management import call_command
from django.db.models import Sum
from django.utils import timezone

import pytest

from ketenradar.audit.verification import verify_chain
from ketenradar.shelter.calculations import over_norm
from ketenradar.shelter.constants import WaitingState
from ketenradar.shelter.models import AmbulantTrajectory, BedCapacity, Placement, WaitingListEntry


@pytest.mark.django_db
def test_the_demo_capacities_are_the_seed_figures_and_a_year_is_replayed() -> None:
    call_command("seed_demo", households=40, history_years=0, verbosity=0)

    def beds(municipality: str, **filters: str) -> int:
        rows = BedCapacity.objects.filter(facility__municipality__name=municipality, **filters)
        return rows.aggregate(n=Sum("beds"))["n"]

    # Den Haag 2018: 81 beds = 44 regular + 19 young mothers + 2 observation + 7 crisis
    # + 2 elderly + 7 men
    assert beds("Den Haag") == 81 == 44 + 19 + 2 + 7 + 2 + 7
    by_type = {
        t: beds("Den Haag", bed_type=t)
        for t in ("regulier", "jonge_moeders", "observatie", "crisis", "ouderen", "mannen")
    }
    assert by_type == {
        "regulier": 44,
        "jonge_moeders": 19,
        "observatie": 2,
        "crisis": 7,
        "ouderen": 2,
        "mannen": 7,
    }
    # Delft region: 11 family systems with 23 beds, and 4 crisis beds
    family = BedCapacity.objects.get(facility__municipality__name="Delft", bed_type="gezin")
    assert (family.beds, family.units) == (23, 11)
    assert beds("Delft", bed_type="crisis") == 4
    # 20 ambulant trajectories in the year
    assert AmbulantTrajectory.objects.count() == 20
    # a year of placements, some past the 6-month norm, and a waiting list
    today = timezone.localdate()
    placements = list(Placement.objects.all())
    assert len(placements) > 100
    assert any(over_norm(p.start_date, p.actual_end, today) for p in placements)
    assert any(p.actual_end is None for p in placements)
    assert WaitingListEntry.objects.filter(state=WaitingState.PLACED).exists()
    assert WaitingListEntry.objects.filter(state=WaitingState.WAITING).exists()
    # a second run adds nothing, and the access log's chain holds
    call_command("seed_demo", households=40, history_years=0, verbosity=0)
    assert Placement.objects.count() == len(placements)
    assert verify_chain().ok
