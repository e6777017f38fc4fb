"""The monitor's counts of one period as linked tables, protected together
(docs/monitor.md#small-counts).

Every count a policy officer can see for a period is a cell of a table of one *family* (the
reports, the advice requests, the safety assessments, ...): an area of the region (the
region, a subregion, a municipality, or the rest: facts without a municipality of the
region, never shown) by a measure (a total, a part of a split, a month of the trend).
``suppression.protect`` suppresses the whole region's table at once, so the same cells are
suppressed whichever page, export, chart or report shows them. The KPI selectors read their
figures through ``Figures``.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

from ketenradar.monitor import suppression
from ketenradar.monitor.suppression import Move, Protection, Table
from ketenradar.regions.models import Municipality, Region, Subregion

if TYPE_CHECKING:
    from ketenradar.monitor.suppression import Cell

ROOT = "r"
REST = "o"  # facts without a municipality of the region: in the region's figures only


@dataclass(frozen=True)
class Areas:
    """The region's area tree: ``"r"`` the region, ``"s<pk>"`` its subregions, ``"m<pk>"``
    its municipalities (under their subregion, or the region), and ``"o"`` the rest."""

    region: Region
    parents: dict[str, str | None]
    names: dict[str, str]
    inhabitants: dict[str, int]

    def leaf(self, municipality_id: int | None) -> str:
        key = f"m{municipality_id}"
        return key if key in self.parents else REST

    def municipalities(self, area: str) -> list[str]:
        """The municipalities in ``area`` (itself, for a municipality), by name."""
        inside = [a for a in self.parents if a.startswith("m") and area in self.ancestors(a)]
        return sorted(inside, key=lambda a: (self.names[a], a))

    def ancestors(self, area: str) -> list[str]:
        """The area itself and every area above it."""
        out = []
        current: str | None = area
        while current is not None:
            out.append(current)
            current = self.parents[current]
        return out

    def totals(self, leaves: Mapping[str, Counter[str]]) -> dict[Cell, int]:
        """Every area's counts: the sum of its leaves'."""
        out: Counter[Cell] = Counter()
        for leaf, counts in leaves.items():
            for area in self.ancestors(leaf):
                for measure, n in counts.items():
                    out[(area, measure)] += n
        return dict(out)


def areas_of(region: Region) -> Areas:
    parents: dict[str, str | None] = {ROOT: None, REST: ROOT}
    names = {ROOT: region.name, REST: ""}
    inhabitants: Counter[str] = Counter()
    for s in Subregion.objects.filter(region=region).order_by("pk"):
        parents[f"s{s.pk}"] = ROOT
        names[f"s{s.pk}"] = s.name
    for m in Municipality.objects.filter(region=region).order_by("pk"):
        key = f"m{m.pk}"
        parent = f"s{m.subregion_id}" if f"s{m.subregion_id}" in parents else ROOT
        parents[key] = parent
        names[key] = m.name
        for area in (key, parent, *([ROOT] if parent != ROOT else [])):
            inhabitants[area] += m.inhabitants
    return Areas(region=region, parents=parents, names=names, inhabitants=dict(inhabitants))


@dataclass(frozen=True)
class Figures:
    """The counts of one family for every area, as they may be shown: a suppressed count is
    its marker (``<10`` small, ``x`` suppressed so that a small one cannot be worked out)."""

    values: Mapping[Cell, int]
    protection: Protection | None  # None: unsuppressed (internal checks)

    def raw(self, area: str, measure: str) -> int:
        return self.values.get((area, measure), 0)

    def hidden(self, area: str, measure: str) -> str | None:
        if self.protection is None:
            return None
        return self.protection.markers.get((area, measure))

    def n(self, area: str, measure: str) -> suppression.Count:
        return self.hidden(area, measure) or self.raw(area, measure)

    def marker(self, area: str, *measures: str) -> str | None:
        """The marker of a figure computed from these counts: ``<10`` if one is small,
        ``x`` if one is suppressed otherwise, None if all are shown."""
        found = {self.hidden(area, m) for m in measures} - {None}
        if not found:
            return None
        return suppression.marker() if suppression.marker() in found else suppression.SECONDARY

    def share(self, area: str, numerator: str, denominator: str) -> suppression.Share:
        """A part of a total: suppressed when either is (a share and its total give the
        part back); None over 0."""
        return self.marker(area, numerator, denominator) or suppression.share(
            self.raw(area, numerator), self.raw(area, denominator), suppress=False
        )


def protect(areas: Areas, values: Mapping[Cell, int], family: Family, suppressed: bool) -> Figures:
    if not suppressed:
        return Figures(values=values, protection=None)
    table = Table(
        parents=areas.parents,
        measures=family.measures,
        values=values,
        moves=family.moves,
        relations=family.relations,
        at_most=family.at_most,
        hidden_areas=frozenset({REST}),
        unpublished=family.unpublished,
        sensitive=family.sensitive,
        weights=family.weights,
    )
    return Figures(values=values, protection=suppression.protect(table))


@dataclass(frozen=True)
class Family:
    """The measures of one family, the relations between them and the moves that keep them."""

    measures: list[str]
    moves: dict[str, list[Move]]
    relations: list[tuple[str, tuple[str, ...]]]
    at_most: list[tuple[str, str]]
    unpublished: frozenset[str]
    sensitive: frozenset[str]
    weights: dict[str, int]


def _merge(*changes: Mapping[str, int]) -> dict[str, int]:
    out: Counter[str] = Counter()
    for change in changes:
        out.update(change)
    return {m: d for m, d in out.items() if d}


def _negated(change: Mapping[str, int]) -> dict[str, int]:
    return {m: -d for m, d in change.items()}


def tree_family(
    measures: Sequence[str],
    splits: Sequence[tuple[str, Sequence[str]]] = (),
    unpublished: Iterable[str] = (),
) -> Family:
    """A family whose measures form trees: each measure is a part of at most one split (a
    total and the parts that sum to it); an unpublished part (a complement such as decided
    late) is protected when small. Moves: one record more in a measure (and in each of its
    totals, and in one part of each of its own splits), or moved to a sibling part."""
    parent = {p: total for total, parts in splits for p in parts}
    below: dict[str, list[Sequence[str]]] = defaultdict(list)
    for total, parts in splits:
        below[total].append(parts)

    def expansions(m: str) -> list[dict[str, int]]:
        """Every way one record more in ``m`` reaches the leaves below it."""
        out = [{m: 1}]
        for parts in below[m]:
            out = [_merge(o, e) for o in out for p in parts for e in expansions(p)]
        return out

    def groups(m: str, less: bool = False) -> tuple[tuple[dict[str, int], ...], ...]:
        """One part of each split of ``m`` takes the record (or gives it, ``less``)."""
        return tuple(
            tuple(_negated(e) if less else e for p in parts for e in expansions(p))
            for parts in below[m]
        )

    moves: dict[str, list[Move]] = {}
    for m in measures:
        found = []
        siblings = next((parts for total, parts in splits if m in parts), ())
        for q in siblings:
            if q != m:
                found.append(Move(fixed={m: 1, q: -1}, groups=groups(m) + groups(q, less=True)))
        up, current = {m: 1}, parent.get(m)
        while current is not None:
            up[current] = 1
            current = parent.get(current)
        found.append(Move(fixed=up, groups=groups(m)))
        moves[m] = found
    hidden = frozenset(unpublished)
    return Family(
        measures=list(measures),
        moves=moves,
        relations=[(total, tuple(parts)) for total, parts in splits],
        at_most=[],
        unpublished=hidden,
        sensitive=hidden,
        weights={},
    )


# ------------------------------------------------------------------ contacts and time


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month, day=1)


def month_end(first: dt.date) -> dt.date:
    return add_months(first, 1) - dt.timedelta(days=1)


def month_key(first: dt.date) -> str:
    return f"m:{first:%Y-%m}"


@dataclass(frozen=True)
class Timeline:
    """The periods a page of ``start``..``end`` shows counts of: the period (``P``), the
    previous period of as many days (``prev``) and the months of the trend. Days in the same
    of these are a *class*; a class that is no period of its own (1 March, when the previous
    period is 2-31 March) is a measure never shown, protected when it can be worked out."""

    start: dt.date
    end: dt.date
    previous: tuple[dt.date, dt.date]
    months: list[dt.date]
    classes: list[frozenset[str]]  # the periods each class lies in
    spans: list[list[tuple[dt.date, dt.date]]]  # its days
    names: list[str]  # its measure: the period it is, or "c:<i>"
    sensitive: dict[str, tuple[int, ...]]  # unpublished boxes that can be worked out: classes

    def periods(self) -> list[str]:
        """The periods shown: the period, the previous one, the months of the trend."""
        return ["P", "prev", *(month_key(m) for m in self.months)]

    def class_of(self, day: dt.date) -> int | None:
        for i, spans in enumerate(self.spans):
            if any(a <= day <= b for a, b in spans):
                return i
        return None

    def change(self, i: int) -> dict[str, int]:
        """The time measures one record more on a day of class ``i`` changes."""
        out = dict.fromkeys(self.classes[i], 1)
        out[self.names[i]] = 1
        out.update({box: 1 for box, members in self.sensitive.items() if i in members})
        return out

    def in_period(self, i: int) -> bool:
        return "P" in self.classes[i]


def trend_months(start: dt.date, end: dt.date) -> list[dt.date]:
    """The months any output of the period shows: the page's 12 up to the end's month, and
    the council report's from the start's month (at most 36)."""
    last = add_months(end, 0)  # the first of its month
    first = min(add_months(last, -11), max(add_months(start, 0), add_months(last, -35)))
    return [
        add_months(first, i)
        for i in range((last.year - first.year) * 12 + last.month - first.month + 1)
    ]


def timeline(start: dt.date, end: dt.date, previous: tuple[dt.date, dt.date]) -> Timeline:
    months = trend_months(start, end)
    ranges = {"P": (start, end), "prev": previous}
    ranges.update({month_key(m): (m, month_end(m)) for m in months})
    cuts = sorted(
        {a for a, _ in ranges.values()} | {b + dt.timedelta(days=1) for _, b in ranges.values()}
    )
    by_membership: dict[frozenset[str], list[tuple[dt.date, dt.date]]] = {}
    for a, b in itertools.pairwise(cuts):
        inside = frozenset(
            r for r, (x, y) in ranges.items() if x <= a and b - dt.timedelta(days=1) <= y
        )
        if inside:
            by_membership.setdefault(inside, []).append((a, b - dt.timedelta(days=1)))
    classes = list(by_membership)
    spans = [by_membership[c] for c in classes]
    priority = ["P", "prev", *(month_key(m) for m in months)]
    names = []
    for i in range(len(classes)):
        alone = [r for r in priority if [j for j, c in enumerate(classes) if r in c] == [i]]
        names.append(alone[0] if alone else f"c:{i}")
    # which unpublished classes (and pairs of them) follow from the periods shown
    rows = [[Fraction(int(r in c)) for c in classes] for r in ranges]
    basis = _echelon(rows)
    own = [i for i, name in enumerate(names) if name.startswith("c:")]
    single = {i for i in own if _spanned(basis, [int(j == i) for j in range(len(classes))])}
    sensitive: dict[str, tuple[int, ...]] = {names[i]: (i,) for i in sorted(single)}
    loose = [i for i in own if i not in single]
    periods = [{i for i, c in enumerate(classes) if r in c} for r in ranges]
    for i, j in itertools.combinations(loose, 2):
        pair = [int(k in (i, j)) for k in range(len(classes))]
        if {i, j} not in periods and _spanned(basis, pair):
            sensitive[f"c:{i}+{j}"] = (i, j)
    return Timeline(start, end, previous, months, classes, spans, names, sensitive)


def _echelon(rows: list[list[Fraction]]) -> list[tuple[int, list[Fraction]]]:
    """The rows in echelon form (each zero in the pivots before its own, which is 1), each
    with its pivot column."""
    basis: list[tuple[int, list[Fraction]]] = []
    for row in rows:
        row = _reduce(basis, list(row))
        pivot = next((k for k, v in enumerate(row) if v), None)
        if pivot is None:
            continue
        basis.append((pivot, [v / row[pivot] for v in row]))
    return basis


def _reduce(basis: list[tuple[int, list[Fraction]]], row: list[Fraction]) -> list[Fraction]:
    for pivot, b in basis:
        factor = row[pivot]
        row = [a - factor * b[k] for k, a in enumerate(row)]
    return row


def _spanned(basis: list[tuple[int, list[Fraction]]], vector: list[int]) -> bool:
    return not any(_reduce(basis, [Fraction(v) for v in vector]))


def contact_family(
    line: Timeline,
    *,
    reporters: Sequence[str],
    types: Sequence[str],
    earlier: Sequence[str] = (),
    follow_up: Sequence[str] = (),
    attributes_shown: bool = True,
) -> Family:
    """The contacts of one kind: per period of the timeline, and for the period by reporter
    category, type of violence (several per contact: each at most the total) and, for
    reports, earlier involvement with the follow-up reports together."""
    rep = [f"rep:{c}" for c in reporters]
    typ = [f"typ:{t}" for t in types]
    ear = [f"ear:{e}" for e in earlier]
    fu = {f"ear:{e}" for e in follow_up}
    ranges = line.periods()
    boxes = [n for n in dict.fromkeys(line.names) if n.startswith("c:")] + list(line.sensitive)
    boxes = list(dict.fromkeys(boxes))
    measures = [*ranges, *boxes, *rep, *typ, *ear, *(["fu"] if earlier else [])]
    relations: list[tuple[str, tuple[str, ...]]] = [("P", tuple(rep))]
    if earlier:
        relations += [("P", tuple(ear)), ("fu", tuple(sorted(fu)))]
    for r in ranges:  # a period of one class of its own is its own sum: that holds too
        members = tuple(dict.fromkeys(line.names[i] for i, c in enumerate(line.classes) if r in c))
        relations.append((r, members))
    for box, indices in line.sensitive.items():
        relations.append((box, tuple(line.names[i] for i in indices)))

    def ear_change(e: str) -> dict[str, int]:
        return {e: 1, **({"fu": 1} if e in fu else {})}

    in_period = [i for i in range(len(line.classes)) if line.in_period(i)]
    when = tuple(line.change(i) for i in in_period)
    attribute_groups: tuple[tuple[dict[str, int], ...], ...] = (
        tuple({r: 1} for r in rep),
        *([tuple(ear_change(e) for e in ear)] if ear else []),
        ({}, *({t: 1} for t in typ)),
    )

    moves: dict[str, list[Move]] = defaultdict(list)
    # time: a record more on a day of a class, or moved to a day of another class (both in
    # the period or both outside it, so that its reporter and types stay where they were)
    for i in range(len(line.classes)):
        change = line.change(i)
        groups = attribute_groups if line.in_period(i) else ()
        for m in change:
            moves[m].append(Move(fixed=change, groups=groups))
    for i, j in itertools.combinations(range(len(line.classes)), 2):
        if line.in_period(i) == line.in_period(j):
            moved = _merge(line.change(i), _negated(line.change(j)))
            for m in moved:
                moves[m].append(Move(fixed=moved))

    # a split's parts: a record moved to another part, or a record more with that part
    def part(m: str) -> dict[str, int]:
        return ear_change(m) if m in ear else {m: 1}

    for split in (rep, ear):
        for a, b in itertools.permutations(split, 2):
            moves[a].append(Move(fixed=_merge(part(a), _negated(part(b)))))
    for a in ear:
        for b in ear:
            if a in fu and b not in fu:
                moves["fu"].append(Move(fixed=_merge(part(a), _negated(part(b)))))
    for t in typ:
        moves[t].append(Move(fixed={t: 1}))  # a type more (or less) named by a contact
    for r in rep:
        moves[r].append(Move(fixed={r: 1}, groups=(when, *attribute_groups[1:])))
    for e in ear:
        moves[e].append(
            Move(fixed=ear_change(e), groups=(when, attribute_groups[0], attribute_groups[-1]))
        )
    if ear:
        moves["fu"].append(
            Move(
                fixed={"fu": 1},
                groups=(
                    when,
                    attribute_groups[0],
                    tuple({e: 1} for e in ear if e in fu),
                    attribute_groups[-1],
                ),
            )
        )
    unpublished = set(boxes)
    if not attributes_shown:
        unpublished |= {*rep, *typ}
    return Family(
        measures=measures,
        moves=dict(moves),
        relations=relations,
        at_most=[(t, "P") for t in typ],
        unpublished=frozenset(unpublished),
        sensitive=frozenset(line.sensitive),
        weights={"P": 2},
    )
