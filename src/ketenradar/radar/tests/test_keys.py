"""The blocking keys stay in step with every person and their current address."""

from __future__ import annotations

import datetime as dt

from django.core.management import call_command

import pytest

from ketenradar.conftest import World
from ketenradar.core.tests.factories import AddressFactory, PersonFactory
from ketenradar.persons import services as persons
from ketenradar.persons.models import Address, Person
from ketenradar.radar.index import keys_of, load_persons, record_of_person
from ketenradar.radar.models import PersonKey

pytestmark = pytest.mark.django_db


def stored(person: Person) -> set[str]:
    return set(PersonKey.objects.filter(person=person).values_list("key", flat=True))


def expected(person: Person) -> set[str]:
    ((loaded, address),) = load_persons([person.pk])
    return set(keys_of(record_of_person(loaded, address)))


def _person() -> Person:
    person = PersonFactory(
        given_names="Fatima", surname="El Amrani", birth_year=1988, birth_month=5, birth_day=17
    )
    AddressFactory(person=person, postcode="2525AB", house_number=12, valid_from=None)
    return person


def test_a_new_person_and_their_address_get_their_keys() -> None:
    person = PersonFactory(surname="Bakker", birth_year=1990, birth_month=2, birth_day=3)
    without_address = stored(person)
    assert without_address and without_address == expected(person)
    AddressFactory(person=person, postcode="2511BT", house_number=70)
    assert stored(person) == expected(person)
    assert stored(person) != without_address  # the address adds keys


def test_a_changed_surname_changes_the_keys() -> None:
    person = _person()
    before = stored(person)
    person.surname = "Bouzid"
    person.save()
    after = stored(person)
    assert after == expected(person)
    # the keys made of the surname's sound (with the birth year, the address...) changed
    assert {k.split(":")[0] for k in before - after} >= {"sy", "an"}
    assert {k.split(":")[0] for k in after - before} >= {"sy", "an"}


def test_a_move_changes_the_keys(world: World) -> None:
    actor = world.actor("vt_intake")  # involved with the world's person
    person = world.person
    AddressFactory(person=person, postcode="2525AB", house_number=12, valid_from=None)
    before = stored(person)
    persons.address_add(
        actor=actor,
        person=person,
        street="Laan van Meerdervoort",
        house_number=301,
        postcode="2563 AB",
        city="Den Haag",
        valid_from=dt.date(2026, 1, 1),
    )
    after = stored(person)
    assert after != before and after == expected(person)
    assert any("2563AB" in key.upper() for key in after)
    assert not any("2525AB" in key.upper() for key in after)


def test_deleting_an_address_or_a_person_keeps_the_keys_in_step() -> None:
    person = _person()
    Address.objects.get(person=person).delete()
    assert stored(person) == expected(person)
    assert not any("2525AB" in key.upper() for key in stored(person))
    person.delete()
    assert not PersonKey.objects.exists()


def test_reindex_rebuilds_every_key() -> None:
    people = [_person() for _ in range(3)]
    wanted = {p.pk: stored(p) for p in people}
    PersonKey.objects.all().delete()
    PersonKey.objects.create(person=people[0], key="stale")
    call_command("radar_reindex", batch=2, verbosity=0)
    assert {p.pk: stored(p) for p in people} == wanted


def test_the_demo_seeding_indexes_the_persons_it_bulk_inserts() -> None:
    call_command("seed_demo", households=40, history_years=0, verbosity=0)
    people = list(Person.objects.all())
    assert len(people) >= 40
    for person in people:
        assert stored(person) == expected(person)
