"""The radar's engine: Dutch name comparisons, blocking keys, the model's rules and training.
Plain Python, no database."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace

import pytest

from ketenradar.radar.engine import compare as c
from ketenradar.radar.engine.blocking import MAX_KEY_LENGTH, blocking_keys
from ketenradar.radar.engine.linker import InMemoryIndex
from ketenradar.radar.engine.model import GEEN, MOGELIJK, ZEKER, Model
from ketenradar.radar.engine.normalize import (
    bsn_valid,
    fold,
    initials_of,
    phonetic,
    split_surname,
)
from ketenradar.radar.engine.records import Record
from ketenradar.radar.synthetic import (
    generate_hard_cases,
    generate_population,
    generate_reports,
    training_records,
)

BSN_A = "111222333"  # passes the eleven-test
BSN_B = "123456782"  # passes too


def person(**kw: object) -> Record:
    base = {
        "id": 1,
        "given_names": "Jan Pieter",
        "initials": "J.P.",
        "surname_prefix": "van der",
        "surname": "Berg",
        "birth_year": 1980,
        "birth_month": 3,
        "birth_day": 12,
        "sex": "M",
        "postcode": "1234AB",
        "house_number": 5,
        "street": "Dorpsstraat",
        "city": "Utrecht",
    }
    base.update(kw)
    return Record(**base)


def levels(a: Record, b: Record) -> dict[str, int]:
    got = c.compare(c.prepare(a), c.prepare(b))[0]
    return dict(zip(c.FIELDS, got, strict=True))


@pytest.fixture(scope="module")
def model() -> Model:
    return Model.default()


# -- normalisation --------------------------------------------------------------------------


def test_fold_removes_diacritics_and_punctuation():
    assert fold("Çelik") == "celik"
    assert fold("Müller-Lüdenscheidt") == "muller-ludenscheidt"
    assert fold("  Berg,  van der ") == "berg van der"
    assert fold("Yılmaz") == "yilmaz"


@pytest.mark.parametrize(
    ("prefix", "surname"),
    [("van der", "Berg"), ("", "van der Berg"), ("", "Berg, van der"), ("", "Van Der Berg")],
)
def test_tussenvoegsel_in_its_field_glued_or_behind_a_comma(prefix, surname):
    assert split_surname(prefix, surname) == ("van der", ("berg",))


def test_double_surnames_and_apostrophe_names():
    assert split_surname("", "Jansen-de Vries") == ("", ("jansen", "vries"))
    assert split_surname("de", "Vries - Jansen") == ("de", ("vries", "jansen"))
    assert split_surname("", "'s Gravensande") == ("s", ("gravensande",))


def test_phonetic_key_joins_spelling_variants():
    assert phonetic("janssen") == phonetic("jansen")
    assert phonetic("meijer") == phonetic("meyer")
    assert phonetic("schouten") == phonetic("souten")
    assert phonetic("jansen") != phonetic("bakker")


def test_initials_from_names_or_from_the_initials_field():
    assert initials_of("Jan Pieter") == "jp"
    assert initials_of("", "J.P.") == "jp"
    assert initials_of("", "Th. W.") == "tw"
    assert initials_of("Anne-Marie") == "am"


def test_bsn_eleven_test():
    assert bsn_valid(BSN_A)
    assert bsn_valid(BSN_B)
    assert not bsn_valid("111222334")
    assert not bsn_valid("12345")


# -- comparisons ------------------------------------------------------------------------------


def test_surname_with_and_without_tussenvoegsel_is_equal():
    a = person()
    assert levels(a, person(surname_prefix="", surname="Berg, van der"))["surname"] == 0
    assert levels(a, person(surname_prefix="", surname="Berg"))["surname"] == 0
    assert levels(a, person(surname_prefix="", surname="vd Berg"))["surname"] == 0


def test_partner_surname_and_birth_surname_cross():
    known = person(
        given_names="Maria",
        surname_prefix="de",
        surname="Vries",
        birth_surname="Jansen",
        partner_surname_prefix="de",
        partner_surname="Vries",
    )
    reported = person(given_names="Maria", surname_prefix="", surname="Jansen")
    assert levels(reported, known)["surname"] == 1
    double = person(given_names="Maria", surname_prefix="", surname="Jansen-de Vries")
    assert levels(double, person(given_names="Maria", surname="Jansen"))["surname"] == 1


def test_misspelt_surname_is_similar():
    assert levels(person(surname="Berg"), person(surname="Bergh"))["surname"] == 2
    assert levels(person(surname="Meijer"), person(surname="Meyer"))["surname"] == 2
    assert levels(person(surname="Berg"), person(surname="Jansen"))["surname"] == 4


def test_initials_against_given_names():
    known = person()
    assert levels(person(given_names="", initials="J.P."), known)["given_name"] == 2
    assert levels(person(given_names="", initials="J."), known)["given_name"] == 2
    assert levels(person(given_names="", initials="K."), known)["given_name"] == 5
    assert levels(person(given_names="Pieter"), known)["given_name"] == 1  # second name
    assert levels(person(given_names="Jan"), known)["given_name"] == 0
    assert levels(person(given_names="Joost"), known)["given_name"] == 4
    assert levels(person(given_names="Jaan"), known)["given_name"] == 1
    assert levels(person(given_names="Hendrik"), person(given_names="Henk"))["given_name"] == 3


@pytest.mark.parametrize(
    ("date", "level"),
    [
        ((1980, 3, 12), 0),
        ((1980, 12, 3), 1),  # day and month swapped
        ((1980, 3, 13), 2),  # one digit
        ((1981, 3, 12), 2),
        ((1980, None, None), 3),  # year only
        ((1975, 7, 1), 4),
        ((None, None, None), c.MISSING),
    ],
)
def test_birth_date_levels(date, level):
    y, m, d = date
    reported = person(birth_year=y, birth_month=m, birth_day=d)
    assert levels(reported, person())["birth_date"] == level


def test_address_levels():
    known = person()
    assert levels(person(), known)["address"] == 0
    assert levels(person(street=""), known)["address"] == 1
    assert levels(person(postcode="9999ZZ"), known)["address"] == 2  # same street and number
    assert levels(person(house_number=7, street="Kerkweg"), known)["address"] == 3
    assert levels(person(postcode="3511AA", house_number=9, street="Laan"), known)["address"] == 4


def test_bsn_levels_and_the_eleven_test():
    assert levels(person(bsn=BSN_A), person(bsn=BSN_A))["bsn"] == 0
    assert levels(person(bsn=BSN_A), person(bsn=BSN_B))["bsn"] == 1
    assert levels(person(bsn="111222334"), person(bsn=BSN_A))["bsn"] == c.MISSING  # invalid
    unchecked = {"bsn_checked": False}
    assert (
        levels(person(bsn="1234567", **unchecked), person(bsn="1234576", **unchecked))["bsn"] == 2
    )


def test_swapped_given_name_and_surname():
    got = levels(person(given_names="Berg", surname_prefix="", surname="Jan"), person())
    assert got["given_name"] == 1
    assert got["surname"] == 2


# -- blocking keys ----------------------------------------------------------------------------


def test_keys_are_short_and_shared_by_the_usual_corruptions():
    known = person(bsn=BSN_A)
    keys = set(blocking_keys(known))
    assert all(len(k) <= MAX_KEY_LENGTH for k in keys)
    variants = [
        person(surname="Bergh", surname_prefix=""),  # misspelt, without tussenvoegsel
        person(surname="Jansen", surname_prefix=""),  # partner's surname
        person(given_names="", initials="J.P."),  # initials only
        person(birth_month=12, birth_day=3),  # swapped
        person(postcode="9999ZZ", house_number=1, street="Elders"),  # moved
        person(birth_year=None, birth_month=None, birth_day=None),  # no date of birth
        person(
            surname="Bergh",
            surname_prefix="",
            postcode="9999ZZ",
            house_number=1,
        ),  # misspelt and moved, no BSN
        person(given_names="", initials="J.", birth_year=None, birth_month=None, birth_day=None),
    ]
    for reported in variants:
        assert keys & set(blocking_keys(reported)), reported


def test_blocking_recall_on_synthetic_corruptions():
    population = generate_population(3_000, seed=5)
    reports = [r for r in generate_reports(population, 1_500, seed=6) if r.truth is not None]
    index = InMemoryIndex(population.persons)
    found: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for report in reports:
        hit = report.truth in index.candidates(report.record)
        for kind in (*report.kinds, "all"):
            total[kind] += 1
            found[kind] += hit
    assert found["all"] / total["all"] >= 0.99
    for kind in ("typo_surname", "partner_surname", "initials_only", "move", "move_in"):
        assert found[kind] / total[kind] >= 0.95, kind
    assert found["no_bsn"] / total["no_bsn"] >= 0.98
    assert found["no_dob"] / total["no_dob"] >= 0.95


def test_common_surname_keys_stay_selective():
    population = generate_population(20_000, seed=3)
    sizes: Counter[str] = Counter()
    for record in population.persons:
        sizes.update(blocking_keys(record))
    assert max(sizes.values()) < 200  # one in a hundred persons at most


# -- the model's rules ------------------------------------------------------------------------


def twins() -> tuple[Record, Record]:
    jan = person(id=1, given_names="Jan", initials="J.", bsn="", sex="M")
    joost = person(id=2, given_names="Joost", initials="J.", bsn="", sex="M")
    return jan, joost


def test_twins_are_never_zeker(model):
    jan, joost = twins()
    assert model.score(jan, joost).band != ZEKER
    assert model.score(joost, jan).band != ZEKER
    # first names that are spelling variants, second names that differ
    mo = person(id=4, given_names="Mohamed Nout", initials="M.N.", bsn="")
    mo2 = person(id=5, given_names="Mohammed Cas", initials="M.C.", bsn="")
    assert model.score(mo, mo2).band != ZEKER
    assert model.score(mo, replace(mo, id=6, given_names="Mohammed Nout")).band == ZEKER
    eva = person(id=3, given_names="Eva", initials="E.", sex="V")
    assert model.score(jan, eva).band != ZEKER
    # reported by the initial both share: neither may be zeker
    index = InMemoryIndex([jan, joost])
    results = index.lookup(person(id=0, given_names="", initials="J.", bsn=""), model)
    assert results
    assert all(s.band != ZEKER for _, s in results)
    # reported by name: the right twin first, the other never zeker
    results = index.lookup(replace(jan, id=0), model)
    assert results[0][0].id == 1
    assert all(s.band != ZEKER for r, s in results if r.id == 2)


def test_twins_of_the_synthetic_population_are_never_zeker(model):
    population = generate_population(20_000, seed=9)
    assert len(population.twins) > 20
    persons = population.persons
    for a, b in population.twins:
        assert model.score(persons[a], persons[b]).band != ZEKER
        assert model.score(persons[b], persons[a]).band != ZEKER


def test_no_housemate_is_zeker(model):
    population = generate_population(3_000, seed=11)
    persons = population.persons
    pairs = 0
    for household in population.households:
        for a in household.members:
            for b in household.members:
                if a != b:
                    pairs += 1
                    assert model.score(persons[a], persons[b]).band != ZEKER
    assert pairs > 1_000


def test_hard_case_moved_in_without_bsn(model):
    population = generate_population(3_000, seed=12)
    index = InMemoryIndex(population.persons)
    m = model.with_population(3_000)
    hard = generate_hard_cases(population, 200, seed=13)
    top1 = 0
    for report in hard:
        assert report.record.bsn == ""
        results = index.lookup(report.record, m)
        top1 += bool(results) and results[0][0].id == report.truth
        assert not any(s.band == ZEKER and r.id in report.housemates for r, s in results)
    assert top1 / len(hard) >= 0.9


def test_bsn_rules(model):
    known = person(bsn=BSN_A)
    # equal valid BSN: near-certain even with little else
    weak = Record(id=0, bsn=BSN_A, surname="Bergh", initials="J.")
    assert model.score(weak, known).probability > 0.99
    # valid and different: strong evidence against, never zeker
    other = person(bsn=BSN_B)
    scored = model.score(other, known)
    assert scored.band != ZEKER
    assert scored.match_weight < model.score(person(bsn=""), known).match_weight - 8
    # an invalid BSN (a typo) is ignored rather than counted against
    typo = person(bsn="111222334")
    assert model.score(typo, known).band == ZEKER


def test_bands_and_explanation(model):
    known = person(bsn=BSN_A)
    exact = model.score(person(), known)
    assert exact.band == ZEKER
    assert {e.field for e in exact.evidence} == set(c.FIELDS)
    assert next(e for e in exact.evidence if e.field == "bsn").level == "ontbreekt"
    stranger = person(
        given_names="Fatima",
        surname_prefix="",
        surname="Yilmaz",
        birth_year=1990,
        postcode="9999ZZ",
        house_number=1,
        street="Elders",
        city="Groningen",
    )
    assert model.score(stranger, known).band == GEEN
    initials_no_date = person(given_names="", initials="J.", birth_year=None)
    assert model.score(initials_no_date, known).band in (MOGELIJK, GEEN)


def test_common_surname_weighs_less_than_a_rare_one(model):
    def surname_weight(name: str) -> float:
        a = person(surname_prefix="", surname=name, postcode="", house_number=None, street="")
        evidence = model.score(a, a).evidence
        return next(e.weight for e in evidence if e.field == "surname")

    assert surname_weight("Jansen") < surname_weight("Zwanikken") - 2


# -- training and serialisation ---------------------------------------------------------------


@pytest.fixture(scope="module")
def trained() -> tuple[Model, int]:
    population = generate_population(10_000, seed=21)
    reports = generate_reports(population, 2_500, seed=22)
    records = training_records(population, reports)
    matches = sum(r.truth is not None for r in reports)
    return Model.train(records, seed=0, u_pairs=40_000), matches


def test_em_recovers_sensible_m_and_u(trained):
    model, matches = trained
    m, u = model.m, model.u
    assert m["given_name"][0] > 0.5 > 0.05 > u["given_name"][0]
    assert m["surname"][0] > 0.5 > 0.01 > u["surname"][0]
    assert m["birth_date"][0] > 0.8 > 0.001 > u["birth_date"][0]
    assert m["birth_date"][1] > u["birth_date"][1]  # swapped day and month is evidence for
    assert m["bsn"][0] > 0.95
    assert u["address"][0] < 0.001 < m["address"][0]
    for field in c.FIELDS:  # the strongest level is evidence for, the weakest against
        assert m[field][0] > u[field][0]
        assert m[field][-1 if field != "bsn" else 1] < u[field][-1 if field != "bsn" else 1]
    n = model.info["records"]
    expected = matches / (n * (n - 1) / 2)
    assert expected / 3 < model.prior < expected * 3
    assert 0 < model.household_surname < 1


def test_serialisation_round_trip(trained):
    model, _ = trained
    again = Model.from_dict(json.loads(json.dumps(model.to_dict())))
    a, b = person(), person(given_names="", initials="J.", surname="Bergh", bsn="")
    assert again.score(a, b) == model.score(a, b)
    assert again.to_dict() == model.to_dict()


def test_default_model_and_population_rescaling(model):
    assert model.info["source"] == "synthetic"
    bigger = model.with_population(model.info["records"] * 10)
    assert bigger.prior == pytest.approx(model.prior / 10)
    a = person()
    assert bigger.score(a, a).match_weight < model.score(a, a).match_weight


def test_prepared_records_score_like_records(model):
    a, b = person(), person(surname="Bergh")
    assert model.score(model.prepare(a), model.prepare(b)) == model.score(a, b)


def test_weight_equals_the_scored_match_weight(model):
    population = generate_population(1_000, seed=31)
    reports = generate_reports(population, 300, seed=32)
    index = InMemoryIndex(population.persons)
    checked = 0
    for report in reports:
        for i in index.candidates(report.record):
            known = population.persons[i]
            assert model.weight(report.record, known) == pytest.approx(
                model.score(report.record, known).match_weight, abs=1e-9
            )
            checked += 1
    assert checked > 300
