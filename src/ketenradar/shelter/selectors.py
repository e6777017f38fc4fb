"""Reads of the shelter, for the actor.

Two kinds: the shelter organisation's own work (placements, waiting list, trajectories),
which holds client data, shows a person's name only where need-to-know allows it and logs
every person shown; and aggregates per day, facility and bed type (occupancy, waiting
times, the 6-month norm), which hold no client data and serve the region (free beds for
placing, the regional monitor)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ketenradar.access import policy
from ketenradar.accounts.actor import Actor
from ketenradar.audit import services as audit
from ketenradar.audit.constants import AuditAction
from ketenradar.core import timeline
from ketenradar.core.notices import Notice, severity_for
from ketenradar.persons.models import Person
from ketenradar.regions.constants import OrganisationType
from ketenradar.regions.models import Organisation, Region
from ketenradar.shelter import calculations as calc
from ketenradar.shelter.constants import NORM_WARNING_DAYS, BedType, WaitingState
from ketenradar.shelter.models import (
    AmbulantTrajectory,
    BedCapacity,
    Facility,
    Placement,
    WaitingListEntry,
)

VIEW = "shelter.view_shelter"
FREE_CAPACITY = "shelter.view_free_capacity"
VIEW_REGION = "regions.view_region"
BED_TYPE_ORDER = {value: i for i, value in enumerate(BedType.values)}


# The own organisation's work ------------------------------------------------------------


def own_organisation(actor: Actor) -> Organisation:
    """The shelter organisation whose work the actor may see."""
    org = actor.organisation
    if not actor.has_perm(VIEW) or org is None or org.type != OrganisationType.SHELTER:
        raise PermissionDenied(VIEW)
    return org


def _refuse(
    actor: Actor,
    object_type: str,
    object_id: str,
    person_ids: Sequence[int],
    reason: str = "not this shelter organisation's own",
    action: AuditAction = AuditAction.READ,
) -> None:
    audit.record_denied(
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
        person_ids=list(person_ids) or [None],
        reason=reason,
    )
    raise PermissionDenied(VIEW)


def _visible_ids(actor: Actor, person_ids: Iterable[int]) -> set[int]:
    ids = set(person_ids)
    if not ids:
        return set()
    return set(
        policy.visible_persons(actor, Person.objects.filter(pk__in=ids)).values_list(
            "pk", flat=True
        )
    )


def _log_shown(actor: Actor, object_type: str, person_ids: Iterable[int]) -> None:
    shown = sorted(set(person_ids))
    if not shown:
        return
    glass = policy.break_glass_only(actor, shown)
    with transaction.atomic():
        for flagged in (False, True):
            ids = [i for i in shown if (i in glass) == flagged]
            if ids:
                audit.record(
                    actor=actor,
                    action=AuditAction.LIST,
                    object_type=object_type,
                    person_ids=ids,
                    break_glass=flagged,
                )


def facilities(*, actor: Actor) -> QuerySet[Facility]:
    return Facility.objects.filter(organisation=own_organisation(actor)).select_related(
        "municipality"
    )


def facility_get(*, actor: Actor, facility_uuid: uuid.UUID | str) -> Facility:
    facility = Facility.objects.filter(uuid=facility_uuid).select_related("municipality").first()
    if facility is None:
        raise Http404
    org = actor.organisation
    if not actor.has_perm(VIEW) or org is None or facility.organisation_id != org.pk:
        _refuse(actor, "shelter.facility", facility.uuid.hex, [])
    return facility


@dataclass
class PlacementRow:
    placement: Placement
    person: Person | None  # None: the actor may not see who it is
    members_shown: int  # household members placed along, by number only
    days_stayed: int
    norm_date: dt.date
    over_norm: bool

    @property
    def overdue(self) -> bool:
        """Still staying after the planned end."""
        return self.placement.actual_end is None and self.placement.planned_end < self.today

    today: dt.date = dt.date.min


def _row(placement: Placement, visible: set[int], today: dt.date) -> PlacementRow:
    return PlacementRow(
        placement=placement,
        person=placement.person if placement.person_id in visible else None,
        members_shown=placement.beds - 1,
        days_stayed=calc.days_stayed(placement.start_date, placement.actual_end, today),
        norm_date=calc.norm_date(placement.start_date),
        over_norm=calc.over_norm(placement.start_date, placement.actual_end, today),
        today=today,
    )


def placements(*, actor: Actor, today: dt.date, include_ended: bool = False) -> list[PlacementRow]:
    """The organisation's placements, current ones (or all), newest first. A name is shown
    only for persons the actor may see; each person shown is logged."""
    org = own_organisation(actor)
    queryset = Placement.objects.filter(facility__organisation=org).select_related(
        "facility", "person"
    )
    if not include_ended:
        queryset = queryset.filter(Q(actual_end__isnull=True) | Q(actual_end__gt=today))
    rows = list(queryset.order_by("-start_date", "pk"))
    visible = _visible_ids(actor, (p.person_id for p in rows))
    _log_shown(actor, "shelter.placement", visible)
    return [_row(p, visible, today) for p in rows]


@dataclass
class PlacementDetail:
    row: PlacementRow
    members: list[Person]  # the household members the actor may see
    hidden_members: int


def placement_get(
    *, actor: Actor, placement_uuid: uuid.UUID | str, action: AuditAction = AuditAction.READ
) -> Placement:
    """The placement, the own organisation's only; a refusal is logged as ``action`` (the
    write attempted, or a read)."""
    placement = Placement.objects.filter(uuid=placement_uuid).select_related("facility").first()
    if placement is None:
        raise Http404
    org = actor.organisation
    if not actor.has_perm(VIEW) or org is None or placement.facility.organisation_id != org.pk:
        person_ids = [placement.person_id, *placement.members.values_list("pk", flat=True)]
        _refuse(actor, "shelter.placement", placement.uuid.hex, person_ids, action=action)
    return placement


def placement_detail(
    *, actor: Actor, placement_uuid: uuid.UUID | str, today: dt.date
) -> PlacementDetail:
    placement = placement_get(actor=actor, placement_uuid=placement_uuid)
    members = list(placement.members.all())
    everyone = [placement.person_id, *[m.pk for m in members]]
    visible = _visible_ids(actor, everyone)
    shown = [i for i in everyone if i in visible]
    with transaction.atomic():
        audit.record(
            actor=actor,
            action=AuditAction.READ,
            object_type="shelter.placement",
            object_id=placement.uuid.hex,
            person_ids=everyone,
            detail={"names_shown": len(shown)},
        )
    return PlacementDetail(
        row=_row(placement, visible, today),
        members=[m for m in members if m.pk in visible],
        hidden_members=len([m for m in members if m.pk not in visible]),
    )


@dataclass
class WaitingRow:
    entry: WaitingListEntry
    person: Person | None
    waiting_days: int


def waiting_list(*, actor: Actor, today: dt.date) -> list[WaitingRow]:
    """Who is waiting now, longest first, with how long they have waited."""
    org = own_organisation(actor)
    entries = list(
        WaitingListEntry.objects.filter(organisation=org, state=WaitingState.WAITING)
        .select_related("person", "facility")
        .order_by("registered_on", "pk")
    )
    visible = _visible_ids(actor, (e.person_id for e in entries))
    _log_shown(actor, "shelter.waitinglistentry", visible)
    return [
        WaitingRow(
            entry=e,
            person=e.person if e.person_id in visible else None,
            waiting_days=max(0, (today - e.registered_on).days),
        )
        for e in entries
    ]


def waiting_entry_get(
    *, actor: Actor, entry_uuid: uuid.UUID | str, action: AuditAction = AuditAction.READ
) -> WaitingListEntry:
    """A waiting list entry of the own organisation whose person the actor may see; a
    refusal is logged as ``action`` (the write attempted, or a read)."""
    entry = WaitingListEntry.objects.filter(uuid=entry_uuid).select_related("person").first()
    if entry is None:
        raise Http404
    org = actor.organisation
    if not actor.has_perm(VIEW) or org is None or entry.organisation_id != org.pk:
        _refuse(actor, "shelter.waitinglistentry", entry.uuid.hex, [entry.person_id], action=action)
    if not policy.decide_person(actor, entry.person).allowed:
        _refuse(
            actor,
            "shelter.waitinglistentry",
            entry.uuid.hex,
            [entry.person_id],
            reason="no involvement with this person",
            action=action,
        )
    with transaction.atomic():
        audit.record(
            actor=actor,
            action=AuditAction.READ,
            object_type="shelter.waitinglistentry",
            object_id=entry.uuid.hex,
            person_ids=[entry.person_id],
        )
    return entry


@dataclass
class TrajectoryRow:
    trajectory: AmbulantTrajectory
    person: Person | None


def trajectories(*, actor: Actor, include_ended: bool = True) -> list[TrajectoryRow]:
    org = own_organisation(actor)
    queryset = AmbulantTrajectory.objects.filter(organisation=org).select_related("person")
    if not include_ended:
        queryset = queryset.filter(actual_end__isnull=True)
    rows = list(queryset.order_by("-start_date", "pk"))
    visible = _visible_ids(actor, (t.person_id for t in rows))
    _log_shown(actor, "shelter.ambulanttrajectory", visible)
    return [TrajectoryRow(t, t.person if t.person_id in visible else None) for t in rows]


def trajectory_get(
    *, actor: Actor, trajectory_uuid: uuid.UUID | str, action: AuditAction = AuditAction.READ
) -> AmbulantTrajectory:
    trajectory = AmbulantTrajectory.objects.filter(uuid=trajectory_uuid).first()
    if trajectory is None:
        raise Http404
    org = actor.organisation
    if not actor.has_perm(VIEW) or org is None or trajectory.organisation_id != org.pk:
        _refuse(
            actor,
            "shelter.ambulanttrajectory",
            trajectory.uuid.hex,
            [trajectory.person_id],
            action=action,
        )
    return trajectory


def placeable_persons(*, actor: Actor) -> QuerySet[Person]:
    """The persons the actor may choose in a form: those they may see. The form that shows
    them logs them (``log_choices``)."""
    own_organisation(actor)
    return policy.visible_persons(actor, Person.objects.all()).order_by("surname", "given_names")


def log_choices(*, actor: Actor, persons: Iterable[Person]) -> None:
    _log_shown(actor, "shelter.personchoice", (p.pk for p in persons))


# Aggregates: no client data ---------------------------------------------------------------


def _scope(
    actor: Actor, organisation: Organisation | None, region: Region | None
) -> QuerySet[Facility]:
    """The facilities whose counts the actor may see: the own shelter organisation's (with
    ``shelter.view_shelter``), or any of the actor's own region (with
    ``shelter.view_free_capacity`` or ``regions.view_region``)."""
    regional = actor.has_perm(FREE_CAPACITY) or actor.has_perm(VIEW_REGION)
    if organisation is not None:
        own = actor.has_perm(VIEW) and actor.organisation == organisation
        in_region = actor.region is not None and organisation.region_id == actor.region.pk
        if not (own or (regional and in_region)):
            raise PermissionDenied("not this organisation's shelter figures")
        return Facility.objects.filter(organisation=organisation)
    region = region or actor.region
    if region is None or actor.region != region or not (regional or actor.has_perm(VIEW)):
        raise PermissionDenied("not this region's shelter figures")
    return Facility.objects.filter(organisation__region=region)


@dataclass(frozen=True)
class OccupancyRow:
    facility: str  # the facility's name
    facility_uuid: uuid.UUID
    organisation: str
    bed_type: str
    occupancy: calc.DayOccupancy

    @property
    def bed_type_label(self) -> str:
        return str(BedType(self.bed_type).label)


def _occupancy(facility_qs: QuerySet[Facility], start: dt.date, end: dt.date) -> list[OccupancyRow]:
    facility_list = list(facility_qs.select_related("organisation"))
    steps: dict[tuple[int, str], list[calc.CapacityStep]] = defaultdict(list)
    for c in BedCapacity.objects.filter(facility__in=facility_list, valid_from__lte=end):
        steps[(c.facility_id, c.bed_type)].append(calc.CapacityStep(c.valid_from, c.beds, c.units))
    stays: dict[tuple[int, str], list[calc.Stay]] = defaultdict(list)
    overlapping = Placement.objects.filter(
        Q(actual_end__isnull=True) | Q(actual_end__gt=start),
        facility__in=facility_list,
        start_date__lte=end,
    )
    for p in overlapping:
        stays[(p.facility_id, p.bed_type)].append(calc.Stay(p.start_date, p.actual_end, p.beds))
    keys = sorted(
        set(steps) | set(stays),
        key=lambda k: (next(f.name for f in facility_list if f.pk == k[0]), BED_TYPE_ORDER[k[1]]),
    )
    by_pk = {f.pk: f for f in facility_list}
    rows = []
    for day in calc.days(start, end):
        for facility_pk, bed_type in keys:
            facility = by_pk[facility_pk]
            rows.append(
                OccupancyRow(
                    facility=facility.name,
                    facility_uuid=facility.uuid,
                    organisation=facility.organisation.name,
                    bed_type=bed_type,
                    occupancy=calc.occupancy(
                        steps[(facility_pk, bed_type)], stays[(facility_pk, bed_type)], day
                    ),
                )
            )
    return rows


def occupancy_per_day(
    *,
    actor: Actor,
    start: dt.date,
    end: dt.date,
    organisation: Organisation | None = None,
    region: Region | None = None,
) -> list[OccupancyRow]:
    """Per day from ``start`` to ``end`` (both included), per facility and bed type: the
    capacity of that day, the beds occupied (occupied on the start day, free on the end
    day), free, over capacity and the occupancy rate. Counts only."""
    if end < start:
        raise ValueError("end before start")
    return _occupancy(_scope(actor, organisation, region), start, end)


def free_capacity(*, actor: Actor, today: dt.date) -> list[OccupancyRow]:
    """Today's free beds of every facility in the actor's region: counts, no persons, no
    addresses (for placing someone)."""
    if not actor.has_perm(FREE_CAPACITY):
        raise PermissionDenied(FREE_CAPACITY)
    return _occupancy(_scope(actor, None, None).filter(is_active=True), today, today)


def waiting_times(
    *,
    actor: Actor,
    start: dt.date,
    end: dt.date,
    organisation: Organisation | None = None,
    region: Region | None = None,
) -> calc.WaitingTimes:
    """Placed from the waiting list between ``start`` and ``end``: how many, and the mean
    and median days waited; still waiting on ``end``: how many, their mean and longest
    wait so far. Counts only."""
    facility_qs = _scope(actor, organisation, region)
    orgs = (
        Organisation.objects.filter(pk__in=facility_qs.values("organisation"))
        if organisation is None
        else Organisation.objects.filter(pk=organisation.pk)
    )
    entries = WaitingListEntry.objects.filter(organisation__in=orgs).select_related("placement")
    return calc.waiting_times(
        (
            calc.Wait(
                registered_on=e.registered_on,
                placed_on=e.placement.start_date if e.placement else None,
                withdrawn_on=e.withdrawn_on,
            )
            for e in entries
        ),
        start,
        end,
    )


@dataclass(frozen=True)
class NormSummary:
    ended: int  # placements that ended within the period
    ended_over_norm: int  # of which the stay lasted longer than 6 months
    staying: int  # still staying on the last day
    staying_over_norm: int  # of which the stay so far is longer than 6 months


def norm_summary(
    *,
    actor: Actor,
    start: dt.date,
    end: dt.date,
    organisation: Organisation | None = None,
    region: Region | None = None,
) -> NormSummary:
    """Stays against the 6-month norm. Counts only."""
    relevant = Placement.objects.filter(
        facility__in=_scope(actor, organisation, region), start_date__lte=end
    )
    ended = [p for p in relevant if p.actual_end is not None and start <= p.actual_end <= end]
    staying = [p for p in relevant if p.occupies(end)]
    return NormSummary(
        ended=len(ended),
        ended_over_norm=sum(calc.over_norm(p.start_date, p.actual_end, end) for p in ended),
        staying=len(staying),
        staying_over_norm=sum(calc.over_norm(p.start_date, None, end) for p in staying),
    )


# Notices ------------------------------------------------------------------------------------


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def notices_for(*, actor: Actor, now: dt.datetime) -> list[Notice]:
    """For the shelter organisation's staff: placements past their planned end that have
    not ended (overdue), and placements reaching the 6-month norm within 14 days (due).
    The title names the facility and a short placement number, never a person."""
    org = actor.organisation
    if not actor.has_perm(VIEW) or org is None:
        return []
    today = timezone.localtime(now).date()
    soon = dt.timedelta(days=NORM_WARNING_DAYS)
    notices = []
    for p in Placement.objects.filter(
        facility__organisation=org, actual_end__isnull=True, start_date__lte=today
    ).select_related("facility"):
        url = reverse("shelter:placement_detail", kwargs={"uuid": p.uuid})
        ref = f"{p.facility.name}, {p.uuid.hex[:8]}"
        if p.planned_end < today:
            notices.append(
                Notice(
                    kind="shelter_placement_overdue",
                    title=_("Placement past its planned end (%(ref)s)") % {"ref": ref},
                    due_at=_start_of(p.planned_end),
                    url=url,
                    severity=severity_for(_start_of(p.planned_end), now, soon=soon),
                )
            )
        norm = calc.norm_date(p.start_date)
        if today <= norm <= today + soon:
            notices.append(
                Notice(
                    kind="shelter_norm_due",
                    title=_("Placement reaches the 6-month norm (%(ref)s)") % {"ref": ref},
                    due_at=_start_of(norm),
                    url=url,
                    severity=severity_for(_start_of(norm), _start_of(today), soon=soon),
                )
            )
    return sorted(notices, key=lambda n: n.due_at)


def timeline_for(*, actor: Actor, person: Person) -> list[timeline.Entry]:
    """The person's placements (as the one placed or as a member) at the actor's own
    shelter organisation; no other organisation learns where someone stayed."""
    if not actor.has_perm(VIEW) or actor.organisation is None:
        return []
    placed = (
        Placement.objects.filter(facility__organisation=actor.organisation)
        .filter(Q(person=person) | Q(members=person))
        .select_related("facility")
        .distinct()
        .order_by("start_date")
    )
    return [
        timeline.Entry(
            kind="placement",
            label=_("Shelter placement"),
            title=placement.facility.name,
            started=placement.start_date,
            ended=placement.actual_end,
            status=placement.get_bed_type_display(),
            organisation=actor.organisation.name,
            url=reverse("shelter:placement_detail", args=[placement.uuid]),
        )
        for placement in placed
    ]
