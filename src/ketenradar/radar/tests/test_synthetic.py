"""The synthetic Dutch population and its reports: deterministic, with a sound ground truth."""

from __future__ import annotations

from collections import Counter

from ketenradar.radar.engine.normalize import bsn_valid, fold
from ketenradar.radar.synthetic import (
    generate_hard_cases,
    generate_population,
    generate_reports,
    training_records,
)


def test_population_is_deterministic_and_sound():
    a = generate_population(2_000, seed=4)
    b = generate_population(2_000, seed=4)
    assert a.persons == b.persons
    assert len(a.persons) == 2_000
    assert [p.id for p in a.persons] == list(range(2_000))
    bsns = [p.bsn for p in a.persons if p.bsn]
    assert len(bsns) == len(set(bsns)) > 1_500
    assert all(bsn_valid(x) for x in bsns)
    for household in a.households:
        for member in household.members:
            person = a.persons[member]
            assert a.household_of[member] == household.id
            assert (person.postcode, person.house_number) == (
                household.postcode,
                household.house_number,
            )
    for x, y in a.twins:
        tx, ty = a.persons[x], a.persons[y]
        assert (tx.birth_year, tx.birth_month, tx.birth_day) == (
            ty.birth_year,
            ty.birth_month,
            ty.birth_day,
        )
        assert tx.surname == ty.surname
        assert fold(tx.given_names.split()[0]) != fold(ty.given_names.split()[0])


def test_population_has_dutch_name_variety():
    population = generate_population(5_000, seed=6)
    surnames = Counter(p.surname for p in population.persons)
    assert surnames["Jong"] > 10  # de Jong, the most common surname
    assert any(p.surname_prefix for p in population.persons)
    assert any(p.birth_surname for p in population.persons)  # uses the partner's name
    assert any("-" in p.surname for p in population.persons)  # double surname
    assert population.twins


def test_reports_carry_their_truth_and_corruptions():
    population = generate_population(2_000, seed=7)
    reports = generate_reports(population, 1_000, seed=8)
    kinds = Counter(k for r in reports for k in r.kinds)
    known = [r for r in reports if r.truth is not None]
    assert 0.6 < len(known) / len(reports) < 0.9
    for kind in ("typo_surname", "swap_day_month", "prefix_variant", "initials_only", "move"):
        assert kinds[kind] > 10, kind
    assert kinds["no_bsn"] > 300
    assert kinds["new_household_member"] > 20
    assert all(r.record.id == 0 for r in known)
    assert len(training_records(population, reports)) == 3_000


def test_hard_cases_moved_in_without_bsn():
    population = generate_population(2_000, seed=9)
    for report in generate_hard_cases(population, 50, seed=10):
        assert report.record.bsn == ""
        assert "move_in" in report.kinds
        assert report.truth not in report.housemates
        household = population.households[population.household_of[report.housemates[0]]]
        assert report.record.postcode == household.postcode
