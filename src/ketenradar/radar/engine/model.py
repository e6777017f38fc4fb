"""The Fellegi-Sunter model: m and u per comparison level, term-frequency adjustment for
common names, EM training without labels, bands and the rules that keep twins and housemates
out of the "zeker" band. See docs/radar.md.
"""

from __future__ import annotations

import json
import math
import random
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from functools import lru_cache
from importlib import resources
from typing import Any

from .blocking import keys_of_prepared
from .compare import (
    FIELDS,
    LEVELS,
    MISSING,
    Prepared,
    compare,
    given_names_conflict,
)
from .compare import prepare as _prepare
from .records import FieldEvidence, Record, Scored

ZEKER = "zeker"
MOGELIJK = "mogelijk"
GEEN = "geen"

# Probability thresholds of the bands (docs/radar.md): zeker at or above ZEKER_THRESHOLD and
# only when the identity rules hold; mogelijk at or above MOGELIJK_THRESHOLD.
ZEKER_THRESHOLD = 0.95
MOGELIJK_THRESHOLD = 0.30

DEFAULT_FILE = "default_model.json"
_GIVEN, _SURNAME, _DATE, _ADDRESS, _BSN, _SEX = range(6)

# Starting values for EM (and the weights of an untrained model): m per level.
_M_START: dict[str, list[float]] = {
    "given_name": [0.80, 0.08, 0.06, 0.03, 0.03],
    "surname": [0.80, 0.06, 0.08, 0.03, 0.03],
    "birth_date": [0.85, 0.04, 0.04, 0.03, 0.04],
    "address": [0.60, 0.02, 0.05, 0.08, 0.25],
    "bsn": [0.99, 0.01],
    "sex": [0.97, 0.03],
}
_U_START: dict[str, list[float]] = {
    "given_name": [0.01, 0.01, 0.02, 0.06, 0.90],
    "surname": [0.002, 0.001, 0.005, 0.02, 0.972],
    "birth_date": [0.00005, 0.00002, 0.0003, 0.01, 0.98963],
    "address": [0.0001, 0.00005, 0.0005, 0.05, 0.94935],
    "bsn": [0.000001, 0.999999],
    "sex": [0.5, 0.5],
}
_FLOOR = 1e-7


def _logit2(p: float) -> float:
    p = min(max(p, 1e-12), 1 - 1e-12)
    return math.log2(p / (1 - p))


class Model:
    """m and u per level, the prior of a candidate pair, the term-frequency tables."""

    def __init__(
        self,
        m: dict[str, list[float]],
        u: dict[str, list[float]],
        prior: float,
        tf: dict[str, dict[str, float]] | None = None,
        tf_unseen: dict[str, float] | None = None,
        zeker_threshold: float = ZEKER_THRESHOLD,
        mogelijk_threshold: float = MOGELIJK_THRESHOLD,
        info: dict[str, Any] | None = None,
    ) -> None:
        self.m = {f: [float(x) for x in m[f]] for f in FIELDS}
        self.u = {f: [float(x) for x in u[f]] for f in FIELDS}
        self.prior = float(prior)
        self.tf = tf or {"given_name": {}, "surname": {}}
        self.tf_unseen = tf_unseen or {}
        self.zeker_threshold = zeker_threshold
        self.mogelijk_threshold = mogelijk_threshold
        self.info = info or {}
        self._weights: list[list[float]] = [
            [
                math.log2(max(mm, _FLOOR) / max(uu, _FLOOR))
                for mm, uu in zip(self.m[f], self.u[f], strict=True)
            ]
            for f in FIELDS
        ]
        self._prior_weight = _logit2(self.prior)
        self._labels = [LEVELS[f] for f in FIELDS]
        self._prepare = lru_cache(maxsize=50_000)(_prepare)

    # -- scoring -----------------------------------------------------------------------------

    def prepare(self, record: Record | Prepared) -> Prepared:
        """The normalised form of a record (cached); ``score`` accepts it instead of a record."""
        if isinstance(record, Prepared):
            return record
        return self._prepare(record)

    def _tf_weight(self, field: str, level: int, value: str) -> float | None:
        table = self.tf.get(field)
        if not value or table is None:
            return None
        freq = table.get(value)
        if freq is None:
            freq = self.tf_unseen.get(field)
            if freq is None:
                return None
        m = self.m[field][level]
        return math.log2(max(m, _FLOOR) / max(freq, _FLOOR))

    def levels(self, a: Prepared, b: Prepared) -> tuple[int, ...]:
        return compare(a, b)[:6]  # type: ignore[return-value]

    def score(self, reported: Record | Prepared, known: Record | Prepared) -> Scored:
        """The probability that ``known`` is the person ``reported``, with its band and
        per-field evidence."""
        a = reported if isinstance(reported, Prepared) else self._prepare(reported)
        b = known if isinstance(known, Prepared) else self._prepare(known)
        c = compare(a, b)
        total = self._prior_weight
        evidence: list[FieldEvidence] = []
        weights = self._weights
        labels = self._labels
        for i in range(6):
            level = c[i]
            field = FIELDS[i]
            if level == MISSING:
                evidence.append(FieldEvidence(field, "ontbreekt", 0.0))
                continue
            w = weights[i][level]
            if i == _GIVEN and level == 0:
                tfw = self._tf_weight(field, 0, c[6])
                if tfw is not None:
                    w = tfw
            elif i == _SURNAME and level <= 1:
                tfw = self._tf_weight(field, level, c[7])
                if tfw is not None:
                    w = tfw
            total += w
            evidence.append(FieldEvidence(field, labels[i][level], round(w, 2)))
        probability = 1.0 / (1.0 + 2.0 ** (-total)) if total > -1000 else 0.0
        band = self._band(probability, c, a, b)
        return Scored(probability, total, band, tuple(evidence))

    def _band(self, probability: float, c: tuple[Any, ...], a: Prepared, b: Prepared) -> str:
        if probability < self.mogelijk_threshold:
            return GEEN
        if probability < self.zeker_threshold:
            return MOGELIJK
        # The identity rules: a shared address (or surname, or date) alone never makes two
        # persons one. Zeker needs given names that do not conflict, a BSN that does not
        # differ, and either the same BSN or the same date of birth (day and month maybe
        # swapped) with agreeing given names and surname.
        given, surname, date, bsn = c[_GIVEN], c[_SURNAME], c[_DATE], c[_BSN]
        if given == MISSING or given_names_conflict(a, b, given) or bsn == 1:
            return MOGELIJK
        if bsn == 0:
            return ZEKER
        if date in (0, 1) and given in (0, 1, 2) and surname in (0, 1, 2, 3):
            return ZEKER
        return MOGELIJK

    # -- serialisation -----------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": 1,
            "fields": {f: list(LEVELS[f]) for f in FIELDS},
            "m": self.m,
            "u": self.u,
            "prior": self.prior,
            "tf": self.tf,
            "tf_unseen": self.tf_unseen,
            "thresholds": {"zeker": self.zeker_threshold, "mogelijk": self.mogelijk_threshold},
            "info": self.info,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Model:
        thresholds = d.get("thresholds", {})
        return cls(
            m=d["m"],
            u=d["u"],
            prior=d["prior"],
            tf=d.get("tf"),
            tf_unseen=d.get("tf_unseen"),
            zeker_threshold=thresholds.get("zeker", ZEKER_THRESHOLD),
            mogelijk_threshold=thresholds.get("mogelijk", MOGELIJK_THRESHOLD),
            info=d.get("info"),
        )

    @classmethod
    def untrained(cls) -> Model:
        """Hand-set starting weights (EM's starting point); for tests and bootstrapping."""
        return cls(_M_START, _U_START, prior=0.01)

    @classmethod
    def default(cls) -> Model:
        """The shipped model, trained on the synthetic Dutch population (see
        ``manage.py radar_train_default``)."""
        return _default_model()

    # -- training ----------------------------------------------------------------------------

    @classmethod
    def train(
        cls,
        records: Sequence[Record],
        *,
        seed: int = 0,
        groups: Sequence[int] | None = None,
        u_pairs: int = 200_000,
        max_block: int = 100,
        max_pairs: int = 1_000_000,
        iterations: int = 40,
        tf_size: int = 5_000,
    ) -> Model:
        """Estimate the model from unlabeled records.

        u per level from random pairs (almost all of them are different persons); m and the
        prior by EM over the candidate pairs that share a blocking key (u held fixed, as Splink
        does); term-frequency tables of first given names and surnames. With ``groups`` (one
        number per record), only pairs of records from different groups are candidates
        (linking two files instead of deduplicating one).
        """
        rng = random.Random(seed)  # noqa: S311 (sampling, not security)
        prepared = [_prepare(r) for r in records]
        n = len(prepared)
        if n < 2:
            raise ValueError("training needs at least two records")

        # term frequencies
        tf: dict[str, dict[str, float]] = {}
        tf_unseen: dict[str, float] = {}
        for field, attr in (("surname", "surname"), ("given_name", "first")):
            counts = Counter(getattr(p, attr) for p in prepared if getattr(p, attr))
            total = sum(counts.values()) or 1
            top = counts.most_common(tf_size)
            tf[field] = {k: v / total for k, v in top}
            least = top[-1][1] if top else 1
            tf_unseen[field] = (1 if len(counts) <= tf_size else least) / total

        # u from random pairs
        u_counts = [[0.0] * len(LEVELS[f]) for f in FIELDS]
        for _ in range(u_pairs):
            i = rng.randrange(n)
            j = rng.randrange(n)
            if i == j or (groups is not None and groups[i] == groups[j]):
                continue
            c = compare(prepared[i], prepared[j])
            for k in range(6):
                if c[k] != MISSING:
                    u_counts[k][c[k]] += 1
        u: dict[str, list[float]] = {}
        for k, f in enumerate(FIELDS):
            row = [x + 0.5 for x in u_counts[k]]
            s = sum(row)
            u[f] = [x / s for x in row]

        # candidate pairs through the blocking keys
        buckets: dict[str, list[int]] = defaultdict(list)
        for idx, p in enumerate(prepared):
            for key in keys_of_prepared(p):
                buckets[key].append(idx)
        pairs: set[tuple[int, int]] = set()
        for members in buckets.values():
            if len(members) < 2:
                continue
            if len(members) > max_block:
                members = rng.sample(members, max_block)
            for x in range(len(members)):
                for y in range(x + 1, len(members)):
                    i, j = members[x], members[y]
                    if groups is not None and groups[i] == groups[j]:
                        continue
                    pairs.add((i, j) if i < j else (j, i))
        pair_list = sorted(pairs)
        if len(pair_list) > max_pairs:
            pair_list = rng.sample(pair_list, max_pairs)
        patterns: Counter[tuple[int, ...]] = Counter()
        for i, j in pair_list:
            patterns[compare(prepared[i], prepared[j])[:6]] += 1

        m, blocked_share = _em(patterns, u, iterations)
        m = _with_floors(m)
        # The prior of a pair: the matches EM found among the candidates, over all pairs
        # (as Splink's probability that two random records match).
        if groups is None:
            all_pairs = n * (n - 1) / 2
        else:
            sizes = Counter(groups)
            all_pairs = (sum(sizes.values()) ** 2 - sum(v * v for v in sizes.values())) / 2
        matches = blocked_share * len(pair_list) * (len(pairs) / max(len(pair_list), 1))
        prior = min(max(matches / all_pairs, 1e-9), 0.5)
        info = {
            "records": n,
            "candidate_pairs": len(pairs),
            "matches_estimated": round(matches),
            "seed": seed,
            "u_pairs": u_pairs,
            "iterations": iterations,
        }
        return cls(m, u, prior, tf, tf_unseen, info=info)


def _em(
    patterns: Counter[tuple[int, ...]],
    u_random: dict[str, list[float]],
    iterations: int,
) -> tuple[dict[str, list[float]], float]:
    """EM over the level patterns of the candidate pairs, both classes free (the non-matches
    among candidates agree far more often than random pairs: housemates, relatives, common
    names). Returns m and the share of matches among the candidates; the weights then use u
    from random pairs, as the candidates are only a sample of all pairs."""
    m = {f: list(_M_START[f]) for f in FIELDS}
    # non-matches start as the candidates' own level distribution
    u = {f: [0.0] * len(LEVELS[f]) for f in FIELDS}
    for pattern, count in patterns.items():
        for k, level in enumerate(pattern):
            if level != MISSING:
                u[FIELDS[k]][level] += count
    for f in FIELDS:
        row = [x + 1.0 for x in u[f]]
        s = sum(row)
        u[f] = [x / s for x in row]
    prior = 0.2
    items = list(patterns.items())
    for _ in range(iterations):
        acc_m = [[0.0] * len(LEVELS[f]) for f in FIELDS]
        acc_u = [[0.0] * len(LEVELS[f]) for f in FIELDS]
        matched = 0.0
        total = 0.0
        log_m = {f: [math.log(max(x, 1e-12)) for x in m[f]] for f in FIELDS}
        log_u = {f: [math.log(max(x, 1e-12)) for x in u[f]] for f in FIELDS}
        for pattern, count in items:
            lm = 0.0
            lu = 0.0
            for k, level in enumerate(pattern):
                if level != MISSING:
                    f = FIELDS[k]
                    lm += log_m[f][level]
                    lu += log_u[f][level]
            diff = lu - lm + math.log((1 - prior) / prior)
            post = 1.0 / (1.0 + math.exp(diff)) if diff < 700 else 0.0
            w = post * count
            matched += w
            total += count
            for k, level in enumerate(pattern):
                if level != MISSING:
                    acc_m[k][level] += w
                    acc_u[k][level] += count - w
        prior = min(max(matched / total, 1e-6), 1 - 1e-6)
        for k, f in enumerate(FIELDS):
            row = [x + 1e-3 for x in acc_m[k]]
            s = sum(row)
            m[f] = [x / s for x in row]
            row = [x + 1e-3 for x in acc_u[k]]
            s = sum(row)
            u[f] = [x / s for x in row]
    del u_random
    return m, prior


M_FLOOR = 0.005
BSN_DIFFER_MAX = 0.002


def _with_floors(m: dict[str, list[float]]) -> dict[str, list[float]]:
    """Keep every level possible for a match (a level EM never saw among the candidates
    would otherwise weigh minus infinity), and hold the share of matches with two different
    valid BSNs at a typo's rate at most: EM counts a few housemates among the matches, but
    two valid, different BSNs are strong evidence of two persons."""
    out = {}
    for f in FIELDS:
        row = [max(x, M_FLOOR) for x in m[f]]
        if f == "bsn":
            row[1] = min(row[1], BSN_DIFFER_MAX)
        s = sum(row)
        out[f] = [x / s for x in row]
    return out


@lru_cache(maxsize=1)
def _default_model() -> Model:
    text = resources.files(__package__).joinpath(DEFAULT_FILE).read_text(encoding="utf-8")
    return Model.from_dict(json.loads(text))


def top_levels(model: Model) -> Iterable[tuple[str, str, float]]:
    """(field, level, weight) of every level: for docs and the evaluation command."""
    for i, f in enumerate(FIELDS):
        for level, label in enumerate(LEVELS[f]):
            yield f, label, model._weights[i][level]
