"""Need-to-know, decided in access.policy: who sees which person and household, break-glass
tied to the membership it was taken in, and confidential details only under the acting
organisation's personal involvement (docs/authorization.md, docs/safety-critical.md).

Each test is written from the rule it guards; tools/mutation/config.toml runs these tests
against the mutants of access/policy.py (docs/mutation-testing.md).
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import Permission
from django.utils import timezone

import pytest

from ketenradar.access import policy, services
from ketenradar.access.constants import InvolvementKind
from ketenradar.access.models import BreakGlassGrant
from ketenradar.accounts.actor import Actor
from ketenradar.accounts.constants import RoleCode
from ketenradar.accounts.models import Membership, Role, User
from ketenradar.audit.models import AuditEvent
from ketenradar.conftest import World
from ketenradar.core.tests.factories import (
    AddressFactory,
    HouseholdFactory,
    HouseholdMembershipFactory,
    InvolvementFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
)
from ketenradar.persons import selectors
from ketenradar.persons.constants import Confidentiality
from ketenradar.persons.models import Household, Person
from ketenradar.regions.constants import OrganisationType
from ketenradar.regions.models import Organisation

REASON = "Acute melding politie: kinderen alleen thuis, dossier nodig"


def visible(actor: Actor) -> set[Person]:
    return set(policy.visible_persons(actor, Person.objects.all()))


def acting_as(user: User, organisation: Organisation) -> Actor:
    membership = Membership.objects.select_related("organisation__region", "role__group").get(
        user=user, organisation=organisation
    )
    return Actor(user=user, membership=membership)


def second_membership(user: User, world: World, role: str = RoleCode.VT_PROFESSIONAL) -> Actor:
    """The same user in another organisation of the region (say, a second job)."""
    org = OrganisationFactory(
        region=world.region, name=f"Tweede werkgever {role}", type=OrganisationType.VEILIG_THUIS
    )
    MembershipFactory(user=user, organisation=org, role=Role.objects.get(code=role))
    return acting_as(user, org)


@pytest.fixture
def stranger(world: World) -> Person:
    """A person no one in the test world is involved with."""
    return PersonFactory(given_names="Kees", surname="Vreemd")


# --------------------------------------------------------------------------- involvement


def test_an_organisation_wide_involvement_opens_the_person_to_every_colleague(
    world: World, stranger: Person
) -> None:
    colleague = world.actor(RoleCode.VT_PROFESSIONAL, "same_org")
    InvolvementFactory(person=world.person, organisation=colleague.organisation, user=None)
    assert visible(colleague) == {world.person}  # not the stranger
    decision = policy.decide_person(colleague, world.person)
    assert decision == policy.Decision(True, break_glass=False)
    outsider = world.actor(RoleCode.VT_PROFESSIONAL, "other_org")
    assert visible(outsider) == set()
    assert not policy.decide_person(outsider, world.person).allowed


def test_involvement_with_one_person_opens_that_person_only(world: World, stranger: Person) -> None:
    actor = world.actor(RoleCode.VT_PROFESSIONAL)  # personally involved with world.person
    assert policy.decide_person(actor, world.person).allowed
    refused = policy.decide_person(actor, stranger)
    assert refused == policy.Decision(False, why="no involvement with this person")


def test_a_personal_involvement_opens_the_person_to_that_professional_only(
    world: World,
) -> None:
    involved = world.actor(RoleCode.VT_PROFESSIONAL, "involved")
    colleague = world.actor(RoleCode.VT_PROFESSIONAL, "same_org")
    assert involved.organisation == colleague.organisation
    assert visible(involved) == {world.person}
    assert visible(colleague) == set()
    assert not policy.decide_person(colleague, world.person).allowed


def test_a_restricted_person_needs_a_personal_involvement(world: World) -> None:
    Person.objects.filter(pk=world.person.pk).update(confidentiality=Confidentiality.RESTRICTED)
    involved = world.actor(RoleCode.VT_PROFESSIONAL, "involved")
    colleague = world.actor(RoleCode.VT_PROFESSIONAL, "same_org")
    InvolvementFactory(person=world.person, organisation=colleague.organisation, user=None)
    assert visible(colleague) == set()  # organisation-wide is not enough
    assert not policy.decide_person(colleague, world.person).allowed
    assert visible(involved) == {world.person}


@pytest.mark.parametrize(
    "role",
    [
        RoleCode.POLICY_OFFICER,
        RoleCode.PROGRAMME_MANAGER,
        RoleCode.FUNCTIONAL_ADMIN,
        RoleCode.PRIVACY_OFFICER,
    ],
)
def test_roles_without_client_data_see_no_one_even_when_involved(role: str, world: World) -> None:
    actor = world.actor(role, "involved")  # a personal involvement, which must not count
    InvolvementFactory(person=world.person, organisation=actor.organisation, user=None)
    assert visible(actor) == set()
    assert policy.visible_persons_q(actor) is None
    assert policy.decide_person(actor, world.person) == policy.Decision(
        False, why="role has no access to client data"
    )
    assert list(policy.visible_households(actor, Household.objects.all())) == []
    assert not policy.may_use_break_glass(actor, world.person)


# --------------------------------------------------------------------------- break-glass


def test_break_glass_opens_the_person_it_was_taken_for_and_no_other(
    world: World, stranger: Person
) -> None:
    actor = world.actor(RoleCode.VT_PROFESSIONAL, "other_org")
    assert policy.may_use_break_glass(actor, world.person)
    services.break_glass_start(actor=actor, person=world.person, reason=REASON)
    assert policy.decide_person(actor, world.person) == policy.Decision(True, break_glass=True)
    assert not policy.decide_person(actor, stranger).allowed
    assert visible(actor) == {world.person}


def test_no_break_glass_where_the_actor_already_sees_the_person(world: World) -> None:
    actor = world.actor(RoleCode.VT_PROFESSIONAL, "involved")
    assert not policy.may_use_break_glass(actor, world.person)


def test_no_break_glass_for_a_role_without_client_data(world: World) -> None:
    # a role misconfigured in roles.json with break-glass but without client data
    Role.objects.get(code=RoleCode.VT_PROFESSIONAL).group.permissions.remove(
        Permission.objects.get(codename="view_client_data", content_type__app_label="persons")
    )
    actor = world.actor(RoleCode.VT_PROFESSIONAL, "other_org")
    assert actor.has_perm(policy.USE_BREAK_GLASS)
    assert not policy.may_use_break_glass(actor, world.person)


def test_break_glass_is_tied_to_the_membership_it_was_taken_in(world: World) -> None:
    first = world.actor(RoleCode.VT_PROFESSIONAL, "other_org")
    assert first.user is not None
    second = second_membership(first.user, world)
    services.break_glass_start(actor=first, person=world.person, reason=REASON)
    assert policy.decide_person(first, world.person).break_glass
    # the same user in their other organisation: the grant does not follow them there
    assert not policy.decide_person(second, world.person).allowed
    assert visible(second) == set()
    assert policy.may_use_break_glass(second, world.person)


def test_break_glass_holds_from_its_start_until_its_expiry(world: World) -> None:
    actor = world.actor(RoleCode.VT_PROFESSIONAL, "other_org")
    grant = services.break_glass_start(actor=actor, person=world.person, reason=REASON)
    assert grant.expires_at == grant.created_at + dt.timedelta(hours=24)
    assert policy.break_glass_expiry(grant.created_at) == grant.expires_at
    now = timezone.now()
    # not yet started (a grant dated ahead)
    BreakGlassGrant.objects.filter(pk=grant.pk).update(
        created_at=now + dt.timedelta(hours=1), expires_at=now + dt.timedelta(hours=25)
    )
    assert not policy.decide_person(actor, world.person).allowed
    assert visible(actor) == set()
    # expired
    BreakGlassGrant.objects.filter(pk=grant.pk).update(
        created_at=now - dt.timedelta(hours=25), expires_at=now - dt.timedelta(seconds=1)
    )
    assert not policy.decide_person(actor, world.person).allowed
    assert visible(actor) == set()


# ----------------------------------------------------------------- lists and their log


def test_only_persons_seen_through_break_glass_alone_are_flagged(
    world: World, stranger: Person
) -> None:
    actor = world.actor(RoleCode.VT_PROFESSIONAL, "other_org")
    services.break_glass_start(actor=actor, person=world.person, reason=REASON)
    services.involvement_start(
        actor=Actor.system("test"),
        person=stranger,
        organisation=actor.organisation,
        kind=InvolvementKind.VT_DOSSIER,
        purpose="Veilig Thuis dossier",
    )
    assert visible(actor) == {world.person, stranger}
    both = [world.person.pk, stranger.pk]
    assert policy.break_glass_only(actor, both) == {world.person.pk}
    assert policy.break_glass_only(actor, [stranger.pk]) == set()
    assert policy.break_glass_only(actor, []) == set()

    before = AuditEvent.objects.count()
    shown, total = selectors.person_list(actor=actor)
    assert total == 2 and set(shown) == {world.person, stranger}
    events = list(AuditEvent.objects.order_by("seq")[before:])
    flagged = {e.person_id for e in events if e.break_glass}
    unflagged = {e.person_id for e in events if not e.break_glass}
    assert flagged == {world.person.pk}
    assert unflagged == {stranger.pk}


def test_a_role_without_client_data_has_no_break_glass_persons(world: World) -> None:
    officer = world.actor(RoleCode.POLICY_OFFICER, "other_org")
    assert policy.break_glass_only(officer, [world.person.pk]) == set()


def test_a_household_is_visible_through_a_visible_member_only(
    world: World, stranger: Person
) -> None:
    other = HouseholdFactory(label="Huishouden Vreemd")
    HouseholdMembershipFactory(household=other, person=stranger)
    HouseholdFactory(label="Huishouden zonder leden")
    actor = world.actor(RoleCode.VT_PROFESSIONAL, "involved")
    assert list(policy.visible_households(actor, Household.objects.all())) == [world.household]
    outsider = world.actor(RoleCode.VT_PROFESSIONAL, "other_org")
    assert list(policy.visible_households(outsider, Household.objects.all())) == []


# ----------------------------------------------------------------- confidential details


def test_personal_involvement_counts_only_in_the_acting_organisation(
    world: World, stranger: Person
) -> None:
    involved = world.actor(RoleCode.VT_PROFESSIONAL, "involved")
    assert involved.user is not None
    assert policy.personally_involved(involved, world.person)
    assert not policy.personally_involved(involved, stranger)
    colleague = world.actor(RoleCode.VT_PROFESSIONAL, "same_org")
    InvolvementFactory(person=world.person, organisation=colleague.organisation, user=None)
    assert not policy.personally_involved(colleague, world.person)  # org-wide only
    elsewhere = second_membership(involved.user, world)
    assert not policy.personally_involved(elsewhere, world.person)
    assert not policy.personally_involved(Actor.system("test"), world.person)


def test_a_confidential_address_shows_only_under_the_acting_organisations_involvement(
    world: World,
) -> None:
    AddressFactory(person=world.person, street="Geheimstraat", is_confidential=True)
    AddressFactory(person=world.person, street="Spui", is_confidential=False)
    involved = world.actor(RoleCode.VT_PROFESSIONAL, "involved")
    assert involved.user is not None
    streets = {
        a.street
        for a in selectors.person_detail(actor=involved, person_uuid=world.person.uuid).addresses
    }
    assert streets == {"Geheimstraat", "Spui"}
    # the same professional in another organisation that is involved organisation-wide
    elsewhere = second_membership(involved.user, world)
    InvolvementFactory(person=world.person, organisation=elsewhere.organisation, user=None)
    streets = {
        a.street
        for a in selectors.person_detail(actor=elsewhere, person_uuid=world.person.uuid).addresses
    }
    assert streets == {"Spui"}


# --------------------------------------------------------------------------- registration


@pytest.mark.parametrize(
    ("org_type", "kind"),
    [
        (OrganisationType.VEILIG_THUIS, InvolvementKind.VT_DOSSIER),
        (OrganisationType.LOCAL_TEAM, InvolvementKind.COORDINATOR),
        (OrganisationType.SHELTER, InvolvementKind.PLACEMENT),
        (OrganisationType.HEALTH_CARE, InvolvementKind.REPORTER),
    ],
)
def test_a_registration_involves_the_organisation_by_its_type(
    org_type: str, kind: InvolvementKind, world: World
) -> None:
    actor = world.actor(RoleCode.PROFESSIONAL, "other_org")
    Organisation.objects.filter(pk=actor.membership.organisation_id).update(type=org_type)
    actor.membership.organisation.refresh_from_db()
    assert policy.default_involvement_kind(actor) == kind
    assert policy.default_involvement_kind(Actor.system("test")) == InvolvementKind.REPORTER


# --------------------------------------------------------------------------- by index


def test_the_filter_reads_only_the_organisations_persons_and_the_actors_grants(
    world: World, stranger: Person
) -> None:
    """The rules' subqueries are tested only on the persons of an active involvement of the
    actor's organisation or a running grant of the actor (one indexed subquery), not on
    every person of the region's history: the filter starts with that set."""
    actor = world.actor(RoleCode.VT_PROFESSIONAL, "involved")
    sql = str(policy.visible_persons(actor, Person.objects.all()).query)
    where = sql.split(" WHERE ", 1)[1].lstrip("(")
    # PostgreSQL puts each part of the union in parentheses, SQLite does not
    assert where.replace("IN ((SELECT", "IN (SELECT").startswith(
        '"persons_person"."id" IN (SELECT'
    ), where[:200]
    candidates = where.split("EXISTS(", 1)[0]  # what comes before the rules
    assert "access_involvement" in candidates and "UNION" in candidates
    assert "access_breakglassgrant" in candidates
    assert "organisation_id" in candidates and "ended_at" in candidates


def test_an_ended_involvement_and_an_expired_grant_open_nothing(
    world: World, stranger: Person
) -> None:
    actor = world.actor(RoleCode.VT_PROFESSIONAL, "involved")
    assert actor.organisation is not None and actor.membership is not None
    InvolvementFactory(
        person=stranger,
        organisation=actor.organisation,
        started_at=timezone.now() - dt.timedelta(days=30),
        ended_at=timezone.now() - dt.timedelta(days=1),
    )
    BreakGlassGrant.objects.create(
        user=actor.user,
        membership=actor.membership,
        person=stranger,
        reason=REASON,
        created_at=timezone.now() - dt.timedelta(days=2),
        expires_at=timezone.now() - dt.timedelta(days=1),
    )
    assert stranger not in visible(actor)
