"""Demo: about a dozen tijdelijke huisverboden across the Haaglanden municipalities, running,
extended and ended, with help and safety plans; recorded through the restraining services
by the demo's Veilig Thuis professional, for households Veilig Thuis is already involved
with. Synthetic data only; running it again adds nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ketenradar.access.models import Involvement
from ketenradar.accounts.actor import Actor
from ketenradar.accounts.constants import RoleCode
from ketenradar.accounts.models import Membership, User
from ketenradar.persons.constants import HouseholdRole
from ketenradar.persons.models import Household, Person
from ketenradar.regions.models import Municipality, Organisation, Region
from ketenradar.restraining import services
from ketenradar.restraining.constants import (
    Capacity,
    ExtensionOutcome,
    OrderStatus,
    PersonRole,
    RihgOutcome,
)
from ketenradar.restraining.models import RestrainingOrder

VEILIG_THUIS = "Veilig Thuis Haaglanden"
ADULT_ROLES = (HouseholdRole.PARENT, HouseholdRole.PARTNER)


@dataclass(frozen=True)
class Plan:
    days_ago: float  # when it was imposed
    extension: str = ""  # "", "verlengd" or "niet_verlengd" (decided on day 8)
    extended_days: int = 28  # the new total length when extended
    withdrawn: bool = False
    violation: bool = False


PLANS = [
    Plan(1.2),
    Plan(3.5, violation=True),
    Plan(5),
    Plan(7.2),  # day 8: the extension decision is due
    Plan(7.6),
    Plan(8.4),  # day 9: the advice is overdue
    Plan(12, extension=ExtensionOutcome.EXTENDED),
    Plan(20, extension=ExtensionOutcome.EXTENDED, extended_days=21),
    Plan(2.5, withdrawn=True),
    Plan(41, extension=ExtensionOutcome.NOT_EXTENDED),
    Plan(63),
    Plan(95, extension=ExtensionOutcome.EXTENDED, violation=True),
]
RIHG = [
    RihgOutcome.NO_OFFENCE_SERIOUS_THREAT,
    RihgOutcome.OFFENCE_VERY_SERIOUS_THREAT,
    RihgOutcome.NO_OFFENCE_SERIOUS_THREAT,
]


def _actor(user: User, organisation: Organisation) -> Actor:
    membership = Membership.objects.select_related("organisation__region", "role__group").get(
        user=user, organisation=organisation
    )
    return Actor(user=user, membership=membership)


def _households(vt: Organisation, count: int) -> list[tuple[Household, list[tuple[Person, str]]]]:
    """Households Veilig Thuis is involved with, with two adults (the first is removed)."""
    involved = Involvement.objects.active().filter(organisation=vt, user__isnull=True)
    found = []
    # one household at a time: a prefetch over every candidate of the full demo (thousands)
    # is more than SQLite's expression limit
    candidates = (
        Household.objects.filter(memberships__person__involvements__in=involved)
        .order_by("pk")
        .values_list("pk", flat=True)
        .distinct()
    )
    for household_pk in candidates.iterator():
        household = Household.objects.get(pk=household_pk)
        members = [(m.person, m.role) for m in household.memberships.select_related("person").all()]
        adults = [p for p, role in members if role in ADULT_ROLES]
        if len(adults) >= 2 and all(involved.filter(person=p).exists() for p, _role in members):
            found.append((household, members))
        if len(found) == count:
            break
    return found


def _municipality(person: Person, fallback: Municipality) -> Municipality:
    address = person.addresses.exclude(municipality=None).select_related("municipality").first()
    return address.municipality if address and address.municipality else fallback


def seed_restraining(
    *, region: Region, orgs: dict[str, Organisation], users: dict[str, User], now: dt.datetime
) -> int:
    """Record the demo orders; returns how many were made (0 when they exist already)."""
    if RestrainingOrder.objects.filter(region=region).exists():
        return 0
    vt = orgs[VEILIG_THUIS]
    actor = _actor(users[RoleCode.VT_PROFESSIONAL], vt)
    municipalities = list(Municipality.objects.filter(region=region).order_by("name"))
    helpers = [o for o in orgs.values() if o.type == "lokaal_team"] or [vt]
    made = 0
    for i, (plan, (_household, members)) in enumerate(
        zip(PLANS, _households(vt, len(PLANS)), strict=False)
    ):
        adults = [p for p, role in members if role in ADULT_ROLES]
        removed, remaining = adults[0], adults[1]
        persons = [(removed, PersonRole.REMOVED), (remaining, PersonRole.REMAINING)]
        persons += [(p, PersonRole.CHILD) for p, role in members if role == HouseholdRole.CHILD]
        persons += [
            (p, PersonRole.REMAINING)
            for p, role in members
            if role == HouseholdRole.OTHER or (role in ADULT_ROLES and p not in adults[:2])
        ]
        imposed_at = (now - dt.timedelta(days=plan.days_ago)).replace(second=0, microsecond=0)
        municipality = _municipality(removed, municipalities[i % len(municipalities)])
        by_mayor = i % 4 == 0
        order = services.order_register(
            actor=actor,
            municipality=municipality,
            imposed_at=imposed_at,
            imposed_by_capacity=Capacity.MAYOR if by_mayor else Capacity.AUXILIARY_PROSECUTOR,
            imposed_by_name=(
                f"De burgemeester van {municipality.name}"
                if by_mayor
                else "Hulpofficier van justitie, politie-eenheid Den Haag"
            ),
            rihg_outcome=RIHG[i % len(RIHG)],
            persons=persons,
        )
        day = dt.timedelta(days=1)
        if imposed_at + day <= now:
            services.help_start(
                actor=actor,
                order=order,
                organisation=helpers[i % len(helpers)],
                started_at=imposed_at + day,
                note="Gesprekken met uithuisgeplaatste en achterblijvers",
            )
        if imposed_at + 3 * day <= now:
            services.safety_plan_record(
                actor=actor,
                order=order,
                organisation=vt,
                made_at=imposed_at + 3 * day,
                summary=(
                    "Geen contact tijdens het huisverbod; hulp voor de uithuisgeplaatste via "
                    "de reclassering; school en huisarts letten op signalen."
                ),
            )
        if plan.violation:
            services.violation_record(
                actor=actor,
                order=order,
                occurred_at=imposed_at + 2 * day,
                description="Uithuisgeplaatste stond voor de deur en belde aan.",
                reported_to_police=True,
            )
        if plan.extension:
            services.extension_decide(
                actor=actor,
                order=order,
                outcome=ExtensionOutcome(plan.extension),
                decided_at=imposed_at + 7 * day + dt.timedelta(hours=4),
                decided_by_capacity=Capacity.MAYOR,
                decided_by_name=f"De burgemeester van {municipality.name}",
                new_end=(
                    imposed_at + plan.extended_days * day
                    if plan.extension == ExtensionOutcome.EXTENDED
                    else None
                ),
            )
            order.refresh_from_db()
        if plan.withdrawn:
            services.order_status_change(
                actor=actor,
                order=order,
                to=OrderStatus.WITHDRAWN,
                decided_by_capacity=Capacity.MAYOR,
                decided_by_name=f"De burgemeester van {municipality.name}",
                reason="Beide partners in hulpverlening; de burgemeester acht het gevaar geweken.",
            )
        elif order.ends_at <= now:
            services.order_status_change(actor=actor, order=order, to=OrderStatus.ENDED)
        made += 1
    return made
