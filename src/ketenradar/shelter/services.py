"""Writes of the shelter: facilities and beds, placements, the waiting list and ambulant
trajectories. Each checks ``shelter.manage_shelter`` and the actor's own organisation, and
writes its access-log events in its own transaction (docs/shelter.md)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from ketenradar.access import policy
from ketenradar.access.constants import InvolvementKind
from ketenradar.access.models import Involvement
from ketenradar.access.services import involvements_start
from ketenradar.accounts.actor import Actor
from ketenradar.audit import services as audit
from ketenradar.audit.constants import AuditAction
from ketenradar.persons.constants import AddressKind
from ketenradar.persons.models import Address, Person
from ketenradar.regions.constants import OrganisationType
from ketenradar.regions.models import Municipality, Organisation
from ketenradar.shelter import calculations as calc
from ketenradar.shelter.constants import (
    AMBULANT_SHORT_WEEKS,
    AMBULANT_TEAM_MONTHS,
    BedType,
    PlacementEndReason,
    TrajectoryKind,
    WaitingState,
    WithdrawalReason,
)
from ketenradar.shelter.models import (
    AmbulantTrajectory,
    BedCapacity,
    Facility,
    Placement,
    WaitingListEntry,
)

MANAGE = "shelter.manage_shelter"


def _require_manage(actor: Actor) -> Organisation:
    """The permission, and a shelter organisation to act for."""
    if not actor.has_perm(MANAGE):
        raise PermissionDenied(MANAGE)
    org = actor.organisation
    if org is None or org.type != OrganisationType.SHELTER:
        raise PermissionDenied("only a shelter organisation manages shelter places")
    return org


def _require_own(org: Organisation, organisation_id: int) -> None:
    if org.pk != organisation_id:
        raise PermissionDenied("not this shelter organisation's own")


def _require_bed_type(bed_type: str) -> None:
    if bed_type not in BedType.values:
        raise ValidationError(_("Choose a bed type."))


def _require_visible(actor: Actor, persons: Sequence[Person]) -> None:
    """Need-to-know for writes: only persons the actor may see (docs/authorization.md)."""
    for person in persons:
        if not policy.decide_person(actor, person).allowed:
            raise PermissionDenied("no involvement with this person")


def _involve(
    actor: Actor,
    org: Organisation,
    persons: Sequence[Person],
    *,
    purpose: str,
    source_type: str,
    source_id: str,
    personal: bool = False,
) -> None:
    """An involvement of the shelter organisation (kind ``opvang``) with each person that
    has none active yet; with ``personal``, one for the acting professional as well."""
    active = Involvement.objects.active().filter(organisation=org, kind=InvolvementKind.PLACEMENT)
    org_wide = set(
        active.filter(person__in=persons, user__isnull=True).values_list("person_id", flat=True)
    )
    missing = [p for p in persons if p.pk not in org_wide]
    if missing:
        involvements_start(
            actor=actor,
            persons=missing,
            organisation=org,
            kind=InvolvementKind.PLACEMENT,
            purpose=purpose,
            source_type=source_type,
            source_id=source_id,
        )
    if personal and actor.user is not None:
        mine = set(
            active.filter(person__in=persons, user=actor.user).values_list("person_id", flat=True)
        )
        unmet = [p for p in persons if p.pk not in mine]
        if unmet:
            involvements_start(
                actor=actor,
                persons=unmet,
                organisation=org,
                kind=InvolvementKind.PLACEMENT,
                purpose=purpose,
                user=actor.user,
                source_type=source_type,
                source_id=source_id,
            )


# Facilities and beds ----------------------------------------------------------------


@transaction.atomic
def facility_create(
    *,
    actor: Actor,
    name: str,
    municipality: Municipality,
    street: str = "",
    house_number: int | None = None,
    postcode: str = "",
    city: str = "",
) -> Facility:
    org = _require_manage(actor)
    if municipality.region_id != org.region_id:
        raise ValidationError(_("The municipality is not in the organisation's region."))
    facility = Facility(
        organisation=org,
        municipality=municipality,
        name=name.strip(),
        street=street.strip(),
        house_number=house_number,
        postcode=postcode.replace(" ", "").upper(),
        city=city.strip(),
    )
    facility.full_clean()
    facility.save()
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        object_type="shelter.facility",
        object_id=facility.uuid.hex,
    )
    return facility


@transaction.atomic
def capacity_set(
    *,
    actor: Actor,
    facility: Facility,
    bed_type: BedType | str,
    beds: int,
    valid_from: dt.date,
    units: int | None = None,
) -> BedCapacity:
    """The number of beds of a type from ``valid_from`` on (0 closes the type). Setting it
    again for the same day replaces that day's number."""
    org = _require_manage(actor)
    _require_own(org, facility.organisation_id)
    _require_bed_type(bed_type)
    if units is not None and units > beds:
        raise ValidationError(_("A facility cannot have more units than beds."))
    capacity, _created = BedCapacity.objects.update_or_create(
        facility=facility,
        bed_type=bed_type,
        valid_from=valid_from,
        defaults={"beds": beds, "units": units},
    )
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        object_type="shelter.facility",
        object_id=facility.uuid.hex,
        detail={
            "bed_type": str(bed_type),
            "beds": beds,
            "units": units,
            "from": valid_from.isoformat(),
        },
    )
    return capacity


def _steps(facility: Facility, bed_type: str) -> list[calc.CapacityStep]:
    return [
        calc.CapacityStep(c.valid_from, c.beds, c.units)
        for c in BedCapacity.objects.filter(facility=facility, bed_type=bed_type)
    ]


def _stays(facility: Facility, bed_type: str, start: dt.date, end: dt.date) -> list[calc.Stay]:
    """The stays that occupy a bed of this type on some day of [start, end)."""
    overlapping = Placement.objects.filter(
        Q(actual_end__isnull=True) | Q(actual_end__gt=start),
        facility=facility,
        bed_type=bed_type,
        start_date__lt=end,
    )
    return [calc.Stay(p.start_date, p.actual_end, p.beds) for p in overlapping]


# Placements --------------------------------------------------------------------------


@transaction.atomic
def placement_start(
    *,
    actor: Actor,
    facility: Facility,
    person: Person,
    bed_type: BedType | str,
    start_date: dt.date,
    planned_end: dt.date | None = None,
    members: Sequence[Person] = (),
    waiting_entry: WaitingListEntry | None = None,
) -> Placement:
    """Place a person (and the household members with them, a bed each) in a bed type of
    one of the organisation's facilities.

    Refused unless there is a free bed for each of them (and, where family units are
    counted, a free unit) on every day from the start to the planned end, which defaults
    to the 6-month norm. A crisis bed is the exception: a crisis placement is never turned
    away, it is marked as over capacity. The shelter organisation becomes involved with
    everybody placed, the placing professional personally, and the facility's address is
    recorded for each of them as a confidential stay address."""
    org = _require_manage(actor)
    _require_bed_type(bed_type)
    facility = Facility.objects.select_for_update().get(pk=facility.pk)  # one at a time
    _require_own(org, facility.organisation_id)
    if not facility.is_active:
        raise ValidationError(_("This facility is closed."))
    everyone = [person, *[m for m in members if m.pk != person.pk]]
    if len({p.pk for p in everyone}) != len(everyone):
        raise ValidationError(_("A household member is listed twice."))
    _require_visible(actor, everyone)
    planned_end = planned_end or calc.norm_date(start_date)
    if planned_end <= start_date:
        raise ValidationError(_("The planned end must be after the start."))
    for someone in everyone:
        if _stays_somewhere(someone, start_date, planned_end):
            raise ValidationError(
                _("Someone in this placement already has a placement in that period.")
            )
    if waiting_entry is not None:
        _require_own(org, waiting_entry.organisation_id)
        if waiting_entry.state != WaitingState.WAITING or waiting_entry.person_id != person.pk:
            raise ValidationError(_("This waiting list entry is not waiting for this person."))
        if start_date < waiting_entry.registered_on:
            raise ValidationError(_("A placement cannot start before the registration."))
    beds = len(everyone)
    steps = _steps(facility, bed_type)
    shortage = calc.first_shortage(
        steps,
        _stays(facility, bed_type, start_date, planned_end),
        start_date,
        planned_end,
        beds,
    )
    overflow = False
    if shortage is not None:
        on_start = calc.capacity_on(steps, start_date)
        has_crisis_beds = on_start is not None and on_start.beds > 0
        if bed_type != BedType.CRISIS or not has_crisis_beds:
            raise ValidationError(
                _("No free %(type)s bed at %(facility)s on %(day)s.")
                % {
                    "type": BedType(bed_type).label,
                    "facility": facility.name,
                    "day": shortage.strftime("%d-%m-%Y"),
                }
            )
        overflow = True
    placement = Placement.objects.create(
        facility=facility,
        person=person,
        bed_type=bed_type,
        beds=beds,
        start_date=start_date,
        planned_end=planned_end,
        overflow=overflow,
        placed_by=actor.user,
    )
    if len(everyone) > 1:
        placement.members.set(everyone[1:])
    if waiting_entry is not None:
        waiting_entry.state = WaitingState.PLACED
        waiting_entry.placement = placement
        waiting_entry.save(update_fields=["state", "placement", "updated_at"])
    _involve(
        actor,
        org,
        everyone,
        purpose=_("Shelter placement"),
        source_type="shelter.placement",
        source_id=placement.uuid.hex,
        personal=True,
    )
    if facility.has_address:
        for someone in everyone:
            address = Address(
                person=someone,
                kind=AddressKind.STAY,
                street=facility.street,
                house_number=facility.house_number or 0,
                postcode=facility.postcode,
                city=facility.city,
                municipality=facility.municipality,
                valid_from=start_date,
                is_confidential=True,
            )
            address.full_clean()
            address.save()
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        object_type="shelter.placement",
        object_id=placement.uuid.hex,
        person_ids=[p.pk for p in everyone],
        detail={
            "bed_type": str(bed_type),
            "beds": beds,
            "overflow": overflow,
            "from_waiting_list": waiting_entry is not None,
            "confidential_address": facility.has_address,
        },
    )
    return placement


def _stays_somewhere(person: Person, start: dt.date, end: dt.date) -> bool:
    """Whether the person (as resident or member) has a placement overlapping [start, end)."""
    return (
        Placement.objects.filter(Q(person=person) | Q(members=person))
        .filter(start_date__lt=end)
        .filter(Q(actual_end__isnull=True) | Q(actual_end__gt=start))
        .exists()
    )


@transaction.atomic
def placement_end(
    *,
    actor: Actor,
    placement: Placement,
    end_date: dt.date,
    reason: PlacementEndReason | str,
) -> Placement:
    """The stay ends on ``end_date`` (the bed is free that day). The confidential stay
    address ends the day before."""
    org = _require_manage(actor)
    placement = Placement.objects.select_for_update().get(pk=placement.pk)
    _require_own(org, placement.facility.organisation_id)
    if placement.actual_end is not None:
        raise ValidationError(_("This placement has already ended."))
    if end_date <= placement.start_date:
        raise ValidationError(_("A placement ends after the day it started."))
    if reason not in PlacementEndReason.values:
        raise ValidationError(_("Choose why the placement ends."))
    placement.actual_end = end_date
    placement.end_reason = reason
    placement.save(update_fields=["actual_end", "end_reason", "updated_at"])
    everyone = [placement.person, *placement.members.all()]
    facility = placement.facility
    if facility.has_address:
        Address.objects.filter(
            person__in=everyone,
            kind=AddressKind.STAY,
            is_confidential=True,
            street=facility.street,
            house_number=facility.house_number or 0,
            postcode=facility.postcode,
            valid_from=placement.start_date,
            valid_until__isnull=True,
        ).update(valid_until=end_date - dt.timedelta(days=1))
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        object_type="shelter.placement",
        object_id=placement.uuid.hex,
        person_ids=[p.pk for p in everyone],
        detail={"fields": ["actual_end", "end_reason"], "reason": str(reason)},
    )
    return placement


# The waiting list --------------------------------------------------------------------


@transaction.atomic
def waiting_list_add(
    *,
    actor: Actor,
    person: Person,
    bed_type: BedType | str,
    registered_on: dt.date,
    household_size: int = 1,
    facility: Facility | None = None,
) -> WaitingListEntry:
    org = _require_manage(actor)
    _require_bed_type(bed_type)
    if facility is not None:
        _require_own(org, facility.organisation_id)
    _require_visible(actor, [person])
    if household_size < 1:
        raise ValidationError(_("A household has at least one person."))
    if WaitingListEntry.objects.filter(
        organisation=org, person=person, state=WaitingState.WAITING
    ).exists():
        raise ValidationError(_("This person is already on the waiting list."))
    entry = WaitingListEntry.objects.create(
        organisation=org,
        facility=facility,
        person=person,
        household_size=household_size,
        bed_type=bed_type,
        registered_on=registered_on,
    )
    _involve(
        actor,
        org,
        [person],
        purpose=_("Shelter waiting list"),
        source_type="shelter.waitinglistentry",
        source_id=entry.uuid.hex,
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        object_type="shelter.waitinglistentry",
        object_id=entry.uuid.hex,
        person_ids=[person.pk],
        detail={"bed_type": str(bed_type), "household_size": household_size},
    )
    return entry


@transaction.atomic
def waiting_list_withdraw(
    *,
    actor: Actor,
    entry: WaitingListEntry,
    withdrawn_on: dt.date,
    reason: WithdrawalReason | str,
) -> WaitingListEntry:
    org = _require_manage(actor)
    entry = WaitingListEntry.objects.select_for_update().get(pk=entry.pk)
    _require_own(org, entry.organisation_id)
    if entry.state != WaitingState.WAITING:
        raise ValidationError(_("Only a waiting entry can be withdrawn."))
    if withdrawn_on < entry.registered_on:
        raise ValidationError(_("An entry cannot be withdrawn before it was registered."))
    if reason not in WithdrawalReason.values:
        raise ValidationError(_("Choose why the entry is withdrawn."))
    entry.state = WaitingState.WITHDRAWN
    entry.withdrawn_on = withdrawn_on
    entry.withdrawal_reason = reason
    entry.save(update_fields=["state", "withdrawn_on", "withdrawal_reason", "updated_at"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        object_type="shelter.waitinglistentry",
        object_id=entry.uuid.hex,
        person_ids=[entry.person_id],
        detail={"fields": ["state", "withdrawn_on"], "reason": str(reason)},
    )
    return entry


# Ambulant trajectories -----------------------------------------------------------------


def default_trajectory_end(kind: TrajectoryKind | str, start: dt.date) -> dt.date:
    if kind == TrajectoryKind.AMBULANT_SHORT:
        return start + dt.timedelta(weeks=AMBULANT_SHORT_WEEKS)
    return calc.add_months(start, AMBULANT_TEAM_MONTHS)


@transaction.atomic
def trajectory_start(
    *,
    actor: Actor,
    person: Person,
    kind: TrajectoryKind | str,
    start_date: dt.date,
    planned_end: dt.date | None = None,
) -> AmbulantTrajectory:
    org = _require_manage(actor)
    _require_visible(actor, [person])
    if kind not in TrajectoryKind.values:
        raise ValidationError(_("Choose the kind of ambulant help."))
    planned_end = planned_end or default_trajectory_end(kind, start_date)
    if planned_end <= start_date:
        raise ValidationError(_("The planned end must be after the start."))
    trajectory = AmbulantTrajectory.objects.create(
        organisation=org,
        person=person,
        kind=kind,
        start_date=start_date,
        planned_end=planned_end,
    )
    _involve(
        actor,
        org,
        [person],
        purpose=_("Ambulant help"),
        source_type="shelter.ambulanttrajectory",
        source_id=trajectory.uuid.hex,
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        object_type="shelter.ambulanttrajectory",
        object_id=trajectory.uuid.hex,
        person_ids=[person.pk],
        detail={"kind": str(kind)},
    )
    return trajectory


@transaction.atomic
def trajectory_end(
    *, actor: Actor, trajectory: AmbulantTrajectory, end_date: dt.date
) -> AmbulantTrajectory:
    org = _require_manage(actor)
    trajectory = AmbulantTrajectory.objects.select_for_update().get(pk=trajectory.pk)
    _require_own(org, trajectory.organisation_id)
    if trajectory.actual_end is not None:
        raise ValidationError(_("This trajectory has already ended."))
    if end_date < trajectory.start_date:
        raise ValidationError(_("A trajectory cannot end before it started."))
    trajectory.actual_end = end_date
    trajectory.save(update_fields=["actual_end"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        object_type="shelter.ambulanttrajectory",
        object_id=trajectory.uuid.hex,
        person_ids=[trajectory.person_id],
        detail={"fields": ["actual_end"]},
    )
    return trajectory
