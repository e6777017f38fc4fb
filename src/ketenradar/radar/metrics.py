"""Accuracy of the radar's engine on the synthetic population: precision, recall and F1 per
band, top-1 accuracy of lookups, the hard case and the twins (plain Python; the command
``manage.py radar_evaluate`` prints them)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ketenradar.radar.engine.linker import InMemoryIndex
from ketenradar.radar.engine.model import GEEN, ZEKER, Model
from ketenradar.radar.synthetic import Population, SyntheticReport


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Evaluation:
    reports: int = 0
    known_reports: int = 0
    zeker: Counts = field(default_factory=Counts)
    zeker_mogelijk: Counts = field(default_factory=Counts)
    candidates_found: int = 0  # the true person among the blocked candidates
    top1_correct: int = 0
    unknown_zeker: int = 0  # reports of unknown persons with some zeker candidate
    unknown_reports: int = 0
    housemates_zeker: int = 0  # a housemate of the reported address in zeker
    hard_cases: int = 0
    hard_top1: int = 0
    hard_housemates_zeker: int = 0
    twin_pairs: int = 0
    twins_zeker: int = 0
    mean_candidates: float = 0.0

    @property
    def top1_accuracy(self) -> float:
        return self.top1_correct / self.known_reports if self.known_reports else 0.0

    @property
    def blocking_recall(self) -> float:
        return self.candidates_found / self.known_reports if self.known_reports else 0.0

    @property
    def hard_top1_share(self) -> float:
        return self.hard_top1 / self.hard_cases if self.hard_cases else 0.0


def evaluate(
    model: Model,
    population: Population,
    reports: Sequence[SyntheticReport],
    hard_cases: Sequence[SyntheticReport] = (),
    *,
    limit: int = 10,
    index: InMemoryIndex | None = None,
) -> Evaluation:
    """Look every report up among the population and count.

    Pairwise counting per band: a (report, known person) pair in the band is a true
    positive when the known person is the report's truth; a report of a known person whose
    truth is not in the band is a false negative.
    """
    index = index or InMemoryIndex(population.persons)
    ev = Evaluation()
    total_candidates = 0
    for report in reports:
        ev.reports += 1
        p = model.prepare(report.record)
        candidates = index.candidates(p)
        total_candidates += len(candidates)
        results = index.lookup(report.record, model, limit)
        truth = report.truth
        if truth is None:
            ev.unknown_reports += 1
            if any(s.band == ZEKER for _, s in results):
                ev.unknown_zeker += 1
        else:
            ev.known_reports += 1
            if truth in candidates:
                ev.candidates_found += 1
            if results and results[0][0].id == truth and results[0][1].band != GEEN:
                ev.top1_correct += 1
        mates = set(report.housemates)
        for counts, bands in ((ev.zeker, (ZEKER,)), (ev.zeker_mogelijk, (ZEKER, "mogelijk"))):
            found = False
            for record, scored in results:
                if scored.band not in bands:
                    continue
                if record.id == truth:
                    counts.tp += 1
                    found = True
                else:
                    counts.fp += 1
            if truth is not None and not found:
                counts.fn += 1
        if any(s.band == ZEKER and r.id in mates and r.id != truth for r, s in results):
            ev.housemates_zeker += 1
    ev.mean_candidates = total_candidates / len(reports) if reports else 0.0
    for report in hard_cases:
        ev.hard_cases += 1
        results = index.lookup(report.record, model, limit)
        if results and results[0][0].id == report.truth and results[0][1].band != GEEN:
            ev.hard_top1 += 1
        mates = set(report.housemates)
        if any(s.band == ZEKER and r.id in mates for r, s in results):
            ev.hard_housemates_zeker += 1
    persons = population.persons
    for a, b in population.twins:
        ev.twin_pairs += 1
        if model.score(persons[a], persons[b]).band == ZEKER:
            ev.twins_zeker += 1
        for x, y in ((a, b), (b, a)):
            results = index.lookup(persons[x], model, limit)
            if any(r.id == y and s.band == ZEKER for r, s in results):
                ev.twins_zeker += 1
    return ev


def format_evaluation(ev: Evaluation) -> list[str]:
    lines = [
        f"reports: {ev.reports} ({ev.known_reports} of known persons, "
        f"{ev.unknown_reports} of unknown persons); mean candidates per lookup "
        f"{ev.mean_candidates:.1f}",
        f"{'band':<18}{'precision':>10}{'recall':>10}{'F1':>10}{'TP':>8}{'FP':>8}{'FN':>8}",
    ]
    for name, c in (("zeker", ev.zeker), ("zeker+mogelijk", ev.zeker_mogelijk)):
        lines.append(
            f"{name:<18}{c.precision:>10.4f}{c.recall:>10.4f}{c.f1:>10.4f}"
            f"{c.tp:>8}{c.fp:>8}{c.fn:>8}"
        )
    lines += [
        f"blocking recall (true person among the candidates): {ev.blocking_recall:.4f}",
        f"top-1 accuracy (known persons, top candidate correct and not geen): "
        f"{ev.top1_accuracy:.4f}",
        f"unknown persons with a zeker candidate: {ev.unknown_zeker} of {ev.unknown_reports}",
        f"reports with a housemate (not the person) in zeker: {ev.housemates_zeker}",
        f"hard case (moved in with another household, no BSN): top-1 correct "
        f"{ev.hard_top1} of {ev.hard_cases} ({ev.hard_top1_share:.4f}); "
        f"with a housemate in zeker: {ev.hard_housemates_zeker}",
        f"twins: {ev.twin_pairs} pairs, twin in zeker: {ev.twins_zeker}",
    ]
    return lines
