"""The radar behind the matching interface: candidates from the stored keys, the engine's
verdict, the BSN rules, and a fixed number of queries per lookup."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils import timezone

import pytest

from ketenradar.core.tests.factories import AddressFactory, PersonFactory
from ketenradar.persons.matching import ReportedPerson, get_matcher
from ketenradar.persons.models import Person
from ketenradar.radar import matcher as radar
from ketenradar.radar.engine.model import Model
from ketenradar.radar.index import candidates, keys_of, record_of_reported
from ketenradar.radar.matcher import RadarMatcher
from ketenradar.radar.models import MatchModel

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_model_cache() -> Iterator[None]:
    radar.forget_model()
    yield
    radar.forget_model()


def known(
    given: str,
    surname: str,
    born: tuple[int, int, int],
    postcode: str = "2525AB",
    number: int = 12,
    bsn: str | None = None,
    **extra: Any,
) -> Person:
    person = PersonFactory(
        given_names=given,
        surname=surname,
        birth_year=born[0],
        birth_month=born[1],
        birth_day=born[2],
        bsn=bsn,
        no_bsn_reason="" if bsn else "onbekend",
        **extra,
    )
    AddressFactory(person=person, postcode=postcode, house_number=number, valid_from=None)
    return person


def crowd(n: int) -> list[Person]:
    """Other people, some sharing a surname, a birth year or a street with the test persons."""
    surnames = ["de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "Bos", "Mulder"]
    given = ["Emma", "Noah", "Julia", "Daan", "Mila", "Sem", "Tess", "Lucas", "Zoë", "Finn"]
    return [
        known(
            given[i % len(given)],
            surnames[i % len(surnames)],
            (1960 + i % 40, 1 + i % 12, 1 + i % 28),
            postcode=f"25{i % 90 + 10:02d}CD",
            number=1 + i % 50,
        )
        for i in range(n)
    ]


def test_it_is_the_configured_matcher() -> None:
    assert isinstance(get_matcher(), RadarMatcher)


def test_a_misspelt_known_person_is_a_candidate_and_the_best_match() -> None:
    crowd(30)
    person = known("Mohammed", "Bouzid", (1984, 7, 23), postcode="2571KL", number=8)
    reported = ReportedPerson(
        given_names="Mohamed",
        surname="Bouzit",
        birth_year=1984,
        birth_month=7,
        birth_day=23,
        postcode="2571 KL",
        house_number=8,
    )
    _, found = candidates(keys_of(record_of_reported(reported)))
    assert person.pk in [candidate.pk for candidate in found]
    matches = RadarMatcher().match(reported)
    assert matches and matches[0].person == person
    assert matches[0].band in ("zeker", "mogelijk")
    assert matches[0].explanation and matches[0].evidence
    assert {e.field for e in matches[0].evidence} >= set(matches[0].explanation)


def test_swapped_day_and_month_still_finds_the_person() -> None:
    crowd(20)
    person = known("Anouk", "van den Berg", (1992, 3, 11), postcode="2512CE", number=5)
    reported = ReportedPerson(
        given_names="Anouk",
        surname_prefix="van den",
        surname="Berg",
        birth_year=1992,
        birth_month=11,
        birth_day=3,
        postcode="2512CE",
        house_number=5,
    )
    matches = RadarMatcher().match(reported)
    assert matches and matches[0].person == person


def test_a_reported_bsn_equal_to_a_known_persons_is_certain_and_only_them() -> None:
    person = known("Sanne", "Jansen", (1990, 4, 12), bsn="111222333")
    housemate = known("Sanne", "Jansen", (1990, 4, 12), number=12)  # same name, no BSN
    matches = RadarMatcher().match(ReportedPerson(bsn="111222333"))
    assert [(m.person, m.band) for m in matches] == [(person, "zeker")]
    full = ReportedPerson(
        bsn="111222333",
        given_names="Sanne",
        surname="Jansen",
        birth_year=1990,
        birth_month=4,
        birth_day=12,
        postcode="2525AB",
        house_number=12,
    )
    assert [(m.person, m.band) for m in RadarMatcher().match(full)] == [(person, "zeker")]
    assert housemate.pk != person.pk


def test_a_different_valid_bsn_is_never_certain() -> None:
    known("Pieter", "Smit", (1975, 9, 30), bsn="111222333")
    reported = ReportedPerson(
        bsn="123456782",
        given_names="Pieter",
        surname="Smit",
        birth_year=1975,
        birth_month=9,
        birth_day=30,
        postcode="2525AB",
        house_number=12,
    )
    assert [m for m in RadarMatcher().match(reported) if m.band == "zeker"] == []


def test_twins_are_never_both_certain() -> None:
    known("Daan", "Visser", (2015, 6, 1), postcode="2611GW", number=3)
    known("Sem", "Visser", (2015, 6, 1), postcode="2611GW", number=3)
    reported = ReportedPerson(
        surname="Visser",
        birth_year=2015,
        birth_month=6,
        birth_day=1,
        postcode="2611GW",
        house_number=3,
    )
    assert len([m for m in RadarMatcher().match(reported) if m.band == "zeker"]) <= 1


def test_a_lookup_runs_the_same_number_of_queries_whatever_the_population(
    django_assert_num_queries: Any,
) -> None:
    person = known("Lotte", "de Graaf", (1999, 12, 24), postcode="2513AA", number=40)
    reported = ReportedPerson(
        given_names="Lotte",
        surname_prefix="de",
        surname="Graaf",
        birth_year=1999,
        birth_month=12,
        birth_day=24,
        postcode="2513AA",
        house_number=40,
    )
    RadarMatcher().match(reported)  # the model is read once per process
    # one statement: the candidates from the key index, their persons and addresses, and
    # the active model's id
    with django_assert_num_queries(1):
        assert RadarMatcher().match(reported)[0].person == person
    crowd(60)
    for _ in range(3):
        known("Lotte", "de Graaf", (1999, 12, 25), postcode="2513AA", number=41)
    with django_assert_num_queries(1):
        assert RadarMatcher().match(reported)[0].person == person


def test_a_newly_activated_model_is_used_from_the_next_lookup(
    django_assert_num_queries: Any,
) -> None:
    first = radar.active_model()
    assert radar.active_model() is first
    MatchModel.objects.create(
        params=Model.default().to_dict(), trained_at=timezone.now(), training_size=0, active=True
    )
    second = radar.active_model()
    assert second is not first
    assert radar.active_model() is second
    # a lookup sees the activation through its one statement
    known("Lotte", "de Graaf", (1999, 12, 24))
    radar.forget_model()
    reported = ReportedPerson(given_names="Lotte", surname="Graaf", surname_prefix="de")
    RadarMatcher().match(reported)
    with django_assert_num_queries(1):
        RadarMatcher().match(reported)
    MatchModel.objects.update(active=False)
    third = MatchModel.objects.create(
        params=Model.default().to_dict(), trained_at=timezone.now(), training_size=1, active=True
    )
    with django_assert_num_queries(2):  # the lookup, then the new model's parameters
        RadarMatcher().match(reported)
    assert radar._cached is not None and radar._cached[0] == third.pk


def test_radar_train_stores_activates_and_the_matcher_uses_the_trained_model() -> None:
    from django.core.management import call_command

    crowd(80)
    first = radar.active_model()
    call_command("radar_train", sample=1000, verbosity=0)
    stored = MatchModel.objects.get()
    assert stored.active and stored.training_size == 80
    trained = radar.active_model()
    assert trained is not first
    assert trained.to_dict() == Model.from_dict(stored.params).to_dict()
    call_command("radar_train", sample=50, no_activate=True, verbosity=0)
    assert MatchModel.objects.filter(active=True).get() == stored
    assert MatchModel.objects.get(active=False).training_size == 50
