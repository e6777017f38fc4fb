"""Small counts are not shown, and cannot be worked out from what is shown
(docs/monitor.md#small-counts).

Primary suppression: a count from 1 to ``KETENRADAR_SMALL_COUNT_THRESHOLD`` - 1 becomes the
marker ``"<10"``; 0 stays 0. A share (or rate, or growth) whose denominator is below the
threshold, or whose count is suppressed where it would reveal it, becomes the marker too;
with a denominator of 0 it is ``None`` (nothing to divide).

Secondary (complementary) suppression (``protect``): the figures of one period are linked
tables, areas (a tree: region, subregions, municipalities) by measures (totals, their splits
and parts). Every small count, shown or following from the figures (a complement such as
"decided late" = decided - within the deadline), gets a *witness*: a second table,
consistent with every figure shown, every marker and every relation between the cells, in
which that count differs. It is the hypercube criterion of tau-Argus (a cell is safe from
exact disclosure when it is the corner of a pattern of suppressed, non-zero cells that can
each be moved by one without changing any total) applied to all linked tables at once: a
witness is one record moved in the area tree times one record moved among the measures (a
rectangle), so it keeps every relation by construction. The cells a witness changes that
were shown are suppressed too (the marker ``"x"``), the cheapest witness first.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings

if TYPE_CHECKING:
    Cell = tuple[str, str]  # (area, measure)
    Change = Mapping[str, int]  # measure -> +1 or -1
    Cost = tuple[int, int]  # (weight of the cells newly suppressed, their sum)
    Found = tuple[Cost, dict[Cell, int]]

Count = int | str
Share = float | str | None

SECONDARY = "x"
FREE = (0, 0)  # the cost of changing a cell that is not shown


def threshold() -> int:
    return int(settings.KETENRADAR_SMALL_COUNT_THRESHOLD)


def marker() -> str:
    return f"<{threshold()}"


def small(n: int) -> bool:
    return 0 < n < threshold()


def count(n: int, *, suppress: bool = True) -> Count:
    return marker() if suppress and small(n) else n


def share(
    numerator: int, denominator: int, *, suppress: bool = True, digits: int | None = None
) -> Share:
    """``numerator / denominator``, unrounded unless ``digits`` says so: what is shown is
    rounded once, half up, to one decimal of a percentage (``monitor.numbers``); rounding
    here first would round twice (0.73445 -> 0.7345 -> 73.5% instead of 73.4%)."""
    if denominator == 0:
        return None
    if suppress and denominator < threshold():
        return marker()
    value = numerator / denominator
    return value if digits is None else round(value, digits)


@dataclass(frozen=True)
class Move:
    """One record more (sign +1) or less (-1) in the measure dimension, or one moved from
    one part to another: the measures it changes in ``fixed``, and ``groups`` of which one
    alternative is taken (e.g. the reporter category of the record added). Alternatives of
    different groups change different measures."""

    fixed: Change
    groups: tuple[tuple[Change, ...], ...] = ()


@dataclass(frozen=True)
class Table:
    """The linked tables of one family of counts (e.g. the reports of a period): every area
    by every measure.

    ``parents`` is the area tree (the root's parent is None); an area's counts are the sum of
    its children's. ``values`` holds every cell's count (a missing one is 0). ``moves`` gives,
    per measure, the moves that change it; each must keep every ``relations`` entry (total,
    parts: the total is the parts' sum) whatever alternatives are taken. ``at_most``: pairs
    (part, total) where the part can be at most the total without being a summand of it (a
    report names several types of violence). Cells of ``hidden_areas`` or of ``unpublished``
    measures are never shown; of those, the small ones of ``sensitive`` measures (in shown
    areas) are protected like small shown counts. ``weights`` is the cost of suppressing a
    cell of a measure (default 1): the cheaper witness wins, then the smaller figures.
    """

    parents: Mapping[str, str | None]
    measures: Sequence[str]
    values: Mapping[Cell, int]
    moves: Mapping[str, Sequence[Move]]
    relations: Sequence[tuple[str, Sequence[str]]] = ()
    at_most: Sequence[tuple[str, str]] = ()
    hidden_areas: frozenset[str] = frozenset()
    unpublished: frozenset[str] = frozenset()
    sensitive: frozenset[str] = frozenset()
    weights: Mapping[str, int] = field(default_factory=dict)

    def published(self, cell: Cell) -> bool:
        return cell[0] not in self.hidden_areas and cell[1] not in self.unpublished


@dataclass(frozen=True)
class Protection:
    """The markers of the suppressed cells that would be shown, and per protected cell the
    change (a witness) that shows it cannot be worked out. ``withheld``: no witness could be
    found for some cell, and every cell of the table is suppressed."""

    markers: Mapping[Cell, str]
    witnesses: Mapping[Cell, Mapping[Cell, int]]
    withheld: bool = False


def check(table: Table) -> None:
    """Every move changes the measure it is listed for, its groups change different measures,
    and it keeps every relation whatever alternatives are taken; otherwise ``ValueError``."""
    for measure, moves in table.moves.items():
        for move in moves:
            if not move.fixed.get(measure):
                raise ValueError(f"a move listed for {measure} does not change it")
            seen = set(move.fixed)
            for group in move.groups:
                touched = {m for alternative in group for m in alternative}
                if touched & seen:
                    raise ValueError(f"a move of {measure} changes a measure twice")
                seen |= touched
            for total, parts in table.relations:
                net = _net(move.fixed, total, parts)
                for group in move.groups:
                    nets = {_net(alternative, total, parts) for alternative in group}
                    if len(nets) != 1:
                        raise ValueError(f"a move of {measure} may break {total}")
                    net += nets.pop()
                if net:
                    raise ValueError(f"a move of {measure} breaks {total}")


def _net(change: Change, total: str, parts: Sequence[str]) -> int:
    return change.get(total, 0) - sum(change.get(p, 0) for p in parts)


class _Search:
    def __init__(self, table: Table) -> None:
        self.table = table
        self.limit = threshold()
        self.status: dict[Cell, str] = {
            cell: "primary"
            for cell, value in table.values.items()
            if small(value) and table.published(cell)
        }
        children: dict[str, list[str]] = defaultdict(list)
        for area, parent in table.parents.items():
            if parent is not None:
                children[parent].append(area)
        self.leaves = [area for area in table.parents if not children[area]]
        self.moves_of: dict[str, list[dict[str, int]]] = {}

    def path(self, area: str | None) -> dict[str, int]:
        """The area and its ancestors: one record more in a leaf is one more in each."""
        out = {}
        while area is not None:
            out[area] = 1
            area = self.table.parents[area]
        return out

    def area_moves(self, area: str) -> list[dict[str, int]]:
        """Changes in the area tree that change ``area``: a record more in one of its leaves
        (up to the root), or moved there from a leaf outside it; fewest areas first."""
        if area not in self.moves_of:
            found = []
            for u in self.leaves:
                into = self.path(u)
                if area not in into:
                    continue
                found.append(into)
                for v in self.leaves:
                    away = self.path(v)
                    if area not in away:
                        both = into.keys() | away.keys()
                        found.append(
                            {
                                a: into.get(a, 0) - away.get(a, 0)
                                for a in both
                                if a not in into or a not in away
                            }
                        )
            self.moves_of[area] = sorted(found, key=len)
        return self.moves_of[area]

    def cost(self, cell: Cell, delta: int) -> Cost | None:
        """What changing the cell by ``delta`` costs, or None if the change contradicts what
        is shown: a shown cell cannot change unless suppressed (never a 0), a cell marked
        ``<10`` stays 1..threshold-1, a cell marked ``x`` (never small) stays >= threshold,
        and a cell never shown stays >= 0."""
        value = self.table.values.get(cell, 0)
        new = value + delta
        if not self.table.published(cell):
            return FREE if new >= 0 else None
        status = self.status.get(cell)
        if status == "primary":
            return FREE if small(new) else None
        if new < self.limit:
            return None
        return FREE if status else (self.table.weights.get(cell[1], 1), value)

    def apply(self, areas: Mapping[str, int], change: Change, sign: int) -> Found | None:
        cells: dict[Cell, int] = {}
        weight = total = 0
        for measure, d in change.items():
            for area, a in areas.items():
                cell, delta = (area, measure), sign * d * a
                found = self.cost(cell, delta)
                if found is None:
                    return None
                weight, total = weight + found[0], total + found[1]
                cells[cell] = delta
        return (weight, total), cells

    def attempt(self, areas: Mapping[str, int], move: Move, sign: int) -> Found | None:
        """The witness made of this area change and this move, with the cheapest alternative
        of each group, if it contradicts nothing shown. A choice that takes a part above its
        total (``at_most``) is mended by the next alternative of one group that keeps it."""
        fixed = self.apply(areas, move.fixed, sign)
        if fixed is None:
            return None
        options = []
        for group in move.groups:
            found = sorted(
                (f for alt in group if (f := self.apply(areas, alt, sign)) is not None),
                key=lambda f: f[0],
            )
            if not found:
                return None
            options.append(found)
        chosen = [found[0] for found in options]
        tries = [chosen] + [
            [*chosen[:g], other, *chosen[g + 1 :]]
            for g, found in enumerate(options)
            for other in found[1:]
        ]
        for parts in tries:
            cells = dict(fixed[1])
            for _, more in parts:
                cells.update(more)
            if self.within(areas, cells):
                weight = fixed[0][0] + sum(f[0][0] for f in parts)
                return (weight, fixed[0][1] + sum(f[0][1] for f in parts)), cells
        return None

    def within(self, areas: Mapping[str, int], cells: Mapping[Cell, int]) -> bool:
        """No part above its total after the change."""
        values = self.table.values
        for part, whole in self.table.at_most:
            for area in areas:
                p, q = (area, part), (area, whole)
                if (p in cells or q in cells) and values.get(p, 0) + cells.get(p, 0) > values.get(
                    q, 0
                ) + cells.get(q, 0):
                    return False
        return True

    def witness(self, cell: Cell) -> dict[Cell, int] | None:
        area, measure = cell
        best: Found | None = None
        for areas in self.area_moves(area):
            for move in self.table.moves.get(measure, ()):
                for sign in (1, -1):
                    found = self.attempt(areas, move, sign)
                    if found is not None and (best is None or found[0] < best[0]):
                        best = found
                        if best[0] == FREE:
                            return best[1]
        return None if best is None else best[1]


def protect(table: Table) -> Protection:
    """Primary and secondary suppression of the table (see the module's docstring)."""
    check(table)
    search = _Search(table)
    depth = {area: len(search.path(area)) for area in table.parents}
    order = {measure: i for i, measure in enumerate(table.measures)}
    targets = sorted(
        (
            cell
            for cell, value in table.values.items()
            if small(value)
            and cell[0] not in table.hidden_areas
            and (table.published(cell) or cell[1] in table.sensitive)
        ),
        key=lambda cell: (depth[cell[0]], order[cell[1]], cell[0]),
    )
    witnesses: dict[Cell, dict[Cell, int]] = {}
    protected: set[Cell] = set()
    for target in targets:
        if target in protected:
            continue
        change = search.witness(target)
        if change is None:
            return Protection(
                markers={
                    (area, measure): SECONDARY
                    for area in table.parents
                    for measure in table.measures
                    if table.published((area, measure))
                },
                witnesses={},
                withheld=True,
            )
        for cell in change:
            if table.published(cell):
                search.status.setdefault(cell, "secondary")
        witnesses[target] = change
        protected |= change.keys()
    return Protection(
        markers={
            cell: marker() if status == "primary" else SECONDARY
            for cell, status in search.status.items()
        },
        witnesses=witnesses,
    )
