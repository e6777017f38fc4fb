"""``RadarMatcher``: the radar behind the matching interface of ``persons.matching``.

A lookup runs a fixed set of statements, whatever the population:

1. the id of the active trained model (the model itself is cached in the process and
   reloaded only when another one is activated);
2. the reported person's blocking keys against the ``(key, person)`` index of ``PersonKey``:
   the ids of at most ``CANDIDATES`` persons sharing most keys (the key list is padded to a
   multiple of ``KEY_SLOTS``, so the statement's shape hardly varies);
3. those persons with their current address (the id list padded to ``CANDIDATES``).

Each candidate is then scored by the engine (Fellegi-Sunter with term-frequency adjustment,
``ketenradar.radar.engine``); ``zeker`` and ``mogelijk`` are returned, best first. The
BSN rule of the exact matcher holds: a valid reported BSN equal to a known person's makes that
person the certain match and nobody else.
"""

from __future__ import annotations

import threading

from django.db.models import Count, QuerySet

from ketenradar.persons.matching import Match, ReportedPerson
from ketenradar.persons.models import Person
from ketenradar.persons.validators import is_valid_bsn
from ketenradar.radar.engine.linker import settle_bands
from ketenradar.radar.engine.model import MOGELIJK, ZEKER, Model
from ketenradar.radar.engine.records import Record, Scored
from ketenradar.radar.index import (
    CANDIDATES,
    keys_of,
    load_candidates,
    record_of_person,
    record_of_reported,
)
from ketenradar.radar.models import MatchModel, PersonKey
from ketenradar.radar.statements import Statement

KEY_SLOTS = 16
BANDS = (ZEKER, MOGELIJK)

_lock = threading.Lock()
_cached: tuple[int | None, Model] | None = None


_ACTIVE_MODEL = Statement(
    lambda _: (
        MatchModel.objects.filter(active=True)
        .order_by("-trained_at", "-pk")
        .values_list("pk", flat=True)[:1]
    ),
    0,
    int,
)


def active_model() -> Model:
    """The active trained model (the newest), or the engine's default when none is trained.

    One small query per call finds which model is active; its parameters are read and the
    model is built only when that changed since the previous call in this process."""
    global _cached
    found = _ACTIVE_MODEL.rows([])
    pk = found[0][0] if found else None
    cached = _cached
    if cached is not None and cached[0] == pk:
        return cached[1]
    with _lock:
        if pk is None:
            model = Model.default()
        else:
            params = MatchModel.objects.filter(pk=pk).values_list("params", flat=True).get()
            model = Model.from_dict(params)
        _cached = (pk, model)
    return model


def forget_model() -> None:
    """Drop the cached model (tests; the next lookup reads the active one again)."""
    global _cached
    _cached = None


def _candidates(keys: list[str]) -> QuerySet[PersonKey, int]:
    return (
        PersonKey.objects.filter(key__in=keys)
        .values("person_id")
        .annotate(shared=Count("*"))
        .order_by("-shared", "person_id")
        .values_list("person_id", flat=True)[:CANDIDATES]
    )


# one statement per multiple of KEY_SLOTS keys (a record has about eight; sixteen is plenty)
_CANDIDATE_STATEMENTS: dict[int, Statement] = {}


def candidate_ids(keys: list[str]) -> list[int]:
    """Ids of the persons sharing most of these keys, at most ``CANDIDATES``, most shared
    first (the key list padded to a multiple of ``KEY_SLOTS`` by repeating a key)."""
    if not keys:
        return []
    size = -(-len(keys) // KEY_SLOTS) * KEY_SLOTS
    statement = _CANDIDATE_STATEMENTS.get(size)
    if statement is None:
        statement = Statement(_candidates, size, lambda i: f"~radar~{i}")
        _CANDIDATE_STATEMENTS[size] = statement
    padded = keys + [keys[0]] * (size - len(keys))
    return [row[0] for row in statement.rows(padded)]


class RadarMatcher:
    """Probabilistic matching of a reported person against everyone known (see module)."""

    def match(self, reported: ReportedPerson) -> list[Match]:
        model = active_model()
        record = record_of_reported(reported)
        ids = candidate_ids(keys_of(record))
        if not ids:
            return []
        bsn = record.bsn if is_valid_bsn(record.bsn) else ""
        reported_form = model.prepare(record)
        scored: list[tuple[Record, Scored, Person]] = []
        for person, address in load_candidates(ids):
            known = record_of_person(person, address)
            verdict = model.score(reported_form, known)
            if bsn and person.bsn == bsn:
                # BSNs are unique: this is the person, and only this one
                return [self._match(person, verdict, ZEKER)]
            if verdict.band in BANDS:
                scored.append((known, verdict, person))
        scored.sort(key=lambda found: (-found[1].match_weight, found[2].pk))
        # more than one zeker: none is certain (twins reported by initials, a duplicate)
        settled = settle_bands([(known, verdict) for known, verdict, _ in scored])
        return [
            self._match(person, verdict, verdict.band)
            for (_, verdict), (_, _, person) in zip(settled, scored, strict=True)
        ]

    @staticmethod
    def _match(person: Person, verdict: Scored, band: str) -> Match:
        return Match(
            person=person,
            probability=verdict.probability,
            band=band,
            explanation={e.field: e.level for e in verdict.evidence},
            evidence=verdict.evidence,
        )
