"""The must-show test (docs/monitor.md#the-must-show-test).

Every figure a policy officer can see of one period (the first half of 2026) is collected:
the KPI page (with its export, its trend chart and its municipalities chart) of the region,
of each subregion and of each municipality, the CBS half-year tables of each, the chain-care
section, and the council report of the period. A figure shown on one page and suppressed on
another would be a figure shown; the test requires every cell to look the same wherever it
appears. Then the attacker's linear system (tests/audit.py) is built from those figures and
from the relations this test knows between them - written here, not taken from the code
under test - and for every suppressed cell, and every small count that is never shown but
tied to the shown ones, linear programming finds its least and greatest value: none may be
determined.

The synthetic history is made of facts (``monitor.models``), month by month, so that small
counts fall in the splits, the subregions, the municipalities and the months.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from ketenradar.accounts.actor import Actor
from ketenradar.accounts.constants import RoleCode
from ketenradar.care.constants import CaseSource, Phase, ScreeningOutcome, ScreeningRole
from ketenradar.conftest import World
from ketenradar.core.tests.factories import MunicipalityFactory
from ketenradar.mda.constants import ReferralStatus
from ketenradar.monitor import care_kpis, council_report, selectors, suppression
from ketenradar.monitor.models import (
    BedCapacityFact,
    CaseFact,
    ContactFact,
    DossierFact,
    MdaReferralFact,
    MonitoringFact,
    PersonContactFact,
    PlacementFact,
    RestrainingOrderFact,
    TraumaScreeningFact,
    WaitingFact,
)
from ketenradar.monitor.selectors import Scope
from ketenradar.monitor.tests.audit import System, marker_bounds
from ketenradar.regions.models import Municipality, Subregion
from ketenradar.reports.constants import (
    ContactKind,
    EarlierInvolvement,
    MonitoringOutcome,
    PersonRole,
    ReporterCategory,
    ViolenceType,
)
from ketenradar.restraining.constants import OrderStatus
from ketenradar.shelter.constants import BedType

SYSTEM = Actor.system("test:must-show")
START, END = dt.date(2026, 1, 1), dt.date(2026, 6, 30)
PREVIOUS = (dt.date(2025, 7, 4), dt.date(2025, 12, 31))  # 181 days, like the period
MONTHS = [dt.date(2025 + (6 + i) // 12, (6 + i) % 12 + 1, 1) for i in range(12)]  # Jul-Jun
AS_OF = dt.date(2027, 7, 1)  # the closures of the period followed for 12 months
FOLLOW_UP = {
    EarlierInvolvement.DURING_ASSESSMENT,
    EarlierInvolvement.AFTER_ASSESSMENT,
    EarlierInvolvement.DURING_MONITORING,
}
_keys = itertools.count(1)


def key() -> str:
    return f"{next(_keys):064d}"


@dataclass
class Place:
    name: str  # the test's own name for the area
    municipality: Municipality | None
    subregion: str | None
    reports: tuple[int, int]  # reports per month, from..to


@dataclass
class Region:
    world: World
    places: list[Place]
    subregions: dict[str, Subregion] = field(default_factory=dict)

    def scopes(self) -> Iterator[tuple[str, Scope]]:
        region = self.world.region
        yield "region", Scope(region=region)
        for name, s in self.subregions.items():
            yield f"sub:{name}", Scope(region=region, subregion=s)
        for p in self.places:
            if p.municipality is not None:
                yield f"mun:{p.name}", Scope(region=region, municipality=p.municipality)

    def children(self) -> dict[str, list[str]]:
        """The area relations: each area and the areas it is the sum of (the region also
        of ``rest``: facts without a municipality of the region, never shown)."""
        out: dict[str, list[str]] = {"region": [f"sub:{s}" for s in self.subregions] + ["rest"]}
        for p in self.places:
            if p.municipality is None:
                continue
            if p.subregion is None:
                out["region"].append(f"mun:{p.name}")
            else:
                out.setdefault(f"sub:{p.subregion}", []).append(f"mun:{p.name}")
        return out


def in_month(rng: random.Random, first: dt.date) -> dt.date:
    last = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    return first + dt.timedelta(days=rng.randrange((last - first).days + 1))


REPORTERS = [
    *[ReporterCategory.JUSTICE_SECURITY] * 12,
    *[ReporterCategory.NON_PROFESSIONAL] * 3,
    *[ReporterCategory.HEALTH_CARE] * 2,
    ReporterCategory.EDUCATION,
    ReporterCategory.YOUTH_CARE,
    ReporterCategory.OTHER,
]
EARLIER = [
    *[EarlierInvolvement.FIRST] * 6,
    *[EarlierInvolvement.REPEAT] * 4,
    EarlierInvolvement.DURING_ASSESSMENT,
    EarlierInvolvement.AFTER_ASSESSMENT,
    EarlierInvolvement.DURING_MONITORING,
]
TYPES = [
    *[ViolenceType.PARTNER_VIOLENCE] * 5,
    *[ViolenceType.CHILD_ABUSE] * 3,
    ViolenceType.ELDER_ABUSE,
    ViolenceType.OTHER_DOMESTIC,
    ViolenceType.VIOLENCE_AGAINST_PARENTS,
]


def history(r: Region) -> None:
    """A year of reports and advice requests, dossiers with their assessments,
    investigations, closures, repeats and monitoring, and the chain's cases, MDA++
    referrals, trauma screenings, huisverboden and shelter stays."""
    rng = random.Random(20260101)
    region = r.world.region
    for p, first in itertools.product(r.places, MONTHS):
        low, high = p.reports
        for _ in range(rng.randint(low, high)):
            day = in_month(rng, first)
            report(r, rng, p.municipality, day)
        for _ in range(rng.randint(0, 3 if p.municipality else 8)):
            ContactFact.objects.create(
                contact_key=key(),
                region=region,
                municipality=p.municipality,
                received_on=in_month(rng, first),
                kind=ContactKind.ADVICE,
                channel="telefoon",
                reporter_category=rng.choice(REPORTERS[9:]),
                violence_types=rng.sample(TYPES, rng.choice([0, 1, 1, 2])),
            )
    # the case: three reports in a small municipality, a follow-up after the
    # assessment each
    rijswijk = next(p.municipality for p in r.places if p.name == "Rijswijk")
    for day in (dt.date(2026, 2, 3), dt.date(2026, 3, 17), dt.date(2026, 5, 8)):
        report(r, rng, rijswijk, day, EarlierInvolvement.AFTER_ASSESSMENT)
    chain_care(r, rng)


def report(
    r: Region,
    rng: random.Random,
    municipality: Municipality | None,
    day: dt.date,
    earlier: str | None = None,
) -> None:
    region = r.world.region
    dossier, person = key(), key()
    ContactFact.objects.create(
        contact_key=(contact := key()),
        region=region,
        municipality=municipality,
        received_on=day,
        kind=ContactKind.REPORT,
        channel="politie",
        reporter_category=rng.choice(REPORTERS),
        violence_types=rng.sample(TYPES, rng.choice([1, 1, 1, 2])),
        earlier_involvement=earlier or rng.choice(EARLIER),
        dossier_key=dossier,
    )
    PersonContactFact.objects.create(
        person_key=person,
        contact_key=contact,
        dossier_key=dossier,
        region=region,
        kind=ContactKind.REPORT,
        role=PersonRole.VICTIM,
        received_on=day,
    )
    waited = rng.choice([1, 2, 3, 4, 5, 5, 6, 7, 9, 14, 40])
    decided = day + dt.timedelta(days=waited)
    investigated = rng.random() < 0.15
    completed = decided + dt.timedelta(days=rng.choice([50, 60, 70, 80])) if investigated else None
    closed = None if investigated else decided + dt.timedelta(days=rng.choice([0, 0, 10, 60]))
    DossierFact.objects.create(
        dossier_key=dossier,
        region=region,
        municipality=municipality,
        state="afgesloten" if closed else "onderzoek",
        opened_on=day,
        decided_on=decided,
        within_deadline=waited <= 7,
        decision="einde_bemoeienis" if closed else "onderzoek",
        investigation_started_on=decided if investigated else None,
        investigation_due_on=decided + dt.timedelta(days=70) if investigated else None,
        investigation_completed_on=completed,
        investigation_within_10_weeks=completed <= decided + dt.timedelta(days=70)
        if completed
        else None,
        closed_on=closed,
        repeat_until=selectors.repeat_until(closed),
    )
    if closed is not None and rng.random() < 0.3:  # a new report about the person
        later = closed + dt.timedelta(days=rng.choice([5, 100, 300, 400]))
        PersonContactFact.objects.create(
            person_key=person,
            contact_key=key(),
            dossier_key=key(),
            region=region,
            kind=ContactKind.REPORT,
            role=PersonRole.VICTIM,
            received_on=later,
        )
    for months in (3, 12):
        if rng.random() < 0.5:
            due = decided + dt.timedelta(days=30 * months)
            MonitoringFact.objects.create(
                moment_key=key(),
                dossier_key=dossier,
                region=region,
                municipality=municipality,
                months=months,
                due_on=due,
                done_on=due + dt.timedelta(days=rng.randrange(10)),
                outcome=rng.choice(
                    [MonitoringOutcome.SAFE] * 4
                    + [MonitoringOutcome.CONCERNS, MonitoringOutcome.UNSAFE]
                ),
            )


def chain_care(r: Region, rng: random.Random) -> None:
    region = r.world.region
    phases = [Phase.DIRECT_SAFETY, Phase.STABLE_SAFETY, Phase.RECOVERY]
    facility = key()
    for p in r.places:
        m, scale = p.municipality, max(1, p.reports[1] // 4)
        for _ in range(rng.randint(scale, 3 * scale)):
            opened = START + dt.timedelta(days=rng.randrange(200) - 20)
            steps = [[opened.isoformat(), Phase.DIRECT_SAFETY]]
            if rng.random() < 0.6:
                steps.append([(opened + dt.timedelta(days=40)).isoformat(), rng.choice(phases[1:])])
            closed = opened + dt.timedelta(days=120) if rng.random() < 0.3 else None
            melding = opened - dt.timedelta(days=rng.randrange(1, 30))
            CaseFact.objects.create(
                case_key=(case := key()),
                region=region,
                municipality=m,
                source=CaseSource.VT_HANDOVER,
                phase=steps[-1][1],
                phases=steps,
                opened_on=opened,
                closed_on=closed,
                melding_on=melding,
                first_action_on=opened + dt.timedelta(days=rng.randrange(1, 20)),
            )
            if rng.random() < 0.4:
                TraumaScreeningFact.objects.create(
                    screening_key=key(),
                    case_key=case,
                    region=region,
                    municipality=m,
                    role=rng.choice(ScreeningRole.values),
                    offered_on=opened + dt.timedelta(days=10),
                    outcome=rng.choice([ScreeningOutcome.OFFERED, ScreeningOutcome.INDICATION]),
                    outcome_on=opened + dt.timedelta(days=30),
                )
            if rng.random() < 0.3:
                MdaReferralFact.objects.create(
                    referral_key=key(),
                    case_key=case,
                    region=region,
                    municipality=m,
                    status=ReferralStatus.REFERRED,
                    referred_on=opened + dt.timedelta(days=15),
                    accepted_on=opened + dt.timedelta(days=25),
                )
        for _ in range(rng.randint(scale, 2 * scale)):
            imposed = START + dt.timedelta(days=rng.randrange(181))
            extended = rng.random() < 0.4
            RestrainingOrderFact.objects.create(
                order_key=key(),
                region=region,
                municipality=m,
                imposed_on=imposed,
                extended=extended,
                extension_decided_on=imposed + dt.timedelta(days=8),
                status=OrderStatus.EXTENDED if extended else OrderStatus.ENDED,
            )
        if m is None:
            continue
        for bed_type in (BedType.REGULAR, BedType.FAMILY):
            BedCapacityFact.objects.create(
                capacity_key=key(),
                facility_key=facility,
                region=region,
                municipality=m,
                bed_type=bed_type,
                valid_from=dt.date(2025, 1, 1),
                beds=4 * scale,
            )
            for _ in range(rng.randint(0, 2 * scale)):
                start = START + dt.timedelta(days=rng.randrange(-300, 170))
                stay = rng.choice([20, 90, 250, None])
                PlacementFact.objects.create(
                    placement_key=key(),
                    facility_key=facility,
                    region=region,
                    municipality=m,
                    bed_type=bed_type,
                    beds=1,
                    start_on=start,
                    end_on=start + dt.timedelta(days=stay) if stay else None,
                )
        for _ in range(rng.randint(0, 2 * scale)):
            registered = START + dt.timedelta(days=rng.randrange(-30, 170))
            placed = registered + dt.timedelta(days=rng.randrange(5, 40))
            WaitingFact.objects.create(
                entry_key=key(),
                region=region,
                municipality=m,
                bed_type=BedType.REGULAR,
                registered_on=registered,
                placed_on=placed if rng.random() < 0.7 else None,
            )


@pytest.fixture
def haaglanden(world: World) -> Region:
    haag = Subregion.objects.create(region=world.region, name="Den Haag")
    dwo = Subregion.objects.create(region=world.region, name="DWO")
    den_haag = Municipality.objects.get(cbs_code="GM0518")
    den_haag.subregion, den_haag.inhabitants = haag, 500_000
    den_haag.save()

    def place(name: str, code: str, subregion: Subregion | None, people: int) -> Municipality:
        return MunicipalityFactory(
            region=world.region, subregion=subregion, cbs_code=code, name=name, inhabitants=people
        )

    r = Region(
        world,
        [
            Place("Den Haag", den_haag, "Den Haag", (12, 18)),
            Place("Delft", place("Delft", "GM0503", dwo, 100_000), "DWO", (4, 9)),
            Place("Rijswijk", place("Rijswijk", "GM0603", dwo, 50_000), "DWO", (0, 3)),
            Place("Wassenaar", place("Wassenaar", "GM0629", None, 26_000), None, (1, 4)),
            Place("onbekend", None, None, (0, 2)),  # no municipality of the region
        ],
        {"Den Haag": haag, "DWO": dwo},
    )
    history(r)
    return r


# ----------------------------------------------------------------- what a page shows


Seen = dict[str, Any]  # cell -> the figure shown (a number or a marker)


@dataclass
class Page:
    """The figures of one area, as its outputs show them, by cell name."""

    counts: Seen = field(default_factory=dict)
    derived: list[tuple[Any, str, tuple[str, ...]]] = field(
        default_factory=list
    )  # figure, area, its counts

    def add(self, area: str, name: str, value: Any) -> None:
        self.counts.setdefault(f"{area}|{name}", []).append(value)

    def derive(self, value: Any, area: str, *names: str) -> None:
        self.derived.append((value, area, names))


def read(
    area: str, figures: dict[str, Any], care: dict[str, Any], cbs: dict[str, Any], out: Page
) -> None:
    """Every figure of an area's KPI page (= its export), its charts and its CBS tables."""
    k = figures["kpis"]
    for kind, name in (("advice_requests", "advice"), ("reports", "reports")):
        v = k["volumes"][kind]
        out.add(area, name, v["count"])
        out.add(area, f"{name}_prev", v["previous"])
        out.derive(v["growth"], area, name, f"{name}_prev")
        out.derive(v["per_10000"], area, name)
    p = k["reports"]
    out.add(area, "reports", p["reports"])
    for prefix, key_ in (
        ("rep", "by_reporter"),
        ("typ", "by_violence_type"),
        ("ear", "by_earlier_involvement"),
    ):
        for value, f in p[key_].items():
            out.add(area, f"{prefix}:{value}", f["count"])
            out.derive(f["share"], area, f"{prefix}:{value}", "reports")
    out.derive(p["police_share"], area, f"rep:{ReporterCategory.JUSTICE_SECURITY}", "reports")
    out.add(area, "fu", p["follow_up"]["count"])
    out.derive(p["follow_up"]["share"], area, "fu", "reports")
    t = k["timeliness"]
    for key_, name in (("assessments", "decided"), ("investigations", "completed")):
        out.add(area, name, t[key_]["count"])
        out.add(area, f"{name}_within", t[key_]["within"])
        out.derive(t[key_]["share"], area, name, f"{name}_within")
    w = t["waiting_list"]
    out.add(area, "waiting", w["count"])
    out.derive(w["mean_age_days"], area, "waiting")
    out.derive(w["max_age_days"], area, "waiting")
    for months, m in k["monitoring"].items():
        out.add(area, f"mon{months}", m["recorded"])
        for o in MonitoringOutcome.values:
            out.add(area, f"mon{months}:{o}", m[o])
        out.derive(m["safe_share"], area, f"mon{months}", f"mon{months}:{MonitoringOutcome.SAFE}")
    rep = k["repeat"]
    for name in ("closed", "not_yet_followed", "followed", "repeated"):
        out.add(area, name, rep[name])
    out.derive(rep["share"], area, "followed", "repeated")
    for month in figures["trend"]:
        out.add(area, f"{month['month']:%Y-%m}:advice", month["advice_requests"])
        out.add(area, f"{month['month']:%Y-%m}:reports", month["reports"])
    for row in figures["municipalities"]:
        out.add(f"mun:{row['name']}", "reports", row["reports"])
        out.derive(row["per_10000"], f"mun:{row['name']}", "reports")
    # chain care
    c = care["cases"]
    for name in ("opened", "closed", "open_at_end"):
        out.add(area, f"cases_{name}", c[name])
    for phase, n in c["per_phase"].items():
        out.add(area, f"phase:{phase}", n)
    out.add(area, "first_action", c["first_action"]["count"])
    out.derive(c["first_action"]["mean_days"], area, "first_action")
    out.derive(c["first_action"]["median_days"], area, "first_action")
    for name, n in care["mda"].items():
        out.add(area, f"mda_{name}", n)
    for role, s in care["screenings"].items():
        for name, n in s.items():
            out.add(area, f"screening:{role}:{name}", n)
    hv = care["restraining"]
    out.add(area, "imposed", hv["imposed"])
    out.add(area, "extended", hv["extended"])
    for kind, prefix in (("by_municipality", "mun"), ("by_subregion", "sub")):
        for row in hv[kind]:
            out.add(f"{prefix}:{row['name']}", "imposed", row["imposed"])
            out.add(f"{prefix}:{row['name']}", "extended", row["extended"])
    sh = care["shelter"]
    out.add(area, "placements", sh["occupancy"]["all"]["placements"])
    for bed, v in sh["occupancy"]["by_bed_type"].items():
        out.add(area, f"bed:{bed}", v["placements"])
    for name, n in sh["norm"].items():
        out.add(area, name, n)
    wt = sh["waiting"]
    out.add(area, "placed", wt["placed"])
    out.add(area, "still_waiting", wt["still_waiting"])
    for name in ("mean_days_waited", "median_days_waited"):
        out.derive(wt[name], area, "placed")
    for name in ("mean_waiting_age", "longest_waiting_age"):
        out.derive(wt[name], area, "still_waiting")
    # the CBS half-year tables
    for kind, name in ((ContactKind.ADVICE, "advice"), (ContactKind.REPORT, "reports")):
        out.add(area, name, cbs["totals"][kind])
        for value, f in cbs["by_reporter"].items():
            out.add(area, f"rep:{value}" if name == "reports" else f"advice_rep:{value}", f[kind])
        for value, f in cbs["by_violence_type"].items():
            out.add(area, f"typ:{value}" if name == "reports" else f"advice_typ:{value}", f[kind])
    for value, n in cbs["by_earlier_involvement"].items():
        out.add(area, f"ear:{value}", n)


def everything(r: Region, actor: Actor, suppressed: bool) -> Page:
    page = Page()
    for area, scope in r.scopes():
        period: dict[str, Any] = {"actor": actor, "scope": scope, "start": START, "end": END}
        if not suppressed:
            period["suppressed"] = False
        read(
            area,
            selectors.overview(**period, as_of=AS_OF),
            care_kpis.care_kpis(**period),
            selectors.cbs_half_year(
                actor=actor,
                scope=scope,
                year=2026,
                half=1,
                **({} if suppressed else {"suppressed": False}),
            ),
            page,
        )
    if suppressed:  # the council report: the region's figures, its own trend
        council = council_report.council_report(actor=actor, start=START, end=END, today=AS_OF)
        read(
            "region",
            {
                "kpis": council.kpis,
                "trend": council.trend,
                "municipalities": council.municipalities,
            },
            care_kpis.care_kpis(
                actor=actor, scope=Scope(region=r.world.region), start=START, end=END
            ),
            selectors.cbs_half_year(
                actor=actor, scope=Scope(region=r.world.region), year=2026, half=1
            ),
            page,
        )
    return page


# ----------------------------------------------------------------- the relations


def relations(r: Region, system: System, measures: set[str]) -> None:
    """Every additive relation between the cells, from what the figures mean."""
    areas = [
        "region",
        *(f"sub:{s}" for s in r.subregions),
        *(f"mun:{p.name}" for p in r.places if p.municipality),
    ]
    for parent, kids in r.children().items():
        for m in measures:
            system.equal(f"{parent}|{m}", (f"{kid}|{m}" for kid in kids))
    for a in areas:

        def eq(total: str, parts: list[str], a: str = a) -> None:
            system.equal(f"{a}|{total}", [f"{a}|{p}" for p in parts])

        eq("reports", [f"rep:{v}" for v in ReporterCategory.values])
        eq("reports", [f"ear:{v}" for v in EarlierInvolvement.values])
        eq("fu", [f"ear:{v}" for v in FOLLOW_UP])
        eq("advice", [f"advice_rep:{v}" for v in ReporterCategory.values])
        for kind in ("reports", "advice"):
            typ = "typ" if kind == "reports" else "advice_typ"
            for v in ViolenceType.values:  # a contact names any number of types
                system.at_most(f"{a}|{typ}:{v}", f"{a}|{kind}")
            eq(kind, [f"{m:%Y-%m}:{kind}" for m in MONTHS[6:]])  # the period's months
            eq(f"2025-07:{kind}", [f"jul1-3:{kind}", f"jul4-31:{kind}"])
            eq(f"{kind}_prev", [f"jul4-31:{kind}", *(f"{m:%Y-%m}:{kind}" for m in MONTHS[1:6])])
        eq("decided", ["decided_within", "decided_late"])
        eq("completed", ["completed_within", "completed_late"])
        for months in sorted({m.split(":")[0][3:] for m in measures if m.startswith("mon")}):
            eq(f"mon{months}", [f"mon{months}:{o}" for o in MonitoringOutcome.values])
        eq("closed", ["followed", "not_yet_followed"])
        eq("followed", ["repeated", "not_repeated"])
        eq("cases_open_at_end", [f"phase:{p}" for p in Phase.values if p != Phase.CLOSED])
        eq("placements", [f"bed:{b}" for b in BedType.values])
        eq("ended", ["ended_over_norm", "ended_within_norm"])
        eq("staying", ["staying_over_norm", "staying_within_norm"])


HIDDEN = {  # counts never shown, tied to the shown ones: protected when small
    "decided_late": ("decided", "decided_within"),
    "completed_late": ("completed", "completed_within"),
    "not_repeated": ("followed", "repeated"),
    "ended_within_norm": ("ended", "ended_over_norm"),
    "staying_within_norm": ("staying", "staying_over_norm"),
}


def slivers(r: Region) -> dict[str, int]:
    """1-3 July 2025 (in July, not in the previous period) and 4-31 July, per area."""
    out: dict[str, int] = defaultdict(int)
    leaf = {p.municipality.pk: p for p in r.places if p.municipality}
    for municipality, kind, day in ContactFact.objects.filter(
        received_on__range=(dt.date(2025, 7, 1), dt.date(2025, 7, 31))
    ).values_list("municipality_id", "kind", "received_on"):
        name = "jul1-3" if day.day <= 3 else "jul4-31"
        kind_ = "reports" if kind == ContactKind.REPORT else "advice"
        p = leaf.get(municipality)
        areas = ["region"]
        if p is None:
            areas.append("rest")
        else:
            areas.append(f"mun:{p.name}")
            if p.subregion:
                areas.append(f"sub:{p.subregion}")
        for a in areas:
            out[f"{a}|{name}:{kind_}"] += 1
    return out


def test_no_suppressed_figure_of_a_period_can_be_worked_out(
    haaglanden: Region, world: World, settings: Any
) -> None:
    r = haaglanden
    officer = world.actor(RoleCode.POLICY_OFFICER, "other_org")
    seen = everything(r, officer, suppressed=True)
    truth_page = everything(r, SYSTEM, suppressed=False)
    truth = {cell: values[0] for cell, values in truth_page.counts.items()}
    limit = suppression.threshold()

    # one look per cell: whichever page, export, chart or report shows it
    for cell, values in seen.counts.items():
        assert len(set(map(str, values))) == 1, (cell, values)
    shown = {cell: values[0] for cell, values in seen.counts.items()}
    for cell, value in shown.items():
        if isinstance(value, int):  # a figure shown is the real one
            assert value == truth[cell], cell
        else:
            assert value in (suppression.marker(), suppression.SECONDARY), cell
            if value == suppression.marker():
                assert suppression.small(truth[cell]), cell
            else:
                assert truth[cell] >= limit, cell  # x: never small, never 0
    # a share, rate, growth or mean is shown only when every count it comes from is
    for value, area, names in seen.derived:
        if isinstance(value, int | float) and not isinstance(value, bool):
            assert all(isinstance(shown[f"{area}|{n}"], int) for n in names), (value, area, names)

    # the attacker's system
    system = System()
    measures = {cell.split("|", 1)[1] for cell in shown}
    areas = {cell.split("|", 1)[0] for cell in shown}
    for cell, value in shown.items():
        if isinstance(value, int):
            system.known[cell] = value
        else:
            system.unknown(cell, truth[cell], marker_bounds(value, limit))
    tied = {**slivers(r)}
    for area in areas:
        for name, (total, part) in HIDDEN.items():
            tied[f"{area}|{name}"] = truth[f"{area}|{total}"] - truth[f"{area}|{part}"]
        for kind in ("reports", "advice"):
            for name in ("jul1-3", "jul4-31"):
                tied.setdefault(f"{area}|{name}:{kind}", 0)
    rest: dict[str, int] = {}
    for m in (
        measures
        | set(HIDDEN)
        | {f"{n}:{k}" for n in ("jul1-3", "jul4-31") for k in ("reports", "advice")}
    ):
        whole = truth.get(f"region|{m}", tied.get(f"region|{m}", 0))
        parts = sum(
            truth.get(f"{kid}|{m}", tied.get(f"{kid}|{m}", 0))
            for kid in r.children()["region"]
            if kid != "rest"
        )
        rest[f"rest|{m}"] = whole - parts
    for cell, value in {**tied, **rest}.items():
        if cell not in system.known and cell not in system.bounds:
            system.unknown(cell, value, (0, None))
    relations(
        r,
        system,
        measures
        | set(HIDDEN)
        | {f"{n}:{k}" for n in ("jul1-3", "jul4-31") for k in ("reports", "advice")},
    )
    for row in system.equations + system.inequalities:  # a bed type no page lists: none there
        for cell in row:
            if cell not in system.known and cell not in system.bounds:
                system.unknown(cell, 0, (0, None))
    system.check()  # the relations hold for the real figures

    suppressed = [cell for cell, value in shown.items() if not isinstance(value, int)]
    small_tied = [cell for cell, value in tied.items() if suppression.small(value)]
    assert system.determined(suppressed + small_tied) == {}

    # the history has what the test is for: small counts in splits, subregions and months,
    # and cells suppressed only to protect them
    primary = [c for c in suppressed if shown[c] == suppression.marker()]
    assert any(c.startswith("mun:") and "|rep:" in c for c in primary)
    assert any(c.startswith("sub:") for c in primary)
    assert any(c.split("|")[1][:4] in ("2025", "2026") for c in primary)
    assert len(suppressed) - len(primary) > 20
    assert sum(1 for c in small_tied) > 5
    print(
        f"must-show: {len(shown)} cells, {len(primary)} small and {len(suppressed) - len(primary)}"
        f" protecting suppressed, {len(small_tied)} small never shown: none determined"
    )

    # and without the secondary suppression, small counts would follow from the rest
    naive = System(equations=system.equations, inequalities=system.inequalities)
    for cell, value in shown.items():
        if value == suppression.SECONDARY:
            naive.known[cell] = truth[cell]
        elif cell in system.known:
            naive.known[cell] = system.known[cell]
    for cell, bounds in system.bounds.items():
        if cell not in naive.known:
            naive.unknown(cell, system.truth[cell], bounds)
    assert naive.determined(primary + small_tied)
