"""The search oracle: a confidential address (a shelter's) is never found by a search, filter
or count for anyone without a personal involvement in the acting organisation, nor is an
ended address of a person who has a confidential one. For every role, in the web search,
the restraining-order search, the API and the privacy officer's identity lookup."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.urls import reverse

import pytest

from ketenradar.accounts.constants import RoleCode
from ketenradar.accounts.models import Membership
from ketenradar.accounts.selectors import actor_for_user
from ketenradar.conftest import World, login
from ketenradar.core.tests.factories import AddressFactory, InvolvementFactory, PersonFactory
from ketenradar.persons import selectors

SHELTER = {"street": "Schuilplaatslaan", "house_number": 12, "postcode": "2595AA"}
OLD_HOME = {"street": "Spui", "house_number": 70, "postcode": "2511BT"}
NEIGHBOUR = {"street": "Prinsegracht", "house_number": 5, "postcode": "2512CD"}

# Every way a search could be asked for one of those addresses.
CONFIDENTIAL_QUERIES = (
    "2595AA",
    "2595 AA",
    "2595aa",
    "2595AA 12",
    "2595 aa 12",
    "Schuilplaatslaan",
    "Schuilplaatslaan 12",
    "12",
)
ENDED_QUERIES = ("2511BT", "2511 BT 70", "Spui", "Spui 70")


@pytest.fixture
def shelter_world(world: World) -> World:
    """The world's person lives at a shelter's confidential address since last month and
    lived at an ordinary address before; a neighbour lives at an ordinary address."""
    AddressFactory(
        person=world.person,
        is_confidential=True,
        valid_from=dt.date(2026, 11, 1),
        city="Den Haag",
        **SHELTER,
    )
    AddressFactory(
        person=world.person,
        valid_from=dt.date(2015, 1, 1),
        valid_until=dt.date(2026, 10, 31),
        city="Den Haag",
        **OLD_HOME,
    )
    return world


def _member(world: World, role: str) -> Membership:
    """A user of ``role`` whose organisation is involved with the person organisation-wide
    (and with a neighbour), but who is not personally involved."""
    user = world.user(role, "same_org")
    membership = Membership.objects.get(user=user)
    InvolvementFactory(person=world.person, organisation=membership.organisation, user=None)
    return membership


def _neighbour(world: World, membership: Membership) -> None:
    neighbour = PersonFactory(given_names="Noor", surname="Buurman")
    AddressFactory(person=neighbour, city="Den Haag", **NEIGHBOUR)
    InvolvementFactory(person=neighbour, organisation=membership.organisation, user=None)


def _web_counts(client: Client, query: str) -> list[tuple[str, int]]:
    """(page, persons found) for every web search the signed-in user can reach."""
    found = []
    response = client.get(reverse("persons:list"), {"q": query})
    if response.status_code == 200:
        found.append(("persons", response.context["total"]))
    response = client.get(reverse("restraining:register_start"), {"q": query})
    if response.status_code == 200:
        found.append(("restraining", response.context["total"]))
    response = client.get(reverse("audit:person_log_search"), {"q": query})
    if response.status_code == 200:
        found.append(("access log", len(response.context["found"])))
    response = client.get(reverse("api:person-list"), {"q": query})
    if response.status_code == 200:
        found.append(("api", response.json()["count"]))
    return found


@pytest.mark.parametrize("role", [code.value for code in RoleCode])
def test_no_role_finds_a_confidential_or_its_ended_address_without_personal_involvement(
    shelter_world: World, client: Client, role: str
) -> None:
    membership = _member(shelter_world, role)
    actor = actor_for_user(membership.user)
    assert actor is not None
    login(client, membership.user)
    for query in CONFIDENTIAL_QUERIES + ENDED_QUERIES:
        assert selectors.person_search(actor=actor, query=query) == ([], 0), query
        assert selectors.person_identity_lookup(actor=actor, query=query) == [], query
        for page, count in _web_counts(client, query):
            assert count == 0, (page, query)


@pytest.mark.parametrize("role", ["vt_professional", "case_coordinator", "shelter_intake"])
def test_the_same_searches_do_find_ordinary_addresses_and_the_person_by_name(
    shelter_world: World, client: Client, role: str
) -> None:
    """The control: the searches above work, so their zeros mean something."""
    membership = _member(shelter_world, role)
    _neighbour(shelter_world, membership)
    actor = actor_for_user(membership.user)
    assert actor is not None
    login(client, membership.user)
    for query in ("2512CD", "2512 CD 5"):
        shown, total = selectors.person_search(actor=actor, query=query)
        assert [p.surname for p in shown] == ["Buurman"] and total == 1
        assert ("persons", 1) in _web_counts(client, query)
        assert ("api", 1) in _web_counts(client, query)
    assert selectors.person_search(actor=actor, query="Sanne Jansen")[1] == 1


def test_personal_involvement_in_the_acting_organisation_finds_the_confidential_address(
    shelter_world: World,
) -> None:
    involved = shelter_world.actor("shelter_intake", "involved")
    for query in ("2595AA", "2595AA 12", "2511BT 70"):
        shown, total = selectors.person_search(actor=involved, query=query)
        assert total == 1 and shown[0].pk == shelter_world.person.pk, query


def test_personal_involvement_elsewhere_does_not_open_the_address_here(
    shelter_world: World,
) -> None:
    """The same user, personally involved through another organisation's membership, acts
    now in an organisation that is involved only organisation-wide: no match."""
    membership = _member(shelter_world, "case_coordinator")
    elsewhere = shelter_world.org("chain_partner", "involved")
    InvolvementFactory(person=shelter_world.person, organisation=elsewhere, user=membership.user)
    actor = actor_for_user(membership.user)
    assert actor is not None and actor.organisation == membership.organisation
    assert selectors.person_search(actor=actor, query="2595AA 12") == ([], 0)


def test_the_privacy_officer_searches_by_identity_only(shelter_world: World) -> None:
    officer = shelter_world.actor("privacy_officer", "same_org")
    InvolvementFactory(
        person=shelter_world.person, organisation=shelter_world.org("vt_professional", "involved")
    )
    assert [p.pk for p in selectors.person_identity_lookup(actor=officer, query="Jansen")] == [
        shelter_world.person.pk
    ]
    assert selectors.person_identity_lookup(actor=officer, query="111222333")
    for query in ("2595AA", "2595AA 12", "2511BT", "2512CD"):
        assert selectors.person_identity_lookup(actor=officer, query=query) == [], query


def test_only_the_confidential_persons_addresses_are_held_back(shelter_world: World) -> None:
    """The rule is narrow: other persons' ended addresses, and the current ordinary address
    of someone whose confidential address has ended, stay searchable; and a personal
    involvement with one person opens no one else's confidential address."""
    membership = _member(shelter_world, "vt_professional")
    neighbour = PersonFactory(given_names="Noor", surname="Buurman")
    AddressFactory(person=neighbour, city="Den Haag", **NEIGHBOUR)
    AddressFactory(
        person=neighbour,
        street="Laan",
        house_number=9,
        postcode="2513EF",
        city="Den Haag",
        valid_until=dt.date(2019, 12, 31),
    )
    InvolvementFactory(person=neighbour, organisation=membership.organisation, user=None)
    client = PersonFactory(given_names="Kees", surname="Cliënt")  # personally involved
    InvolvementFactory(person=client, organisation=membership.organisation, user=membership.user)
    left_shelter = PersonFactory(given_names="Fleur", surname="Terug")
    AddressFactory(
        person=left_shelter,
        is_confidential=True,
        street="Schuilplaatslaan",
        house_number=12,
        postcode="2595AA",
        city="Den Haag",
        valid_until=dt.date(2025, 6, 30),
    )
    AddressFactory(
        person=left_shelter,
        street="Nieuwe Haven",
        house_number=3,
        postcode="2514GH",
        city="Den Haag",
        valid_from=dt.date(2025, 7, 1),
    )
    InvolvementFactory(person=left_shelter, organisation=membership.organisation, user=None)
    actor = actor_for_user(membership.user)
    assert actor is not None

    def found(query: str) -> list[str]:
        return [p.surname for p in selectors.person_search(actor=actor, query=query)[0]]

    assert found("2513EF 9") == ["Buurman"]  # an ended address, nobody confidential
    assert found("2514GH 3") == ["Terug"]  # the current address after the shelter
    assert found("2595AA 12") == []  # personally involved with another client only
    assert found("2511BT 70") == []
