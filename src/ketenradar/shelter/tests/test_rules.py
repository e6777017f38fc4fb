"""The rules of placements, the waiting list and ambulant trajectories, and who may do what."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError

import pytest

from ketenradar.access.constants import InvolvementKind
from ketenradar.access.models import Involvement
from ketenradar.accounts.constants import RoleCode
from ketenradar.audit.models import AuditEvent
from ketenradar.core.tests.factories import PersonFactory
from ketenradar.persons import selectors as persons_selectors
from ketenradar.persons.constants import AddressKind
from ketenradar.shelter import selectors, services
from ketenradar.shelter.constants import (
    BedType,
    PlacementEndReason,
    TrajectoryKind,
    WaitingState,
    WithdrawalReason,
)
from ketenradar.shelter.models import Placement
from ketenradar.shelter.tests.conftest import Shelter

D = dt.date
REG = BedType.REGULAR
HOME = PlacementEndReason.OWN_HOME


def _place(shelter: Shelter, **kwargs: Any) -> Placement:
    facility = kwargs.pop("facility", None) or shelter.facility("Noord", regulier=5, gezin=6)
    return services.placement_start(
        actor=kwargs.pop("actor", shelter.actor),
        facility=facility,
        person=kwargs.pop("person", None) or shelter.person(),
        bed_type=kwargs.pop("bed_type", REG),
        start_date=kwargs.pop("start_date", D(2026, 11, 1)),
        **kwargs,
    )


def test_a_placement_defaults_to_the_six_month_norm_and_takes_a_bed_per_person(
    shelter: Shelter,
) -> None:
    members = [shelter.person(), shelter.person()]
    placement = _place(shelter, bed_type=BedType.FAMILY, members=members)
    assert placement.planned_end == D(2027, 5, 1)
    assert placement.beds == 3
    assert set(placement.members.all()) == set(members)


def test_placing_involves_the_organisation_and_the_placing_professional(
    shelter: Shelter,
) -> None:
    person = PersonFactory()  # known to the actor only personally
    Involvement.objects.create(
        person=person,
        organisation=shelter.organisation,
        user=shelter.actor.user,
        kind=InvolvementKind.PLACEMENT,
        purpose="Intake",
    )
    placement = _place(shelter, person=person)
    involvements = Involvement.objects.active().filter(
        person=person, organisation=shelter.organisation, kind=InvolvementKind.PLACEMENT
    )
    org_wide = involvements.get(user__isnull=True)
    assert org_wide.source_type == "shelter.placement"
    assert org_wide.source_id == placement.uuid.hex
    assert involvements.filter(user=shelter.actor.user).exists()
    # the colleague now sees the person through the organisation
    persons_selectors.person_detail(actor=shelter.colleague, person_uuid=person.uuid)


def test_the_shelter_address_is_a_confidential_stay_address_for_the_personally_involved(
    shelter: Shelter,
) -> None:
    member = shelter.person()
    placement = _place(shelter, members=[member], bed_type=BedType.FAMILY)
    for someone in (placement.person, member):
        address = someone.addresses.get()
        assert address.kind == AddressKind.STAY
        assert address.is_confidential
        assert address.valid_from == D(2026, 11, 1)
        assert address.street == "Geheimstraat"
    mine = persons_selectors.person_detail(actor=shelter.actor, person_uuid=member.uuid)
    assert [a.street for a in mine.addresses] == ["Geheimstraat"]
    colleague = persons_selectors.person_detail(actor=shelter.colleague, person_uuid=member.uuid)
    assert colleague.addresses == []  # not personally involved: hidden


def test_ending_a_placement_frees_the_bed_on_that_day_and_ends_the_stay_address(
    shelter: Shelter,
) -> None:
    facility = shelter.facility("Klein", regulier=1)
    first = _place(shelter, facility=facility)
    with pytest.raises(ValidationError):
        _place(shelter, facility=facility, start_date=D(2026, 12, 1))
    services.placement_end(
        actor=shelter.actor, placement=first, end_date=D(2026, 12, 1), reason=HOME
    )
    first.refresh_from_db()
    assert (first.actual_end, first.end_reason) == (D(2026, 12, 1), HOME)
    assert first.person.addresses.get().valid_until == D(2026, 11, 30)
    second = _place(shelter, facility=facility, start_date=D(2026, 12, 1))
    assert not second.overflow


def test_a_placement_is_refused_when_any_day_of_the_planned_stay_is_full(
    shelter: Shelter,
) -> None:
    facility = shelter.facility("Krap", regulier=1)
    services.capacity_set(
        actor=shelter.actor, facility=facility, bed_type=REG, beds=0, valid_from=D(2026, 12, 24)
    )
    with pytest.raises(ValidationError, match="24-12-2026"):
        _place(shelter, facility=facility, start_date=D(2026, 12, 1))
    placement = _place(
        shelter, facility=facility, start_date=D(2026, 12, 1), planned_end=D(2026, 12, 24)
    )
    assert placement.planned_end == D(2026, 12, 24)
    with pytest.raises(ValidationError):  # no bed type there at all
        _place(shelter, facility=facility, bed_type=BedType.MEN)


def test_a_crisis_placement_is_taken_in_over_capacity(shelter: Shelter) -> None:
    facility = shelter.facility("Crisis", crisis=1)
    first = _place(shelter, facility=facility, bed_type=BedType.CRISIS)
    second = _place(shelter, facility=facility, bed_type=BedType.CRISIS)
    assert (first.overflow, second.overflow) == (False, True)
    # only where the facility has crisis beds at all
    without = shelter.facility("Geen crisis", regulier=3)
    with pytest.raises(ValidationError):
        _place(shelter, facility=without, bed_type=BedType.CRISIS)


def test_an_unknown_bed_type_is_refused(shelter: Shelter) -> None:
    facility = shelter.facility("Noord", regulier=3)
    with pytest.raises(ValidationError):
        _place(shelter, facility=facility, bed_type="hotel")
    with pytest.raises(ValidationError):
        services.capacity_set(
            actor=shelter.actor,
            facility=facility,
            bed_type="hotel",
            beds=1,
            valid_from=D(2026, 1, 1),
        )
    with pytest.raises(ValidationError):
        services.waiting_list_add(
            actor=shelter.actor,
            person=shelter.person(),
            bed_type="hotel",
            registered_on=D(2026, 1, 1),
        )


def test_placements_are_refused_for_bad_dates_and_double_stays(shelter: Shelter) -> None:
    facility = shelter.facility("Noord", regulier=5)
    person = shelter.person()
    with pytest.raises(ValidationError):
        _place(shelter, facility=facility, person=person, planned_end=D(2026, 11, 1))
    placement = _place(shelter, facility=facility, person=person)
    with pytest.raises(ValidationError):  # already staying
        _place(shelter, facility=facility, person=person, start_date=D(2026, 11, 20))
    with pytest.raises(ValidationError):  # the same person as a member
        _place(shelter, facility=facility, members=[person], start_date=D(2026, 11, 20))
    with pytest.raises(ValidationError):  # not after the start
        services.placement_end(
            actor=shelter.actor,
            placement=placement,
            end_date=D(2026, 11, 1),
            reason=HOME,
        )
    with pytest.raises(ValidationError):
        services.placement_end(
            actor=shelter.actor,
            placement=placement,
            end_date=D(2026, 11, 9),
            reason="x",
        )
    services.placement_end(
        actor=shelter.actor,
        placement=placement,
        end_date=D(2026, 11, 9),
        reason=HOME,
    )
    with pytest.raises(ValidationError):  # once
        services.placement_end(
            actor=shelter.actor,
            placement=placement,
            end_date=D(2026, 11, 10),
            reason=HOME,
        )
    # after leaving, a new stay may start on the day of leaving
    _place(shelter, facility=facility, person=person, start_date=D(2026, 11, 9))


def test_only_the_own_shelter_organisation_places_and_ends(shelter: Shelter) -> None:
    facility = shelter.facility("Noord", regulier=5)
    placement = _place(shelter, facility=facility)
    other_person = PersonFactory()
    with pytest.raises(PermissionDenied):  # another shelter's facility
        _place(shelter, facility=facility, actor=shelter.other, person=other_person)
    with pytest.raises(PermissionDenied):
        services.placement_end(
            actor=shelter.other,
            placement=placement,
            end_date=D(2026, 12, 1),
            reason=HOME,
        )
    coordinator = shelter.world.actor(RoleCode.CASE_COORDINATOR, "involved")
    with pytest.raises(PermissionDenied):  # no shelter.manage_shelter
        _place(shelter, facility=facility, actor=coordinator, person=shelter.world.person)
    with pytest.raises(PermissionDenied):
        services.facility_create(actor=coordinator, name="X", municipality=shelter.municipality)


def test_only_persons_the_actor_may_see_are_placed(shelter: Shelter) -> None:
    facility = shelter.facility("Noord", regulier=5)
    stranger = PersonFactory()
    with pytest.raises(PermissionDenied):
        _place(shelter, facility=facility, person=stranger)
    with pytest.raises(PermissionDenied):
        _place(shelter, facility=facility, members=[stranger])
    with pytest.raises(PermissionDenied):
        services.waiting_list_add(
            actor=shelter.actor, person=stranger, bed_type=REG, registered_on=D(2026, 11, 1)
        )
    assert not Involvement.objects.filter(person=stranger).exists()


def test_a_placement_is_logged_with_everyone_placed(shelter: Shelter) -> None:
    member = shelter.person()
    placement = _place(shelter, members=[member], bed_type=BedType.FAMILY)
    events = AuditEvent.objects.filter(
        object_type="shelter.placement",
        object_id=placement.uuid.hex,
        action="create",
    )
    assert set(events.values_list("person_id", flat=True)) == {
        placement.person_id,
        member.pk,
    }


def test_the_waiting_list_places_or_withdraws_once(shelter: Shelter) -> None:
    facility = shelter.facility("Noord", regulier=5)
    person = shelter.person()
    entry = services.waiting_list_add(
        actor=shelter.actor, person=person, bed_type=REG, registered_on=D(2026, 10, 1)
    )
    with pytest.raises(ValidationError):  # already waiting
        services.waiting_list_add(
            actor=shelter.actor, person=person, bed_type=REG, registered_on=D(2026, 10, 2)
        )
    with pytest.raises(ValidationError):  # the entry is someone else's
        _place(shelter, facility=facility, waiting_entry=entry)
    with pytest.raises(ValidationError):  # before the registration
        _place(
            shelter,
            facility=facility,
            person=person,
            waiting_entry=entry,
            start_date=D(2026, 9, 30),
        )
    placement = _place(shelter, facility=facility, person=person, waiting_entry=entry)
    entry.refresh_from_db()
    assert entry.state == WaitingState.PLACED
    assert entry.placement == placement
    with pytest.raises(ValidationError):
        services.waiting_list_withdraw(
            actor=shelter.actor,
            entry=entry,
            withdrawn_on=D(2026, 11, 2),
            reason=WithdrawalReason.OTHER,
        )
    other = services.waiting_list_add(
        actor=shelter.actor, person=shelter.person(), bed_type=REG, registered_on=D(2026, 10, 5)
    )
    with pytest.raises(ValidationError):
        services.waiting_list_withdraw(
            actor=shelter.actor, entry=other, withdrawn_on=D(2026, 10, 4), reason="anders"
        )
    with pytest.raises(PermissionDenied):
        services.waiting_list_withdraw(
            actor=shelter.other, entry=other, withdrawn_on=D(2026, 10, 6), reason="anders"
        )
    services.waiting_list_withdraw(
        actor=shelter.actor, entry=other, withdrawn_on=D(2026, 10, 6), reason="anders"
    )
    other.refresh_from_db()
    assert (other.state, other.withdrawn_on) == (WaitingState.WITHDRAWN, D(2026, 10, 6))


def test_ambulant_trajectories_last_six_weeks_or_nine_months_by_default(
    shelter: Shelter,
) -> None:
    short = services.trajectory_start(
        actor=shelter.actor,
        person=shelter.person(),
        kind=TrajectoryKind.AMBULANT_SHORT,
        start_date=D(2026, 11, 2),
    )
    team = services.trajectory_start(
        actor=shelter.actor,
        person=shelter.person(),
        kind=TrajectoryKind.AMBULANT_TEAM,
        start_date=D(2026, 11, 2),
    )
    assert short.planned_end == D(2026, 12, 14)
    assert team.planned_end == D(2027, 8, 2)
    with pytest.raises(ValidationError):
        services.trajectory_end(actor=shelter.actor, trajectory=short, end_date=D(2026, 11, 1))
    with pytest.raises(PermissionDenied):
        services.trajectory_end(actor=shelter.other, trajectory=short, end_date=D(2026, 12, 1))
    services.trajectory_end(actor=shelter.actor, trajectory=short, end_date=D(2026, 12, 1))
    with pytest.raises(ValidationError):
        services.trajectory_end(actor=shelter.actor, trajectory=short, end_date=D(2026, 12, 2))


def test_lists_show_a_name_only_where_need_to_know_allows_and_log_it(shelter: Shelter) -> None:
    restricted = shelter.person(confidentiality="beperkt")
    Involvement.objects.create(
        person=restricted,
        organisation=shelter.organisation,
        user=shelter.actor.user,
        kind=InvolvementKind.PLACEMENT,
        purpose="Intake",
    )
    facility = shelter.facility("Noord", regulier=5)
    _place(shelter, facility=facility, person=restricted)
    open_person = shelter.person()
    _place(shelter, facility=facility, person=open_person)
    today = D(2026, 11, 15)
    mine = {
        r.placement.person_id: r.person
        for r in selectors.placements(actor=shelter.actor, today=today)
    }
    assert mine == {restricted.pk: restricted, open_person.pk: open_person}
    before = AuditEvent.objects.count()
    theirs = {
        r.placement.person_id: r.person
        for r in selectors.placements(actor=shelter.colleague, today=today)
    }
    assert theirs == {restricted.pk: None, open_person.pk: open_person}
    logged = AuditEvent.objects.order_by("seq")[before:]
    assert [(e.action, e.person_id) for e in logged] == [("list", open_person.pk)]
    with pytest.raises(PermissionDenied):  # another shelter sees none of it
        selectors.placements(actor=shelter.world.actor(RoleCode.CASE_COORDINATOR), today=today)
    assert selectors.placements(actor=shelter.other, today=today) == []


def test_another_shelters_placement_is_refused_and_the_refusal_logged(shelter: Shelter) -> None:
    placement = _place(shelter)
    with pytest.raises(PermissionDenied):
        selectors.placement_detail(
            actor=shelter.other,
            placement_uuid=placement.uuid,
            today=D(2026, 11, 15),
        )
    denied = AuditEvent.objects.get(outcome="denied", object_type="shelter.placement")
    assert denied.person_id == placement.person_id


def test_aggregates_are_counts_for_the_region_and_refused_elsewhere(shelter: Shelter) -> None:
    facility = shelter.facility("Noord", regulier=2)
    _place(shelter, facility=facility)
    day = D(2026, 11, 2)

    def occupied(actor: Any, **scope: Any) -> int:
        rows = selectors.occupancy_per_day(actor=actor, start=day, end=day, **scope)
        return sum(r.occupancy.occupied for r in rows)

    # another shelter of the region and a case coordinator: counts, to place someone
    assert occupied(shelter.other, organisation=shelter.organisation) == 1
    assert occupied(shelter.world.actor(RoleCode.CASE_COORDINATOR)) == 1
    assert occupied(shelter.world.actor(RoleCode.POLICY_OFFICER)) == 1  # the monitor
    free = selectors.free_capacity(actor=shelter.other, today=day)
    assert [(r.facility, r.occupancy.free) for r in free] == [("Noord", 1)]
    for refused in (
        shelter.world.actor(RoleCode.VT_PROFESSIONAL),
        shelter.world.actor(RoleCode.SHELTER_INTAKE, "other_region"),
    ):
        with pytest.raises(PermissionDenied):
            occupied(refused, organisation=shelter.organisation)
    with pytest.raises(PermissionDenied):
        occupied(
            shelter.world.actor(RoleCode.SHELTER_INTAKE, "other_region"),
            region=shelter.world.region,
        )
    with pytest.raises(PermissionDenied):
        selectors.free_capacity(actor=shelter.world.actor(RoleCode.POLICY_OFFICER), today=day)
