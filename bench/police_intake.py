"""Police bulk intake throughput: reports per second for one batch through the real API
(validation, matching, classification, dossier, involvements, access log), on SQLite and on
PostgreSQL in one run.

    uv run python bench/police_intake.py [--reports 10000]

PostgreSQL is measured when it answers at 127.0.0.1:5432 (trust auth; Django makes and drops
its own ``test_bench`` database, so a test run on ``test`` can go on beside it);
set BENCH_PG_URL to use another. Each database is a fresh test database, made and dropped
by Django's test machinery.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _child(n: int) -> None:
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ketenradar.conf.test")
    import django

    django.setup()
    from django.test.utils import get_runner, setup_test_environment
    from django.conf import settings

    setup_test_environment()
    runner = get_runner(settings)(verbosity=0, interactive=False)
    old = runner.setup_databases()
    try:
        from rest_framework.test import APIClient

        from ketenradar.accounts.actor import Actor
        from ketenradar.accounts.models import Membership, Role
        from ketenradar.accounts.tokens import api_token_create
        from ketenradar.audit.models import AuditEvent
        from ketenradar.core.tests.factories import (
            MembershipFactory,
            OrganisationFactory,
            RegionFactory,
            UserFactory,
        )
        from ketenradar.regions.constants import OrganisationType
        from ketenradar.reports.models import Contact
        from ketenradar.reports.tests.conftest import police_report

        region = RegionFactory(name="Bench", code="bench")
        OrganisationFactory(region=region, name="Veilig Thuis", type=OrganisationType.VEILIG_THUIS)
        police = OrganisationFactory(region=region, name="Politie", type=OrganisationType.POLICE)
        user = UserFactory(username="politie.koppeling")
        MembershipFactory(
            user=user, organisation=police, role=Role.objects.get(code="police_channel")
        )
        Membership.objects.get(user=user)
        key = api_token_create(actor=Actor.system("bench"), user=user, name="bench")
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        reports = [police_report(i) for i in range(n)]
        start = time.perf_counter()
        response = client.post("/api/v1/politie/meldingen/", {"reports": reports}, format="json")
        first = time.perf_counter() - start
        assert response.status_code == 200, response.status_code
        start = time.perf_counter()
        again = client.post("/api/v1/politie/meldingen/", {"reports": reports}, format="json")
        second = time.perf_counter() - start
        assert again.json()["duplicate"] == n
        print(
            json.dumps(
                {
                    "vendor": django.db.connection.vendor,
                    "reports": n,
                    "contacts": Contact.objects.count(),
                    "audit_events": AuditEvent.objects.count(),
                    "seconds": round(first, 2),
                    "reports_per_second": round(n / first, 1),
                    "resubmission_reports_per_second": round(n / second, 1),
                }
            )
        )
    finally:
        runner.teardown_databases(old)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=10000)
    parser.add_argument("--child", action="store_true")
    args = parser.parse_args()
    if args.child:
        _child(args.reports)
        return
    pg = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/bench")
    results = []
    for label, url in (("SQLite", None), ("PostgreSQL", pg)):
        env = {**os.environ}
        env.pop("DATABASE_URL", None)
        if url:
            env["DATABASE_URL"] = url
        out = subprocess.run(  # noqa: S603 - our own interpreter and script
            [sys.executable, __file__, "--child", "--reports", str(args.reports)],
            env=env,
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        if out.returncode != 0:
            print(f"{label}: failed\n{out.stderr[-2000:]}")
            continue
        row = json.loads(out.stdout.strip().splitlines()[-1])
        results.append(row)
        print(
            f"{label:<11} {row['reports']} reports in {row['seconds']} s: "
            f"{row['reports_per_second']} reports/s (resubmission {row['resubmission_reports_per_second']}/s), "
            f"{row['audit_events']} access-log events"
        )
    if len(results) == 2:
        ratio = results[0]["reports_per_second"] / results[1]["reports_per_second"]
        print(f"SQLite / PostgreSQL throughput ratio: {ratio:.2f}")


if __name__ == "__main__":
    main()
