"""The radar's lookup latency at national scale: one reported person against 1,000,000 known
persons, Ketenradar's ``RadarMatcher`` (SQLite and PostgreSQL) next to Splink 5's real-time
linkage (DuckDB) on the same persons and the same lookups, in one run.

    uv run python bench/radar_lookup.py [--persons 1000000] [--lookups 1000]
        [--splink-lookups 1000] [--postgres | --no-sqlite] [--no-splink] [--seed 0]

Steps, each in a process of its own (so that each figure of memory is that process's peak):

1. *prepare*: the synthetic Dutch population of ``ketenradar.radar.synthetic`` (``--persons``
   known persons in households, with BSN for 85%) and ``--lookups`` reports about them
   (corrupted: typos, swapped day and month, partner's surname, initials only, moves, missing
   BSN or date of birth; a quarter about persons nobody knows). The known persons become
   database rows (person, current address) and their blocking keys are made by the
   application's own code (``radar.index.keys_of(record_of_person(...))``).
2. *Ketenradar*, per database: a fresh migrated database (a SQLite file; with ``--postgres``
   the PostgreSQL database ``bench_radar`` at 127.0.0.1:5432, or BENCH_PG_URL, made and dropped
   here), the rows loaded in bulk (executemany on SQLite, COPY on PostgreSQL; secondary
   indexes dropped for the load and made again, then ANALYZE), then every lookup through
   ``RadarMatcher().match(reported)``: the same three statements per lookup as in the
   application. Ten warm-up lookups (the model read once) are not counted.
3. *Splink*: the same known persons in DuckDB with the Dutch Splink model of
   ``bench/radar_accuracy.py``, trained once as that bench does (EM without labels, linking
   the known persons with 20,000 other synthetic reports), term-frequency tables computed;
   the trained settings are then used as they are, and per lookup Splink 5's incremental real-time linkage: the new record
   registered and ``linker.inference.predict_between(known, new)`` (the successor of
   ``find_matches_to_new_records``), its blocking rules over the 1M known rows.

Printed: per backend p50/p95/p99 and mean latency in ms, how many candidates a lookup read
(median and max), top-1 correct of the lookups about known persons (a sanity check that the
lookups do real work), the process's peak RSS, and the ratios of the p95s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import os
import pickle
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from types import SimpleNamespace
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

CHUNK = 50_000
WARM_UP = 10
TRAINING_REPORTS = 20_000

PERSON_COLUMNS = (
    "id",
    "uuid",
    "given_names",
    "initials",
    "surname_prefix",
    "surname",
    "birth_surname_prefix",
    "birth_surname",
    "partner_surname_prefix",
    "partner_surname",
    "name_usage",
    "birth_year",
    "birth_month",
    "birth_day",
    "sex",
    "bsn",
    "no_bsn_reason",
    "confidentiality",
    "created_at",
    "updated_at",
)
ADDRESS_COLUMNS = (
    "id",
    "person_id",
    "kind",
    "street",
    "house_number",
    "house_letter",
    "house_number_addition",
    "postcode",
    "city",
    "valid_from",
    "is_confidential",
)
KEY_COLUMNS = ("person_id", "key")
TABLES = {
    "person": ("persons_person", PERSON_COLUMNS),
    "address": ("persons_address", ADDRESS_COLUMNS),
    "key": ("radar_personkey", KEY_COLUMNS),
}


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def percentiles(ms: list[float]) -> dict[str, float]:
    ordered = sorted(ms)

    def at(q: float) -> float:
        return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]

    return {
        "n": len(ordered),
        "p50": at(0.50),
        "p95": at(0.95),
        "p99": at(0.99),
        "mean": statistics.fmean(ordered),
    }


def _dump(path: Path, chunks: Iterator[list[tuple[Any, ...]]]) -> int:
    n = 0
    with path.open("wb") as f:
        for chunk in chunks:
            pickle.dump(chunk, f, protocol=pickle.HIGHEST_PROTOCOL)
            n += len(chunk)
    return n


def _load(path: Path) -> Iterator[list[tuple[Any, ...]]]:
    with path.open("rb") as f:
        while True:
            try:
                yield pickle.load(f)  # noqa: S301 - our own file, written by this script
            except EOFError:
                return


def _chunks(rows: Iterator[tuple[Any, ...]]) -> Iterator[list[tuple[Any, ...]]]:
    chunk: list[tuple[Any, ...]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


# -- 1. prepare ----------------------------------------------------------------------------------


def splink_row(rec: Any) -> dict[str, Any]:
    """A record as the Splink model of bench/radar_accuracy.py reads it (the same columns)."""
    from radar_accuracy import splink_row as row  # this folder is on the path of a script

    return row(rec)


def prepare(args: argparse.Namespace, folder: Path) -> None:
    import django

    django.setup()
    from ketenradar.radar.index import keys_of, record_of_person
    from ketenradar.radar.synthetic import generate_population, generate_reports

    t0 = time.perf_counter()
    population = generate_population(args.persons, seed=args.seed)
    reports = generate_reports(population, args.lookups, seed=args.seed + 1)
    generated = time.perf_counter() - t0
    now = dt.datetime.now(dt.UTC)
    today = now.date()

    def rows() -> Iterator[tuple[str, tuple[Any, ...]]]:
        for rec in population.persons:
            pk = rec.id + 1  # primary keys start at 1
            person = (
                pk,
                uuid.UUID(int=pk).hex,
                rec.given_names,
                rec.initials,
                rec.surname_prefix,
                rec.surname,
                rec.birth_surname_prefix,
                rec.birth_surname,
                rec.partner_surname_prefix,
                rec.partner_surname,
                "E",
                rec.birth_year,
                rec.birth_month,
                rec.birth_day,
                (rec.sex or "o").lower(),
                rec.bsn or None,
                "" if rec.bsn else "onbekend",
                "standaard",
                now,
                now,
            )
            address = None
            if rec.postcode and rec.house_number:
                address = (
                    pk,
                    pk,
                    "woonadres",
                    rec.street or "-",
                    rec.house_number,
                    rec.house_letter,
                    "",
                    rec.postcode,
                    rec.city or "-",
                    today,
                    False,
                )
            yield "person", person
            if address is not None:
                yield "address", address
            # the fields record_of_person reads, as a Person instance would have them
            model = SimpleNamespace(pk=pk, **dict(zip(PERSON_COLUMNS, person, strict=True)))
            stored = (
                dict(zip(("id", *ADDRESS_COLUMNS[3:9]), (pk, *address[3:9]))) if address else None
            )
            for key in keys_of(record_of_person(model, stored)):
                yield "key", (pk, key)

    t0 = time.perf_counter()
    files = {table: (folder / f"{table}.pickle").open("wb") for table in TABLES}
    pending: dict[str, list[tuple[Any, ...]]] = {table: [] for table in TABLES}
    counts = dict.fromkeys(TABLES, 0)
    for table, row in rows():
        pending[table].append(row)
        counts[table] += 1
        if len(pending[table]) >= CHUNK:
            pickle.dump(pending[table], files[table], protocol=pickle.HIGHEST_PROTOCOL)
            pending[table] = []
    for table, chunk in pending.items():
        if chunk:
            pickle.dump(chunk, files[table], protocol=pickle.HIGHEST_PROTOCOL)
        files[table].close()
    training = generate_reports(population, TRAINING_REPORTS, seed=args.seed + 2)
    _dump(
        folder / "splink-train.pickle",
        _chunks(
            tuple({**splink_row(r.record), "unique_id": 2 * 10**9 + i}.values())
            for i, r in enumerate(training)
        ),
    )
    _dump(
        folder / "splink.pickle", _chunks(tuple(splink_row(r).values()) for r in population.persons)
    )
    lookups = [
        {
            "reported": {
                "bsn": r.record.bsn,
                "given_names": r.record.given_names,
                "initials": r.record.initials,
                "surname_prefix": r.record.surname_prefix,
                "surname": r.record.surname,
                "birth_year": r.record.birth_year,
                "birth_month": r.record.birth_month,
                "birth_day": r.record.birth_day,
                "sex": (r.record.sex or "o").lower(),
                "postcode": r.record.postcode,
                "house_number": r.record.house_number,
                "house_letter": r.record.house_letter,
                "street": r.record.street,
                "city": r.record.city,
            },
            "splink": splink_row(r.record),
            "truth": None if r.truth is None else r.truth + 1,
        }
        for r in reports
    ]
    (folder / "lookups.json").write_text(json.dumps(lookups))
    print(
        f"prepare: {counts['person']:,} known persons, {counts['address']:,} addresses, "
        f"{counts['key']:,} blocking keys ({counts['key'] / counts['person']:.1f} per person), "
        f"{len(lookups):,} lookups ({sum(1 for r in lookups if r['truth']):,} about known "
        f"persons); generated in {generated:.0f} s, rows and keys made in "
        f"{time.perf_counter() - t0:.0f} s",
        flush=True,
    )


# -- 2. Ketenradar --------------------------------------------------------------------------------


def _drop_indexes(connection: Any) -> list[str]:
    from bulk_load import drop_indexes  # this folder is on the path of a script

    return drop_indexes(connection, [name for name, _ in TABLES.values()])


def ketenradar(args: argparse.Namespace, folder: Path) -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, transaction

    settings.DEBUG = False  # no query log
    call_command("migrate", "--noinput", verbosity=0)
    vendor = connection.vendor
    t0 = time.perf_counter()
    if vendor == "sqlite":
        connection.cursor().execute("PRAGMA cache_size = -1000000")  # 1 GB
    indexes = _drop_indexes(connection)
    with transaction.atomic():
        for table, (name, columns) in TABLES.items():
            for chunk in _load(folder / f"{table}.pickle"):
                if vendor == "sqlite":
                    placeholders = ", ".join("?" * len(columns))
                    connection.connection.executemany(
                        f"INSERT INTO {name} ({', '.join(columns)}) VALUES ({placeholders})", chunk
                    )
                else:
                    with connection.cursor() as cursor:
                        copy_sql = f"COPY {name} ({', '.join(columns)}) FROM STDIN"
                        with cursor.cursor.copy(copy_sql) as copy:
                            for row in chunk:
                                copy.write_row(row)
    load = time.perf_counter() - t0
    t0 = time.perf_counter()
    with connection.cursor() as cursor:
        for sql in indexes:
            cursor.execute(sql)
        if vendor == "postgresql":
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('persons_person', 'id'), "
                "(SELECT MAX(id) FROM persons_person))"
            )
        # VACUUM too on PostgreSQL: the visibility map that autovacuum keeps in a live
        # database (index-only scans of the key index)
        cursor.execute("VACUUM ANALYZE" if vendor == "postgresql" else "ANALYZE")
    index = time.perf_counter() - t0
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM persons_person")
        (persons,) = cursor.fetchone()
    # the shipped model with its prior for lookups among this many persons, stored as the
    # active model (as radar_train stores a region's own, rescaled to all its persons)
    from django.utils import timezone

    from ketenradar.radar.engine.model import Model
    from ketenradar.radar.models import MatchModel

    MatchModel.objects.create(
        params=Model.default().with_population(persons).to_dict(),
        trained_at=timezone.now(),
        training_size=0,
        active=True,
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM radar_personkey")
        (keys,) = cursor.fetchone()
    print(
        f"{vendor}: loaded {persons:,} persons with {keys:,} keys in {load:.0f} s, "
        f"indexes and ANALYZE in {index:.0f} s; peak memory of the loading process "
        f"{peak_mb():,.0f} MB",
        flush=True,
    )


def lookups_step(args: argparse.Namespace, folder: Path) -> None:
    """The lookups, in a process of their own: its peak memory is the matcher's."""
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    from ketenradar.persons.matching import ReportedPerson
    from ketenradar.radar import index as radar_index
    from ketenradar.radar import matcher as radar

    settings.DEBUG = False  # no query log
    vendor = connection.vendor
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM persons_person")
        (persons,) = cursor.fetchone()
    lookups = json.loads((folder / "lookups.json").read_text())
    matcher = radar.RadarMatcher()
    counted: list[int] = []
    real_candidates = radar_index.candidates

    def counting(keys: list[str]) -> Any:
        model_id, found = real_candidates(keys)
        counted.append(len(found))
        return model_id, found

    radar_index.candidates = counting  # count, no change of behaviour
    for lookup in lookups[:WARM_UP]:
        matcher.match(ReportedPerson(**lookup["reported"]))
    counted.clear()
    ms: list[float] = []
    cpu_ms: list[float] = []
    load_before = os.getloadavg()[0]
    top1 = about_known = 0
    for lookup in lookups:
        reported = ReportedPerson(**lookup["reported"])
        start, cpu = time.perf_counter(), time.process_time()
        matches = matcher.match(reported)
        ms.append((time.perf_counter() - start) * 1000)
        cpu_ms.append((time.process_time() - cpu) * 1000)
        if lookup["truth"] is not None:
            about_known += 1
            top1 += bool(matches) and matches[0].person.pk == lookup["truth"]
    figures = percentiles(ms)
    cpu = percentiles(cpu_ms)
    result = {
        "backend": vendor,
        "cpu_p50": cpu["p50"],
        "cpu_p95": cpu["p95"],
        "load": (load_before, os.getloadavg()[0]),
        **figures,
        "candidates_median": statistics.median(counted),
        "candidates_max": max(counted),
        "top1": top1 / max(1, about_known),
        "peak_mb": peak_mb(),
    }
    print(
        f"{vendor}: {figures['n']:,} lookups against {persons:,} persons: p50 {figures['p50']:.2f} ms, "
        f"p95 {figures['p95']:.2f} ms, p99 {figures['p99']:.2f} ms, mean {figures['mean']:.2f} ms; "
        f"candidates read per lookup median {result['candidates_median']:.0f}, max "
        f"{result['candidates_max']}; top-1 correct {result['top1']:.1%} of {about_known} about "
        f"known persons; peak memory {result['peak_mb']:,.0f} MB; this process's CPU time per "
        f"lookup p50 {cpu['p50']:.2f} ms, p95 {cpu['p95']:.2f} ms; load average "
        f"{load_before:.1f} before, {os.getloadavg()[0]:.1f} after",
        flush=True,
    )
    (folder / f"result-{vendor}.json").write_text(json.dumps(result))


# -- 3. Splink -----------------------------------------------------------------------------------


def splink(args: argparse.Namespace, folder: Path) -> None:
    import pandas as pd
    from splink import DuckDBAPI, Linker, SettingsCreator

    from radar_accuracy import dutch_splink_model

    logging.getLogger("splink").setLevel(logging.WARNING)
    columns = list(splink_row_columns())
    t0 = time.perf_counter()
    frames = [pd.DataFrame(chunk, columns=columns) for chunk in _load(folder / "splink.pickle")]
    known_df = pd.concat(frames, ignore_index=True)
    del frames
    training = pd.DataFrame(
        [row for chunk in _load(folder / "splink-train.pickle") for row in chunk], columns=columns
    )
    comparisons, blocking, deterministic, em_sessions = dutch_splink_model()
    db_api = DuckDBAPI()
    known = db_api.register(known_df, dataset_display_name="known")
    reports = db_api.register(training, dataset_display_name="training_reports")
    del known_df, training
    # trained once (EM without labels, as bench/radar_accuracy.py does, on the known persons
    # and a separate set of reports); the lookups then use the trained settings as they are
    linker = Linker(
        [known, reports],
        SettingsCreator(
            link_type="link_only",
            unique_id_column_name="unique_id",
            comparisons=comparisons,
            blocking_rules_to_generate_predictions=blocking,
            retain_intermediate_calculation_columns=False,
        ),
        log_level=logging.WARNING,
    )
    linker.training.estimate_probability_two_random_records_match(deterministic, recall=0.7)
    linker.training.estimate_u_using_random_sampling(max_pairs=5e6, seed=args.seed)
    for rule in em_sessions:
        linker.training.estimate_parameters_using_expectation_maximisation(rule)
    for column in ("first_name", "surname"):
        linker.table_management.compute_tf_table(column)
    setup_seconds = time.perf_counter() - t0
    print(
        f"splink: the {args.persons:,} known persons in DuckDB, trained with "
        f"{TRAINING_REPORTS:,} reports, term frequencies computed, in {setup_seconds:.0f} s; "
        f"peak memory {peak_mb():,.0f} MB",
        flush=True,
    )
    lookups = json.loads((folder / "lookups.json").read_text())[: args.splink_lookups]

    def lookup(i: int, row: dict[str, Any]) -> Any:
        new = db_api.register(
            pd.DataFrame([{**row, "unique_id": 10**9 + i}], columns=columns),
            dataset_display_name=f"new_{i}",
        )
        found = linker.inference.predict_between(
            known, new, threshold_match_probability=0.01, warning_mode="never"
        ).as_pandas_dataframe()
        new.drop_table_from_database_and_remove_from_cache(force_non_splink_table=True)
        return found

    for i, item in enumerate(lookups[:WARM_UP]):
        lookup(i, item["splink"])
    ms: list[float] = []
    top1 = about_known = 0
    cpu_ms: list[float] = []
    load_before = os.getloadavg()[0]
    for i, item in enumerate(lookups):
        start, cpu = time.perf_counter(), time.process_time()
        found = lookup(WARM_UP + i, item["splink"])
        ms.append((time.perf_counter() - start) * 1000)
        cpu_ms.append((time.process_time() - cpu) * 1000)
        if (i + 1) % 50 == 0:
            print(
                f"splink: {i + 1} lookups, median so far {statistics.median(ms):.0f} ms", flush=True
            )
        if item["truth"] is not None:
            about_known += 1
            if len(found):
                best = found.sort_values("match_weight", ascending=False).iloc[0]
                ids = {int(best["unique_id_l"]), int(best["unique_id_r"])}
                top1 += (item["truth"] - 1) in ids
    figures = percentiles(ms)
    cpu_figures = percentiles(cpu_ms)
    result = {
        "backend": "splink",
        "cpu_p50": cpu_figures["p50"],
        "cpu_p95": cpu_figures["p95"],
        **figures,
        "top1": top1 / max(1, about_known),
        "peak_mb": peak_mb(),
    }
    print(
        f"splink: {figures['n']:,} lookups against {args.persons:,} persons: p50 {figures['p50']:.2f} ms, "
        f"p95 {figures['p95']:.2f} ms, p99 {figures['p99']:.2f} ms, mean {figures['mean']:.2f} ms; "
        f"top-1 correct {result['top1']:.1%} of {about_known} about known persons; "
        f"peak memory {result['peak_mb']:,.0f} MB; this process's CPU time per lookup (DuckDB's "
        f"threads included) p50 {cpu_figures['p50']:.2f} ms, p95 {cpu_figures['p95']:.2f} ms; "
        f"load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after",
        flush=True,
    )
    (folder / "result-splink.json").write_text(json.dumps(result))


def splink_row_columns() -> tuple[str, ...]:
    return (
        "unique_id",
        "first_name",
        "initial",
        "surname",
        "dob",
        "birth_year",
        "bsn",
        "postcode",
        "house_number",
        "city",
        "sex",
    )


# -- main ----------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--lookups", type=int, default=1_000)
    parser.add_argument("--splink-lookups", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--postgres", action="store_true", help="also on PostgreSQL")
    parser.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only")
    parser.add_argument("--no-splink", action="store_true")
    parser.add_argument("--step", choices=["prepare", "ketenradar", "lookups", "splink"])
    parser.add_argument("--folder")
    args = parser.parse_args()
    if args.step:
        folder = Path(args.folder)
        {"prepare": prepare, "ketenradar": ketenradar, "lookups": lookups_step, "splink": splink}[
            args.step
        ](args, folder)
        return
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "ketenradar.conf.dev"}
    with tempfile.TemporaryDirectory() as tmp:
        base = [
            sys.executable,
            __file__,
            "--folder",
            tmp,
            "--persons",
            str(args.persons),
            "--lookups",
            str(args.lookups),
            "--splink-lookups",
            str(args.splink_lookups),
            "--seed",
            str(args.seed),
            "--step",
        ]

        def run(step: str, **extra: str) -> None:
            subprocess.run([*base, step], env={**env, **extra}, cwd=ROOT, check=True)  # noqa: S603

        run("prepare", DATABASE_URL=f"sqlite:///{tmp}/unused.sqlite3")
        backends: list[str] = []
        if not args.no_sqlite:
            run("ketenradar", DATABASE_URL=f"sqlite:///{tmp}/bench.sqlite3")
            run("lookups", DATABASE_URL=f"sqlite:///{tmp}/bench.sqlite3")
            os.unlink(f"{tmp}/bench.sqlite3")
            backends.append("sqlite")
        if args.postgres or args.no_sqlite:
            import psycopg

            url = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
            admin = url.rsplit("/", 1)[0]
            with psycopg.connect(f"{admin}/postgres", autocommit=True) as conn:
                conn.execute("DROP DATABASE IF EXISTS bench_radar")
                conn.execute("CREATE DATABASE bench_radar")
            try:
                run("ketenradar", DATABASE_URL=f"{admin}/bench_radar")
                run("lookups", DATABASE_URL=f"{admin}/bench_radar")
            finally:
                with psycopg.connect(f"{admin}/postgres", autocommit=True) as conn:
                    conn.execute("DROP DATABASE IF EXISTS bench_radar")
            backends.append("postgresql")
        if args.no_splink:
            return
        run("splink")
        folder = Path(tmp)
        s = json.loads((folder / "result-splink.json").read_text())
        for backend in backends:
            k = json.loads((folder / f"result-{backend}.json").read_text())
            print(
                f"{backend}: Ketenradar p95 {k['p95']:.2f} ms vs Splink p95 {s['p95']:.2f} ms: "
                f"ratio {k['p95'] / s['p95']:.3f} (p50 ratio {k['p50'] / s['p50']:.3f}); "
                f"goal p95 <= 10 ms and <= 1/10 of Splink's: "
                f"{'met' if k['p95'] <= 10 and k['p95'] * 10 <= s['p95'] else 'NOT met'}",
                flush=True,
            )


if __name__ == "__main__":
    main()
