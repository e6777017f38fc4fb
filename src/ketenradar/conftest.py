"""Shared fixtures: a small world with two regions, and an actor for every role."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from dataclasses import dataclass

from django.test import Client

import pytest

from ketenradar.accounts.actor import Actor
from ketenradar.accounts.constants import RoleCode
from ketenradar.accounts.middleware import SESSION_LOGIN_AT
from ketenradar.accounts.models import Membership, Role, User
from ketenradar.core.tests.factories import (
    HouseholdFactory,
    HouseholdMembershipFactory,
    InvolvementFactory,
    MembershipFactory,
    MunicipalityFactory,
    PersonFactory,
    RegionFactory,
    UserFactory,
)
from ketenradar.persons.models import Household, Person
from ketenradar.regions.constants import OrganisationType
from ketenradar.regions.models import Organisation, Region

PASSWORD = "correct-horse-battery"  # noqa: S105 - test accounts only

# The organisation type a role normally works in (for the test world).
ROLE_ORG_TYPE = {
    RoleCode.PROFESSIONAL: OrganisationType.HEALTH_CARE,
    RoleCode.VT_INTAKE: OrganisationType.VEILIG_THUIS,
    RoleCode.VT_PROFESSIONAL: OrganisationType.VEILIG_THUIS,
    RoleCode.VT_TEAM_LEAD: OrganisationType.VEILIG_THUIS,
    RoleCode.CASE_COORDINATOR: OrganisationType.LOCAL_TEAM,
    RoleCode.LOCAL_TEAM_LEAD: OrganisationType.LOCAL_TEAM,
    RoleCode.CHAIN_PARTNER: OrganisationType.MENTAL_HEALTH,
    RoleCode.MDA_CORE_TEAM: OrganisationType.OTHER,
    RoleCode.SHELTER_INTAKE: OrganisationType.SHELTER,
    RoleCode.POLICY_OFFICER: OrganisationType.MUNICIPALITY,
    RoleCode.PROGRAMME_MANAGER: OrganisationType.MUNICIPALITY,
    RoleCode.FUNCTIONAL_ADMIN: OrganisationType.MUNICIPALITY,
    RoleCode.PRIVACY_OFFICER: OrganisationType.MUNICIPALITY,
    RoleCode.POLICE_CHANNEL: OrganisationType.POLICE,
}

RELATIONS = ("involved", "same_org", "other_org", "other_region")


@dataclass
class World:
    region: Region
    other_region: Region
    person: Person  # the person every relation is measured against
    household: Household

    def org(self, role: str, relation: str) -> Organisation:
        """The organisation an actor of ``role`` works for, given its relation to the person."""
        region = self.other_region if relation == "other_region" else self.region
        suffix = "other" if relation == "other_org" else "home"
        org, _ = Organisation.objects.get_or_create(
            region=region,
            name=f"{role} {suffix} {region.code}",
            defaults={"type": ROLE_ORG_TYPE[RoleCode(role)]},
        )
        return org

    def user(self, role: str, relation: str) -> User:
        """A user of ``role``. 'involved': personally involved with the person; 'same_org': a
        colleague in the same organisation who is not; 'other_org' and 'other_region' work
        elsewhere."""
        org = self.org(role, "involved" if relation == "same_org" else relation)
        user = UserFactory(username=f"{role}.{relation}")
        if not Membership.objects.filter(user=user).exists():
            MembershipFactory(user=user, organisation=org, role=Role.objects.get(code=role))
        if relation == "involved" and not self.person.involvements.filter(user=user).exists():
            # personal involvement: a colleague in the same organisation is not involved
            InvolvementFactory(person=self.person, organisation=org, user=user)
        return user

    def actor(self, role: str, relation: str = "involved") -> Actor:
        user = self.user(role, relation)
        return Actor(
            user=user,
            membership=Membership.objects.select_related("organisation__region", "role__group").get(
                user=user
            ),
        )


@pytest.fixture
def world(db: None) -> World:
    region = RegionFactory(name="Haaglanden", code="haaglanden")
    other = RegionFactory(name="Hollands Midden", code="hollands-midden")
    MunicipalityFactory(region=region, cbs_code="GM0518", name="Den Haag")
    person = PersonFactory(given_names="Sanne", surname="Jansen", bsn="111222333", no_bsn_reason="")
    household = HouseholdFactory(label="Huishouden Jansen")
    HouseholdMembershipFactory(household=household, person=person)
    return World(region=region, other_region=other, person=person, household=household)


def login(client: Client, user: User) -> Client:
    """Sign in without the login form (the login tests use the form itself)."""
    client.force_login(user, backend="ketenradar.accounts.backends.MembershipBackend")
    session = client.session
    session[SESSION_LOGIN_AT] = time.time()
    session.save()
    return client


def pytest_configure() -> None:
    # Property-based tests judge inputs, not speed: a CI machine shared with other work may
    # take a second over one draw, which is no failure of the code under test. The number
    # of examples stays each test's own.
    from hypothesis import HealthCheck, settings

    settings.register_profile(
        "ketenradar", deadline=None, suppress_health_check=[HealthCheck.too_slow]
    )
    settings.load_profile("ketenradar")
    # Playwright's sync API runs an event loop in the test thread; the ORM calls that the
    # live server makes there are safe (one thread per request).
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _order(item: pytest.Item) -> int:
    """0: ordinary tests; 1: browser tests; 2: other transactional tests (threads)."""
    if item.get_closest_marker("e2e") is not None:
        return 1
    marker = item.get_closest_marker("django_db")
    return 2 if marker and marker.kwargs.get("transaction") else 0


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Transactional tests (browser, concurrency) last: they leave the access log's
    triggers switched off (``audit_triggers_off_at_teardown``). The browser tests go before
    the threaded ones, whose extra connections the live server must not inherit."""
    items.sort(key=_order)


@pytest.fixture
def audit_triggers_off_at_teardown(transactional_db: None) -> Iterator[None]:
    """Transactional tests commit for real, so Django empties the database afterwards; the
    access log's append-only triggers refuse exactly that. They are switched off after the
    test, which is why these tests run last."""
    yield
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS audit_auditevent_no_update")
            cursor.execute("DROP TRIGGER IF EXISTS audit_auditevent_no_delete")
