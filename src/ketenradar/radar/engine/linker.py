"""Candidate retrieval in memory through the blocking keys: for evaluation and tests (the
application keeps the same keys in the database)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from .blocking import keys_of_prepared
from .compare import Prepared, prepare
from .model import MOGELIJK, ZEKER, Model
from .records import Record, Scored


def settle_bands(results: list[tuple[Record, Scored]]) -> list[tuple[Record, Scored]]:
    """The lookup rule on top of the pair rules: when more than one known person reaches
    zeker, none is certain (two persons fit the report equally well: twins reported by their
    initials, a duplicate already in the register), so all of them become mogelijk."""
    zeker = sum(1 for _, s in results if s.band == ZEKER)
    if zeker <= 1:
        return results
    return [
        (r, Scored(s.probability, s.match_weight, MOGELIJK, s.evidence) if s.band == ZEKER else s)
        for r, s in results
    ]


class InMemoryIndex:
    """Known records indexed by their blocking keys."""

    def __init__(self, records: Iterable[Record] = ()) -> None:
        self.records: list[Record] = []
        self.prepared: list[Prepared] = []
        self.index: dict[str, list[int]] = defaultdict(list)
        for record in records:
            self.add(record)

    def add(self, record: Record) -> None:
        p = prepare(record)
        position = len(self.records)
        self.records.append(record)
        self.prepared.append(p)
        for key in keys_of_prepared(p):
            self.index[key].append(position)

    def candidates(self, record: Record | Prepared) -> list[int]:
        p = record if isinstance(record, Prepared) else prepare(record)
        seen: dict[int, None] = {}
        for key in keys_of_prepared(p):
            for position in self.index.get(key, ()):
                seen[position] = None
        return list(seen)

    def lookup(self, record: Record, model: Model, limit: int = 10) -> list[tuple[Record, Scored]]:
        """The known records sharing a blocking key with ``record``, scored, best first, at
        most ``limit`` (those in the band geen included, so that top-1 can be measured)."""
        p = model.prepare(record)
        scored = [(self.records[i], model.score(p, self.prepared[i])) for i in self.candidates(p)]
        scored.sort(key=lambda rs: -rs[1].match_weight)
        return settle_bands(scored[:limit])


def lookup_all(
    index: InMemoryIndex, records: Sequence[Record], model: Model, limit: int = 10
) -> list[list[tuple[Record, Scored]]]:
    return [index.lookup(r, model, limit) for r in records]
