"""The attacker's exact check of suppressed figures (docs/monitor.md#the-must-show-test).

The figures shown are known values; every suppressed figure, and every count that is never
shown but is tied to the shown ones (the rest of the region outside its municipalities, a
complement such as "decided late"), is an unknown with the bounds what is shown gives away:
a count marked ``<10`` is 1..9, one marked ``x`` (never small) at least 10, any other at
least 0. Every additive relation between the cells is an equation (or, for parts that may
overlap, an inequality). For each unknown the least and the greatest value it can take are
found by linear programming (scipy's HiGHS; the integer relaxation: a range found this way
holds every integer solution). A cell is *determined* when its least and greatest value,
rounded inwards to whole numbers, are the same; it is *protected* when they differ.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.optimize import linprog

Bounds = tuple[float, float | None]


@dataclass
class System:
    known: dict[str, int] = field(default_factory=dict)
    bounds: dict[str, Bounds] = field(default_factory=dict)  # the unknowns
    truth: dict[str, int] = field(default_factory=dict)  # the unknowns' real values
    equations: list[dict[str, int]] = field(default_factory=list)  # sum of coef * cell == 0
    inequalities: list[dict[str, int]] = field(default_factory=list)  # ... <= 0

    def unknown(self, cell: str, value: int, bounds: Bounds) -> None:
        self.bounds[cell] = bounds
        self.truth[cell] = value

    def equal(self, total: str, parts: Iterable[str]) -> None:
        row: dict[str, int] = {total: -1}
        for p in parts:
            row[p] = row.get(p, 0) + 1
        self.equations.append(row)

    def at_most(self, part: str, total: str) -> None:
        self.inequalities.append({part: 1, total: -1})

    def value(self, cell: str) -> int:
        return self.known[cell] if cell in self.known else self.truth[cell]

    def check(self) -> None:
        """The real figures satisfy every relation: the system is the true one."""
        for row in self.equations:
            assert sum(c * self.value(k) for k, c in row.items()) == 0, row
        for row in self.inequalities:
            assert sum(c * self.value(k) for k, c in row.items()) <= 0, row

    def _program(self) -> tuple[list[str], dict[str, Any]]:
        names = sorted(self.bounds)
        index = {n: i for i, n in enumerate(names)}

        def rows(source: list[dict[str, int]]) -> tuple[Any, Any]:
            kept = [r for r in source if any(k in index for k in r)]
            if not kept:
                return None, None
            a = np.zeros((len(kept), len(names)))
            b = np.zeros(len(kept))
            for i, row in enumerate(kept):
                for k, c in row.items():
                    if k in index:
                        a[i, index[k]] += c
                    else:
                        b[i] -= c * self.known[k]
            return a, b

        a_eq, b_eq = rows(self.equations)
        a_ub, b_ub = rows(self.inequalities)
        return names, {"A_eq": a_eq, "b_eq": b_eq, "A_ub": a_ub, "b_ub": b_ub}

    def ranges(self, targets: Iterable[str]) -> dict[str, tuple[int, int]]:
        """Per target its least and greatest whole value (rounded inwards)."""
        names, program = self._program()
        index = {n: i for i, n in enumerate(names)}
        bounds = [self.bounds[n] for n in names]
        out = {}
        for target in targets:
            c = np.zeros(len(names))
            c[index[target]] = 1
            ends = []
            for sense in (1, -1):
                found = linprog(sense * c, bounds=bounds, method="highs", **program)
                assert found.status in (0, 3), found.message  # solved, or unbounded above
                ends.append(math.inf if found.status == 3 else sense * found.fun)
            low, high = ends
            out[target] = (
                math.ceil(low - 1e-6),
                math.floor(high + 1e-6) if high < math.inf else 10**9,
            )
        return out

    def determined(self, targets: Iterable[str]) -> dict[str, int]:
        """The targets whose value follows from what is shown, with that value.

        First a few solutions of the system for random objectives (within a box around the
        real figures, so that each has one): a target with two whole values between two of
        them is protected already. The others get their least and greatest value."""
        remaining = list(dict.fromkeys(targets))
        names, program = self._program()
        index = {n: i for i, n in enumerate(names)}
        box = [
            (lo, hi if hi is not None else self.truth[n] + 1000)
            for n in names
            for lo, hi in [self.bounds[n]]
        ]
        rng = np.random.default_rng(0)
        for _ in range(6):
            c = rng.standard_normal(len(names))
            points = [linprog(s * c, bounds=box, method="highs", **program) for s in (1, -1)]
            assert all(p.status == 0 for p in points), points[0].message
            x, y = (p.x for p in points)
            remaining = [
                t
                for t in remaining
                if math.ceil(min(x[index[t]], y[index[t]]) - 1e-6)
                >= math.floor(max(x[index[t]], y[index[t]]) + 1e-6)
            ]
            if not remaining:
                return {}
        return {t: lo for t, (lo, hi) in self.ranges(remaining).items() if lo == hi}


def marker_bounds(marker: str, threshold: int) -> Bounds:
    """What a marker gives away: ``<10`` is 1..9, ``x`` (never small, never 0) 10 or more."""
    if marker.startswith("<"):
        return (1, threshold - 1)
    return (threshold, None)


def of_table(
    values: Mapping[tuple[str, str], int],
    markers: Mapping[tuple[str, str], str],
    parents: Mapping[str, str | None],
    measures: Iterable[str],
    relations: Iterable[tuple[str, Iterable[str]]],
    hidden_areas: Iterable[str],
    unpublished: Iterable[str],
    threshold: int,
    at_most: Iterable[tuple[str, str]] = (),
) -> System:
    """The attacker's system of a ``suppression.Table`` and its markers."""
    measures = list(measures)
    hidden_areas, unpublished = set(hidden_areas), set(unpublished)
    system = System()
    for area in parents:
        for m in measures:
            name, v = f"{area}|{m}", values.get((area, m), 0)
            if area in hidden_areas or m in unpublished:
                system.unknown(name, v, (0, None))
            elif (area, m) in markers:
                system.unknown(name, v, marker_bounds(markers[(area, m)], threshold))
            else:
                system.known[name] = v
    for parent in parents:
        children = [a for a, p in parents.items() if p == parent]
        if children:
            for m in measures:
                system.equal(f"{parent}|{m}", (f"{c}|{m}" for c in children))
    for area in parents:
        for total, parts in relations:
            system.equal(f"{area}|{total}", (f"{area}|{p}" for p in parts))
        for part, total in at_most:
            system.at_most(f"{area}|{part}", f"{area}|{total}")
    system.check()
    return system
