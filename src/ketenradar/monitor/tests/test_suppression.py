"""Small counts are suppressed in everything a policy officer sees, and so are the counts
that would give them away (docs/monitor.md#small-counts).

The first tests are on hand-made tables and need no database; the mutation check of
``monitor/suppression.py`` runs this file (tools/mutation/config.toml)."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import replace
from typing import Any

from django.core.exceptions import PermissionDenied

import pytest

from ketenradar.accounts.constants import RoleCode
from ketenradar.conftest import World
from ketenradar.monitor import protection, selectors, suppression
from ketenradar.monitor.selectors import Scope
from ketenradar.monitor.suppression import Move, Table
from ketenradar.monitor.tests import audit
from ketenradar.monitor.tests.conftest import Desk, moment, person
from ketenradar.reports.constants import AssessmentDecision, ReporterCategory

MARCH = {"start": dt.date(2026, 3, 1), "end": dt.date(2026, 3, 31)}
TWO = {"r": None, "a": "r", "b": "r"}  # a region with two municipalities


def test_the_helper(settings: Any) -> None:
    assert suppression.count(0) == 0  # nobody: nothing to protect
    assert [suppression.count(n) for n in (1, 9, 10)] == ["<10", "<10", 10]
    assert suppression.count(3, suppress=False) == 3
    assert suppression.share(1, 9) == "<10"  # a small denominator
    assert suppression.share(1, 10) == 0.1
    assert suppression.share(0, 0) is None
    assert suppression.share(1, 3) == "<10"
    # unsuppressed (a professional's own figures): any denominator, unrounded (the
    # outputs round once, half up: monitor/numbers.py)
    assert suppression.share(1, 3, suppress=False) == 1 / 3
    assert suppression.share(2, 3, suppress=False, digits=1) == 0.7
    assert suppression.share(0, 0, suppress=False) is None
    settings.KETENRADAR_SMALL_COUNT_THRESHOLD = 5
    assert suppression.count(4) == "<5" and suppression.count(5) == 5
    assert suppression.share(4, 5) == 0.8


def table(
    rows: dict[str, dict[str, int]],
    family: protection.Family,
    parents: dict[str, str | None] = TWO,
    hidden_areas: frozenset[str] = frozenset(),
) -> Table:
    """A table from the leaves' counts: every area above a leaf holds their sum."""
    values: dict[tuple[str, str], int] = {}
    for leaf, counts in rows.items():
        area: str | None = leaf
        while area is not None:
            for m, n in counts.items():
                values[(area, m)] = values.get((area, m), 0) + n
            area = parents[area]
    return Table(
        parents=parents,
        measures=family.measures,
        values=values,
        moves=family.moves,
        relations=family.relations,
        at_most=family.at_most,
        hidden_areas=hidden_areas,
        unpublished=family.unpublished,
        sensitive=family.sensitive,
        weights=family.weights,
    )


SPLIT = protection.tree_family(["T", "p1", "p2", "p3"], [("T", ("p1", "p2", "p3"))])
NESTED = protection.tree_family(["D", "W", "L"], [("D", ("W", "L"))], unpublished=["L"])


def valid(t: Table, found: suppression.Protection) -> None:
    """Every witness changes its cell, keeps every relation and contradicts nothing shown;
    and by linear programming no suppressed cell (nor a small unpublished one) follows from
    the rest (tests/audit.py)."""
    limit = suppression.threshold()
    for target, change in found.witnesses.items():
        assert change[target]
        for cell, delta in change.items():
            new = t.values.get(cell, 0) + delta
            if not t.published(cell):
                assert new >= 0
            elif found.markers[cell] == suppression.marker():
                assert 0 < new < limit
            else:
                assert found.markers[cell] == suppression.SECONDARY and new >= limit
        for area, parent in t.parents.items():
            for m in t.measures:
                if parent is not None and (area, m) in change:
                    kids = [a for a, p in t.parents.items() if p == parent]
                    assert change.get((parent, m), 0) == sum(change.get((k, m), 0) for k in kids)
            for total, parts in t.relations:
                assert change.get((area, total), 0) == sum(change.get((area, p), 0) for p in parts)
    system = audit.of_table(
        t.values,
        found.markers,
        t.parents,
        t.measures,
        t.relations,
        t.hidden_areas,
        t.unpublished,
        limit,
        t.at_most,
    )
    targets = [f"{a}|{m}" for (a, m) in found.markers] + [
        f"{a}|{m}"
        for (a, m), v in t.values.items()
        if m in t.sensitive and a not in t.hidden_areas and suppression.small(v)
    ]
    assert system.determined(targets) == {}


def test_a_small_part_takes_the_next_smallest_part_and_a_sibling_municipality_with_it() -> None:
    t = table({"a": {"T": 23, "p1": 3, "p2": 20}, "b": {"T": 45, "p1": 15, "p2": 30}}, SPLIT)
    found = suppression.protect(t)
    assert found.markers == {
        ("a", "p1"): "<10",
        ("a", "p2"): "x",
        ("b", "p1"): "x",
        ("b", "p2"): "x",
    }
    # a record moved from p2 to p1 in a, and back in b: every total stays, also the region's
    assert found.witnesses == {
        ("a", "p1"): {("a", "p1"): 1, ("b", "p1"): -1, ("a", "p2"): -1, ("b", "p2"): 1}
    }
    assert not found.withheld
    valid(t, found)


def test_a_suppressed_cell_of_exactly_the_threshold_does_not_go_below_it() -> None:
    t = table({"a": {"T": 23, "p1": 3, "p2": 20}, "b": {"T": 40, "p1": 10, "p2": 30}}, SPLIT)
    found = suppression.protect(t)
    # the same rectangle, the other way round: b's 10 may become 11, not 9
    assert found.witnesses == {
        ("a", "p1"): {("a", "p1"): -1, ("b", "p1"): 1, ("a", "p2"): 1, ("b", "p2"): -1}
    }
    valid(t, found)


def test_a_cell_already_protected_is_not_protected_again() -> None:
    t = table(
        {"a": {"T": 37, "p1": 3, "p2": 4, "p3": 30}, "b": {"T": 75, "p1": 15, "p2": 20, "p3": 40}},
        SPLIT,
    )
    found = suppression.protect(t)
    assert set(found.witnesses) == {("a", "p1")}  # its rectangle moves a's 4 too
    assert {c for c, m in found.markers.items() if m == "x"} == {("b", "p1"), ("b", "p2")}
    valid(t, found)


def test_a_small_complement_that_is_never_shown_is_protected_by_its_sibling() -> None:
    # decided 23, of which 20 within the deadline: 3 late, never shown, but 23 - 20
    t = table({"a": {"D": 23, "W": 20, "L": 3}, "b": {"D": 42, "W": 30, "L": 12}}, NESTED)
    found = suppression.protect(t)
    assert found.markers == {("a", "W"): "x", ("b", "W"): "x"}
    assert found.witnesses == {
        ("a", "L"): {("a", "L"): 1, ("b", "L"): -1, ("a", "W"): -1, ("b", "W"): 1}
    }
    valid(t, found)


def test_the_regions_rest_that_no_page_shows_protects_the_regions_small_counts() -> None:
    parents = {"r": None, "a": "r", "o": "r"}
    t = table({"a": {"T": 5, "p1": 5}, "o": {"T": 2, "p2": 2}}, SPLIT, parents, frozenset({"o"}))
    found = suppression.protect(t)
    assert found.markers == {
        ("r", "T"): "<10",
        ("r", "p1"): "<10",
        ("r", "p2"): "<10",
        ("a", "T"): "<10",
        ("a", "p1"): "<10",
    }
    assert all(cell[0] != "o" for cell in found.markers)
    valid(t, found)


def test_zeros_are_never_suppressed_and_a_cell_that_cannot_be_protected_withholds_the_table() -> (
    None
):
    only = Table(
        parents=TWO,
        measures=["p1", "p2"],
        values={("a", "p1"): 3, ("r", "p1"): 3},
        moves={"p1": [Move(fixed={"p1": 1, "p2": -1})]},
    )
    found = suppression.protect(only)  # every way to move the 3 passes through a 0
    assert found.withheld and found.witnesses == {}
    assert found.markers == {(a, m): "x" for a in TWO for m in ("p1", "p2")}
    nothing = Table(parents=TWO, measures=["n"], values={("a", "n"): 3, ("r", "n"): 3}, moves={})
    assert suppression.protect(nothing).withheld


def test_a_part_that_may_overlap_others_stays_at_most_its_total() -> None:
    # one contact, naming the type: 2 would be more types than contacts, 0 is no <10
    parents = {"r": None, "a": "r"}
    values = {(a, m): 1 for a in parents for m in ("T", "typ")}
    moves = {"typ": [Move(fixed={"typ": 1})], "T": [Move(fixed={"T": 1})]}
    t = Table(parents, ["T", "typ"], values, moves, at_most=[("typ", "T")])
    assert suppression.protect(t).withheld
    free = suppression.protect(Table(parents, ["T", "typ"], values, moves))
    assert not free.withheld
    assert free.witnesses[("r", "typ")] == {("r", "typ"): 1, ("a", "typ"): 1}


def test_a_move_must_keep_every_relation() -> None:
    relations = [("T", ("p1", "p2"))]

    def bad(moves: dict[str, list[Move]]) -> None:
        with pytest.raises(ValueError):
            suppression.check(Table(TWO, ["T", "p1", "p2"], {}, moves, relations))

    bad({"p1": [Move(fixed={"p2": 1, "T": 1})]})  # listed for p1, does not change it
    bad({"p1": [Move(fixed={"p1": 1})]})  # breaks T = p1 + p2
    bad({"T": [Move(fixed={"T": 1}, groups=(({"p1": 1}, {"p2": 1, "T": 1}),))]})  # may break
    bad({"T": [Move(fixed={"T": 1, "p1": 1}, groups=(({"p1": -1}, {"p2": 0}),))]})  # twice
    bad({"T": [Move(fixed={"T": 1}, groups=(({"p1": 1}, {"x": 1}),))]})  # a net of 0 or -1
    bad({"T": [Move(fixed={"T": 1, "p1": 1}, groups=(({"p2": 1}, {"x": 1}),))]})

    def twice(move: Move) -> None:
        with pytest.raises(ValueError, match="twice"):
            suppression.check(Table(TWO, ["a", "b"], {}, {"a": [move]}))

    twice(Move(fixed={"a": 1}, groups=(({"a": -1},),)))
    twice(Move(fixed={"a": 1}, groups=(({"b": 1},), ({"b": -1},))))
    suppression.check(Table(TWO, ["T", "p1", "p2"], {}, SPLIT.moves, SPLIT.relations))


def test_what_a_change_of_a_cell_costs() -> None:
    t = Table(
        parents={"r": None, "a": "r", "o": "r"},
        measures=["n", "m"],
        values={("a", "n"): 3, ("a", "m"): 12, ("r", "m"): 10, ("r", "n"): 9, ("o", "n"): 1}
        | {("a", "k"): 11},
        moves={},
        hidden_areas=frozenset({"o"}),
        unpublished=frozenset({"m2"}),
        weights={"m": 4},
    )
    search = suppression._Search(t)
    search.status[("r", "m")] = "secondary"
    assert search.cost(("o", "n"), -1) == (0, 0) and search.cost(("o", "n"), -2) is None
    assert search.cost(("o", "m"), 1) == (0, 0)  # never shown: only not below 0
    assert search.cost(("a", "m2"), -1) is None  # nor an unpublished measure
    assert search.cost(("a", "m2"), 1) == (0, 0)
    assert search.cost(("a", "n"), 1) == (0, 0)  # <10 stays 1..9
    assert search.cost(("r", "n"), 1) is None and search.cost(("r", "n"), -1) == (0, 0)
    assert search.cost(("a", "m"), 1) == (4, 12)  # shown: suppressed, at its weight
    assert search.cost(("a", "m"), -1) == (4, 12)
    assert search.cost(("r", "m"), 1) == (0, 0)  # already x
    assert search.cost(("r", "m"), -1) is None  # x is never below the threshold
    assert search.cost(("a", "z"), 1) is None  # a shown 0 stays 0
    assert search.cost(("o", "z"), -1) is None  # nor a 0 never shown below 0
    assert search.cost(("a", "k"), -1) == (1, 11)  # 11 may become 10, weight 1
    assert search.cost(("a", "k"), 1) == (1, 11)


def test_a_record_moves_between_any_two_leaves_or_comes_in_from_outside() -> None:
    parents = {"r": None, "s": "r", "m1": "s", "m2": "s", "m3": "r", "o": "r"}
    search = suppression._Search(Table(parents, [], {}, {}))
    assert search.leaves == ["m1", "m2", "m3", "o"]
    assert search.path("m1") == {"m1": 1, "s": 1, "r": 1}
    assert search.area_moves("m1") == [
        {"m1": 1, "m2": -1},
        {"m1": 1, "s": 1, "r": 1},
        {"m1": 1, "s": 1, "m3": -1},
        {"m1": 1, "s": 1, "o": -1},
    ]
    assert {frozenset(m.items()) for m in search.area_moves("s")} == {
        frozenset({("m1", 1), ("s", 1), ("r", 1)}),
        frozenset({("m2", 1), ("s", 1), ("r", 1)}),
        *(frozenset({(u, 1), ("s", 1), (v, -1)}) for u in ("m1", "m2") for v in ("m3", "o")),
    }
    assert [len(m) for m in search.area_moves("r")] == [2, 2, 3, 3]  # m3, o; m1, m2


def test_a_witness_costs_its_newly_suppressed_cells_and_is_mended_to_keep_parts_below_totals() -> (
    None
):
    # every contact of b names type t1: a contact less in b must be one naming t1
    values = {("a", "T"): 12, ("a", "t1"): 12, ("a", "t2"): 3, ("b", "T"): 20, ("b", "t1"): 20}
    values |= {("b", "t2"): 11, ("r", "T"): 32, ("r", "t1"): 32, ("r", "t2"): 14}
    t = Table(
        TWO, ["T", "t1", "t2"], values, {}, at_most=[("t1", "T"), ("t2", "T")], weights={"T": 4}
    )
    search = suppression._Search(t)
    move = Move(fixed={"T": 1}, groups=(({}, {"t2": 1}, {"t1": 1}),))
    b_for_a = {"b": 1, "a": -1}
    assert search.attempt(b_for_a, move, -1) == (
        (10, 64),
        {("b", "T"): -1, ("a", "T"): 1, ("b", "t1"): -1, ("a", "t1"): 1},
    )
    assert search.attempt(b_for_a, move, 1) == (
        (10, 64),
        {("b", "T"): 1, ("a", "T"): -1, ("b", "t1"): 1, ("a", "t1"): -1},
    )
    assert search.attempt(b_for_a, Move(fixed={"T": 1}, groups=(({}, {"t2": 1}),)), -1) is None
    assert search.attempt(b_for_a, Move(fixed={"T": 1}, groups=(({"z": 1},),)), 1) is None  # 0s
    assert search.attempt(b_for_a, Move(fixed={"z": 1}), 1) is None
    assert search.apply({"a": 1}, {"t2": 1, "T": 1}, -1) == (
        (4, 12),
        {("a", "t2"): -1, ("a", "T"): -1},
    )
    assert search.apply({"a": 1}, {}, 1) == ((0, 0), {})
    # a part at most its total, where nothing was before
    assert search.within({"c": 1}, {("c", "T"): 1, ("c", "t1"): 1})
    assert not search.within({"c": 1}, {("c", "t1"): 1})
    assert not search.within({"a": 1}, {("a", "T"): -1})
    assert search.within({"b": 1}, {("b", "t2"): 1})
    assert not search.within({"b": 1}, {("b", "t1"): 1})
    assert search.within({"a": 1}, {("a", "t2"): -1})
    assert search.within({"a": 1}, {("a", "x"): 5})


def test_the_cheapest_part_of_each_group_is_taken_and_one_group_mended_at_a_time() -> None:
    values = {("a", "T"): 12, ("a", "t1"): 12, ("a", "t2"): 3, ("a", "x"): 20, ("a", "y"): 30}
    values |= {("d", "T"): 10, ("d", "t1"): 9, ("c", "t2"): 5}  # c: no total, untouched
    t = Table(TWO, ["T", "t1", "t2", "x", "y"], values, {}, at_most=[("t1", "T"), ("t2", "T")])
    search = suppression._Search(t)
    # a contact less: it names t1 (t2 is cheaper, but every contact names t1)
    move = Move(fixed={"T": 1}, groups=(({"x": 1},), ({"t2": 1}, {"t1": 1}), ({"y": 1},)))
    assert search.attempt({"a": 1}, move, -1) == (
        (4, 74),
        {("a", "T"): -1, ("a", "x"): -1, ("a", "t1"): -1, ("a", "y"): -1},
    )
    cheap = Move(fixed={"x": 1}, groups=(({"t2": 1}, {"y": 1}),))
    assert search.attempt({"a": 1}, cheap, 1) == ((1, 20), {("a", "x"): 1, ("a", "t2"): 1})
    assert search.within({"c": 1}, {("c", "x"): 1})  # untouched pairs are not checked
    assert search.within({"d": 1}, {("d", "T"): -1})  # a part may equal its total
    assert search.within({"d": 1}, {("d", "t1"): 1})


def test_a_heavier_total_is_suppressed_only_when_no_lighter_cells_will_do() -> None:
    rows = {"a": {"T": 23, "p1": 3, "p2": 20}, "b": {"T": 45, "p1": 15, "p2": 30}}
    light = replace(
        table(rows, SPLIT),
        weights={"T": 1},
        moves={"p1": [Move(fixed={"p1": 1, "T": 1})], "T": [], "p2": [], "p3": []},
    )
    # one record more in a's p1 and total, and one less in b's (smaller than the region's)
    found = suppression.protect(light)
    assert {c for c, m in found.markers.items() if m == "x"} == {
        ("a", "T"),
        ("b", "T"),
        ("b", "p1"),
    }
    heavy = replace(
        light,
        moves={**light.moves, "p1": [*light.moves["p1"], Move(fixed={"p1": 1, "p2": -1})]},
        weights={"T": 5},
    )
    found = suppression.protect(heavy)
    assert {c for c, m in found.markers.items() if m == "x"} == {
        ("a", "p2"),
        ("b", "p1"),
        ("b", "p2"),
    }


def test_only_shown_or_protected_small_counts_of_shown_areas_get_a_witness() -> None:
    parents = {"r": None, "a": "r", "b": "r", "o": "r"}
    rows = {"a": {"D": 40, "W": 30, "L": 10}, "b": {"D": 50, "W": 35, "L": 15}}
    rest = table({**rows, "o": {"D": 12, "W": 10, "L": 2}}, NESTED, parents, frozenset({"o"}))
    assert suppression.protect(rest).markers == {}  # the rest's 2 late locate no one
    rows["a"] = {"D": 40, "W": 37, "L": 3}
    unprotected = replace(table(rows, NESTED, parents, frozenset({"o"})), sensitive=frozenset())
    assert suppression.protect(unprotected).markers == {}  # a count never shown, not protected
    assert suppression.protect(replace(unprotected, sensitive=frozenset({"L"}))).markers


def test_the_region_comes_first_then_its_parts_each_in_the_order_of_the_measures() -> None:
    parents = {"r": None, "a": "r", "o": "r"}
    t = table({"o": {"T": 2, "p2": 2}, "a": {"T": 5, "p1": 5}}, SPLIT, parents, frozenset({"o"}))
    t = replace(t, values=dict(reversed(list(t.values.items()))))
    found = suppression.protect(t)
    assert list(found.witnesses) == [("r", "T"), ("r", "p2")]  # they move a's cells too
    # two municipalities: the first by key protects the other with the same rectangle
    t = table({"a": {"T": 23, "p1": 3, "p2": 20}, "b": {"T": 38, "p1": 8, "p2": 30}}, SPLIT)
    found = suppression.protect(replace(t, values=dict(reversed(list(t.values.items())))))
    assert list(found.witnesses) == [("a", "p1")]


@pytest.mark.parametrize("seed", range(12))
def test_random_tables_leave_no_suppressed_cell_determined(seed: int) -> None:
    """Two levels of areas, a split with a never-shown complement: whatever the counts,
    every witness holds and linear programming finds no suppressed cell determined."""
    rng = random.Random(seed)
    parents = {
        "r": None,
        "s1": "r",
        "s2": "r",
        "m1": "s1",
        "m2": "s1",
        "m3": "s2",
        "m4": "r",
        "o": "r",
    }
    family = protection.tree_family(
        ["T", "p1", "p2", "p3", "q"], [("T", ("p1", "p2", "p3")), ("p3", ("q",))]
    )
    family = protection.tree_family(
        ["T", "p1", "p2", "p3", "rest"],
        [("T", ("p1", "p2", "p3", "rest"))],
        unpublished=["rest"],
    )
    rows = {}
    for leaf in ("m1", "m2", "m3", "m4", "o"):
        parts = {
            p: rng.choice([0, 0, 1, 2, 5, 9, 10, 11, 14, 30]) for p in ("p1", "p2", "p3", "rest")
        }
        rows[leaf] = {**parts, "T": sum(parts.values())}
    t = table(rows, family, parents, frozenset({"o"}))
    found = suppression.protect(t)
    if found.withheld:
        assert set(found.markers) == {
            (a, m) for a in parents if a != "o" for m in ("T", "p1", "p2", "p3")
        }
    else:
        valid(t, found)


def _history(desk: Desk, n: int) -> None:
    for i in range(n):
        contact = desk.report(moment("2026-03-02"), [person(i)])
        assert contact.dossier is not None
        desk.decide(contact.dossier, moment("2026-03-04"), AssessmentDecision.END)
    desk.refresh()


def test_a_policy_officer_sees_small_counts_suppressed(
    desk: Desk, world: World, settings: Any
) -> None:
    _history(desk, 4)
    officer = world.actor(RoleCode.POLICY_OFFICER, "other_org")
    scope = Scope(region=world.region)
    seen = selectors.kpis(actor=officer, scope=scope, as_of=dt.date(2027, 6, 1), **MARCH)
    assert seen["volumes"]["reports"]["count"] == "<10"
    assert seen["volumes"]["reports"]["per_10000"] == "<10"
    assert seen["volumes"]["advice_requests"]["count"] == 0
    assert seen["reports"]["police_share"] == "<10"
    assert seen["reports"]["by_reporter"][ReporterCategory.JUSTICE_SECURITY] == {
        "count": "<10",
        "share": "<10",
    }
    assert seen["timeliness"]["assessments"]["share"] == "<10"
    assert seen["timeliness"]["assessments"]["meets_norm"] is None
    assert seen["repeat"] == {
        "closed": "<10",
        "not_yet_followed": 0,
        "followed": "<10",
        "repeated": 0,
        "share": "<10",
    }
    # every number a policy officer gets is 0, 10 or more, or a share over 10 or more
    settings.KETENRADAR_SMALL_COUNT_THRESHOLD = 3
    lower = selectors.kpis(actor=officer, scope=scope, as_of=dt.date(2027, 6, 1), **MARCH)
    assert lower["volumes"]["reports"]["count"] == 4
    assert lower["timeliness"]["assessments"]["share"] == 1.0
    assert lower["timeliness"]["assessments"]["meets_norm"] is True


def test_no_count_below_the_threshold_reaches_a_policy_officer(desk: Desk, world: World) -> None:
    _history(desk, 12)
    officer = world.actor(RoleCode.POLICY_OFFICER, "other_org")
    seen = selectors.kpis(
        actor=officer, scope=Scope(region=world.region), as_of=dt.date(2027, 6, 1), **MARCH
    )

    def numbers(value: Any) -> list[int]:
        if isinstance(value, dict):
            return [n for v in value.values() for n in numbers(v)]
        if isinstance(value, (list, tuple)):
            return [n for v in value for n in numbers(v)]
        return [value] if isinstance(value, int) and not isinstance(value, bool) else []

    counts = numbers(seen)
    assert 12 in counts
    assert all(n == 0 or n >= 10 or n in (3, 12, 18) for n in counts)  # months are keys only


def test_unsuppressed_figures_and_other_regions_are_refused(desk: Desk, world: World) -> None:
    officer = world.actor(RoleCode.POLICY_OFFICER, "other_org")
    with pytest.raises(PermissionDenied):
        selectors.volumes(
            actor=officer, scope=Scope(region=world.region), suppressed=False, **MARCH
        )
    with pytest.raises(PermissionDenied):
        selectors.volumes(actor=officer, scope=Scope(region=world.other_region), **MARCH)
    outsider = world.actor(RoleCode.PROFESSIONAL, "other_org")
    with pytest.raises(PermissionDenied):
        selectors.volumes(actor=outsider, scope=Scope(region=world.region), **MARCH)
