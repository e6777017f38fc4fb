"""Every chain-care KPI on constructed facts with known answers
(docs/monitor.md#chain-care-ketenzorg). The facts are written directly: how the refresh makes
them from the chain-care tables is ``test_care_refresh.py``."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied

import pytest

from ketenradar.accounts.actor import Actor
from ketenradar.accounts.constants import RoleCode
from ketenradar.care.constants import CaseSource, Phase, ScreeningOutcome, ScreeningRole
from ketenradar.conftest import World
from ketenradar.core.tests.factories import MunicipalityFactory
from ketenradar.mda.constants import ReferralStatus
from ketenradar.monitor import care_kpis
from ketenradar.monitor.models import (
    BedCapacityFact,
    CaseFact,
    MdaReferralFact,
    PlacementFact,
    RestrainingOrderFact,
    TraumaScreeningFact,
    WaitingFact,
)
from ketenradar.monitor.selectors import Scope
from ketenradar.regions.models import Municipality, Subregion
from ketenradar.restraining.constants import OrderStatus
from ketenradar.shelter.constants import BedType

SYSTEM = Actor.system("test:monitor")
MARCH = (dt.date(2026, 3, 1), dt.date(2026, 3, 31))
_keys = itertools.count(1)


def key() -> str:
    return f"{next(_keys):064d}"


def d(day: str) -> dt.date:
    return dt.date.fromisoformat(day)


@dataclass
class Map:
    scope: Scope
    den_haag: Municipality
    delft: Municipality
    rijswijk: Municipality
    haag: Subregion
    dwo: Subregion


@pytest.fixture
def places(world: World) -> Map:
    haag = Subregion.objects.create(region=world.region, name="Den Haag")
    dwo = Subregion.objects.create(region=world.region, name="DWO")
    den_haag = Municipality.objects.get(cbs_code="GM0518")
    den_haag.subregion = haag
    den_haag.save()
    delft = MunicipalityFactory(region=world.region, subregion=dwo, cbs_code="GM0503", name="Delft")
    rijswijk = MunicipalityFactory(
        region=world.region, subregion=dwo, cbs_code="GM0603", name="Rijswijk"
    )
    return Map(Scope(region=world.region), den_haag, delft, rijswijk, haag, dwo)


def case(places: Map, **fields: Any) -> CaseFact:
    values: dict[str, Any] = {
        "case_key": key(),
        "region": places.scope.region,
        "municipality": places.delft,
        "source": CaseSource.LOCAL_TEAM,
        "phase": Phase.DIRECT_SAFETY,
        "opened_on": d("2026-01-10"),
    }
    values.update(fields)
    if "phases" not in values:
        values["phases"] = [[values["opened_on"].isoformat(), Phase.DIRECT_SAFETY]]
    return CaseFact.objects.create(**values)


def run(fn: Any, places: Map, scope: Scope | None = None, period: Any = MARCH) -> Any:
    return fn(
        actor=SYSTEM,
        scope=scope or places.scope,
        start=period[0],
        end=period[1],
        suppressed=False,
    )


# Cases ------------------------------------------------------------------------------------


def test_cases_opened_and_closed_in_the_period_count_each_once_even_in_the_same_period(
    places: Map,
) -> None:
    case(places, opened_on=d("2026-03-01"))  # opened on the first day
    case(places, opened_on=d("2026-03-05"), closed_on=d("2026-03-20"), phase=Phase.CLOSED)
    case(places, opened_on=d("2026-01-05"), closed_on=d("2026-03-31"), phase=Phase.CLOSED)
    case(places, opened_on=d("2026-02-28"))  # before
    case(places, opened_on=d("2026-04-01"))  # after
    case(places, opened_on=d("2026-01-05"), closed_on=d("2026-04-01"), phase=Phase.CLOSED)

    figures = run(care_kpis.cases, places)

    assert figures["opened"] == 2
    assert figures["closed"] == 2


def test_cases_per_phase_are_those_at_the_end_of_the_period_not_now(places: Map) -> None:
    # in stable safety since February, moved to recovery in April: stable at the end of March
    case(
        places,
        phase=Phase.RECOVERY,
        phases=[
            ["2026-01-10", Phase.DIRECT_SAFETY],
            ["2026-02-15", Phase.STABLE_SAFETY],
            ["2026-04-02", Phase.RECOVERY],
        ],
    )
    # changed phase on the last day of the period: counts in the new phase
    case(
        places,
        phase=Phase.STABLE_SAFETY,
        phases=[["2026-01-10", Phase.DIRECT_SAFETY], ["2026-03-31", Phase.STABLE_SAFETY]],
    )
    case(places)  # direct safety since January
    # closed in April: open at the end of March, in direct safety
    case(
        places,
        phase=Phase.CLOSED,
        closed_on=d("2026-04-03"),
        phases=[["2026-01-10", Phase.DIRECT_SAFETY], ["2026-04-03", Phase.CLOSED]],
    )
    # closed within the period: not open at its end
    case(
        places,
        phase=Phase.CLOSED,
        closed_on=d("2026-03-10"),
        phases=[["2026-01-10", Phase.DIRECT_SAFETY], ["2026-03-10", Phase.CLOSED]],
    )
    case(places, opened_on=d("2026-04-01"))  # opened after the period

    figures = run(care_kpis.cases, places)

    assert figures["per_phase"] == {
        Phase.DIRECT_SAFETY: 2,
        Phase.STABLE_SAFETY: 2,
        Phase.RECOVERY: 0,
        Phase.FOLLOW_UP: 0,
        Phase.PILOT_LIGHT: 0,
    }
    assert figures["open_at_end"] == 4


def test_days_from_the_melding_to_the_first_action_mean_and_median(places: Map) -> None:
    for melding, acted in (
        ("2026-02-20", "2026-03-02"),  # 10 days
        ("2026-03-01", "2026-03-05"),  # 4
        ("2026-03-01", "2026-03-31"),  # 30, acted on the period's last day
        ("2026-03-10", "2026-03-11"),  # 1
    ):
        case(
            places,
            source=CaseSource.VT_HANDOVER,
            dossier_key=key(),
            melding_on=d(melding),
            first_action_on=d(acted),
        )
    case(places, source=CaseSource.VT_HANDOVER, melding_on=d("2026-03-20"))  # no action yet
    case(places, source=CaseSource.VT_HANDOVER, melding_on=d("2026-03-20"),
         first_action_on=d("2026-04-01"))  # fmt: skip
    case(places, first_action_on=d("2026-03-03"))  # opened by the local team: no melding

    first = run(care_kpis.cases, places)["first_action"]

    assert first == {"count": 4, "mean_days": 11.2, "median_days": 7.0}  # (10+4+30+1)/4


# MDA++ and trauma screenings -------------------------------------------------------------------


def referral(places: Map, **fields: Any) -> None:
    MdaReferralFact.objects.create(
        referral_key=key(),
        case_key=key(),
        region=places.scope.region,
        municipality=places.delft,
        status=ReferralStatus.REFERRED,
        **fields,
    )


def test_mda_referrals_referred_accepted_and_handed_back_each_by_their_own_day(
    places: Map,
) -> None:
    referral(places, referred_on=d("2026-03-02"))
    referral(places, referred_on=d("2026-02-25"), accepted_on=d("2026-03-01"))
    referral(
        places,
        referred_on=d("2026-01-10"),
        accepted_on=d("2026-01-20"),
        handed_back_on=d("2026-03-31"),
    )
    referral(places, referred_on=d("2026-03-30"), accepted_on=d("2026-04-02"))
    referral(places, referred_on=d("2026-03-03"), declined_on=d("2026-03-04"))

    assert run(care_kpis.mda_referrals, places) == {"referred": 3, "accepted": 1, "handed_back": 1}


def screening(places: Map, role: str, offered: str, outcome: str, on: str | None) -> None:
    TraumaScreeningFact.objects.create(
        screening_key=key(),
        case_key=key(),
        region=places.scope.region,
        municipality=places.delft,
        role=role,
        offered_on=d(offered),
        outcome=outcome,
        outcome_on=d(on) if on else None,
    )


def test_trauma_screenings_offered_and_done_in_the_period_by_role(places: Map) -> None:
    victim, perpetrator = ScreeningRole.VICTIM, ScreeningRole.PERPETRATOR
    done = next(o for o in ScreeningOutcome.values if o != ScreeningOutcome.OFFERED)
    screening(places, victim, "2026-03-01", ScreeningOutcome.OFFERED, None)  # offered only
    screening(places, victim, "2026-03-05", done, "2026-03-20")  # offered and done
    screening(places, victim, "2026-02-10", done, "2026-03-02")  # done only
    screening(places, victim, "2026-03-25", done, "2026-04-01")  # done in the next period
    screening(places, perpetrator, "2026-03-10", done, "2026-03-31")
    screening(places, perpetrator, "2026-02-01", ScreeningOutcome.OFFERED, None)

    assert run(care_kpis.trauma_screenings, places) == {
        victim: {"offered": 3, "done": 2},
        perpetrator: {"offered": 1, "done": 1},
    }


# Huisverboden -----------------------------------------------------------------------------------


def order(
    places: Map, where: Municipality | None, imposed: str, extended: str | None = None
) -> None:
    RestrainingOrderFact.objects.create(
        order_key=key(),
        region=places.scope.region,
        municipality=where,
        imposed_on=d(imposed),
        extended=extended is not None,
        extension_decided_on=d(extended) if extended else None,
        status=OrderStatus.EXTENDED if extended else OrderStatus.ENDED,
    )


def test_huisverboden_imposed_and_extended_per_municipality_and_subregion(places: Map) -> None:
    order(places, places.den_haag, "2026-03-01")
    order(places, places.den_haag, "2026-03-10", extended="2026-03-19")
    order(places, places.delft, "2026-03-12")
    order(places, places.rijswijk, "2026-03-25", extended="2026-04-03")  # extended in April
    order(places, places.rijswijk, "2026-02-22", extended="2026-03-02")  # imposed in February
    order(places, None, "2026-03-15")  # municipality unknown: only in the region's total
    RestrainingOrderFact.objects.create(
        order_key=key(),
        region=places.scope.region,
        municipality=places.delft,
        imposed_on=d("2026-03-05"),
        extended=False,
        extension_decided_on=d("2026-03-14"),  # decided: not extended
        status=OrderStatus.ENDED,
    )

    march = run(care_kpis.restraining_orders, places)
    april = run(care_kpis.restraining_orders, places, period=(d("2026-04-01"), d("2026-04-30")))

    assert (march["imposed"], march["extended"]) == (6, 2)
    assert march["by_municipality"] == [
        {"name": "Delft", "imposed": 2, "extended": 0},
        {"name": "Den Haag", "imposed": 2, "extended": 1},
        {"name": "Rijswijk", "imposed": 1, "extended": 1},
    ]
    assert march["by_subregion"] == [
        {"name": "DWO", "imposed": 3, "extended": 1},
        {"name": "Den Haag", "imposed": 2, "extended": 1},
    ]
    assert (april["imposed"], april["extended"]) == (0, 1)
    dwo = run(care_kpis.restraining_orders, places, scope=Scope(places.scope.region, places.dwo))
    assert (dwo["imposed"], dwo["extended"]) == (3, 1)
    assert [r["name"] for r in dwo["by_municipality"]] == ["Delft", "Rijswijk"]


# Shelter ------------------------------------------------------------------------------------


def test_shelter_occupancy_norm_and_waiting_times_over_the_facts(places: Map) -> None:
    region = places.scope.region
    north, south = key(), key()
    for facility, bed_type, since, beds in (
        (north, BedType.REGULAR, "2026-01-01", 2),
        (north, BedType.REGULAR, "2026-03-16", 3),  # a third bed from the 16th
        (south, BedType.FAMILY, "2026-01-01", 4),
    ):
        BedCapacityFact.objects.create(
            capacity_key=key(),
            facility_key=facility,
            region=region,
            municipality=places.delft,
            bed_type=bed_type,
            valid_from=d(since),
            beds=beds,
        )
    for facility, bed_type, beds, start, end in (
        (north, BedType.REGULAR, 1, "2025-08-01", None),  # the whole month; over the norm
        (north, BedType.REGULAR, 1, "2026-03-11", "2026-03-21"),  # 10 nights
        (north, BedType.REGULAR, 1, "2025-09-15", "2026-03-31"),  # leaves on the last day
        (south, BedType.FAMILY, 3, "2026-03-01", "2026-04-15"),  # 3 beds the whole month
        (south, BedType.FAMILY, 2, "2026-04-01", None),  # after the period
    ):
        PlacementFact.objects.create(
            placement_key=key(),
            facility_key=facility,
            region=region,
            municipality=places.delft,
            bed_type=bed_type,
            beds=beds,
            start_on=d(start),
            end_on=d(end) if end else None,
        )
    for registered, placed, withdrawn in (
        ("2026-02-01", "2026-03-04", None),  # waited 31 days
        ("2026-02-20", "2026-03-07", None),  # 15
        ("2026-03-01", "2026-03-11", None),  # 10
        ("2026-03-05", None, "2026-03-09"),  # withdrawn
        ("2026-03-11", None, None),  # waiting 20 days on the 31st
        ("2026-03-26", None, None),  # waiting 5 days
        ("2026-04-01", None, None),  # registered after the period
    ):
        WaitingFact.objects.create(
            entry_key=key(),
            region=region,
            municipality=places.delft,
            bed_type=BedType.REGULAR,
            registered_on=d(registered),
            placed_on=d(placed) if placed else None,
            withdrawn_on=d(withdrawn) if withdrawn else None,
        )

    figures = run(care_kpis.shelter, places)

    # regular: capacity 2 x 15 + 3 x 16 = 78 bed-days; occupied 31 + 10 + 30 = 71
    # family: capacity 4 x 31 = 124; occupied 3 x 31 = 93. All: 164 / 202
    assert figures["occupancy"]["by_bed_type"] == {
        BedType.REGULAR: {"placements": 3, "rate": 71 / 78},
        BedType.FAMILY: {"placements": 1, "rate": 0.75},
    }
    assert figures["occupancy"]["all"] == {"placements": 4, "rate": 164 / 202}
    # ended in March: the one leaving on the 31st (over the norm: 2026-03-15) and the short
    # one; staying on the 31st: the August one (over) and the family (within)
    assert figures["norm"] == {
        "ended": 2,
        "ended_over_norm": 1,
        "staying": 2,
        "staying_over_norm": 1,
    }
    assert figures["waiting"] == {
        "placed": 3,
        "mean_days_waited": 18.7,
        "median_days_waited": 15,
        "still_waiting": 2,
        "mean_waiting_age": 12.5,
        "longest_waiting_age": 20,
    }


# Suppression and access -------------------------------------------------------------------------


def test_small_counts_are_suppressed_and_zero_stays_zero(places: Map, world: World) -> None:
    officer = world.actor(RoleCode.POLICY_OFFICER, "involved")
    for _ in range(9):
        case(places, opened_on=d("2026-03-02"), source=CaseSource.VT_HANDOVER,
             melding_on=d("2026-03-01"), first_action_on=d("2026-03-04"))  # fmt: skip
    for _ in range(10):
        order(places, places.delft, "2026-03-03")
    for _ in range(3):
        order(places, places.den_haag, "2026-03-03")

    figures = care_kpis.care_kpis(actor=officer, scope=places.scope, start=MARCH[0], end=MARCH[1])

    assert figures["cases"]["opened"] == "<10"
    assert figures["cases"]["closed"] == 0
    assert figures["cases"]["first_action"] == {
        "count": "<10",
        "mean_days": "<10",
        "median_days": "<10",
    }
    assert figures["restraining"]["imposed"] == 13
    assert figures["restraining"]["by_municipality"][0] == {
        "name": "Delft",
        "imposed": 10,
        "extended": 0,
    }
    assert figures["restraining"]["by_municipality"][1]["imposed"] == "<10"
    assert figures["mda"] == {"referred": 0, "accepted": 0, "handed_back": 0}
    assert figures["shelter"]["waiting"]["mean_days_waited"] is None


def test_shelter_rates_and_waits_over_too_few_are_the_marker(places: Map, world: World) -> None:
    officer = world.actor(RoleCode.POLICY_OFFICER, "involved")
    BedCapacityFact.objects.create(
        capacity_key=key(),
        facility_key="f" * 64,
        region=places.scope.region,
        municipality=places.delft,
        bed_type=BedType.REGULAR,
        valid_from=d("2026-01-01"),
        beds=5,
    )
    PlacementFact.objects.create(
        placement_key=key(),
        facility_key="f" * 64,
        region=places.scope.region,
        municipality=places.delft,
        bed_type=BedType.REGULAR,
        beds=1,
        start_on=d("2026-03-01"),
    )
    WaitingFact.objects.create(
        entry_key=key(),
        region=places.scope.region,
        bed_type=BedType.REGULAR,
        registered_on=d("2026-02-01"),
        placed_on=d("2026-03-01"),
    )

    shelter = care_kpis.shelter(actor=officer, scope=places.scope, start=MARCH[0], end=MARCH[1])

    assert shelter["occupancy"]["all"] == {"placements": "<10", "rate": "<10"}
    assert shelter["waiting"]["placed"] == "<10"
    assert shelter["waiting"]["mean_days_waited"] == "<10"
    assert shelter["norm"]["staying"] == "<10"


@pytest.mark.parametrize(
    "role", [RoleCode.CASE_COORDINATOR, RoleCode.VT_PROFESSIONAL, RoleCode.SHELTER_INTAKE]
)
def test_only_holders_of_view_region_of_the_region_get_the_figures(
    places: Map, world: World, role: str
) -> None:
    with pytest.raises(PermissionDenied):
        care_kpis.care_kpis(
            actor=world.actor(role, "involved"),
            scope=places.scope,
            start=MARCH[0],
            end=MARCH[1],
        )


def test_another_regions_policy_officer_and_unsuppressed_figures_are_refused(
    places: Map, world: World
) -> None:
    with pytest.raises(PermissionDenied):
        care_kpis.care_kpis(
            actor=world.actor(RoleCode.POLICY_OFFICER, "other_region"),
            scope=places.scope,
            start=MARCH[0],
            end=MARCH[1],
        )
    with pytest.raises(PermissionDenied):
        care_kpis.cases(
            actor=world.actor(RoleCode.POLICY_OFFICER, "involved"),
            scope=places.scope,
            start=MARCH[0],
            end=MARCH[1],
            suppressed=False,
        )
