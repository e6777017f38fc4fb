"""The chain-care facts: what the refresh makes from the care, restraining and shelter tables,
and that a second run reads and writes only what changed (docs/monitor.md#chain-care-ketenzorg)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.forms.models import model_to_dict

import pytest

from ketenradar.accounts.actor import Actor
from ketenradar.care import services as care
from ketenradar.care.constants import Phase, SafetyLevel, ScreeningOutcome, ScreeningRole
from ketenradar.care.tests.conftest import CareWorld, _english, care_world  # noqa: F401
from ketenradar.core import clock
from ketenradar.core.tests.factories import OrganisationFactory, PersonFactory
from ketenradar.monitor import care_kpis, pseudonyms
from ketenradar.monitor.models import (
    BedCapacityFact,
    CaseFact,
    FacilityFact,
    PlacementFact,
    RestrainingOrderFact,
    TraumaScreeningFact,
    WaitingFact,
    Watermark,
)
from ketenradar.monitor.selectors import Scope
from ketenradar.monitor.services import RefreshResult, facts_refresh
from ketenradar.regions.constants import OrganisationType
from ketenradar.restraining.constants import Capacity, ExtensionOutcome, OrderStatus, RihgOutcome
from ketenradar.restraining.models import ExtensionDecision, RestrainingOrder
from ketenradar.restraining.selectors import counts_by_area
from ketenradar.shelter.constants import BedType, WaitingState
from ketenradar.shelter.models import BedCapacity, Facility, Placement, WaitingListEntry

AMS = ZoneInfo("Europe/Amsterdam")
NOTE = "Moeder vertelt over de ruzie in de keuken"


def at(day: str, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour), tzinfo=AMS)


def refresh() -> RefreshResult:
    return facts_refresh(actor=Actor.system("system:refresh_facts"))


@pytest.fixture(autouse=True)
def _no_overlap(settings: Any) -> None:
    settings.KETENRADAR_ANALYTICS_REFRESH_OVERLAP_SECONDS = 0


def test_a_case_becomes_a_fact_with_its_phases_and_the_coordinators_first_action(
    care_world: CareWorld,  # noqa: F811
) -> None:
    coordinator = care_world.actor("coordinator")
    with clock.at(at("2026-03-02")):
        case = care_world.open_case()  # opening is not an action: nor its first phase
    with clock.at(at("2026-03-05", 23)):  # 23:00 in Amsterdam: still the 5th
        care.safety_check_record(actor=coordinator, case=case, level=SafetyLevel.DIRECT, note=NOTE)
    with clock.at(at("2026-03-06")):
        care.screening_offer(
            actor=coordinator, case=case, person=care_world.mother, role=ScreeningRole.VICTIM
        )

    result = refresh()

    assert result.written["case_facts"] == 1
    assert result.written["trauma_screening_facts"] == 1
    fact = CaseFact.objects.get()
    assert fact.case_key == pseudonyms.pseudonym("case", case.pk)
    assert fact.region_id == care_world.region.pk
    assert fact.municipality_id == care_world.municipality.pk
    assert fact.opened_on == dt.date(2026, 3, 2)
    assert fact.first_action_on == dt.date(2026, 3, 5)
    assert fact.phase == Phase.DIRECT_SAFETY
    assert fact.phases == [["2026-03-02", Phase.DIRECT_SAFETY]]
    assert fact.melding_on is None  # opened by the local team: no melding
    screening = TraumaScreeningFact.objects.get()
    assert (screening.role, screening.offered_on, screening.outcome) == (
        ScreeningRole.VICTIM,
        dt.date(2026, 3, 6),
        ScreeningOutcome.OFFERED,
    )
    # no person, no text: every value of both facts
    values = [*model_to_dict(fact).values(), *model_to_dict(screening).values()]
    for forbidden in (NOTE, "Smit", "Eva", care_world.mother.bsn):
        assert not any(forbidden and forbidden in str(v) for v in values)


def test_a_second_refresh_rewrites_only_the_changed_case(care_world: CareWorld) -> None:  # noqa: F811
    coordinator = care_world.actor("coordinator")
    with clock.at(at("2026-03-02")):
        case = care_world.open_case()
        screening = care.screening_offer(
            actor=coordinator, case=case, person=care_world.mother, role=ScreeningRole.VICTIM
        )
    refresh()
    assert dict(refresh().written) == {}  # nothing changed: nothing written

    with clock.at(at("2026-04-08")):
        care.screening_outcome(
            actor=coordinator,
            case=case,
            screening=screening,
            outcome=ScreeningOutcome.NO_INDICATION,
        )
    changed = refresh()

    assert dict(changed.written) == {"case_facts": 1, "trauma_screening_facts": 1}
    assert changed.read["care_screenings"] == 1
    assert changed.read["care_cases"] == 0
    assert changed.read["contacts"] == 0
    fact = TraumaScreeningFact.objects.get()
    assert (fact.outcome, fact.outcome_on) == (ScreeningOutcome.NO_INDICATION, dt.date(2026, 4, 8))
    assert {"care_cases", "care_screenings", "shelter_placements", "restraining_orders"} <= set(
        Watermark.objects.values_list("source", flat=True)
    )


def _order(care_world: CareWorld, imposed: dt.datetime) -> RestrainingOrder:  # noqa: F811
    return RestrainingOrder.objects.create(
        region=care_world.region,
        municipality=care_world.municipality,
        imposed_at=imposed,
        imposed_by_capacity=Capacity.MAYOR,
        imposed_by_name="Burgemeester Geheim",
        rihg_outcome=RihgOutcome.NO_OFFENCE_NO_THREAT,
        ends_at=imposed + dt.timedelta(days=10),
        recording_organisation=care_world.local_team,
        created_at=imposed,
    )


def test_a_restraining_order_extended_in_the_next_period_keeps_its_imposition_day(
    care_world: CareWorld,  # noqa: F811
) -> None:
    order = _order(care_world, at("2026-03-28", 22))
    refresh()
    fact = RestrainingOrderFact.objects.get()
    assert (fact.imposed_on, fact.extended, fact.extension_decided_on) == (
        dt.date(2026, 3, 28),
        False,
        None,
    )

    ExtensionDecision.objects.create(
        order=order,
        decided_at=at("2026-04-06"),
        outcome=ExtensionOutcome.EXTENDED,
        decided_by_capacity=Capacity.MAYOR,
        decided_by_name="Burgemeester Geheim",
        new_end=at("2026-04-25"),
        recorded_at=at("2026-04-06"),
    )
    order.status = OrderStatus.EXTENDED
    order.save()
    changed = refresh()

    assert dict(changed.written) == {"restraining_order_facts": 1}
    fact = RestrainingOrderFact.objects.get()
    assert fact.order_key == pseudonyms.pseudonym("restrainingorder", order.pk)
    assert (fact.imposed_on, fact.extended, fact.extension_decided_on, fact.status) == (
        dt.date(2026, 3, 28),
        True,
        dt.date(2026, 4, 6),
        OrderStatus.EXTENDED,
    )
    assert "Geheim" not in str(model_to_dict(fact))


def test_shelter_facts_hold_beds_and_days_and_follow_a_placement_ending(
    care_world: CareWorld,  # noqa: F811
) -> None:
    shelter_org = OrganisationFactory(
        region=care_world.region, name="Opvang", type=OrganisationType.SHELTER
    )
    facility = Facility.objects.create(
        organisation=shelter_org,
        municipality=care_world.municipality,
        name="Huis Geheim",
        street="Verborgenstraat",
        house_number=7,
        postcode="2611AA",
        city="Delft",
    )
    BedCapacity.objects.create(
        facility=facility, bed_type=BedType.REGULAR, valid_from=dt.date(2026, 1, 1), beds=4
    )
    resident = PersonFactory()
    placement = Placement.objects.create(
        facility=facility,
        person=resident,
        bed_type=BedType.REGULAR,
        beds=2,
        start_date=dt.date(2026, 3, 4),
        planned_end=dt.date(2026, 9, 4),
    )
    WaitingListEntry.objects.create(
        organisation=shelter_org,
        person=resident,
        household_size=2,
        bed_type=BedType.REGULAR,
        registered_on=dt.date(2026, 2, 1),
        state=WaitingState.PLACED,
        placement=placement,
    )

    first = refresh()

    assert {k: first.written[k] for k in ("facility_facts", "bed_capacity_facts")} == {
        "facility_facts": 1,
        "bed_capacity_facts": 1,
    }
    assert (first.written["placement_facts"], first.written["waiting_facts"]) == (1, 1)
    assert BedCapacityFact.objects.get().beds == 4
    waiting = WaitingFact.objects.get()
    assert (waiting.registered_on, waiting.placed_on, waiting.municipality_id) == (
        dt.date(2026, 2, 1),
        dt.date(2026, 3, 4),
        care_world.municipality.pk,
    )
    for fact in (FacilityFact.objects.get(), PlacementFact.objects.get(), waiting):
        text = str(model_to_dict(fact))
        assert "Geheim" not in text and "Verborgen" not in text and "2611" not in text

    placement.actual_end = dt.date(2026, 3, 31)
    placement.save(update_fields=["actual_end", "updated_at"])
    changed = refresh()

    assert dict(changed.written) == {"placement_facts": 1}
    fact = PlacementFact.objects.get()
    assert (fact.start_on, fact.end_on, fact.beds) == (
        dt.date(2026, 3, 4),
        dt.date(2026, 3, 31),
        2,
    )


def test_huisverboden_from_the_facts_agree_with_the_restraining_apps_own_counts(
    care_world: CareWorld,  # noqa: F811
) -> None:
    late = _order(care_world, at("2026-03-31", 23))  # 23:00 on the 31st: still March
    _order(care_world, at("2026-03-02"))
    _order(care_world, at("2026-04-01", 0))  # just after midnight: April
    ExtensionDecision.objects.create(
        order=late,
        decided_at=at("2026-04-08"),
        outcome=ExtensionOutcome.EXTENDED,
        decided_by_capacity=Capacity.MAYOR,
        decided_by_name="Burgemeester",
        new_end=at("2026-04-28"),
        recorded_at=at("2026-04-08"),
    )
    refresh()
    for start, end in (
        (dt.date(2026, 3, 1), dt.date(2026, 3, 31)),
        (dt.date(2026, 4, 1), dt.date(2026, 4, 30)),
    ):
        own = counts_by_area(region=care_world.region, start=start, end=end)
        facts = care_kpis.restraining_orders(
            actor=Actor.system("test"),
            scope=Scope(region=care_world.region),
            start=start,
            end=end,
            suppressed=False,
        )
        assert (facts["imposed"], facts["extended"]) == (own.imposed, own.extended)
        assert [(r["name"], r["imposed"], r["extended"]) for r in facts["by_municipality"]] == [
            (m.name, m.imposed, m.extended) for m in own.municipalities
        ]
    assert (own.imposed, own.extended) == (1, 1)  # April
