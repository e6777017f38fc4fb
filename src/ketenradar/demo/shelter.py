"""The demo's shelters (seed 002, bijlage "Ambulante hulp en vrouwen/mannenopvang"):

- Den Haag (2018): 81 beds, of which 44 regular (incl. families), 19 young mothers,
  2 observation places for young mothers, 7 emergency/crisis beds, 2 elderly, 7 men;
- the Delft region: 11 family systems with 23 beds in all, 4 crisis beds, and 20 ambulant
  trajectories a year.

The demo has one shelter organisation (Leger des Heils); it runs all of them. A year of
placements is replayed day by day through the shelter services as the demo's shelter intake:
whoever finds no free bed goes on the waiting list and is placed from it when a bed frees
up; some stays run past the 6-month norm. All people are synthetic (Faker ``nl_NL``)."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from faker import Faker

from ketenradar.access.constants import InvolvementKind
from ketenradar.access.models import Involvement
from ketenradar.accounts.actor import Actor
from ketenradar.accounts.constants import RoleCode
from ketenradar.accounts.models import Membership, User
from ketenradar.persons import services as persons
from ketenradar.persons.constants import Confidentiality
from ketenradar.persons.models import Person
from ketenradar.regions.models import Organisation, Region
from ketenradar.shelter import services
from ketenradar.shelter.constants import (
    BedType,
    PlacementEndReason,
    TrajectoryKind,
    WithdrawalReason,
)
from ketenradar.shelter.models import Facility, Placement, WaitingListEntry

SHELTER_ORGANISATION = "Leger des Heils"
SEED = 20260002
CAPACITY_FROM = dt.date(2018, 1, 1)  # the figures are Den Haag's of 2018
DEN_HAAG, DELFT = "GM0518", "GM0503"


@dataclass(frozen=True)
class FacilitySpec:
    name: str
    municipality: str
    street: str
    house_number: int
    postcode: str
    city: str
    beds: dict[str, tuple[int, int | None]]  # bed type: (beds, family units)


FACILITIES = [
    FacilitySpec(
        "Vrouwenopvang Den Haag",
        DEN_HAAG,
        "Beschermde Hof",
        1,
        "2500AA",
        "Den Haag",
        {
            BedType.REGULAR: (44, None),
            BedType.YOUNG_MOTHERS: (19, None),
            BedType.OBSERVATION: (2, None),
            BedType.CRISIS: (7, None),
            BedType.ELDERLY: (2, None),
        },
    ),
    FacilitySpec(
        "Mannenopvang Den Haag",
        DEN_HAAG,
        "Beschermde Hof",
        2,
        "2500AA",
        "Den Haag",
        {BedType.MEN: (7, None)},
    ),
    FacilitySpec(
        "Opvang Delft",
        DELFT,
        "Veilige Gracht",
        1,
        "2600AA",
        "Delft",
        {BedType.FAMILY: (23, 11), BedType.CRISIS: (4, None)},
    ),
]
AMBULANT_PER_YEAR = 20  # the Delft region
DAYS = 365
# The mean stay aimed at, and the share of beds taken when the year begins.
MEAN_STAY = 110
CRISIS_MEAN_STAY = 21
START_OCCUPANCY = 0.7
ARRIVAL_LOAD = 0.95  # arrivals per day as a share of beds / mean stay


@dataclass
class _Stay:
    facility: Facility
    bed_type: str
    household: int
    start: dt.date
    end: dt.date  # the day of leaving (may lie after today: still staying)


@dataclass
class _Replay:
    actor: Actor
    today: dt.date
    rng: random.Random
    fake: Faker
    known: list[Person]  # population persons the shelter already knows
    capacity: dict[tuple[int, str], tuple[int, int | None]] = field(default_factory=dict)
    open: list[tuple[Placement, dt.date]] = field(default_factory=list)
    waiting: list[tuple[WaitingListEntry, _Stay]] = field(default_factory=list)

    def person(self, *, sex: str = "v") -> Person:
        """An adult resident: a population person the shelter knows, or a new one."""
        for i, known in enumerate(self.known):
            if known.sex == sex:
                return self.known.pop(i)
        first = self.fake.first_name_female() if sex == "v" else self.fake.first_name_male()
        age = self.rng.randint(20, 55) if sex == "v" else self.rng.randint(20, 70)
        return self._new(first, self.fake.last_name(), self.today.year - age, sex)

    def child(self, parent: Person) -> Person:
        sex = self.rng.choice(["v", "m"])
        first = self.fake.first_name_female() if sex == "v" else self.fake.first_name_male()
        age = self.rng.randint(0, 15)
        return self._new(first, parent.surname, self.today.year - age, sex, parent.surname_prefix)

    def _new(self, first: str, surname: str, year: int, sex: str, prefix: str = "") -> Person:
        return persons.person_create(
            actor=self.actor,
            involvement_kind=InvolvementKind.PLACEMENT,
            purpose="Aanmelding opvang",
            given_names=first,
            surname_prefix=prefix,
            surname=surname,
            birth_year=year,
            birth_month=self.rng.randint(1, 12),
            birth_day=self.rng.randint(1, 28),
            sex=sex,
            no_bsn_reason="onbekend",
        )

    def full(self, stay: _Stay) -> bool:
        """Whether the bed type has no room for the household today (the service's own
        check, kept here so that the replay does not ask for a bed it cannot have)."""
        key = (stay.facility.pk, stay.bed_type)
        present = [p for p, _end in self.open if (p.facility_id, p.bed_type) == key]
        beds, units = self.capacity[key]
        if units is not None and len(present) >= units:
            return True
        return sum(p.beds for p in present) + stay.household > beds

    def arrive(self, stay: _Stay) -> None:
        """Placed when there is room; otherwise on the waiting list. Crisis is never kept
        waiting: referred to a crisis bed elsewhere, now and then taken in anyway."""
        if self.full(stay):
            if stay.bed_type != BedType.CRISIS:
                entry = services.waiting_list_add(
                    actor=self.actor,
                    person=self.person(sex=_sex(stay.bed_type)),
                    bed_type=stay.bed_type,
                    registered_on=stay.start,
                    household_size=stay.household,
                    facility=stay.facility,
                )
                self.waiting.append((entry, stay))
                return
            if self.rng.random() > 0.1:
                return
        self.place(stay, self.person(sex=_sex(stay.bed_type)))

    def place(self, stay: _Stay, person: Person, entry: WaitingListEntry | None = None) -> None:
        placement = services.placement_start(
            actor=self.actor,
            facility=stay.facility,
            person=person,
            members=[self.child(person) for _ in range(stay.household - 1)],
            bed_type=stay.bed_type,
            start_date=stay.start,
            waiting_entry=entry,
        )
        self.open.append((placement, stay.end))

    def leave(self, day: dt.date) -> set[tuple[int, str]]:
        """End today's stays; the (facility, bed type) pairs where a bed came free."""
        leaving = [(p, end) for p, end in self.open if end == day]
        for placement, _end in leaving:
            services.placement_end(
                actor=self.actor,
                placement=placement,
                end_date=day,
                reason=self.rng.choice(list(PlacementEndReason)),
            )
        self.open = [(p, end) for p, end in self.open if end != day]
        return {(p.facility_id, p.bed_type) for p, _end in leaving}

    def from_waiting_list(self, day: dt.date, freed: set[tuple[int, str]]) -> None:
        """Place the longest waiting where a bed came free; now and then someone who has
        waited long withdraws."""
        still = []
        for entry, stay in self.waiting:
            waited = (day - entry.registered_on).days
            if waited > 120 and self.rng.random() < 0.02:
                services.waiting_list_withdraw(
                    actor=self.actor,
                    entry=entry,
                    withdrawn_on=day,
                    reason=self.rng.choice(list(WithdrawalReason)),
                )
                continue
            if waited > 0 and (stay.facility.pk, stay.bed_type) in freed:
                end = day + _length(self, stay.bed_type)
                moved = _Stay(stay.facility, stay.bed_type, stay.household, day, end)
                if not self.full(moved):
                    self.place(moved, entry.person, entry)
                    continue
            still.append((entry, stay))
        self.waiting = still


def _sex(bed_type: str) -> str:
    return "m" if bed_type == BedType.MEN else "v"


def _mean_stay(bed_type: str) -> int:
    return CRISIS_MEAN_STAY if bed_type == BedType.CRISIS else MEAN_STAY


def _length(replay: _Replay, bed_type: str) -> dt.timedelta:
    """Crisis stays last days to weeks. Other stays are mostly short; about one in eight
    runs past the 6-month norm."""
    if bed_type == BedType.CRISIS:
        return dt.timedelta(days=replay.rng.randint(3, 40))
    draw = replay.rng.random()
    if draw < 0.12:
        return dt.timedelta(days=replay.rng.randint(190, 270))
    if draw < 0.3:
        return dt.timedelta(days=replay.rng.randint(140, 183))
    return dt.timedelta(days=replay.rng.randint(14, 140))


def _household(replay: _Replay, bed_type: str) -> int:
    if bed_type == BedType.FAMILY:
        return replay.rng.choice([2, 2, 3])
    if bed_type == BedType.YOUNG_MOTHERS:
        return replay.rng.choice([1, 2])
    return 1


def _shelter_actor(users: dict[str, User]) -> Actor:
    user = users[RoleCode.SHELTER_INTAKE]
    return Actor(
        user=user,
        membership=Membership.objects.select_related("organisation__region", "role__group").get(
            user=user
        ),
    )


def seed_shelter(
    *,
    region: Region,
    orgs: dict[str, Organisation],
    users: dict[str, User],
    now: dt.datetime,
) -> str:
    """Facilities and beds as in seed 002, a year of placements, a waiting list and the
    Delft region's ambulant trajectories. Nothing happens when the facilities exist."""
    organisation = orgs[SHELTER_ORGANISATION]
    if Facility.objects.filter(organisation=organisation).exists():
        return "Demo shelters already present: nothing to add."
    actor = _shelter_actor(users)
    rng = random.Random(SEED)  # noqa: S311 - synthetic demo data, not security
    fake = Faker("nl_NL")
    fake.seed_instance(SEED)
    today = timezone.localdate(now)
    municipalities = {m.cbs_code: m for m in region.municipalities.all()}
    known = list(
        Person.objects.filter(
            pk__in=Involvement.objects.active()
            .filter(organisation=organisation, user__isnull=True)
            .values("person_id"),
            confidentiality=Confidentiality.STANDARD,
            birth_year__lte=today.year - 18,
        ).order_by("-pk")
    )
    with transaction.atomic():
        facilities = []
        for spec in FACILITIES:
            facility = services.facility_create(
                actor=actor,
                name=spec.name,
                municipality=municipalities[spec.municipality],
                street=spec.street,
                house_number=spec.house_number,
                postcode=spec.postcode,
                city=spec.city,
            )
            for bed_type, (beds, units) in spec.beds.items():
                services.capacity_set(
                    actor=actor,
                    facility=facility,
                    bed_type=bed_type,
                    beds=beds,
                    units=units,
                    valid_from=CAPACITY_FROM,
                )
            facilities.append((facility, spec))
        replay = _Replay(actor=actor, today=today, rng=rng, fake=fake, known=known)
        replay.capacity = {
            (facility.pk, bed_type): places
            for facility, spec in facilities
            for bed_type, places in spec.beds.items()
        }
        first_day = today - dt.timedelta(days=DAYS)
        arrivals: dict[dt.date, list[_Stay]] = defaultdict(list)
        for facility, spec in facilities:
            for bed_type, (beds, _units) in spec.beds.items():
                per_bed = 1 if bed_type != BedType.FAMILY else 2.3
                # residents when the year begins, arrived in the months before
                for _ in range(round(beds / per_bed * START_OCCUPANCY)):
                    start = first_day - dt.timedelta(days=rng.randint(1, 150))
                    stay = _Stay(facility, bed_type, _household(replay, bed_type), start, start)
                    stay.end = max(
                        start + _length(replay, bed_type), first_day + dt.timedelta(days=1)
                    )
                    arrivals[start].append(stay)
                rate = ARRIVAL_LOAD * beds / per_bed / _mean_stay(bed_type)
                for offset in range(DAYS + 1):
                    day = first_day + dt.timedelta(days=offset)
                    count = int(rate) + (1 if rng.random() < rate - int(rate) else 0)
                    for _ in range(count):
                        stay = _Stay(facility, bed_type, _household(replay, bed_type), day, day)
                        stay.end = day + _length(replay, bed_type)
                        arrivals[day].append(stay)
        days = sorted(set(arrivals) | {first_day + dt.timedelta(days=i) for i in range(DAYS + 1)})
        for day in days:
            freed = replay.leave(day)
            if replay.waiting:
                replay.from_waiting_list(day, freed)
            for stay in arrivals.get(day, []):
                replay.arrive(stay)
        # the ambulant trajectories of the Delft region: 20 a year
        for i in range(AMBULANT_PER_YEAR):
            start = first_day + dt.timedelta(days=round(i * DAYS / AMBULANT_PER_YEAR))
            kind = TrajectoryKind.AMBULANT_TEAM if i % 4 == 0 else TrajectoryKind.AMBULANT_SHORT
            trajectory = services.trajectory_start(
                actor=actor,
                person=replay.person(sex=rng.choice(["v", "v", "m"])),
                kind=kind,
                start_date=start,
            )
            if trajectory.planned_end <= today:
                services.trajectory_end(
                    actor=actor, trajectory=trajectory, end_date=trajectory.planned_end
                )
    placed = Placement.objects.filter(facility__organisation=organisation).count()
    waiting = WaitingListEntry.objects.filter(organisation=organisation, state="wachtend").count()
    return (
        f"Demo shelters: {len(facilities)} facilities, {placed} placements, "
        f"{waiting} on the waiting list, {AMBULANT_PER_YEAR} ambulant trajectories."
    )
