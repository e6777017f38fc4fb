"""A household in Haaglanden (a father, a mother, a child) that Veilig Thuis is involved
with, and a clock frozen before the world is made (so every involvement is already active
at the frozen moment)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import translation

import pytest

from ketenradar.accounts.actor import Actor
from ketenradar.accounts.constants import RoleCode
from ketenradar.conftest import World
from ketenradar.core.tests.factories import (
    HouseholdFactory,
    HouseholdMembershipFactory,
    InvolvementFactory,
    MunicipalityFactory,
    PersonFactory,
)
from ketenradar.persons.models import Household, Person
from ketenradar.regions.models import Municipality, Subregion
from ketenradar.restraining import services
from ketenradar.restraining.constants import Capacity, PersonRole, RihgOutcome
from ketenradar.restraining.models import RestrainingOrder

AMS = ZoneInfo("Europe/Amsterdam")
# A Monday at 14:00, well clear of summer-time changes and the turn of the year.
T0 = dt.datetime(2026, 11, 2, 14, 0, tzinfo=AMS)


@pytest.fixture(autouse=True)
def english() -> Any:
    """The services' messages in English, as written in the code (the screens are Dutch)."""
    with translation.override("en"):
        yield


@pytest.fixture
def frozen(time_machine: Any) -> Any:
    time_machine.move_to(T0, tick=False)
    return time_machine


@dataclass
class Family:
    world: World
    vt: Actor  # a Veilig Thuis professional, involved with the household organisation-wide
    household: Household
    father: Person
    mother: Person
    child: Person
    den_haag: Municipality
    delft: Municipality

    def persons(self) -> list[tuple[Person, PersonRole]]:
        return [
            (self.father, PersonRole.REMOVED),
            (self.mother, PersonRole.REMAINING),
            (self.child, PersonRole.CHILD),
        ]

    def register(self, imposed_at: dt.datetime = T0, **overrides: Any) -> RestrainingOrder:
        kwargs: dict[str, Any] = {
            "actor": self.vt,
            "municipality": self.den_haag,
            "imposed_at": imposed_at,
            "imposed_by_capacity": Capacity.AUXILIARY_PROSECUTOR,
            "imposed_by_name": "J. de Vries, hulpofficier van justitie",
            "rihg_outcome": RihgOutcome.NO_OFFENCE_SERIOUS_THREAT,
            "persons": self.persons(),
            **overrides,
        }
        return services.order_register(**kwargs)


@pytest.fixture
def family(frozen: Any, world: World) -> Family:
    vt = world.actor(RoleCode.VT_PROFESSIONAL, "same_org")  # no personal involvement
    assert vt.organisation is not None
    household = HouseholdFactory(label="Huishouden De Boer")
    father = PersonFactory(given_names="Kees", surname="de Boer", birth_year=1980)
    mother = PersonFactory(given_names="Anna", surname="de Boer", birth_year=1982)
    child = PersonFactory(given_names="Lotte", surname="de Boer", birth_year=2016)
    for person, role in ((father, "ouder"), (mother, "ouder"), (child, "kind")):
        HouseholdMembershipFactory(household=household, person=person, role=role)
        InvolvementFactory(person=person, organisation=vt.organisation)
    subregion = Subregion.objects.create(region=world.region, name="Den Haag")
    den_haag = Municipality.objects.get(cbs_code="GM0518")
    den_haag.subregion = subregion
    den_haag.save()
    delft = MunicipalityFactory(
        region=world.region,
        cbs_code="GM0503",
        name="Delft",
        subregion=Subregion.objects.create(region=world.region, name="DWO"),
    )
    return Family(world, vt, household, father, mother, child, den_haag, delft)
