"""The linked tables of a period (monitor/protection.py): the area tree, the periods and
their classes of days, and the families' moves (docs/monitor.md#small-counts). No database,
the mutation check of the module runs these first (tools/mutation/config.toml); the last
test reads the area tree from the database."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from ketenradar.conftest import World
from ketenradar.core.tests.factories import MunicipalityFactory
from ketenradar.monitor import protection, suppression
from ketenradar.monitor.protection import Areas, Figures, Timeline
from ketenradar.monitor.suppression import Move, Protection, Table
from ketenradar.regions.models import Municipality, Region, Subregion

D = dt.date


def spans(line: Timeline, name: str) -> list[tuple[dt.date, dt.date]]:
    return line.spans[line.names.index(name)]


def test_the_trend_shows_the_pages_12_months_and_the_council_reports_up_to_36() -> None:
    months = protection.trend_months(D(2026, 3, 1), D(2026, 3, 31))
    assert months[0] == D(2025, 4, 1) and months[-1] == D(2026, 3, 1) and len(months) == 12
    two = protection.trend_months(D(2024, 4, 10), D(2026, 3, 31))
    assert two[0] == D(2024, 4, 1) and len(two) == 24
    three = protection.trend_months(D(2023, 1, 1), D(2026, 3, 5))
    assert three[0] == D(2023, 4, 1) and len(three) == 36
    assert protection.month_key(D(2026, 3, 1)) == "m:2026-03"
    assert protection.month_end(D(2024, 2, 1)) == D(2024, 2, 29)
    assert protection.add_months(D(2025, 12, 31), 2) == D(2026, 2, 1)


def test_a_calendar_month_and_the_30_days_before_it_cut_one_month_in_two() -> None:
    april = protection.timeline(D(2026, 4, 1), D(2026, 4, 30), (D(2026, 3, 2), D(2026, 3, 31)))
    assert len(april.months) == 12
    assert april.previous == (D(2026, 3, 2), D(2026, 3, 31))
    assert april.periods() == ["P", "prev", *(f"m:{m:%Y-%m}" for m in april.months)]
    # April is the period; March is the previous period but for 1 March
    assert april.names.count("P") == 1 and spans(april, "P") == [(D(2026, 4, 1), D(2026, 4, 30))]
    assert spans(april, "prev") == [(D(2026, 3, 2), D(2026, 3, 31))]
    (first,) = (n for n in april.names if n.startswith("c:"))
    assert spans(april, first) == [(D(2026, 3, 1), D(2026, 3, 1))]
    # it follows from March and the previous period: protected when small
    assert april.sensitive == {first: (april.names.index(first),)}
    assert april.change(april.names.index(first)) == {"m:2026-03": 1, first: 1}
    assert april.change(april.names.index("prev")) == {"m:2026-03": 1, "prev": 1}
    assert april.change(april.names.index("P")) == {"m:2026-04": 1, "P": 1}
    assert april.in_period(april.names.index("P"))
    assert not april.in_period(april.names.index(first))
    assert april.class_of(D(2026, 3, 1)) == april.names.index(first)
    assert april.class_of(D(2024, 1, 1)) is None


def test_a_period_on_no_month_boundary_ties_pairs_of_pieces() -> None:
    line = protection.timeline(D(2026, 3, 15), D(2026, 4, 14), (D(2026, 2, 12), D(2026, 3, 14)))
    pieces = {spans(line, n)[0][0].isoformat(): n for n in line.names if n.startswith("c:")}
    assert sorted(pieces) == [
        "2026-02-01",
        "2026-02-12",
        "2026-03-01",
        "2026-03-15",
        "2026-04-01",
        "2026-04-15",
    ]
    a, b, c, d, e, f = (line.names.index(pieces[k]) for k in sorted(pieces))
    # none follows alone; the pairs that follow and are no period of their own do
    assert set(line.sensitive.values()) == {(a, d), (a, f), (b, e), (c, f)}
    assert all(name == f"c:{i}+{j}" for name, (i, j) in line.sensitive.items())
    assert line.change(a) == {
        "m:2026-02": 1,
        pieces["2026-02-01"]: 1,
        f"c:{a}+{d}": 1,
        f"c:{a}+{f}": 1,
    }


def test_a_half_year_and_the_days_before_it_outside_the_trend() -> None:
    h1 = protection.timeline(D(2026, 1, 1), D(2026, 6, 30), (D(2025, 7, 4), D(2025, 12, 31)))
    assert "P" not in h1.names and "prev" not in h1.names  # six months each
    assert len([n for n in h1.names if n.startswith("c:")]) == 2  # 1-3 and 4-31 July
    long = protection.timeline(D(2023, 7, 1), D(2026, 6, 30), (D(2020, 7, 2), D(2023, 6, 30)))
    assert len(long.months) == 36
    assert "prev" in long.names  # entirely before the trend's months: a class of its own
    assert spans(long, "prev") == [(D(2020, 7, 2), D(2023, 6, 30))]


def test_days_of_the_periods_before_the_trend_are_a_piece_that_follows_too() -> None:
    # three years from mid-March: the previous period reaches back before the 36 months
    line = protection.timeline(D(2023, 3, 15), D(2026, 2, 28), (D(2020, 3, 29), D(2023, 3, 14)))
    assert line.months[0] == D(2023, 3, 1) and len(line.months) == 36
    pieces = {spans(line, n)[0]: n for n in line.names if n.startswith("c:")}
    assert sorted(pieces) == [
        (D(2020, 3, 29), D(2023, 2, 28)),  # the previous period before the trend
        (D(2023, 3, 1), D(2023, 3, 14)),
        (D(2023, 3, 15), D(2023, 3, 31)),
    ]
    # the period minus its whole months, March minus that, the previous period minus that
    assert set(line.sensitive) == set(pieces.values())
    assert all(len(v) == 1 for v in line.sensitive.values())


def test_a_period_on_no_boundary_with_its_previous_before_the_trend_ties_pieces_in_pairs() -> None:
    line = protection.timeline(D(2026, 3, 14), D(2026, 9, 11), (D(2025, 9, 13), D(2026, 3, 13)))
    pairs = {tuple(line.spans[i][0] for i in pair) for pair in line.sensitive.values()}
    assert pairs == {
        # the previous period minus its whole months (October to February)
        ((D(2025, 9, 13), D(2025, 9, 30)), (D(2026, 3, 1), D(2026, 3, 13))),
        # the period minus its whole months (April to August)
        ((D(2026, 3, 14), D(2026, 3, 31)), (D(2026, 9, 1), D(2026, 9, 11))),
        # and the pieces those two sums tie to the months they cut
        ((D(2025, 9, 13), D(2025, 9, 30)), (D(2026, 9, 1), D(2026, 9, 11))),
        ((D(2026, 3, 1), D(2026, 3, 13)), (D(2026, 9, 12), D(2026, 9, 30))),
    }


def timelines() -> list[Timeline]:
    return [
        protection.timeline(D(2026, 4, 1), D(2026, 4, 30), (D(2026, 3, 2), D(2026, 3, 31))),
        protection.timeline(D(2026, 3, 15), D(2026, 4, 14), (D(2026, 2, 12), D(2026, 3, 14))),
        protection.timeline(D(2026, 1, 1), D(2026, 6, 30), (D(2025, 7, 4), D(2025, 12, 31))),
        protection.timeline(D(2023, 3, 1), D(2026, 2, 28), (D(2020, 3, 2), D(2023, 2, 28))),
    ]


@pytest.mark.parametrize("index", range(4))
def test_every_move_of_the_contacts_keeps_every_relation(index: int) -> None:
    line = timelines()[index]
    for earlier in ((), ("a", "b", "c", "d")):
        family = protection.contact_family(
            line, reporters=["x", "y", "z"], types=["t", "u"], earlier=earlier, follow_up=("c", "d")
        )
        table = Table({"r": None}, family.measures, {}, family.moves, family.relations)
        suppression.check(table)  # raises on a move that breaks a relation
        assert all(family.moves[m] for m in family.measures)  # every cell can be moved
        measures = set(family.measures)
        assert all(set(mv.fixed) <= measures for ms in family.moves.values() for mv in ms)
        ranges = line.periods()
        assert set(ranges) <= measures and family.at_most == [("typ:t", "P"), ("typ:u", "P")]
        # every range is the sum of its classes
        for r in ranges:
            members = tuple(
                dict.fromkeys(n for n, c in zip(line.names, line.classes, strict=True) if r in c)
            )
            assert (r, members) in family.relations


def test_the_contacts_measures_relations_and_what_is_shown() -> None:
    line = timelines()[0]
    (first,) = (n for n in line.names if n.startswith("c:"))  # 1 March; 2-31 March is prev
    family = protection.contact_family(
        line, reporters=["x", "y"], types=["t"], earlier=["a", "b", "c"], follow_up=["b", "c"]
    )
    assert family.relations[:3] == [
        ("P", ("rep:x", "rep:y")),
        ("P", ("ear:a", "ear:b", "ear:c")),
        ("fu", ("ear:b", "ear:c")),
    ]
    assert ("m:2026-03", (first, "prev")) in family.relations
    assert family.unpublished == {n for n in line.names if n.startswith("c:")}
    assert family.sensitive == set(line.sensitive) == {first}
    assert family.weights == {"P": 2}
    assert family.measures[-1] == "fu"
    moves = family.moves
    assert Move(fixed={"rep:x": 1, "rep:y": -1}) in moves["rep:x"]
    assert Move(fixed={"ear:a": 1, "ear:b": -1, "fu": -1}) in moves["ear:a"]
    assert Move(fixed={"ear:b": 1, "ear:c": -1}) in moves["ear:b"]
    assert Move(fixed={"ear:b": 1, "fu": 1, "ear:a": -1}) in moves["fu"]
    assert Move(fixed={"ear:c": 1, "fu": 1, "ear:a": -1}) in moves["fu"]
    assert Move(fixed={"typ:t": 1}) in moves["typ:t"]  # a contact naming one type more
    when = ({"P": 1, "m:2026-04": 1},)
    groups: tuple[tuple[dict[str, int], ...], ...] = (
        ({"rep:x": 1}, {"rep:y": 1}),
        ({"ear:a": 1}, {"ear:b": 1, "fu": 1}, {"ear:c": 1, "fu": 1}),
        ({}, {"typ:t": 1}),
    )
    assert Move(fixed={"P": 1, "m:2026-04": 1}, groups=groups) in moves["P"]
    assert Move(fixed={"rep:x": 1}, groups=(when, *groups[1:])) in moves["rep:x"]
    assert Move(fixed={"ear:b": 1, "fu": 1}, groups=(when, groups[0], groups[2])) in moves["ear:b"]
    assert (
        Move(fixed={"fu": 1}, groups=(when, groups[0], ({"ear:b": 1}, {"ear:c": 1}), groups[2]))
        in moves["fu"]
    )
    # a record moved from 1 March to the rest of March changes the previous period only
    assert Move(fixed={first: 1, "prev": -1}) in moves["prev"]  # and back, with sign -1
    # no record moves into or out of the period: it would take its reporter along
    assert not any("P" in mv.fixed for mv in moves["m:2026-03"])
    advice = protection.contact_family(line, reporters=["x"], types=["t"], attributes_shown=False)
    assert {"rep:x", "typ:t"} <= advice.unpublished and "fu" not in advice.measures
    assert [r for r in advice.relations if r[0] == "fu"] == []


def test_a_tree_of_splits_moves_a_record_to_a_sibling_or_adds_one_with_its_totals() -> None:
    family = protection.tree_family(
        ["closed", "followed", "later", "repeated", "not"],
        [("closed", ("followed", "later")), ("followed", ("repeated", "not"))],
        unpublished=["not"],
    )
    assert family.unpublished == family.sensitive == {"not"}
    assert family.relations == [
        ("closed", ("followed", "later")),
        ("followed", ("repeated", "not")),
    ]
    below = (({"repeated": 1}, {"not": 1}),)
    assert family.moves["followed"] == [
        Move(fixed={"followed": 1, "later": -1}, groups=below),
        Move(fixed={"followed": 1, "closed": 1}, groups=below),
    ]
    assert family.moves["later"] == [
        Move(fixed={"later": 1, "followed": -1}, groups=(({"repeated": -1}, {"not": -1}),)),
        Move(fixed={"later": 1, "closed": 1}),
    ]
    assert family.moves["repeated"][-1] == Move(fixed={"repeated": 1, "followed": 1, "closed": 1})
    grown = (({"followed": 1, "repeated": 1}, {"followed": 1, "not": 1}, {"later": 1}),)
    assert family.moves["closed"] == [Move(fixed={"closed": 1}, groups=grown)]
    suppression.check(Table({"r": None}, family.measures, {}, family.moves, family.relations))
    alone = protection.tree_family(["n"])
    assert alone.moves == {"n": [Move(fixed={"n": 1})]} and alone.relations == []


def areas() -> Areas:
    return Areas(
        region=Region(name="R"),
        parents={"r": None, "o": "r", "s1": "r", "m4": "s1", "m1": "s1", "m2": "s1", "m3": "r"},
        names={"r": "R", "o": "", "s1": "S", "m1": "B", "m2": "A", "m3": "C", "m4": "B"},
        inhabitants={"m1": 10},
    )


def test_the_area_tree() -> None:
    a = areas()
    assert a.leaf(1) == "m1" and a.leaf(None) == "o" and a.leaf(99) == "o"
    assert a.municipalities("r") == ["m2", "m1", "m4", "m3"]  # by name, then key
    assert a.municipalities("s1") == ["m2", "m1", "m4"] and a.municipalities("m3") == ["m3"]
    assert a.ancestors("m1") == ["m1", "s1", "r"]
    totals = a.totals({"m1": Counter(n=2), "m2": Counter(n=3), "o": Counter(n=1, k=4)})
    assert totals == {
        ("m1", "n"): 2,
        ("s1", "n"): 5,
        ("r", "n"): 6,
        ("m2", "n"): 3,
        ("o", "n"): 1,
        ("o", "k"): 4,
        ("r", "k"): 4,
    }


def test_figures_as_shown(settings: object) -> None:
    values = {("r", "n"): 30, ("r", "k"): 4, ("r", "m"): 12, ("r", "z"): 0}
    markers = {("r", "k"): "<10", ("r", "m"): "x"}
    f = Figures(values, Protection(markers=markers, witnesses={}))
    assert [f.n("r", m) for m in "nkmz"] == [30, "<10", "x", 0]
    assert f.raw("r", "k") == 4 and f.raw("a", "n") == 0
    assert f.marker("r", "n") is None
    assert f.marker("r", "n", "m") == "x" and f.marker("r", "m", "k") == "<10"
    assert f.share("r", "n", "z") is None  # nothing to divide
    assert f.share("r", "m", "n") == "x" and f.share("r", "k", "n") == "<10"
    assert f.share("r", "z", "n") == 0.0
    raw = Figures(values | {("r", "d"): 5}, None)
    assert raw.hidden("r", "k") is None and raw.n("r", "k") == 4
    assert raw.share("r", "k", "n") == 4 / 30 and raw.share("r", "k", "d") == 0.8
    assert raw.share("r", "k", "z") is None
    family = protection.tree_family(["n"])
    assert protection.protect(areas(), {}, family, suppressed=False).protection is None
    found = protection.protect(
        areas(), {("m1", "n"): 3, ("s1", "n"): 3, ("r", "n"): 3}, family, True
    )
    assert found.protection is not None and found.n("m1", "n") == "<10"


def test_the_regions_areas_come_from_its_subregions_and_municipalities(world: World) -> None:
    haag = Municipality.objects.get(cbs_code="GM0518")
    haag.inhabitants = 500
    haag.save()
    zuid = Subregion.objects.create(region=world.region, name="Zuid")
    delft = MunicipalityFactory(region=world.region, subregion=zuid, name="Delft", inhabitants=100)
    leiden = MunicipalityFactory(region=world.region, subregion=zuid, name="Leiden", inhabitants=0)
    elders = Subregion.objects.create(region=world.other_region, name="Elders")
    MunicipalityFactory(region=world.other_region, subregion=elders, name="Elders", inhabitants=7)
    a = protection.areas_of(world.region)
    s, d, h, le = f"s{zuid.pk}", f"m{delft.pk}", f"m{haag.pk}", f"m{leiden.pk}"
    assert a.parents == {"r": None, "o": "r", s: "r", h: "r", d: s, le: s}
    assert a.names == {
        "r": "Haaglanden",
        "o": "",
        s: "Zuid",
        h: "Den Haag",
        d: "Delft",
        le: "Leiden",
    }
    assert a.inhabitants == {h: 500, d: 100, le: 0, s: 100, "r": 600}
    assert a.region == world.region


def test_a_familys_relations_bounds_and_hidden_rest_reach_the_suppression() -> None:
    a = areas()
    broken = protection.Family(
        ["T", "p"], {"p": [Move(fixed={"p": 1})]}, [("T", ("p",))], [], frozenset(), frozenset(), {}
    )
    with pytest.raises(ValueError):
        protection.protect(a, {("m1", "p"): 3}, broken, suppressed=True)
    # every contact of m2 names the type: one less must be one naming it
    typed = protection.Family(
        ["T", "t"],
        {"T": [Move(fixed={"T": 1}, groups=(({}, {"t": 1}),))], "t": [Move(fixed={"t": 1})]},
        [],
        [("t", "T")],
        frozenset(),
        frozenset(),
        {},
    )
    leaves = {"m1": Counter(T=5, t=5), "m2": Counter(T=20, t=20), "o": Counter(T=3, t=3)}
    found = protection.protect(a, a.totals(leaves), typed, suppressed=True)
    assert found.protection is not None
    assert not any(area == "o" for area, _ in found.protection.markers)  # the rest: never shown
    changed = found.protection.witnesses[("m1", "T")]
    for area in {a for a, _ in changed}:  # the type stays at most the contacts everywhere
        assert found.raw(area, "t") + changed.get((area, "t"), 0) <= found.raw(
            area, "T"
        ) + changed.get((area, "T"), 0)


def test_what_is_never_shown_stays_unmarked_and_weights_choose_between_witnesses() -> None:
    a = areas()
    nested = protection.tree_family(["D", "W", "L"], [("D", ("W", "L"))], unpublished=["L"])
    leaves = {"m1": Counter(D=23, W=20, L=3), "m2": Counter(D=42, W=30, L=12)}
    found = protection.protect(a, a.totals(leaves), nested, suppressed=True)
    assert found.protection is not None
    assert not any(m == "L" for _, m in found.protection.markers)  # 3 late: never shown
    assert found.n("m1", "W") == "x" and found.n("m1", "D") == 23
    # a record more in a takes one more in b or in c: b is dearer
    moves = {
        "a": [Move(fixed={"a": 1, "b": 1}), Move(fixed={"a": 1, "c": 1})],
        "b": [Move(fixed={"b": 1})],
        "c": [Move(fixed={"c": 1})],
    }
    family = protection.Family(["a", "b", "c"], moves, [], [], frozenset(), frozenset(), {"b": 5})
    leaves = {"m1": Counter(a=3, b=20, c=20), "m2": Counter(a=15, b=20, c=20)}
    found = protection.protect(a, a.totals(leaves), family, suppressed=True)
    assert found.protection is not None
    assert {c for c, m in found.protection.markers.items() if m == "x"} == {
        ("m2", "a"),
        ("m1", "c"),
        ("m2", "c"),
    }
