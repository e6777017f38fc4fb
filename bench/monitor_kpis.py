"""The monitor's KPIs at national scale: Ketenradar's selectors next to hand-written DuckDB SQL
over the same facts, in one run.

    uv run python bench/monitor_kpis.py [--years 10] [--contacts-per-year 270000] [--runs 3]
        [--postgres | --no-sqlite]

Generates a synthetic national fact set directly (the KPIs read only facts): 25 regions,
340 municipalities with inhabitants, ``--years`` x ``--contacts-per-year`` contacts (47%
reports, two thirds of them from the police category, CBS earlier involvement 31.9 / 38.1 /
28.5%, persons who come back over the years), their person facts, a dossier fact per
report that opens one, and monitoring facts. The rows go into a fresh Ketenradar database
(a SQLite file; with ``--postgres`` a PostgreSQL database ``bench_monitor`` at
127.0.0.1:5432, or BENCH_PG_URL, made and dropped here) and, through CSV files and DuckDB's
own reader, into an in-memory DuckDB. Then, for the scopes and periods a policy officer uses,
both compute every KPI of ``monitor.selectors.kpis``, the CBS half-year tables, the monthly
trend and the municipalities side by side; the bench asserts that they give the same
numbers and prints the seconds, the ratio Ketenradar / DuckDB and the peak memory.
"""

from __future__ import annotations

import argparse
import calendar
import csv
import datetime as dt
import hashlib
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

REGIONS = 25
MUNICIPALITIES = 340
END = dt.date(2026, 11, 30)  # the last day of the data; the KPIs are made "as of" 1 Dec 2026
AS_OF = END + dt.timedelta(days=1)

REPORTERS = [  # CBS hoedanigheid melder of the reports besides the police (two thirds)
    ("niet_beroepsmatig", 10),
    ("gezondheidszorg", 6),
    ("kinderopvang", 1),
    ("onderwijs", 5),
    ("bureau_leerplicht", 1),
    ("jeugdzorg", 3),
    ("vt_andere_regio", 2),
    ("anders", 5),
]
ADVICE_REPORTERS = [("niet_beroepsmatig", 45), ("gezondheidszorg", 15), ("onderwijs", 15)] + [
    ("kinderopvang", 5),
    ("jeugdzorg", 8),
    ("anders", 10),
    ("justitie_veiligheid", 2),
]
TYPES = [
    ("kindermishandeling", 30),
    ("ex_partnergeweld", 35),
    ("geweld_tegen_ouders", 5),
    ("ouderenmishandeling", 5),
    ("huiselijk_geweld_overig", 12),
    ("andere_problematiek", 8),
    ("geen_km_hg", 3),
    ("onbekend", 2),
]
EARLIER = [  # CBS 85361NED, 2023: 31.9 first, 38.1 repeat, 28.5 follow-up; 1.5% not set
    ("eerste_melding", 319),
    ("hermelding", 381),
    ("vervolg_tijdens_vb", 95),
    ("vervolg_na_vb", 95),
    ("vervolg_tijdens_monitoring", 95),
    ("", 15),
]
ROLES = ["slachtoffer", "kind", "pleger", "betrokkene"]
DECISIONS = [
    ("overdracht", 40),
    ("voorwaarden_vervolg", 25),
    ("onderzoek", 15),
    ("raad", 3),
    ("einde_bemoeienis", 17),
]
OUTCOMES = [("veilig", 70), ("zorgen", 20), ("onveilig", 10)]
MONITORING_MONTHS = (3, 12, 18)

CONTACT_COLUMNS = [
    "contact_key",
    "region_id",
    "municipality_id",
    "received_on",
    "kind",
    "channel",
    "reporter_category",
    "violence_types",
    "human_trafficking",
    "acute_indication",
    "earlier_involvement",
    "from_advice_request",
    "dossier_key",
]
PERSON_COLUMNS = [
    "person_key",
    "contact_key",
    "dossier_key",
    "region_id",
    "kind",
    "role",
    "received_on",
]
DOSSIER_COLUMNS = [
    "dossier_key",
    "region_id",
    "municipality_id",
    "state",
    "acute",
    "opened_on",
    "decided_on",
    "within_deadline",
    "decision",
    "investigation_started_on",
    "investigation_due_on",
    "investigation_completed_on",
    "investigation_within_10_weeks",
    "investigation_closed_early",
    "closed_on",
    "repeat_until",
]
MONITORING_COLUMNS = [
    "moment_key",
    "dossier_key",
    "region_id",
    "municipality_id",
    "months",
    "due_on",
    "done_on",
    "outcome",
]
# chain care (docs/monitor.md#chain-care-ketenzorg)
CASE_COLUMNS = [
    "case_key",
    "region_id",
    "municipality_id",
    "source",
    "phase",
    "phases",
    "opened_on",
    "closed_on",
    "close_reason",
    "dossier_key",
    "melding_on",
    "first_action_on",
    "mda_referred",
]
SCREENING_COLUMNS = [
    "screening_key",
    "case_key",
    "region_id",
    "municipality_id",
    "role",
    "offered_on",
    "outcome",
    "outcome_on",
]
REFERRAL_COLUMNS = [
    "referral_key",
    "case_key",
    "region_id",
    "municipality_id",
    "referred_on",
    "status",
    "accepted_on",
    "declined_on",
    "handed_back_on",
]
ORDER_COLUMNS = [
    "order_key",
    "region_id",
    "municipality_id",
    "imposed_on",
    "extended",
    "extension_decided_on",
    "status",
]
FACILITY_COLUMNS = ["facility_key", "region_id", "municipality_id"]
CAPACITY_COLUMNS = [
    "capacity_key",
    "facility_key",
    "region_id",
    "municipality_id",
    "bed_type",
    "valid_from",
    "beds",
]
PLACEMENT_COLUMNS = [
    "placement_key",
    "facility_key",
    "region_id",
    "municipality_id",
    "bed_type",
    "beds",
    "start_on",
    "end_on",
]
WAITING_COLUMNS = [
    "entry_key",
    "region_id",
    "municipality_id",
    "bed_type",
    "registered_on",
    "placed_on",
    "withdrawn_on",
]
TABLES = {
    "contact": ("monitor_contactfact", CONTACT_COLUMNS),
    "person": ("monitor_personcontactfact", PERSON_COLUMNS),
    "dossier": ("monitor_dossierfact", DOSSIER_COLUMNS),
    "monitoring": ("monitor_monitoringfact", MONITORING_COLUMNS),
    "cases": ("monitor_casefact", CASE_COLUMNS),
    "screening": ("monitor_traumascreeningfact", SCREENING_COLUMNS),
    "referral": ("monitor_mdareferralfact", REFERRAL_COLUMNS),
    "restraining": ("monitor_restrainingorderfact", ORDER_COLUMNS),
    "facility": ("monitor_facilityfact", FACILITY_COLUMNS),
    "capacity": ("monitor_bedcapacityfact", CAPACITY_COLUMNS),
    "placement": ("monitor_placementfact", PLACEMENT_COLUMNS),
    "waiting": ("monitor_waitingfact", WAITING_COLUMNS),
}


def _key(kind: str, n: int) -> str:
    """A 64-hex key like the HMAC pseudonyms (random-looking, so the indexes work as real)."""
    return hashlib.blake2b(f"{kind}{n}".encode(), digest_size=32).hexdigest()


def _picker(rng: random.Random, weighted: list[tuple[Any, int]]) -> Callable[[], Any]:
    values = [v for v, _ in weighted]
    cum: list[int] = []
    total = 0
    for _, w in weighted:
        total += w
        cum.append(total)

    def pick() -> Any:
        return rng.choices(values, cum_weights=cum)[0]

    return pick


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


# --- the synthetic nation ---------------------------------------------------------------


def geography(rng: random.Random) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """25 regions of 350,000 to 1.2 million inhabitants; 340 municipalities, a few large
    ones and many small, about 18 million people in all."""
    regions = [
        {"n": i, "name": f"Regio {i + 1:02d}", "code": f"regio-{i + 1:02d}"} for i in range(REGIONS)
    ]
    municipalities = []
    for m in range(MUNICIPALITIES):
        region = m % REGIONS
        large = m < REGIONS  # the first municipality of each region is its city
        inhabitants = (
            rng.randint(150_000, 550_000) if large else int(rng.paretovariate(1.6) * 12_000)
        )
        municipalities.append(
            {
                "n": m,
                "region": region,
                "name": f"Gemeente {m + 1:03d}",
                "cbs_code": f"GM{m + 1:04d}",
                "inhabitants": min(inhabitants, 900_000),
            }
        )
    return regions, municipalities


class Generator:
    """Streams the facts day by day: contacts, their persons, a dossier per report that opens
    one (with its assessment, investigation, closure and monitoring moments)."""

    def __init__(
        self,
        rng: random.Random,
        municipalities: list[dict[str, Any]],
        region_ids: list[int],
        municipality_ids: list[int],
    ) -> None:
        from ketenradar.monitor.selectors import repeat_until

        self.repeat_until = repeat_until  # what the refresh stores
        self.rng = rng
        self.region_ids = region_ids
        self.municipality_ids = municipality_ids
        by_region: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for m in municipalities:
            by_region[m["region"]].append((m["n"], m["inhabitants"]))
        weights = [sum(w for _, w in by_region[r]) for r in range(REGIONS)]
        self.pick_region = _picker(rng, list(zip(range(REGIONS), weights, strict=True)))
        self.pick_municipality = {r: _picker(rng, by_region[r]) for r in range(REGIONS)}
        self.pick_reporter = _picker(rng, REPORTERS)
        self.pick_advice_reporter = _picker(rng, ADVICE_REPORTERS)
        self.pick_type = _picker(rng, TYPES)
        self.pick_earlier = _picker(rng, EARLIER)
        self.pick_decision = _picker(rng, DECISIONS)
        self.pick_outcome = _picker(rng, OUTCOMES)
        self.recent: dict[int, list[int]] = defaultdict(list)  # persons per region, recent
        self.dossier_of: dict[int, int] = {}  # a person's latest dossier
        self.persons = 0
        self.contacts = 0
        self.dossiers = 0
        self.moments = 0

    def _persons(self, region: int, known: bool, n: int) -> list[int]:
        pool = self.recent[region]
        out: list[int] = []
        for i in range(n):
            if known and pool and (i == 0 or self.rng.random() < 0.7):
                out.append(pool[-1 - int(self.rng.random() ** 2 * min(len(pool), 40_000))])
            else:
                self.persons += 1
                out.append(self.persons)
                pool.append(self.persons)
        if len(pool) > 60_000:
            del pool[:20_000]
        return sorted(set(out))

    def day(self, date: dt.date, n: int) -> Iterator[tuple[str, tuple[Any, ...]]]:
        """The rows of a day's contacts, as the databases and CSV take them: dates as ISO
        text, the violence types as JSON text, NULL as None."""
        rng = self.rng
        day = date.isoformat()
        for _ in range(n):
            self.contacts += 1
            region = self.pick_region()
            municipality: int | None = self.pick_municipality[region]()
            if rng.random() < 0.015:
                municipality = None  # onbekend
            ckey = _key("c", self.contacts)
            rid = self.region_ids[region]
            mid = self.municipality_ids[municipality] if municipality is not None else None
            types = json.dumps(
                sorted({self.pick_type() for _ in range(1 if rng.random() < 0.8 else 2)})
            )
            if rng.random() >= 0.47:  # an advice request
                persons = self._persons(region, rng.random() < 0.2, rng.randint(0, 2))
                yield (
                    "contact",
                    (
                        ckey,
                        rid,
                        mid,
                        day,
                        "advies",
                        rng.choice(["telefoon", "chat", "webformulier"]),
                        self.pick_advice_reporter(),
                        types,
                        False,
                        False,
                        "",
                        False,
                        "",
                    ),
                )
                for p in persons:
                    yield "person", (_key("p", p), ckey, "", rid, "advies", rng.choice(ROLES), day)
                continue
            earlier = self.pick_earlier()
            police = rng.random() < 2 / 3
            persons = self._persons(
                region, earlier != "eerste_melding", rng.choice([1, 2, 2, 3, 4])
            )
            dossier = None
            if earlier.startswith("vervolg"):
                dossier = next((self.dossier_of[p] for p in persons if p in self.dossier_of), None)
            if dossier is None:
                self.dossiers += 1
                dossier = self.dossiers
                yield from self._dossier(dossier, rid, mid, date)
            dkey = _key("d", dossier)
            for p in persons:
                self.dossier_of[p] = dossier
            yield (
                "contact",
                (
                    ckey,
                    rid,
                    mid,
                    day,
                    "melding",
                    "politie" if police else "telefoon",
                    "justitie_veiligheid" if police else self.pick_reporter(),
                    types,
                    rng.random() < 0.01,
                    rng.random() < 0.05,
                    earlier,
                    rng.random() < 0.1,
                    dkey,
                ),
            )
            for i, p in enumerate(persons):
                yield "person", (_key("p", p), ckey, dkey, rid, "melding", ROLES[min(i, 3)], day)

    def _dossier(
        self, n: int, region: int, municipality: int | None, opened: dt.date
    ) -> Iterator[tuple[str, tuple[Any, ...]]]:
        rng = self.rng
        dkey = _key("d", n)
        acute = rng.random() < 0.05

        def until_end(day: dt.date | None) -> dt.date | None:
            return day if day is not None and day <= END else None

        decided = until_end(opened + dt.timedelta(days=int(rng.expovariate(1 / 4))))
        decision = self.pick_decision() if decided else ""
        within = None if decided is None else (decided - opened).days <= (1 if acute else 7)
        inv_start = inv_due = inv_done = None
        inv_within = None
        closed = None
        early = False
        state = "veiligheidsbeoordeling"
        if decided is not None:
            state = {
                "onderzoek": "onderzoek",
                "raad": "raad",
                "voorwaarden_vervolg": "voorwaarden_vervolg",
            }.get(decision, "monitoring")
            if decision == "onderzoek":
                inv_start = decided
                inv_due = decided + dt.timedelta(weeks=10)
                inv_done = until_end(decided + dt.timedelta(days=rng.randint(20, 110)))
                if inv_done is not None:
                    inv_within = inv_done <= inv_due
                    early = rng.random() < 0.1
            end_of_work = inv_done or decided
            if decision == "einde_bemoeienis":
                closed = decided
            elif end_of_work is not None:
                closed = until_end(end_of_work + dt.timedelta(days=rng.randint(30, 600)))
            if closed is not None:
                state = "afgesloten"
        yield (
            "dossier",
            (
                dkey,
                region,
                municipality,
                state,
                acute,
                _iso(opened),
                _iso(decided),
                within,
                decision,
                _iso(inv_start),
                _iso(inv_due),
                _iso(inv_done),
                inv_within,
                early,
                _iso(closed),
                _iso(self.repeat_until(closed)),
            ),
        )
        if decided is not None and decision in ("overdracht", "voorwaarden_vervolg", "onderzoek"):
            for months in MONITORING_MONTHS:
                self.moments += 1
                due = add_months(decided, months)
                done = until_end(due + dt.timedelta(days=rng.randint(-10, 20)))
                if rng.random() < 0.1:
                    done = None
                yield (
                    "monitoring",
                    (
                        _key("m", self.moments),
                        dkey,
                        region,
                        municipality,
                        months,
                        _iso(due),
                        _iso(done),
                        self.pick_outcome() if done else "",
                    ),
                )


def _iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


# --- chain care -------------------------------------------------------------------------

CASES_PER_YEAR = 40_000  # local-team cases after a handover, conditions, or opened locally
ORDERS_PER_YEAR = 3_500  # huisverboden
FACILITIES_PER_REGION = 4
PLACEMENTS_PER_YEAR = 12_000
WAITING_PER_YEAR = 15_000
CARE_BED_TYPES = ["regulier", "gezin", "crisis", "jonge_moeders", "mannen"]


class CareGenerator:
    """The chain-care facts of the same nation and years, from a random source of their own
    (so the Veilig Thuis facts stay those of earlier runs): cases moving through the phases,
    their trauma screenings and MDA++ referrals, huisverboden, and shelter facilities with
    capacity steps, placements and a waiting list."""

    def __init__(
        self,
        rng: random.Random,
        municipalities: list[dict[str, Any]],
        region_ids: list[int],
        municipality_ids: list[int],
    ) -> None:
        self.rng = rng
        self.region_ids = region_ids
        self.municipality_ids = municipality_ids
        by_region: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for m in municipalities:
            by_region[m["region"]].append((m["n"], m["inhabitants"]))
        self.by_region = by_region
        weights = [sum(w for _, w in by_region[r]) for r in range(REGIONS)]
        self.pick_region = _picker(rng, list(zip(range(REGIONS), weights, strict=True)))
        self.pick_municipality = {r: _picker(rng, by_region[r]) for r in range(REGIONS)}
        self.pick_source = _picker(
            rng, [("vt_overdracht", 60), ("vt_voorwaarden", 15), ("lokaal_team", 25)]
        )
        self.pick_reason = _picker(
            rng,
            [
                ("duurzaam_veilig", 60),
                ("gedwongen_kader", 10),
                ("verhuisd", 10),
                ("zorg_geweigerd", 10),
                ("anders", 10),
            ],
        )
        self.pick_screening = _picker(
            rng, [("aangeboden", 20), ("geweigerd", 20), ("geen_indicatie", 35), ("indicatie", 25)]
        )
        self.n = 0

    def _key(self, kind: str) -> str:
        self.n += 1
        return _key(kind, self.n)

    def _place(self) -> tuple[int, int, int | None]:
        region = self.pick_region()
        municipality: int | None = self.pick_municipality[region]()
        if self.rng.random() < 0.01:
            municipality = None
        mid = self.municipality_ids[municipality] if municipality is not None else None
        return region, self.region_ids[region], mid

    def rows(self, first: dt.date, days: int) -> Iterator[tuple[str, tuple[Any, ...]]]:
        rng = self.rng

        def until_end(day: dt.date | None) -> dt.date | None:
            return day if day is not None and day <= END else None

        def some_day() -> dt.date:
            return first + dt.timedelta(days=rng.randrange(days))

        years = days / 365.25
        for _ in range(round(CASES_PER_YEAR * years)):
            _, rid, mid = self._place()
            ckey = self._key("case")
            opened = some_day()
            source = self.pick_source()
            phases = [(opened, "directe_veiligheid")]
            day = opened
            for phase in ("stabiele_veiligheid", "herstel", "nazorg", "waakvlam"):
                day = day + dt.timedelta(days=rng.randint(20, 240))
                if rng.random() < 0.15:  # safety drops: back to the first phase
                    phases.append((day, "directe_veiligheid"))
                    day = day + dt.timedelta(days=rng.randint(10, 90))
                if rng.random() < 0.2 or day > END:
                    break
                phases.append((day, phase))
            closed = until_end(day + dt.timedelta(days=rng.randint(0, 120)))
            phases = [p for p in phases if p[0] <= END]
            if closed is not None:
                phases.append((closed, "gesloten"))
            melding = None if source == "lokaal_team" else opened - dt.timedelta(rng.randint(3, 60))
            action = until_end(opened + dt.timedelta(days=int(rng.expovariate(1 / 6))))
            referred = rng.random() < 0.06
            yield (
                "cases",
                (
                    ckey,
                    rid,
                    mid,
                    source,
                    phases[-1][1],
                    json.dumps([[d.isoformat(), p] for d, p in phases]),
                    _iso(opened),
                    _iso(closed),
                    self.pick_reason() if closed else "",
                    "" if source == "lokaal_team" else _key("d", self.n),
                    _iso(melding),
                    _iso(action),
                    referred,
                ),
            )
            for role in ("slachtoffer", "pleger"):
                if role == "pleger" and rng.random() < 0.5:
                    continue
                offered = until_end(opened + dt.timedelta(days=rng.randint(3, 60)))
                if offered is None:
                    continue
                outcome = self.pick_screening()
                outcome_on = (
                    None
                    if outcome == "aangeboden"
                    else until_end(offered + dt.timedelta(days=rng.randint(0, 40)))
                )
                if outcome_on is None:
                    outcome = "aangeboden"
                yield (
                    "screening",
                    (
                        self._key("ts"),
                        ckey,
                        rid,
                        mid,
                        role,
                        _iso(offered),
                        outcome,
                        _iso(outcome_on),
                    ),
                )
            if referred:
                on = until_end(opened + dt.timedelta(days=rng.randint(5, 100)))
                if on is not None:
                    decided = until_end(on + dt.timedelta(days=rng.randint(3, 20)))
                    declined = decided is not None and rng.random() < 0.2
                    back = (
                        None
                        if decided is None or declined or rng.random() < 0.5
                        else until_end(decided + dt.timedelta(days=rng.randint(60, 300)))
                    )
                    status = (
                        "aangemeld"
                        if decided is None
                        else "afgewezen"
                        if declined
                        else "teruggelegd"
                        if back
                        else "geaccepteerd"
                    )
                    yield (
                        "referral",
                        (
                            self._key("mda"),
                            ckey,
                            rid,
                            mid,
                            _iso(on),
                            status,
                            None if declined else _iso(decided),
                            _iso(decided) if declined else None,
                            _iso(back),
                        ),
                    )
        for _ in range(round(ORDERS_PER_YEAR * years)):
            _, rid, mid = self._place()
            imposed = some_day()
            decided = (
                until_end(imposed + dt.timedelta(days=rng.randint(8, 10)))
                if rng.random() < 0.4
                else None
            )
            extended = decided is not None and rng.random() < 0.8
            status = (
                "verlengd"
                if extended
                else "afgelopen"
                if imposed < END - dt.timedelta(10)
                else "opgelegd"
            )
            yield (
                "restraining",
                (self._key("ro"), rid, mid, _iso(imposed), extended, _iso(decided), status),
            )
        # shelters: a few facilities per region, each with some bed types and capacity steps
        groups: list[tuple[str, int, int | None, str]] = []
        for region in range(REGIONS):
            for _ in range(FACILITIES_PER_REGION):
                fkey = self._key("fac")
                municipality = self.pick_municipality[region]()
                rid, mid = self.region_ids[region], self.municipality_ids[municipality]
                yield "facility", (fkey, rid, mid)
                for bed_type in rng.sample(CARE_BED_TYPES, rng.randint(1, 3)):
                    groups.append((fkey, rid, mid, bed_type))
                    valid = first
                    while valid <= END:
                        yield (
                            "capacity",
                            (
                                self._key("cap"),
                                fkey,
                                rid,
                                mid,
                                bed_type,
                                _iso(valid),
                                rng.randint(4, 30),
                            ),
                        )
                        valid = valid + dt.timedelta(days=rng.randint(200, 900))
        pick_group = _picker(rng, [(g, 1) for g in groups])
        for _ in range(round(PLACEMENTS_PER_YEAR * years)):
            fkey, rid, mid, bed_type = pick_group()
            start = some_day()
            stay = int(rng.expovariate(1 / 120)) + 1
            end = until_end(start + dt.timedelta(days=stay))
            beds = 1 if bed_type != "gezin" else rng.randint(2, 4)
            yield (
                "placement",
                (self._key("pl"), fkey, rid, mid, bed_type, beds, _iso(start), _iso(end)),
            )
        for _ in range(round(WAITING_PER_YEAR * years)):
            fkey, rid, mid, bed_type = pick_group()
            if rng.random() < 0.05:
                mid = None
            registered = some_day()
            wait = dt.timedelta(days=int(rng.expovariate(1 / 25)))
            placed = withdrawn = None
            if rng.random() < 0.75:
                placed = until_end(registered + wait)
            else:
                withdrawn = until_end(registered + wait)
            yield (
                "waiting",
                (
                    self._key("wl"),
                    rid,
                    mid,
                    bed_type,
                    _iso(registered),
                    _iso(placed),
                    _iso(withdrawn),
                ),
            )


# --- writing the rows -------------------------------------------------------------------


class Sink:
    """Batches rows into the Ketenradar database (executemany on SQLite, COPY on PostgreSQL)
    and writes the very same rows to CSV files for DuckDB."""

    BATCH = 50_000

    def __init__(self, folder: Path) -> None:
        from django.db import connection

        self.connection = connection
        self.vendor = connection.vendor
        self.pending: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
        self.files = {name: (folder / f"{name}.csv").open("w", newline="") for name in TABLES}
        self.writers = {name: csv.writer(f) for name, f in self.files.items()}
        self.counts: dict[str, int] = defaultdict(int)

    def add(self, table: str, row: tuple[Any, ...]) -> None:
        self.pending[table].append(row)
        self.counts[table] += 1
        if len(self.pending[table]) >= self.BATCH:
            self.flush(table)

    def flush(self, table: str) -> None:
        rows = self.pending.pop(table, [])
        if not rows:
            return
        name, columns = TABLES[table]
        self.writers[table].writerows(rows)  # None is an empty field: NULL for DuckDB
        if self.vendor == "sqlite":
            raw = self.connection.connection
            sql = f"INSERT INTO {name} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
            raw.executemany(sql, rows)
        else:
            with self.connection.cursor() as cursor:
                raw_cursor = cursor.cursor
                with raw_cursor.copy(f"COPY {name} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)

    def close(self) -> None:
        for table in list(self.pending):
            self.flush(table)
        for f in self.files.values():
            f.close()


def _drop_indexes(connection: Any) -> list[str]:
    from bulk_load import drop_indexes  # this folder is on the path of a script

    return drop_indexes(connection, [name for name, _ in TABLES.values()])


# --- the measured cases -----------------------------------------------------------------


def cases(region_id: int, municipality_id: int) -> list[dict[str, Any]]:
    """What a policy officer looks at: the region and its largest municipality over the last
    12 months, the region over the last quarter, and the last half year's CBS tables."""
    year_start = add_months(AS_OF.replace(day=1), -12)
    quarter_start = add_months(AS_OF.replace(day=1), -3)
    year_before = add_months(year_start, -12)
    return [
        {
            "label": "region x the year before",
            "region": region_id,
            "municipality": None,
            "start": year_before,
            "end": year_start - dt.timedelta(days=1),
            "cbs": (2025, 1),
        },
        {
            "label": "region x 12 months",
            "region": region_id,
            "municipality": None,
            "start": year_start,
            "end": END,
            "cbs": (2026, 1),
        },
        {
            "label": "municipality x 12 months",
            "region": region_id,
            "municipality": municipality_id,
            "start": year_start,
            "end": END,
            "cbs": (2026, 1),
        },
        {
            "label": "region x last quarter",
            "region": region_id,
            "municipality": None,
            "start": quarter_start,
            "end": END,
            "cbs": (2025, 2),
        },
    ]


# the distinct types of a contact's JSON list ["a", "b"] (no JSON extension needed)
TYPES_SQL = """unnest(list_distinct(string_split(translate(violence_types, '[]" ', ''), ',')))"""

SKIP = {
    "share",
    "police_share",
    "growth",
    "per_10000",
    "norm",
    "meets_norm",
    "safe_share",
    "previous_period",
    "start",
    "end",
}


def flatten(value: Any, path: str, out: dict[str, Any]) -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            if str(k) not in SKIP or isinstance(v, dict):  # shelter.norm holds counts
                flatten(v, f"{path}.{k}" if path else str(k), out)
    else:
        out[path] = value


def ketenradar(case: dict[str, Any]) -> dict[str, Any]:
    from ketenradar.accounts.actor import Actor
    from ketenradar.monitor import care_kpis, selectors
    from ketenradar.regions.models import Municipality, Region

    actor = Actor.system("bench")
    region = Region.objects.get(pk=case["region"])
    municipality = (
        Municipality.objects.get(pk=case["municipality"]) if case["municipality"] else None
    )
    scope = selectors.Scope(region=region, municipality=municipality)
    period = {"start": case["start"], "end": case["end"], "suppressed": False}
    result = {
        "kpis": selectors.kpis(actor=actor, scope=scope, as_of=AS_OF, **period),
        "trend": {
            row["month"].isoformat(): row
            for row in selectors.monthly_trend(
                actor=actor, scope=scope, end=case["end"], suppressed=False
            )
        },
        "municipalities": {
            row["name"]: row
            for row in selectors.municipalities_side_by_side(actor=actor, scope=scope, **period)
        },
        "cbs": selectors.cbs_half_year(
            actor=actor, scope=scope, year=case["cbs"][0], half=case["cbs"][1], suppressed=False
        ),
        "care": care_kpis.care_kpis(actor=actor, scope=scope, **period),
    }
    restraining = result["care"]["restraining"]
    for part in ("by_municipality", "by_subregion"):
        restraining[part] = {row.pop("name"): row for row in restraining[part]}
    out: dict[str, Any] = {}
    flatten(result, "", out)
    for path in [p for p in out if p.startswith("municipalities.") and p.endswith(".name")]:
        del out[path]
    for path in [p for p in out if p.startswith("trend.") and p.endswith(".month")]:
        del out[path]
    return out


def duckdb_numbers(db: Any, case: dict[str, Any]) -> dict[str, Any]:
    """The same numbers in hand-written SQL over the same facts."""
    region, municipality = case["region"], case["municipality"]
    start, end = case["start"], case["end"]
    where = "region_id = $region" + (" AND municipality_id = $municipality" if municipality else "")
    p: dict[str, Any] = {"region": region}
    if municipality:
        p["municipality"] = municipality
    length = (end - start).days + 1
    before = (start - dt.timedelta(days=length), start - dt.timedelta(days=1))

    def q(sql: str, **extra: Any) -> list[tuple[Any, ...]]:
        sql = sql.replace("$where", where).replace("$types", TYPES_SQL)
        return db.execute(
            sql, {k: v for k, v in {**p, **extra}.items() if f"${k}" in sql}
        ).fetchall()

    out: dict[str, Any] = {}
    kinds = ("advies", "melding")
    from ketenradar.reports.constants import (
        EarlierInvolvement,
        MonitoringOutcome,
        ReporterCategory,
        ViolenceType,
    )

    inhabitants = q(
        "SELECT coalesce(sum(inhabitants), 0) FROM municipality WHERE region_id = $region"
        + (" AND id = $municipality" if municipality else "")
    )[0][0]
    out["kpis.volumes.inhabitants"] = int(inhabitants)
    counts = dict(
        ((period, kind), n)
        for period, kind, n in q(
            "SELECT received_on >= $start AS current, kind, count(*) FROM contact WHERE $where "
            "AND received_on BETWEEN $b0 AND $end GROUP BY ALL",
            start=start,
            end=end,
            b0=before[0],
        )
    )
    for kind, name in (("advies", "advice_requests"), ("melding", "reports")):
        out[f"kpis.volumes.{name}.count"] = counts.get((True, kind), 0)
        out[f"kpis.volumes.{name}.previous"] = counts.get((False, kind), 0)
    # the report profile
    reports = q(
        "SELECT count(*) FROM contact WHERE $where AND kind = 'melding' AND received_on BETWEEN $start AND $end",
        start=start,
        end=end,
    )[0][0]
    out["kpis.reports.reports"] = reports
    by_reporter = dict(
        q(
            "SELECT reporter_category, count(*) FROM contact WHERE $where AND kind = 'melding' AND received_on BETWEEN $start AND $end GROUP BY 1",
            start=start,
            end=end,
        )
    )
    by_type = dict(
        q(
            "SELECT t, count(*) FROM (SELECT $types AS t FROM contact WHERE $where AND kind = 'melding' AND received_on BETWEEN $start AND $end) GROUP BY 1",
            start=start,
            end=end,
        )
    )
    by_earlier = dict(
        q(
            "SELECT earlier_involvement, count(*) FROM contact WHERE $where AND kind = 'melding' AND received_on BETWEEN $start AND $end GROUP BY 1",
            start=start,
            end=end,
        )
    )
    for v in ReporterCategory.values:
        out[f"kpis.reports.by_reporter.{v}.count"] = by_reporter.get(v, 0)
    for v in ViolenceType.values:
        out[f"kpis.reports.by_violence_type.{v}.count"] = by_type.get(v, 0)
    for v in EarlierInvolvement.values:
        out[f"kpis.reports.by_earlier_involvement.{v}.count"] = by_earlier.get(v, 0)
    out["kpis.reports.follow_up.count"] = sum(
        by_earlier.get(v, 0) for v in EarlierInvolvement.values if v.startswith("vervolg")
    )
    # timeliness
    decided, within = q(
        "SELECT count(*), count(*) FILTER (WHERE within_deadline) FROM dossier WHERE $where AND decided_on BETWEEN $start AND $end",
        start=start,
        end=end,
    )[0]
    out["kpis.timeliness.assessments.count"], out["kpis.timeliness.assessments.within"] = (
        decided,
        within,
    )
    done, within = q(
        "SELECT count(*), count(*) FILTER (WHERE investigation_within_10_weeks) FROM dossier WHERE $where AND investigation_completed_on BETWEEN $start AND $end",
        start=start,
        end=end,
    )[0]
    out["kpis.timeliness.investigations.count"], out["kpis.timeliness.investigations.within"] = (
        done,
        within,
    )
    n, ages, oldest = q(
        "SELECT count(*), sum($end - opened_on), max($end - opened_on) FROM dossier WHERE $where AND opened_on <= $end AND (decided_on IS NULL OR decided_on > $end)",
        end=end,
    )[0]
    out["kpis.timeliness.waiting_list.count"] = n
    out["kpis.timeliness.waiting_list.mean_age_days"] = round(ages / n, 1) if n else None
    out["kpis.timeliness.waiting_list.max_age_days"] = oldest
    # monitoring
    per: dict[int, dict[str, int]] = defaultdict(dict)
    for months, outcome, count in q(
        "SELECT months, outcome, count(*) FROM monitoring WHERE $where AND done_on BETWEEN $start AND $end GROUP BY ALL",
        start=start,
        end=end,
    ):
        per[months][outcome] = count
    for months in sorted(set(per) | set(MONITORING_MONTHS)):
        out[f"kpis.monitoring.{months}.recorded"] = sum(per[months].values())
        for o in MonitoringOutcome.values:
            out[f"kpis.monitoring.{months}.{o}"] = per[months].get(o, 0)
    # repeat within 12 months after closure
    closed, followed, repeated = q(
        """
        WITH closed AS (
            SELECT dossier_key, closed_on, (closed_on + INTERVAL 12 MONTH)::DATE AS window_end
            FROM dossier WHERE $where AND closed_on BETWEEN $start AND $end
        ), followed AS (
            SELECT * FROM closed WHERE window_end <= $as_of
        ), repeated AS (
            SELECT DISTINCT f.dossier_key
            FROM followed f
            JOIN person own ON own.dossier_key = f.dossier_key
            JOIN person later ON later.person_key = own.person_key
            WHERE later.kind = 'melding' AND later.dossier_key <> f.dossier_key
              AND later.received_on BETWEEN f.closed_on AND f.window_end
        )
        SELECT (SELECT count(*) FROM closed), (SELECT count(*) FROM followed),
               (SELECT count(*) FROM repeated)
        """,
        start=start,
        end=end,
        as_of=AS_OF,
    )[0]
    out["kpis.repeat.closed"] = closed
    out["kpis.repeat.not_yet_followed"] = closed - followed
    out["kpis.repeat.followed"] = followed
    out["kpis.repeat.repeated"] = repeated
    # the monthly trend: 12 months up to the month of the end
    last = end.replace(day=1)
    first = add_months(last, -11)
    trend = dict(
        ((month, kind), n)
        for month, kind, n in q(
            "SELECT date_trunc('month', received_on)::DATE, kind, count(*) FROM contact WHERE $where "
            "AND received_on >= $first AND received_on < $after GROUP BY ALL",
            first=first,
            after=add_months(last, 1),
        )
    )
    for i in range(12):
        month = add_months(first, i)
        out[f"trend.{month.isoformat()}.advice_requests"] = trend.get((month, "advies"), 0)
        out[f"trend.{month.isoformat()}.reports"] = trend.get((month, "melding"), 0)
    # municipalities side by side
    for name, n in q(
        "SELECT m.name, count(c.municipality_id) FROM municipality m LEFT JOIN contact c "
        "ON c.municipality_id = m.id AND c.kind = 'melding' AND c.received_on BETWEEN $start AND $end "
        "WHERE m.region_id = $region"
        + (" AND m.id = $municipality" if municipality else "")
        + " GROUP BY m.name",
        start=start,
        end=end,
    ):
        out[f"municipalities.{name}.reports"] = n
    # the CBS half-year tables
    year, half = case["cbs"]
    h0, h1 = (
        (dt.date(year, 1, 1), dt.date(year, 6, 30))
        if half == 1
        else (dt.date(year, 7, 1), dt.date(year, 12, 31))
    )
    totals = dict(
        q(
            "SELECT kind, count(*) FROM contact WHERE $where AND received_on BETWEEN $h0 AND $h1 GROUP BY 1",
            h0=h0,
            h1=h1,
        )
    )
    reporters = {
        (k, r): n
        for k, r, n in q(
            "SELECT kind, reporter_category, count(*) FROM contact WHERE $where AND received_on BETWEEN $h0 AND $h1 GROUP BY ALL",
            h0=h0,
            h1=h1,
        )
    }
    types = {
        (k, t): n
        for k, t, n in q(
            "SELECT kind, t, count(*) FROM (SELECT kind, $types AS t FROM contact WHERE $where AND received_on BETWEEN $h0 AND $h1) GROUP BY ALL",
            h0=h0,
            h1=h1,
        )
    }
    earlier = dict(
        q(
            "SELECT earlier_involvement, count(*) FROM contact WHERE $where AND kind = 'melding' AND received_on BETWEEN $h0 AND $h1 GROUP BY 1",
            h0=h0,
            h1=h1,
        )
    )
    for k in kinds:
        out[f"cbs.totals.{k}"] = totals.get(k, 0)
        for v in ReporterCategory.values:
            out[f"cbs.by_reporter.{v}.{k}"] = reporters.get((k, v), 0)
        for v in ViolenceType.values:
            out[f"cbs.by_violence_type.{v}.{k}"] = types.get((k, v), 0)
    for v in EarlierInvolvement.values:
        out[f"cbs.by_earlier_involvement.{v}"] = earlier.get(v, 0)
    out.update(duckdb_care(q, case))
    return out


def duckdb_care(q: Callable[..., list[tuple[Any, ...]]], case: dict[str, Any]) -> dict[str, Any]:
    """The chain-care KPIs (monitor.care_kpis) in hand-written SQL over the same facts."""
    start, end = case["start"], case["end"]
    region, municipality = case["region"], case["municipality"]
    out: dict[str, Any] = {}
    # cases: opened, closed, open at the end per phase (the last phase entered by then)
    opened, closed = q(
        "SELECT count(*) FILTER (WHERE opened_on BETWEEN $start AND $end), "
        "count(*) FILTER (WHERE closed_on BETWEEN $start AND $end) FROM cases WHERE $where",
        start=start,
        end=end,
    )[0]
    out["care.cases.opened"], out["care.cases.closed"] = opened, closed
    per_phase = dict(
        q(
            """
            SELECT phase, count(*) FROM (
                SELECT case_key, arg_max(p.phase, p.i) AS phase
                FROM (
                    SELECT case_key,
                           unnest(regexp_extract_all(phases, '"([0-9-]{10})"', 1))::DATE AS day,
                           unnest(regexp_extract_all(phases, '"([a-z_]+)"\\]', 1)) AS phase,
                           unnest(range(len(regexp_extract_all(phases, '"([a-z_]+)"\\]', 1)))) AS i
                    FROM cases
                    WHERE $where AND opened_on <= $end AND (closed_on IS NULL OR closed_on > $end)
                ) p
                WHERE p.day <= $end
                GROUP BY case_key
            ) WHERE phase <> 'gesloten' GROUP BY 1
            """,
            end=end,
        )
    )
    from ketenradar.care.constants import Phase

    for phase in Phase.values:
        if phase != Phase.CLOSED:
            out[f"care.cases.per_phase.{phase}"] = per_phase.get(phase, 0)
    out["care.cases.open_at_end"] = sum(per_phase.values())
    n, mean, median = q(
        "SELECT count(*), avg(first_action_on - melding_on), median(first_action_on - melding_on) "
        "FROM cases WHERE $where AND first_action_on BETWEEN $start AND $end AND melding_on IS NOT NULL",
        start=start,
        end=end,
    )[0]
    out["care.cases.first_action.count"] = n
    out["care.cases.first_action.mean_days"] = None if not n else round(float(mean), 1)
    out["care.cases.first_action.median_days"] = None if not n else round(float(median), 1)
    referred, accepted, back = q(
        "SELECT count(*) FILTER (WHERE referred_on BETWEEN $start AND $end), "
        "count(*) FILTER (WHERE accepted_on BETWEEN $start AND $end), "
        "count(*) FILTER (WHERE handed_back_on BETWEEN $start AND $end) FROM referral WHERE $where",
        start=start,
        end=end,
    )[0]
    out["care.mda.referred"], out["care.mda.accepted"], out["care.mda.handed_back"] = (
        referred,
        accepted,
        back,
    )
    screenings = {
        role: (offered, done)
        for role, offered, done in q(
            "SELECT role, count(*) FILTER (WHERE offered_on BETWEEN $start AND $end), "
            "count(*) FILTER (WHERE outcome_on BETWEEN $start AND $end AND outcome <> 'aangeboden') "
            "FROM screening WHERE $where GROUP BY 1",
            start=start,
            end=end,
        )
    }
    for role in ("slachtoffer", "pleger"):
        offered, done = screenings.get(role, (0, 0))
        out[f"care.screenings.{role}.offered"], out[f"care.screenings.{role}.done"] = offered, done
    # huisverboden per municipality of the scope and per subregion
    rows = q(
        "SELECT m.name, s.name, count(*) FILTER (WHERE o.imposed_on BETWEEN $start AND $end), "
        "count(*) FILTER (WHERE o.extended AND o.extension_decided_on BETWEEN $start AND $end) "
        "FROM municipality m LEFT JOIN subregion s ON s.id = m.subregion_id "
        "LEFT JOIN restraining o ON o.municipality_id = m.id "
        "WHERE m.region_id = $region"
        + (" AND m.id = $municipality" if municipality else "")
        + " GROUP BY ALL",
        start=start,
        end=end,
    )
    imposed, extended = q(
        "SELECT count(*) FILTER (WHERE imposed_on BETWEEN $start AND $end), "
        "count(*) FILTER (WHERE extended AND extension_decided_on BETWEEN $start AND $end) "
        "FROM restraining WHERE $where",
        start=start,
        end=end,
    )[0]
    out["care.restraining.imposed"], out["care.restraining.extended"] = imposed, extended
    subs: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for name, sub, i, e in sorted(rows):
        out[f"care.restraining.by_municipality.{name}.imposed"] = i
        out[f"care.restraining.by_municipality.{name}.extended"] = e
        if sub is not None and not municipality:
            subs[sub][0] += i
            subs[sub][1] += e
    for sub, (i, e) in sorted(subs.items()):
        out[f"care.restraining.by_subregion.{sub}.imposed"] = i
        out[f"care.restraining.by_subregion.{sub}.extended"] = e
    # shelter occupancy: bed-days of capacity (each step until the next) and occupied
    capacity = dict(
        q(
            """
            SELECT bed_type, sum(beds * greatest(0, least(coalesce(next_from, $after), $after)
                                                   - greatest(valid_from, $start)))
            FROM (SELECT bed_type, beds, valid_from,
                         lead(valid_from) OVER (PARTITION BY facility_key, bed_type ORDER BY valid_from) AS next_from
                  FROM capacity WHERE $where AND valid_from <= $end)
            GROUP BY 1
            """,
            start=start,
            after=end + dt.timedelta(days=1),
            end=end,
        )
    )
    placements = {
        bed_type: (occupied, present)
        for bed_type, occupied, present in q(
            """
            SELECT bed_type,
                   sum(beds * greatest(0, least(coalesce(end_on, $after), $after) - greatest(start_on, $start))),
                   count(*) FILTER (WHERE end_on IS NULL OR end_on > $start)
            FROM placement WHERE $where AND start_on <= $end GROUP BY 1
            """,
            start=start,
            after=end + dt.timedelta(days=1),
            end=end,
        )
    }

    def rate(types: list[str], path: str) -> None:
        cap = sum(int(capacity.get(b) or 0) for b in types)
        occ = sum(int(placements.get(b, (0, 0))[0] or 0) for b in types)
        out[f"{path}.placements"] = sum(placements.get(b, (0, 0))[1] for b in types)
        out[f"{path}.rate"] = None if cap == 0 else round(occ / cap, 4)

    from ketenradar.shelter.constants import BedType

    rate(list(BedType.values), "care.shelter.occupancy.all")
    for b in BedType.values:
        if capacity.get(b) or placements.get(b, (0, 0))[1]:
            rate([b], f"care.shelter.occupancy.by_bed_type.{b}")
    ended, ended_over, staying, staying_over = q(
        """
        SELECT count(*) FILTER (WHERE end_on BETWEEN $start AND $end),
               count(*) FILTER (WHERE end_on BETWEEN $start AND $end AND end_on > (start_on + INTERVAL 6 MONTH)::DATE),
               count(*) FILTER (WHERE end_on IS NULL OR end_on > $end),
               count(*) FILTER (WHERE (end_on IS NULL OR end_on > $end) AND $end > (start_on + INTERVAL 6 MONTH)::DATE)
        FROM placement WHERE $where AND start_on <= $end
        """,
        start=start,
        end=end,
    )[0]
    out["care.shelter.norm.ended"] = ended
    out["care.shelter.norm.ended_over_norm"] = ended_over
    out["care.shelter.norm.staying"] = staying
    out["care.shelter.norm.staying_over_norm"] = staying_over
    placed, waited_mean, waited_median, waiting, age_mean, age_max = q(
        """
        SELECT count(*) FILTER (WHERE placed_on BETWEEN $start AND $end),
               avg(placed_on - registered_on) FILTER (WHERE placed_on BETWEEN $start AND $end),
               median(placed_on - registered_on) FILTER (WHERE placed_on BETWEEN $start AND $end),
               count(*) FILTER (WHERE still),
               avg($end - registered_on) FILTER (WHERE still),
               max($end - registered_on) FILTER (WHERE still)
        FROM (SELECT *, (placed_on IS NULL OR placed_on > $end) AND (withdrawn_on IS NULL OR withdrawn_on > $end) AS still
              FROM waiting WHERE $where AND registered_on <= $end)
        """,
        start=start,
        end=end,
    )[0]

    def one(value: Any) -> float | None:
        return None if value is None else round(float(value), 1)

    out["care.shelter.waiting.placed"] = placed
    out["care.shelter.waiting.mean_days_waited"] = one(waited_mean)
    out["care.shelter.waiting.median_days_waited"] = one(waited_median)
    out["care.shelter.waiting.still_waiting"] = waiting
    out["care.shelter.waiting.mean_waiting_age"] = one(age_mean)
    out["care.shelter.waiting.longest_waiting_age"] = age_max
    return out


# --- the run ----------------------------------------------------------------------------


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def best_of(runs: int, fn: Callable[[], Any]) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def child(args: argparse.Namespace) -> None:
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    import duckdb

    from ketenradar.regions.models import Municipality, Region, Subregion

    rng = random.Random(args.seed)
    t0 = time.perf_counter()
    call_command("migrate", "--noinput", verbosity=0)
    migrate = time.perf_counter() - t0
    regions, municipalities = geography(rng)
    region_rows = [Region.objects.create(name=r["name"], code=r["code"]) for r in regions]
    # two subregions per region (the huisverboden are counted per subregion)
    subregion_rows = [
        [Subregion.objects.create(region=r, name=f"{r.name} {part}") for part in ("Noord", "Zuid")]
        for r in region_rows
    ]
    municipality_rows = [
        Municipality.objects.create(
            cbs_code=m["cbs_code"],
            name=m["name"],
            region=region_rows[m["region"]],
            subregion=subregion_rows[m["region"]][(m["n"] // REGIONS) % 2],
            inhabitants=m["inhabitants"],
            inhabitants_reference_date=dt.date(2026, 1, 1),
        )
        for m in municipalities
    ]
    gen = Generator(
        rng, municipalities, [r.pk for r in region_rows], [m.pk for m in municipality_rows]
    )
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        with (folder / "municipality.csv").open("w", newline="") as f:
            w = csv.writer(f)
            for m, row in zip(municipalities, municipality_rows, strict=True):
                w.writerow([row.pk, row.region_id, row.subregion_id, m["name"], m["inhabitants"]])
        with (folder / "subregion.csv").open("w", newline="") as f:
            w = csv.writer(f)
            for parts in subregion_rows:
                for sub in parts:
                    w.writerow([sub.pk, sub.region_id, sub.name])
        days = round(365.25 * args.years)
        first = END - dt.timedelta(days=days - 1)
        per_day = args.contacts_per_year / 365
        t0 = time.perf_counter()
        if connection.vendor == "sqlite":
            connection.cursor().execute("PRAGMA cache_size = -2000000")  # 2 GB
        indexes = _drop_indexes(connection)
        with transaction.atomic():
            sink = Sink(folder)
            carry = 0.0
            for i in range(days):
                carry += per_day
                n = int(carry)
                carry -= n
                for table, row in gen.day(first + dt.timedelta(days=i), n):
                    sink.add(table, row)
            care = CareGenerator(
                random.Random(args.seed + 1),
                municipalities,
                [r.pk for r in region_rows],
                [m.pk for m in municipality_rows],
            )
            for table, row in care.rows(first, days):
                sink.add(table, row)
            sink.close()
        load = time.perf_counter() - t0
        t0 = time.perf_counter()
        with connection.cursor() as cursor:
            for sql in indexes:
                cursor.execute(sql)
            if connection.vendor == "postgresql":
                # what autovacuum does after a bulk insert: statistics, and the visibility
                # map that lets the KPIs count by index-only scans
                cursor.execute(f"VACUUM (ANALYZE) {', '.join(name for name, _ in TABLES.values())}")
            else:
                cursor.execute("ANALYZE")
        index = time.perf_counter() - t0
        rows = sum(sink.counts.values())
        print(
            f"{connection.vendor}: {sink.counts['contact']:,} contact facts, {sink.counts['person']:,} person "
            f"facts, {sink.counts['dossier']:,} dossier facts, {sink.counts['monitoring']:,} monitoring "
            f"facts; chain care: {sink.counts['cases']:,} cases, {sink.counts['screening']:,} trauma "
            f"screenings, {sink.counts['referral']:,} MDA++ referrals, {sink.counts['restraining']:,} "
            f"huisverboden, {sink.counts['facility']:,} shelter facilities with {sink.counts['capacity']:,} "
            f"capacity steps, {sink.counts['placement']:,} placements, {sink.counts['waiting']:,} waiting "
            f"list entries; from {first} to {END} (migrate {migrate:.1f} s); generated and loaded "
            f"{rows:,} rows in {load:.1f} s ({rows / load:,.0f} rows/s), then built "
            f"{len(indexes)} indexes and analysed (PostgreSQL: VACUUM ANALYZE) in {index:.1f} s",
            flush=True,
        )
        t0 = time.perf_counter()
        db = duckdb.connect()
        schemas = {
            "contact": "contact_key VARCHAR, region_id INTEGER, municipality_id INTEGER, received_on DATE, kind VARCHAR, channel VARCHAR, reporter_category VARCHAR, violence_types VARCHAR, human_trafficking BOOLEAN, acute_indication BOOLEAN, earlier_involvement VARCHAR, from_advice_request BOOLEAN, dossier_key VARCHAR",
            "person": "person_key VARCHAR, contact_key VARCHAR, dossier_key VARCHAR, region_id INTEGER, kind VARCHAR, role VARCHAR, received_on DATE",
            "dossier": "dossier_key VARCHAR, region_id INTEGER, municipality_id INTEGER, state VARCHAR, acute BOOLEAN, opened_on DATE, decided_on DATE, within_deadline BOOLEAN, decision VARCHAR, investigation_started_on DATE, investigation_due_on DATE, investigation_completed_on DATE, investigation_within_10_weeks BOOLEAN, investigation_closed_early BOOLEAN, closed_on DATE, repeat_until DATE",
            "monitoring": "moment_key VARCHAR, dossier_key VARCHAR, region_id INTEGER, municipality_id INTEGER, months INTEGER, due_on DATE, done_on DATE, outcome VARCHAR",
            "cases": "case_key VARCHAR, region_id INTEGER, municipality_id INTEGER, source VARCHAR, phase VARCHAR, phases VARCHAR, opened_on DATE, closed_on DATE, close_reason VARCHAR, dossier_key VARCHAR, melding_on DATE, first_action_on DATE, mda_referred BOOLEAN",
            "screening": "screening_key VARCHAR, case_key VARCHAR, region_id INTEGER, municipality_id INTEGER, role VARCHAR, offered_on DATE, outcome VARCHAR, outcome_on DATE",
            "referral": "referral_key VARCHAR, case_key VARCHAR, region_id INTEGER, municipality_id INTEGER, referred_on DATE, status VARCHAR, accepted_on DATE, declined_on DATE, handed_back_on DATE",
            "restraining": "order_key VARCHAR, region_id INTEGER, municipality_id INTEGER, imposed_on DATE, extended BOOLEAN, extension_decided_on DATE, status VARCHAR",
            "facility": "facility_key VARCHAR, region_id INTEGER, municipality_id INTEGER",
            "capacity": "capacity_key VARCHAR, facility_key VARCHAR, region_id INTEGER, municipality_id INTEGER, bed_type VARCHAR, valid_from DATE, beds INTEGER",
            "placement": "placement_key VARCHAR, facility_key VARCHAR, region_id INTEGER, municipality_id INTEGER, bed_type VARCHAR, beds INTEGER, start_on DATE, end_on DATE",
            "waiting": "entry_key VARCHAR, region_id INTEGER, municipality_id INTEGER, bed_type VARCHAR, registered_on DATE, placed_on DATE, withdrawn_on DATE",
            "municipality": "id INTEGER, region_id INTEGER, subregion_id INTEGER, name VARCHAR, inhabitants INTEGER",
            "subregion": "id INTEGER, region_id INTEGER, name VARCHAR",
        }
        for table, columns in schemas.items():
            names = [c.split()[0] for c in columns.split(", ")]
            types = {c.split()[0]: c.split()[1] for c in columns.split(", ")}
            # empty strings stay empty strings in text columns; elsewhere they are NULL
            db.execute(
                f"CREATE TABLE {table} AS SELECT * FROM read_csv('{folder / table}.csv', header = false, "
                f"columns = {{{', '.join(f'{n!r}: {types[n]!r}' for n in names)}}}, "
                f"force_not_null = [{', '.join(repr(n) for n in names if types[n] == 'VARCHAR')}])"
            )
        duck_load = time.perf_counter() - t0
        print(
            f"duckdb: loaded the same {rows:,} rows from CSV in {duck_load:.1f} s ({rows / duck_load:,.0f} rows/s)",
            flush=True,
        )

    # the largest region and its largest municipality: the heaviest scope a policy officer has
    from django.db.models import Sum

    region = max(
        region_rows,
        key=lambda r: Municipality.objects.filter(region=r).aggregate(n=Sum("inhabitants"))["n"],
    )
    municipality = max(Municipality.objects.filter(region=region), key=lambda m: m.inhabitants)
    results = []
    for case in cases(region.pk, municipality.pk):
        k_seconds, k = best_of(args.runs, lambda case=case: ketenradar(case))
        d_seconds, d = best_of(args.runs, lambda case=case: duckdb_numbers(db, case))
        if k != d:
            diff = {
                p: (k.get(p), d.get(p)) for p in sorted(set(k) | set(d)) if k.get(p) != d.get(p)
            }
            raise SystemExit(f"{case['label']}: Ketenradar and DuckDB differ: {diff}")
        results.append((case["label"], k_seconds, d_seconds, len(k)))
        print(
            f"  {case['label']:<26} Ketenradar {k_seconds:7.3f} s   DuckDB {d_seconds:7.3f} s   "
            f"ratio {k_seconds / d_seconds:5.2f}   ({len(k)} numbers, equal; "
            f"{k['kpis.volumes.reports.count']:,} reports, {k['kpis.repeat.followed']:,} dossiers followed)",
            flush=True,
        )
    total_k = sum(r[1] for r in results)
    total_d = sum(r[2] for r in results)
    print(
        f"{connection.vendor}: all cases Ketenradar {total_k:.3f} s, DuckDB {total_d:.3f} s, "
        f"ratio {total_k / total_d:.2f}; peak memory {peak_mb():,.0f} MB",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--years", type=float, default=10)
    parser.add_argument("--contacts-per-year", type=int, default=270_000)
    parser.add_argument("--runs", type=int, default=3, help="best of this many runs per case")
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--postgres", action="store_true", help="also on PostgreSQL")
    parser.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only")
    parser.add_argument("--child", action="store_true")
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    base = [
        sys.executable,
        __file__,
        "--child",
        "--years",
        str(args.years),
        "--contacts-per-year",
        str(args.contacts_per_year),
        "--runs",
        str(args.runs),
        "--seed",
        str(args.seed),
    ]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "ketenradar.conf.dev"}
    if not args.no_sqlite:
        with tempfile.TemporaryDirectory() as tmp:
            env["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
            subprocess.run(base, env=env, cwd=ROOT, check=True)  # noqa: S603 - our own script
    if args.postgres or args.no_sqlite:
        import psycopg

        url = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
        admin = url.rsplit("/", 1)[0]
        with psycopg.connect(f"{admin}/postgres", autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS bench_monitor")
            conn.execute("CREATE DATABASE bench_monitor")
        try:
            env["DATABASE_URL"] = f"{admin}/bench_monitor"
            subprocess.run(base, env=env, cwd=ROOT, check=True)  # noqa: S603 - our own script
        finally:
            with psycopg.connect(f"{admin}/postgres", autocommit=True) as conn:
                conn.execute("DROP DATABASE IF EXISTS bench_monitor")


if __name__ == "__main__":
    main()
