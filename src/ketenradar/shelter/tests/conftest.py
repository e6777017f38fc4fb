"""A shelter organisation in the test world, with helpers to make persons it may see."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from ketenradar.access.constants import InvolvementKind
from ketenradar.accounts.actor import Actor
from ketenradar.accounts.constants import RoleCode
from ketenradar.conftest import World
from ketenradar.core.tests.factories import InvolvementFactory, PersonFactory
from ketenradar.persons.models import Person
from ketenradar.regions.models import Municipality, Organisation
from ketenradar.shelter import services
from ketenradar.shelter.models import Facility

LONG_AGO = dt.date(2020, 1, 1)


@dataclass
class Shelter:
    world: World
    actor: Actor  # shelter intake, personally involved with world.person
    colleague: Actor  # same organisation, not personally involved
    other: Actor  # shelter intake of another shelter organisation of the region
    organisation: Organisation
    municipality: Municipality

    def person(self, **fields: object) -> Person:
        """A person the shelter organisation is involved with (organisation-wide)."""
        person = PersonFactory(**fields)
        InvolvementFactory(
            person=person,
            organisation=self.organisation,
            kind=InvolvementKind.PLACEMENT,
            purpose="Aanmelding opvang",
        )
        return person

    def facility(self, name: str, **beds: int) -> Facility:
        facility = services.facility_create(
            actor=self.actor,
            name=name,
            municipality=self.municipality,
            street="Geheimstraat",
            house_number=1,
            postcode="2511 AA",
            city="Den Haag",
        )
        for bed_type, number in beds.items():
            services.capacity_set(
                actor=self.actor,
                facility=facility,
                bed_type=bed_type,
                beds=number,
                valid_from=LONG_AGO,
            )
        return facility


@pytest.fixture
def shelter(world: World) -> Shelter:
    actor = world.actor(RoleCode.SHELTER_INTAKE, "involved")
    assert actor.organisation is not None
    return Shelter(
        world=world,
        actor=actor,
        colleague=world.actor(RoleCode.SHELTER_INTAKE, "same_org"),
        other=world.actor(RoleCode.SHELTER_INTAKE, "other_org"),
        organisation=actor.organisation,
        municipality=world.region.municipalities.get(),
    )
