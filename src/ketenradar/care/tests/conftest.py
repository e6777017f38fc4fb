"""A small region for chain care: a local team with a coordinator and its lead, a mental
health organisation on the case team, another organisation, Veilig Thuis, and a household
of three that the local team is involved with."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.utils import translation

import pytest

from ketenradar.access.constants import InvolvementKind
from ketenradar.accounts.actor import Actor
from ketenradar.accounts.constants import RoleCode
from ketenradar.accounts.models import Membership, Role, User
from ketenradar.care import services
from ketenradar.care.models import Case
from ketenradar.core.tests.factories import (
    HouseholdFactory,
    HouseholdMembershipFactory,
    InvolvementFactory,
    MembershipFactory,
    MunicipalityFactory,
    OrganisationFactory,
    PersonFactory,
    RegionFactory,
    UserFactory,
)
from ketenradar.persons.models import Household, Person
from ketenradar.regions.constants import OrganisationType
from ketenradar.regions.models import Municipality, Organisation, Region


@dataclass
class CareWorld:
    region: Region
    municipality: Municipality
    local_team: Organisation
    ggz: Organisation
    other: Organisation
    veilig_thuis: Organisation
    household: Household
    mother: Person
    father: Person
    child: Person
    users: dict[str, User]

    def actor(self, name: str) -> Actor:
        user = self.users[name]
        membership = Membership.objects.select_related("organisation__region", "role__group").get(
            user=user
        )
        return Actor(user=user, membership=membership)

    def open_case(self) -> Case:
        return services.case_open(
            actor=self.actor("coordinator"),
            household=self.household,
            municipality=self.municipality,
        )


def _member(username: str, org: Organisation, role: str) -> User:
    user = UserFactory(username=username)
    MembershipFactory(user=user, organisation=org, role=Role.objects.get(code=role))
    return user


@pytest.fixture
def care_world(db: None) -> CareWorld:
    region = RegionFactory(name="Haaglanden", code="haaglanden")
    municipality = MunicipalityFactory(region=region, name="Delft", cbs_code="GM0503")
    local_team = OrganisationFactory(
        region=region, name="Delft voor Elkaar", type=OrganisationType.LOCAL_TEAM
    )
    local_team.municipalities.add(municipality)
    ggz = OrganisationFactory(
        region=region, name="GGZ Delfland", type=OrganisationType.MENTAL_HEALTH
    )
    other = OrganisationFactory(region=region, name="Reclassering", type=OrganisationType.PROBATION)
    vt = OrganisationFactory(region=region, name="Veilig Thuis", type=OrganisationType.VEILIG_THUIS)
    users = {
        "coordinator": _member("regisseur", local_team, RoleCode.CASE_COORDINATOR),
        "colleague": _member("collega", local_team, RoleCode.CASE_COORDINATOR),
        "lead": _member("teamleider", local_team, RoleCode.LOCAL_TEAM_LEAD),
        "partner": _member("ggz", ggz, RoleCode.CHAIN_PARTNER),
        "partner_colleague": _member("ggz2", ggz, RoleCode.CHAIN_PARTNER),
        "outsider": _member("reclassering", other, RoleCode.CHAIN_PARTNER),
        "vt": _member("vt", vt, RoleCode.VT_PROFESSIONAL),
    }
    household = HouseholdFactory(label="Huishouden Smit")
    mother = PersonFactory(given_names="Eva", surname="Smit")
    father = PersonFactory(given_names="Rob", surname="Smit", sex="m")
    child = PersonFactory(given_names="Noor", surname="Smit", birth_year=2017)
    for person, role in ((mother, "ouder"), (father, "ouder"), (child, "kind")):
        HouseholdMembershipFactory(household=household, person=person, role=role)
        InvolvementFactory(
            person=person,
            organisation=local_team,
            user=users["coordinator"],
            kind=InvolvementKind.COORDINATOR,
        )
        InvolvementFactory(person=person, organisation=vt, kind=InvolvementKind.VT_DOSSIER)
    return CareWorld(
        region, municipality, local_team, ggz, other, vt, household, mother, father, child, users
    )


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """The services' messages are matched in English, whatever an earlier test activated."""
    with translation.override("en"):
        yield
