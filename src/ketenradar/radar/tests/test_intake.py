"""The intake links a reported person to a known one only on a single certain match."""

from __future__ import annotations

import pytest

from ketenradar.accounts.actor import Actor
from ketenradar.core.tests.factories import AddressFactory, PersonFactory
from ketenradar.persons.matching import ReportedPerson
from ketenradar.persons.models import Person
from ketenradar.radar.models import PersonKey
from ketenradar.reports.services import _person_for

pytestmark = pytest.mark.django_db

ACTOR = Actor.system("test")


def test_a_known_bsn_links_the_known_person() -> None:
    person = PersonFactory(bsn="111222333", no_bsn_reason="", surname="Jansen")
    linked, is_new = _person_for(ACTOR, ReportedPerson(bsn="111222333", surname="Janssen"))
    assert (linked, is_new) == (person, False)


def test_a_new_person_is_made_with_keys_when_nobody_is_certain() -> None:
    for given in ("Daan", "Sem"):  # twins: the report does not say which
        twin = PersonFactory(
            given_names=given, surname="Visser", birth_year=2015, birth_month=6, birth_day=1
        )
        AddressFactory(person=twin, postcode="2611GW", house_number=3, valid_from=None)
    reported = ReportedPerson(
        surname="Visser",
        birth_year=2015,
        birth_month=6,
        birth_day=1,
        postcode="2611GW",
        house_number=3,
        street="Oude Delft",
        city="Delft",
    )
    person, is_new = _person_for(ACTOR, reported)
    assert is_new and Person.objects.count() == 3
    keys = set(PersonKey.objects.filter(person=person).values_list("key", flat=True))
    assert keys and any("2611GW" in key.upper() for key in keys)
