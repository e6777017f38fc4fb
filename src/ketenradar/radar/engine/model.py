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
    Levels,
    Prepared,
    compare,
    compare_birth_date,
    compare_bsn,
    compare_given_name,
    compare_surname,
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
    "given_name": [0.80, 0.08, 0.06, 0.02, 0.02, 0.02],
    "surname": [0.80, 0.06, 0.08, 0.03, 0.03],
    "birth_date": [0.85, 0.04, 0.04, 0.03, 0.04],
    "address": [0.55, 0.05, 0.02, 0.05, 0.08, 0.25],
    "bsn": [0.97, 0.01, 0.02],
    "sex": [0.97, 0.03],
}
_U_START: dict[str, list[float]] = {
    "given_name": [0.01, 0.01, 0.02, 0.02, 0.06, 0.88],
    "surname": [0.002, 0.001, 0.005, 0.02, 0.972],
    "birth_date": [0.00005, 0.00002, 0.0003, 0.01, 0.98963],
    "address": [0.0001, 0.00001, 0.00005, 0.0005, 0.05, 0.94934],
    "bsn": [0.000001, 0.99999, 0.000009],
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
        household_surname: float = 0.0,
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
        # The share of different persons at the same address whose surnames agree (relatives
        # and partners): with the address equal, an agreeing surname is weighed against this
        # instead of against random pairs, so that a housemate's surname does not count twice.
        self.household_surname = float(household_surname)
        self._weights: list[list[float]] = [
            [
                math.log2(max(mm, _FLOOR) / max(uu, _FLOOR))
                for mm, uu in zip(self.m[f], self.u[f], strict=True)
            ]
            for f in FIELDS
        ]
        self._prior_weight = _logit2(self.prior)
        # log2 m per level, for the term-frequency adjusted weights (log2 m - log2 tf)
        self._tf_shift = [[math.log2(max(mm, _FLOOR)) for mm in self.m[f]] for f in FIELDS]
        self._house_weights = [
            math.log2(max(mm, _FLOOR) / max(self.household_surname, _FLOOR))
            for mm in self.m["surname"]
        ]
        self._labels = [LEVELS[f] for f in FIELDS]
        self._missing = [FieldEvidence(f, "ontbreekt", 0.0) for f in FIELDS]
        self._evidence = [
            [
                FieldEvidence(f, label, round(w, 2))
                for label, w in zip(LEVELS[f], self._weights[i], strict=True)
            ]
            for i, f in enumerate(FIELDS)
        ]
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
        return compare(a, b)[0]

    def weight(self, reported: Record | Prepared, known: Record | Prepared) -> float:
        """The match weight of ``score`` alone (no explanation): for ranking many candidates
        before scoring the best few in full."""
        a = reported if isinstance(reported, Prepared) else self._prepare(reported)
        b = known if isinstance(known, Prepared) else self._prepare(known)
        c, gv, sv = compare(a, b)
        weights = self._weights
        total = self._prior_weight
        for i in range(6):
            level = c[i]
            if level != MISSING:
                total += weights[i][level]
        given, surname = c[_GIVEN], c[_SURNAME]
        if given == 0 and gv:
            freq = self.tf["given_name"].get(gv) or self.tf_unseen.get("given_name")
            if freq:
                total += (
                    self._tf_shift[_GIVEN][0] - math.log2(max(freq, _FLOOR)) - weights[_GIVEN][0]
                )
        if 0 <= surname <= 2:
            w = weights[_SURNAME][surname]
            if surname <= 1 and sv:
                freq = self.tf["surname"].get(sv) or self.tf_unseen.get("surname")
                if freq:
                    w = self._tf_shift[_SURNAME][surname] - math.log2(max(freq, _FLOOR))
            if self.household_surname and c[_ADDRESS] in (0, 1):
                w = min(w, self._house_weights[surname])
            total += w - weights[_SURNAME][surname]
        return total

    def score(self, reported: Record | Prepared, known: Record | Prepared) -> Scored:
        """The probability that ``known`` is the person ``reported``, with its band and
        per-field evidence."""
        a = reported if isinstance(reported, Prepared) else self._prepare(reported)
        b = known if isinstance(known, Prepared) else self._prepare(known)
        c, gv, sv = compare(a, b)
        total = self._prior_weight
        evidence: list[FieldEvidence] = []
        weights = self._weights
        labels = self._labels
        for i in range(6):
            level = c[i]
            field = FIELDS[i]
            if level == MISSING:
                evidence.append(self._missing[i])
                continue
            w = weights[i][level]
            if i > _SURNAME:  # no adjustment: the evidence is made once per model
                total += w
                evidence.append(self._evidence[i][level])
                continue
            if i == _GIVEN and level == 0:
                tfw = self._tf_weight(field, 0, gv)
                if tfw is not None:
                    w = tfw
            elif i == _SURNAME and level <= 2:
                if level <= 1:
                    tfw = self._tf_weight(field, level, sv)
                    if tfw is not None:
                        w = tfw
                if self.household_surname and c[_ADDRESS] in (0, 1):
                    house_w = self._house_weights[level]
                    if house_w < w:
                        total += house_w
                        evidence.append(
                            FieldEvidence(
                                field, labels[i][level] + ", zelfde adres", round(house_w, 2)
                            )
                        )
                        continue
            total += w
            evidence.append(FieldEvidence(field, labels[i][level], round(w, 2)))
        probability = 1.0 / (1.0 + 2.0 ** (-total)) if total > -1000 else 0.0
        band = self._band(probability, c, a, b)
        return Scored(probability, total, band, tuple(evidence))

    def _band(self, probability: float, c: Levels, a: Prepared, b: Prepared) -> str:
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
            "household_surname": self.household_surname,
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
            household_surname=d.get("household_surname", 0.0),
            info=d.get("info"),
        )

    def with_population(self, known: int) -> Model:
        """The same model for lookups among ``known`` persons: the prior of a pair scales with
        the size of the population the model was trained on over ``known`` (the share of
        reports about someone already known staying the same)."""
        trained_on = int(self.info.get("records", 0))
        if not trained_on or known <= 0:
            return self
        d = self.to_dict()
        d["prior"] = min(self.prior * trained_on / known, 0.5)
        d["info"] = {**self.info, "records": known, "rescaled_from": trained_on}
        return Model.from_dict(d)

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
        sampled = 0
        for _ in range(u_pairs):
            i = rng.randrange(n)
            j = rng.randrange(n)
            if i == j or (groups is not None and groups[i] == groups[j]):
                continue
            c = compare(prepared[i], prepared[j])[0]
            sampled += 1
            for k in range(6):
                if c[k] != MISSING:
                    u_counts[k][c[k]] += 1
        u: dict[str, list[float]] = {}
        for k, f in enumerate(FIELDS):
            row = [x + 0.5 for x in u_counts[k]]
            s = sum(row)
            u[f] = [x / s for x in row]
        checked = sum(1 for r in records if r.bsn and r.bsn_checked)
        unchecked = sum(1 for r in records if r.bsn and not r.bsn_checked)
        bsn_checked = checked >= unchecked
        if bsn_checked:
            # Random pairs never share a BSN, so sampling only bounds u of "gelijk" by the
            # sample size; two persons with one valid BSN are an administrative error.
            u["bsn"][0] = BSN_SHARED_U

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
            patterns[compare(prepared[i], prepared[j])[0]] += 1

        m, blocked_share = _em(patterns, u, iterations)
        m = _with_floors(m, bsn_checked=bsn_checked)
        # The prior of a pair: the matches EM found among the candidates, over all pairs
        # (as Splink's probability that two random records match).
        if groups is None:
            all_pairs = n * (n - 1) / 2
        else:
            sizes = Counter(groups)
            all_pairs = (sum(sizes.values()) ** 2 - sum(v * v for v in sizes.values())) / 2
        matches = blocked_share * len(pair_list) * (len(pairs) / max(len(pair_list), 1))
        prior = min(max(matches / all_pairs, 1e-9), 0.5)
        u = _without_matches(u, m, prior, floor=0.5 / max(sampled, 1))
        info = {
            "records": n,
            "candidate_pairs": len(pairs),
            "matches_estimated": round(matches),
            "seed": seed,
            "u_pairs": u_pairs,
            "iterations": iterations,
        }
        household = _household_surname(prepared, groups, rng)
        info["household_pairs"] = household[1]
        return cls(m, u, prior, tf, tf_unseen, household_surname=household[0], info=info)


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


def _household_surname(
    prepared: Sequence[Prepared], groups: Sequence[int] | None, rng: random.Random
) -> tuple[float, int]:
    """(share of surname agreement among different persons at one address, pairs seen).

    Pairs at the same postcode and house number whose given names and dates of birth both
    differ (and whose BSNs are not equal) are taken for different persons (housemates); 0.0
    below 50 such pairs or when they are less than half of the pairs at one address."""
    houses: dict[str, list[int]] = defaultdict(list)
    for idx, p in enumerate(prepared):
        if p.address_key:
            houses[p.address_key].append(idx)
    agree = 0
    seen = 0
    same_address = 0
    for members in houses.values():
        if len(members) < 2:
            continue
        if len(members) > 20:
            members = rng.sample(members, 20)
        for x in range(len(members)):
            for y in range(x + 1, len(members)):
                i, j = members[x], members[y]
                if groups is not None and groups[i] == groups[j]:
                    continue
                a, b = prepared[i], prepared[j]
                same_address += 1
                given, _ = compare_given_name(a, b)
                date = compare_birth_date(a, b)
                if given not in (4, 5) or date != 4 or compare_bsn(a, b) == 0:
                    continue
                seen += 1
                if compare_surname(a, b)[0] in (0, 1, 2):
                    agree += 1
    if seen < 50 or seen < same_address / 2:
        # few pairs at one address are different persons: a list without households (two
        # files of the same persons), where such pairs are rather heavily corrupted duplicates
        return 0.0, seen
    return agree / seen, seen


def _without_matches(
    u: dict[str, list[float]], m: dict[str, list[float]], prior: float, floor: float
) -> dict[str, list[float]]:
    """u from random pairs still holds the matches among them (a share ``prior``): take
    them out, u = (u_random - prior * m) / (1 - prior), no lower than the sample's
    resolution. Matters when matches are a noticeable share of all pairs (two files of
    5,000 that link one to one); a region's register is far too large for it to matter."""
    out = {}
    for f in FIELDS:
        row = [
            max((uu - prior * mm) / (1 - prior), min(uu, floor))
            for uu, mm in zip(u[f], m[f], strict=True)
        ]
        s = sum(row)
        out[f] = [x / s for x in row]
    return out


M_FLOOR = 0.005
BSN_DIFFER_MAX = 0.002
BSN_SHARED_U = 1e-8


def _with_floors(m: dict[str, list[float]], *, bsn_checked: bool = True) -> dict[str, list[float]]:
    """Keep every level possible for a match (a level EM never saw among the candidates
    would otherwise weigh minus infinity), and hold the share of matches with two different
    valid BSNs at a typo's rate at most: EM counts a few housemates among the matches, but
    two valid, different BSNs are strong evidence of two persons. (Identifiers without the
    eleven-test, such as FEBRL's, keep EM's estimate: their typos look like differences.)"""
    out = {}
    for f in FIELDS:
        row = [max(x, M_FLOOR) for x in m[f]]
        if f == "bsn" and bsn_checked:
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
