"""People and households as the chain meets them: without BSN, with unknown fathers,
newborns without names, partial dates of birth; and need-to-know in lists and searches."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

import pytest

from ketenradar.access.constants import InvolvementKind
from ketenradar.accounts.actor import Actor
from ketenradar.accounts.constants import RoleCode
from ketenradar.audit.models import AuditEvent
from ketenradar.conftest import World, login
from ketenradar.core.tests.factories import (
    HouseholdMembershipFactory,
    InvolvementFactory,
    MembershipFactory,
    PersonFactory,
)
from ketenradar.persons import selectors, services
from ketenradar.persons.constants import HouseholdRole, RelationKind
from ketenradar.persons.models import Person, Relation


@pytest.fixture
def system() -> Actor:
    return Actor.system("test")


def _register(actor: Actor, **fields: Any) -> Person:
    return services.person_create(
        actor=actor, involvement_kind=InvolvementKind.VT_DOSSIER, purpose="t", **fields
    )


def test_undocumented_person_without_bsn(world: World) -> None:
    actor = world.actor(RoleCode.VT_PROFESSIONAL)
    person = _register(
        actor,
        given_names="Amina",
        surname="Yusuf",
        birth_year=1994,
        no_bsn_reason="ongedocumenteerd",
    )
    assert person.bsn is None
    assert person.get_no_bsn_reason_display()


def test_newborn_without_name_or_bsn(world: World) -> None:
    actor = world.actor(RoleCode.VT_PROFESSIONAL)
    today = timezone.localdate()
    baby = _register(
        actor,
        birth_year=today.year,
        birth_month=today.month,
        birth_day=today.day,
        sex="o",
        no_bsn_reason="nog_niet_toegekend",
    )
    assert baby.display_name  # "(no name known)", never an empty string
    assert baby.given_names == "" and baby.surname == ""


def test_child_whose_father_is_unknown(world: World, system: Actor) -> None:
    mother = PersonFactory(given_names="Lotte", surname="Visser")
    child = PersonFactory(given_names="Sem", surname="Visser", birth_year=2021)
    household = services.household_create(
        actor=system,
        label="Huishouden Visser",
        members=[(mother, HouseholdRole.PARENT, None), (child, HouseholdRole.CHILD, None)],
    )
    services.relation_add(
        actor=system, from_person=mother, to_person=child, kind=RelationKind.PARENT_CHILD
    )
    parents = Relation.objects.filter(to_person=child, kind=RelationKind.PARENT_CHILD)
    assert [r.from_person for r in parents] == [mother]  # one known parent, no father record
    assert household.memberships.count() == 2


def test_partial_and_impossible_dates_of_birth(world: World) -> None:
    actor = world.actor(RoleCode.VT_PROFESSIONAL)
    only_year = _register(actor, surname="Jansen", birth_year=1970, no_bsn_reason="onbekend")
    assert only_year.date_of_birth is None
    assert only_year.date_of_birth_display == "??-??-1970"
    with pytest.raises(ValidationError):
        _register(
            actor,
            surname="Jansen",
            birth_year=2023,
            birth_month=2,
            birth_day=30,
            no_bsn_reason="onbekend",
        )
    with pytest.raises(ValidationError):
        _register(actor, surname="Jansen", birth_day=3, no_bsn_reason="onbekend")


def test_bsn_is_validated_and_unique(world: World) -> None:
    actor = world.actor(RoleCode.VT_PROFESSIONAL)
    with pytest.raises(ValidationError):
        _register(actor, surname="Jansen", bsn="123456789")
    with pytest.raises(ValidationError):
        _register(actor, surname="Jansen", bsn="111222333")  # the world's person has it


def test_names_with_tussenvoegsel_and_partner_surname() -> None:
    p = Person(
        given_names="Maria",
        surname_prefix="van der",
        surname="Berg",
        partner_surname_prefix="de",
        partner_surname="Vries",
    )
    assert p.used_surname == "van der Berg"
    p.name_usage = "P"
    assert p.used_surname == "de Vries"
    p.name_usage = "V"
    assert p.used_surname == "de Vries-van der Berg"
    p.name_usage = "N"
    assert p.display_name == "Maria van der Berg-de Vries"


def test_address_history_keeps_the_previous_address(world: World, system: Actor) -> None:
    services.address_add(
        actor=system,
        person=world.person,
        street="Spui",
        house_number=70,
        postcode="2511 bt",
        city="Den Haag",
        valid_from=dt.date(2020, 1, 1),
    )
    services.address_add(
        actor=system,
        person=world.person,
        street="Markt",
        house_number=87,
        house_number_addition="2",
        postcode="2611GW",
        city="Delft",
        valid_from=dt.date(2024, 5, 1),
    )
    old, new = world.person.addresses.order_by("valid_from")
    assert old.valid_until == dt.date(2024, 4, 30)
    assert new.valid_until is None
    assert new.house_number_full == "87-2"
    assert new.postcode_display == "2611 GW"
    with pytest.raises(ValidationError):
        services.address_add(
            actor=system,
            person=world.person,
            street="X",
            house_number=1,
            postcode="0123 AB",
            city="X",
        )


def test_search_shows_and_counts_only_visible_persons_and_logs_each(world: World) -> None:
    actor = world.actor(RoleCode.VT_PROFESSIONAL)
    hidden = PersonFactory(given_names="Sanne", surname="Jansen-Hidden")
    visible_too = PersonFactory(given_names="Sanne", surname="Jansen")
    InvolvementFactory(person=visible_too, organisation=actor.organisation)
    before = AuditEvent.objects.count()
    shown, total = selectors.person_search(actor=actor, query="Sanne Jansen")
    assert {p.pk for p in shown} == {world.person.pk, visible_too.pk}
    assert hidden not in shown
    assert total == 2
    events = AuditEvent.objects.order_by("seq")[before:]
    assert sorted(e.person_id for e in events) == sorted([world.person.pk, visible_too.pk])
    assert {e.action for e in events} == {"search"}


def test_policy_officer_sees_no_person_at_all(world: World) -> None:
    actor = world.actor(RoleCode.POLICY_OFFICER)
    InvolvementFactory(person=world.person, organisation=actor.organisation)  # even if involved
    assert selectors.person_list(actor=actor) == ([], 0)
    assert selectors.person_search(actor=actor, query="Jansen") == ([], 0)


def test_restricted_person_needs_a_personal_involvement(world: World) -> None:
    actor = world.actor(RoleCode.VT_PROFESSIONAL, "other_org")
    colleague_user = MembershipFactory(organisation=actor.organisation).user
    colleague = Actor(user=colleague_user, membership=colleague_user.memberships.get())
    Person.objects.filter(pk=world.person.pk).update(confidentiality="beperkt")
    InvolvementFactory(person=world.person, organisation=actor.organisation)  # organisation-wide
    assert selectors.person_list(actor=actor)[1] == 0
    InvolvementFactory(person=world.person, organisation=actor.organisation, user=actor.user)
    assert selectors.person_list(actor=actor)[1] == 1
    assert selectors.person_list(actor=colleague)[1] == 0


def test_household_page_shows_only_visible_members(world: World, client: Any) -> None:
    user = world.user(RoleCode.CHAIN_PARTNER, "involved")
    stranger = PersonFactory(given_names="Onzichtbaar", surname="Lid")
    HouseholdMembershipFactory(household=world.household, person=stranger, role="partner")
    login(client, user)
    response = client.get(reverse("persons:household", args=[world.household.uuid]))
    assert response.status_code == 200
    assert "Sanne" in response.content.decode()
    assert "Onzichtbaar" not in response.content.decode()


def test_relations_to_invisible_persons_are_not_shown(
    world: World, client: Any, system: Actor
) -> None:
    user = world.user(RoleCode.CHAIN_PARTNER, "involved")
    ex = PersonFactory(given_names="Geheim", surname="Expartner")
    services.relation_add(
        actor=system, from_person=world.person, to_person=ex, kind=RelationKind.EX_PARTNER
    )
    login(client, user)
    page = client.get(reverse("persons:detail", args=[world.person.uuid])).content.decode()
    assert "Geheim" not in page


def test_registering_through_the_page_makes_the_person_visible_to_the_organisation(
    world: World, client: Any
) -> None:
    user = world.user(RoleCode.PROFESSIONAL, "involved")
    login(client, user)
    response = client.post(
        reverse("persons:create"),
        {
            "given_names": "Daan",
            "surname_prefix": "de",
            "surname": "Boer",
            "name_usage": "E",
            "sex": "m",
            "birth_year": "2015",
            "bsn": "",
            "no_bsn_reason": "onbekend",
            "street": "Laan van Meerdervoort",
            "house_number": "12",
            "postcode": "2517 AJ",
            "city": "Den Haag",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    person = Person.objects.get(surname="Boer")
    assert person.addresses.get().postcode == "2517AJ"
    assert client.get(response["Location"]).status_code == 200
