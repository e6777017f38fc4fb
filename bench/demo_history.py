"""How long the demo's first start spends replaying Veilig Thuis history through the services.

    uv run python bench/demo_history.py [--years 2] [--scale 1] [--postgres]

Runs ``migrate`` and ``seed_demo`` on a fresh SQLite file (as ``./bin/demo`` does), timing the
population and the replay separately, and prints the contacts and service calls per second.
With ``--postgres`` the same replay also runs on a fresh PostgreSQL database (``bench_demo``
at 127.0.0.1:5432, or BENCH_PG_URL), made and dropped here, for the ratio in one run.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _run(args: list[str], env: dict[str, str]) -> str:
    out = subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", *args], env=env, cwd=ROOT, capture_output=True, text=True
    )
    if out.returncode != 0:
        raise SystemExit(out.stderr[-3000:])
    return out.stdout


def _measure(label: str, url: str, years: float, scale: float) -> dict[str, float]:
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "ketenradar.conf.dev"}
    _run(["migrate", "--noinput", "-v0"], env)
    start = time.perf_counter()
    _run(["seed_demo", "--history-years", "0"], env)
    population = time.perf_counter() - start
    start = time.perf_counter()
    out = _run(["seed_demo", "--history-years", str(years), "--history-scale", str(scale)], env)
    # the second call finds the population and replays the history only
    replay = time.perf_counter() - start
    found = re.search(r"(\d+) meldingen and (\d+) adviezen", out)
    events = re.search(r"(\d+) service calls", out)
    reports, advice = (int(found.group(1)), int(found.group(2))) if found else (0, 0)
    calls = int(events.group(1)) if events else 0
    print(
        f"{label:<11} population {population:6.1f} s; replay of {years:g} years at {scale:g}x: "
        f"{replay:7.1f} s for {reports} reports + {advice} advice requests "
        f"({(reports + advice) / replay:.1f} contacts/s), {calls} service calls "
        f"({calls / replay:.1f}/s)"
    )
    for line in out.splitlines():  # the CBS split of earlier involvement the services produced
        if re.match(r"\s+(eerste|hermelding|vervolg)", line):
            print(f"            {line.strip()}")
    return {"replay": replay}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--years", type=float, default=2.0)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        sqlite = _measure("SQLite", f"sqlite:///{tmp}/demo.sqlite3", args.years, args.scale)
    if args.postgres:
        base = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
        admin = base.rsplit("/", 1)[0]
        import psycopg

        with psycopg.connect(f"{admin}/postgres", autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS bench_demo")
            conn.execute("CREATE DATABASE bench_demo")
        try:
            pg = _measure("PostgreSQL", f"{admin}/bench_demo", args.years, args.scale)
            print(f"SQLite / PostgreSQL replay time ratio: {sqlite['replay'] / pg['replay']:.2f}")
        finally:
            with psycopg.connect(f"{admin}/postgres", autocommit=True) as conn:
                conn.execute("DROP DATABASE IF EXISTS bench_demo")


if __name__ == "__main__":
    main()
