"""``RadarMatcher``: the radar behind the matching interface of ``persons.matching``.

A lookup runs ONE statement, whatever the population (``index.candidates``): the reported
person's blocking keys against the ``(key, person)`` index of ``PersonKey`` give, in a
subquery, the ids of at most ``CANDIDATES`` persons sharing most keys; the statement returns
those persons with their current address and the id of the active trained model. The SQL is
compiled once per process (``radar.statements``) and the key list padded to a multiple of
``KEY_SLOTS``, so every lookup sends the same text. The model is cached in the process and
read again only when another one has been activated.

Each candidate is then scored by the engine (Fellegi-Sunter with term-frequency adjustment,
``ketenradar.radar.engine``); ``zeker`` and ``mogelijk`` are returned, best first. The
BSN rule of the exact matcher holds: a valid reported BSN equal to a known person's makes that
person the certain match and nobody else.
"""

from __future__ import annotations

import math
import threading

from ketenradar.persons.matching import Match, ReportedPerson
from ketenradar.persons.models import Person
from ketenradar.persons.validators import is_valid_bsn
from ketenradar.radar import index
from ketenradar.radar.engine.linker import settle_bands
from ketenradar.radar.engine.model import MOGELIJK, ZEKER, Model
from ketenradar.radar.engine.records import Record, Scored
from ketenradar.radar.index import Candidate, record_of_reported
from ketenradar.radar.models import MatchModel

BANDS = (ZEKER, MOGELIJK)

_lock = threading.Lock()
_cached: tuple[int | None, Model] | None = None


def model_for(pk: int | None) -> Model:
    """The trained model with this id (None: the engine's default), cached in the process:
    its parameters are read and the model is built only when the active one changed."""
    global _cached
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


def active_model() -> Model:
    """The active trained model (the newest), or the engine's default when none is trained."""
    pk = (
        MatchModel.objects.filter(active=True)
        .order_by("-trained_at", "-pk")
        .values_list("pk", flat=True)
        .first()
    )
    return model_for(pk)


def forget_model() -> None:
    """Drop the cached model (tests; the next lookup reads the active one again)."""
    global _cached
    _cached = None


def _weight_of(probability: float) -> float:
    """The match weight (log2 odds) of a probability, a hair lower for rounding."""
    return math.log2(probability / (1 - probability)) - 1e-9


class RadarMatcher:
    """Probabilistic matching of a reported person against everyone known (see module)."""

    def match(self, reported: ReportedPerson) -> list[Match]:
        record = record_of_reported(reported)
        model_id, found = index.candidates(index.keys_of(record))
        if not found:
            return []
        model = model_for(model_id)
        bsn = record.bsn if is_valid_bsn(record.bsn) else ""
        reported_form = model.prepare(record)
        scored: list[tuple[Record, Scored, Candidate]] = []
        # below this match weight a pair cannot reach "mogelijk": such candidates (most of
        # them) get the cheap weight only, not the full score with its explanation
        floor = _weight_of(model.mogelijk_threshold)
        for candidate in found:
            known = candidate.record()
            if bsn and candidate.bsn == bsn:
                # BSNs are unique: this is the person, and only this one
                verdict = model.score(reported_form, known)
                return [self._match(candidate.person(), verdict, ZEKER)]
            if model.weight(reported_form, known) < floor:
                continue
            verdict = model.score(reported_form, known)
            if verdict.band in BANDS:
                scored.append((known, verdict, candidate))
        scored.sort(key=lambda found: (-found[1].match_weight, found[2].pk))
        # more than one zeker: none is certain (twins reported by initials, a duplicate)
        settled = settle_bands([(known, verdict) for known, verdict, _ in scored])
        return [
            self._match(candidate.person(), verdict, verdict.band)
            for (_, verdict), (_, _, candidate) in zip(settled, scored, strict=True)
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
