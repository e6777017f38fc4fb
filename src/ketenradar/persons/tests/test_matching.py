"""The exact rules behind the matching interface."""

from __future__ import annotations

import pytest

from ketenradar.core.tests.factories import AddressFactory, PersonFactory
from ketenradar.persons.matching import ExactMatcher, ReportedPerson
from ketenradar.persons.models import Person

pytestmark = pytest.mark.django_db


def _twins() -> tuple:
    a = PersonFactory(
        given_names="Daan", surname="Visser", birth_year=2015, birth_month=6, birth_day=1
    )
    b = PersonFactory(
        given_names="Sem", surname="Visser", birth_year=2015, birth_month=6, birth_day=1
    )
    for p in (a, b):
        AddressFactory(person=p, postcode="2611GW", valid_from=None)
    return a, b


def test_bsn_decides() -> None:
    person = PersonFactory(bsn="111222333", no_bsn_reason="")
    assert [m.person for m in ExactMatcher().match(ReportedPerson(bsn="111222333"))] == [person]


def test_surname_date_of_birth_and_postcode() -> None:
    person = PersonFactory(surname="Jansen", birth_year=1990, birth_month=4, birth_day=12)
    AddressFactory(person=person, postcode="2511BT")
    reported = ReportedPerson(
        surname="jansen", birth_year=1990, birth_month=4, birth_day=12, postcode="2511 bt"
    )
    (match,) = ExactMatcher().match(reported)
    assert (match.person, match.band) == (person, "zeker")
    assert (
        ExactMatcher().match(ReportedPerson(surname="Jansen", birth_year=1990, postcode="2511BT"))
        == []
    )


def test_twins_are_told_apart_by_given_name_or_not_linked() -> None:
    daan, _sem = _twins()
    base = {
        "surname": "Visser",
        "birth_year": 2015,
        "birth_month": 6,
        "birth_day": 1,
        "postcode": "2611 GW",
    }
    (match,) = ExactMatcher().match(ReportedPerson(given_names="Daan", **base))
    assert match.person == daan and match.band == "zeker"
    unnamed = ExactMatcher().match(ReportedPerson(**base))
    assert {m.band for m in unnamed} == {"mogelijk"} and len(unnamed) == 2


def test_an_unknown_bsn_falls_back_to_the_name_rule_but_never_to_another_bsn() -> None:
    no_bsn = PersonFactory(surname="Bakker", birth_year=1980, birth_month=1, birth_day=2)
    AddressFactory(person=no_bsn, postcode="2511BT")
    reported = ReportedPerson(
        bsn="123456782",
        surname="Bakker",
        birth_year=1980,
        birth_month=1,
        birth_day=2,
        postcode="2511BT",
    )
    assert [m.person for m in ExactMatcher().match(reported)] == [no_bsn]
    Person.objects.filter(pk=no_bsn.pk).update(bsn="111222333", no_bsn_reason="")
    assert ExactMatcher().match(reported) == []
