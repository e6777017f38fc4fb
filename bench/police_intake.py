"""Police bulk intake throughput: reports per second for one batch through the real API
(validation, matching, classification, dossier, involvements, access log), on SQLite and on
PostgreSQL in one run.

    uv run python bench/police_intake.py [--reports 10000] [--population 20000]

Two batches per database:

- *varied*: a region that already knows ``--population`` persons (bulk-loaded with their
  addresses and the radar's keys, then ANALYZE, as a live database has statistics); the
  batch's households have Dutch names, addresses and dates of birth (Faker ``nl_NL``), and
  two in five of them are known persons reported again without BSN, so the radar has real
  matching work.
- *shared*: the worst case for matching, on an empty database: every victim is an "Eva" at
  one postcode and every perpetrator born in 1988, so every lookup reads the most
  candidates the radar reads (200) and none of the tables has statistics.

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
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def _population(n: int, seed: int) -> list[dict[str, Any]]:
    """``n`` synthetic known persons in households of two at one address (Faker nl_NL)."""
    from faker import Faker

    fake = Faker("nl_NL")
    fake.seed_instance(seed)
    people: list[dict[str, Any]] = []
    for i in range(0, n, 2):
        address = {
            "street": fake.street_name(),
            "house_number": fake.random_int(1, 300),
            "postcode": fake.postcode().replace(" ", ""),
            "city": fake.city(),
        }
        for sex in ("v", "m")[: min(2, n - i)]:
            born = fake.date_of_birth(minimum_age=18, maximum_age=80)
            given = fake.first_name_female() if sex == "v" else fake.first_name_male()
            people.append(
                {
                    "given_names": given,
                    "surname": fake.last_name(),
                    "born": born,
                    "sex": sex,
                    "address": address,
                }
            )
    return people


def _load_population(people: list[dict[str, Any]]) -> None:
    from django.db import connection

    from ketenradar.persons.models import Address, Person
    from ketenradar.radar.index import keys_of, record_of_person
    from ketenradar.radar.models import PersonKey

    persons = Person.objects.bulk_create(
        [
            Person(
                given_names=p["given_names"],
                surname=p["surname"],
                birth_year=p["born"].year,
                birth_month=p["born"].month,
                birth_day=p["born"].day,
                sex=p["sex"],
            )
            for p in people
        ],
        batch_size=2000,
    )
    if persons and persons[0].pk is None:  # SQLite before 3.35 returns no ids
        persons = list(Person.objects.order_by("pk"))
    Address.objects.bulk_create(
        [Address(person=person, **p["address"]) for person, p in zip(persons, people, strict=True)],
        batch_size=2000,
    )
    PersonKey.objects.bulk_create(
        [
            PersonKey(person_id=person.pk, key=key)
            for person, p in zip(persons, people, strict=True)
            for key in keys_of(record_of_person(person, p["address"] | {"house_letter": ""}))
        ],
        batch_size=5000,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _varied_batch(n: int, known: list[dict[str, Any]], seed: int) -> list[dict[str, Any]]:
    """``n`` police reports about households of two; two in five are known households."""
    import random

    from faker import Faker

    from ketenradar.reports.tests.conftest import police_report

    fake = Faker("nl_NL")
    fake.seed_instance(seed + 1)
    pick = random.Random(seed)  # noqa: S311 - synthetic data
    reports = []
    for i in range(n):
        if known and pick.random() < 0.4:
            j = pick.randrange(0, len(known) - 1, 2)
            pair = known[j : j + 2]
        else:
            address = {
                "street": fake.street_name(),
                "house_number": fake.random_int(1, 300),
                "postcode": fake.postcode().replace(" ", ""),
                "city": fake.city(),
            }
            pair = [
                {
                    "given_names": fake.first_name_female(),
                    "surname": fake.last_name(),
                    "born": fake.date_of_birth(minimum_age=18, maximum_age=80),
                    "sex": "v",
                    "address": address,
                },
                {
                    "given_names": fake.first_name_male(),
                    "surname": fake.last_name(),
                    "born": fake.date_of_birth(minimum_age=18, maximum_age=80),
                    "sex": "m",
                    "address": address,
                },
            ]
        persons = []
        for role, p in zip(("slachtoffer", "pleger"), pair, strict=False):
            persons.append(
                {
                    "role": role,
                    "given_names": p["given_names"],
                    "surname": p["surname"],
                    "date_of_birth": p["born"].isoformat(),
                    "sex": p["sex"],
                    "address": {**p["address"], "postcode": p["address"]["postcode"]},
                }
            )
        reports.append(police_report(i, report_id=f"PL-V{i:06d}", persons=persons))
    return reports


def _child(n: int, population: int) -> None:
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

        def post(batch: str, reports: list[dict[str, Any]]) -> None:
            contacts, events = Contact.objects.count(), AuditEvent.objects.count()
            start = time.perf_counter()
            response = client.post(
                "/api/v1/politie/meldingen/", {"reports": reports}, format="json"
            )
            first = time.perf_counter() - start
            assert response.status_code == 200, response.status_code
            assert response.json()["accepted"] == n, response.json()["rejected"]
            start = time.perf_counter()
            again = client.post("/api/v1/politie/meldingen/", {"reports": reports}, format="json")
            second = time.perf_counter() - start
            assert again.json()["duplicate"] == n
            print(
                json.dumps(
                    {
                        "vendor": django.db.connection.vendor,
                        "batch": batch,
                        "reports": n,
                        "contacts": Contact.objects.count() - contacts,
                        "audit_events": AuditEvent.objects.count() - events,
                        "seconds": round(first, 2),
                        "reports_per_second": round(n / first, 1),
                        "resubmission_reports_per_second": round(n / second, 1),
                    }
                )
            )

        # the worst case first, on the empty database
        post("shared", [police_report(i) for i in range(n)])
        known = _population(population, seed=7)
        _load_population(known)
        post("varied", _varied_batch(n, known, seed=7))
    finally:
        runner.teardown_databases(old)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=10000)
    parser.add_argument("--population", type=int, default=20000)
    parser.add_argument("--child", action="store_true")
    args = parser.parse_args()
    if args.child:
        _child(args.reports, args.population)
        return
    pg = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/bench")
    results = []
    for label, url in (("SQLite", None), ("PostgreSQL", pg)):
        env = {**os.environ}
        env.pop("DATABASE_URL", None)
        if url:
            env["DATABASE_URL"] = url
        out = subprocess.run(  # noqa: S603 - our own interpreter and script
            [
                sys.executable,
                __file__,
                "--child",
                "--reports",
                str(args.reports),
                "--population",
                str(args.population),
            ],
            env=env,
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        if out.returncode != 0:
            print(f"{label}: failed\n{out.stderr[-2000:]}")
            continue
        rows = [
            json.loads(line)
            for line in out.stdout.strip().splitlines()
            if line.startswith('{"vendor"')
        ]
        results.append(rows)
        for row in rows:
            print(
                f"{label:<11} {row['batch']:<7} {row['reports']} reports in {row['seconds']} s: "
                f"{row['reports_per_second']} reports/s "
                f"(resubmission {row['resubmission_reports_per_second']}/s), "
                f"{row['audit_events']} access-log events"
            )
    if len(results) == 2:
        for lite, pg in zip(*results, strict=True):
            ratio = lite["reports_per_second"] / pg["reports_per_second"]
            print(f"{lite['batch']}: SQLite / PostgreSQL throughput ratio {ratio:.2f}")


if __name__ == "__main__":
    main()
