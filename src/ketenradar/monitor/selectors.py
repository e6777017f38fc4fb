"""The KPIs of the regional monitor: pure reads over the facts (docs/monitor.md#kpis).

Every selector takes the actor and a scope (the region, or one subregion or municipality of
it) and a period (``start`` and ``end``, both dates, inclusive). It returns suppressed values
unless a system actor asks for ``suppressed=False`` (internal tests and checks).

The counts are read for every municipality of the region at once (``GROUP BY`` the
municipality) and summed up the area tree, so that the small counts and the cells that
protect them are suppressed once for the whole region and period
(``monitor.protection``): every page, export, chart and report of that period suppresses
the same cells, whichever area it shows.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils import timezone

from ketenradar.accounts.actor import Actor
from ketenradar.monitor import protection, suppression
from ketenradar.monitor.models import ContactFact, DossierFact, MonitoringFact, PersonContactFact
from ketenradar.monitor.protection import Areas, Figures, Timeline
from ketenradar.regions.models import Municipality, Region, Subregion
from ketenradar.reports.constants import (
    ContactKind,
    EarlierInvolvement,
    MonitoringOutcome,
    ReporterCategory,
    ViolenceType,
)

VIEW = "regions.view_region"
ASSESSMENT_NORM = 0.90  # Veilig Thuis norm: 90% of safety assessments within 5 working days
INVESTIGATION_NORM = 0.80  # 80% of investigations finished within 10 weeks
REPEAT_MONTHS = 12
FOLLOW_UP = (
    EarlierInvolvement.DURING_ASSESSMENT,
    EarlierInvolvement.AFTER_ASSESSMENT,
    EarlierInvolvement.DURING_MONITORING,
)


@dataclass(frozen=True)
class Scope:
    region: Region
    subregion: Subregion | None = None
    municipality: Municipality | None = None

    def facts(self, model: type[models.Model]) -> models.QuerySet[Any]:
        qs = model._default_manager.filter(region=self.region)
        if self.municipality is not None:
            return qs.filter(municipality=self.municipality)
        if self.subregion is not None:
            return qs.filter(municipality__subregion=self.subregion)
        return qs

    def inhabitants(self) -> int:
        qs = Municipality.objects.filter(region=self.region)
        if self.municipality is not None:
            qs = qs.filter(pk=self.municipality.pk)
        elif self.subregion is not None:
            qs = qs.filter(subregion=self.subregion)
        return int(qs.aggregate(n=Sum("inhabitants"))["n"] or 0)

    @property
    def area(self) -> str:
        """The scope's key in the area tree (``monitor.protection.Areas``)."""
        if self.municipality is not None:
            return f"m{self.municipality.pk}"
        if self.subregion is not None:
            return f"s{self.subregion.pk}"
        return protection.ROOT


def _check(actor: Actor, scope: Scope, suppressed: bool) -> None:
    if not suppressed and not actor.is_system:
        raise PermissionDenied("unsuppressed figures are for internal checks only")
    if actor.is_system:
        return
    if not actor.has_perm(VIEW) or actor.region is None or actor.region.pk != scope.region.pk:
        raise PermissionDenied(VIEW)
    for part in (scope.subregion, scope.municipality):
        if part is not None and part.region_id != scope.region.pk:
            raise PermissionDenied("not in this region")


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def repeat_until(closed_on: dt.date | None) -> dt.date | None:
    """The last day a report counts as a repeat of a dossier closed on ``closed_on``: 12
    calendar months later (29 February: 28 February). Stored on ``DossierFact`` by the
    refresh, so the KPI compares dates in SQL."""
    return None if closed_on is None else add_months(closed_on, REPEAT_MONTHS)


def _counts(qs: models.QuerySet[Any], *fields: str) -> Counter[Any]:
    """Rows per value of ``fields``, counted by the database (a ``GROUP BY``): the KPIs read
    a few groups, not every fact. One field gives the value as key, several a tuple."""
    rows = qs.order_by().values(*fields).annotate(n=Count("*")).values_list(*fields, "n")
    out: Counter[Any] = Counter()
    for *values, n in rows:
        key = tuple(tuple(v) if isinstance(v, list) else v for v in values)  # JSON lists
        out[key[0] if len(fields) == 1 else key] += n
    return out


def previous_period(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    """The period of the same number of days right before ``start``."""
    length = (end - start).days + 1
    return start - dt.timedelta(days=length), start - dt.timedelta(days=1)


def half_year(year: int, half: int) -> tuple[dt.date, dt.date]:
    """The first (1: January-June) or second (2: July-December) half of ``year``."""
    if half == 1:
        return dt.date(year, 1, 1), dt.date(year, 6, 30)
    return dt.date(year, 7, 1), dt.date(year, 12, 31)


def last_half_year(today: dt.date) -> tuple[int, int]:
    """The last half year that has ended before ``today``."""
    return (today.year - 1, 2) if today.month <= 6 else (today.year, 1)


# ------------------------------------------------------------------ advice requests, reports


@dataclass(frozen=True)
class Contacts:
    """Advice requests and reports of the whole region for a period: per kind, the counts
    of every area (the period, the previous period, the months of the trend, and for the
    period the splits), suppressed together."""

    areas: Areas
    line: Timeline
    kinds: dict[str, Figures]


def _contacts(region: Region, start: dt.date, end: dt.date, suppressed: bool) -> Contacts:
    areas = protection.areas_of(region)
    before = previous_period(start, end)
    line = protection.timeline(start, end, before)
    facts = ContactFact.objects.filter(region=region)
    window = (line.months[0], protection.month_end(line.months[-1]))  # whole months
    days = _counts(
        facts.filter(received_on__range=window), "municipality_id", "kind", "received_on"
    )
    previous = _counts(facts.filter(received_on__range=before), "municipality_id", "kind")
    groups = _counts(
        facts.filter(received_on__range=(start, end)),
        "municipality_id",
        "kind",
        "reporter_category",
        "violence_types",
        "earlier_involvement",
    )
    day_class = {}
    for i, spans in enumerate(line.spans):
        for a, b in spans:
            day = max(a, window[0])
            while day <= min(b, window[1]):
                day_class[day] = i
                day += dt.timedelta(days=1)
    classes: dict[tuple[str, str], Counter[int]] = defaultdict(Counter)
    for (municipality, kind, day), n in days.items():
        classes[(areas.leaf(municipality), kind)][day_class[day]] += n
    totals: dict[str, Counter[tuple[str, str]]] = {"P": Counter(), "prev": Counter()}
    for (municipality, kind), n in previous.items():
        totals["prev"][(areas.leaf(municipality), kind)] += n
    leaves: dict[str, dict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
    for (municipality, kind, reporter, types, earlier), n in groups.items():
        leaf = areas.leaf(municipality)
        totals["P"][(leaf, kind)] += n
        counts = leaves[kind][leaf]
        counts[f"rep:{reporter}"] += n
        for t in set(types):
            counts[f"typ:{t}"] += n
        if kind == ContactKind.REPORT:
            counts[f"ear:{earlier}"] += n
            counts["fu"] += n if earlier in FOLLOW_UP else 0
    # the days of the period or the previous period before the trend's first month
    outside = {
        next(iter(c)): i
        for i, c in enumerate(line.classes)
        if len(c) == 1 and not next(iter(c)).startswith("m:")
    }
    for name, total in totals.items():
        if name in outside:
            for key, n in total.items():
                inside = sum(v for i, v in classes[key].items() if name in line.classes[i])
                classes[key][outside[name]] = n - inside
    for (leaf, kind), per_class in classes.items():
        for i, n in per_class.items():
            for measure in line.change(i):
                leaves[kind][leaf][measure] += n
    half = any(half_year(start.year, h) == (start, end) for h in (1, 2))
    kinds = {}
    for kind in ContactKind.values:
        family = protection.contact_family(
            line,
            reporters=ReporterCategory.values,
            types=ViolenceType.values,
            earlier=EarlierInvolvement.values if kind == ContactKind.REPORT else (),
            follow_up=FOLLOW_UP,
            attributes_shown=kind == ContactKind.REPORT or half,
        )
        values = areas.totals(leaves[kind])
        kinds[kind] = protection.protect(areas, values, family, suppressed)
    return Contacts(areas=areas, line=line, kinds=kinds)


def _growth(f: Figures, area: str) -> suppression.Share:
    current, previous = f.raw(area, "P"), f.raw(area, "prev")
    if previous == 0:
        return None
    return f.marker(area, "P", "prev") or round((current - previous) / previous, 4)


def _per_10k(f: Figures, area: str, measure: str, inhabitants: int) -> suppression.Share:
    if inhabitants == 0:
        return None
    return f.marker(area, measure) or round(f.raw(area, measure) / inhabitants * 10_000, 4)


def _volumes(c: Contacts, area: str) -> dict[str, Any]:
    inhabitants = c.areas.inhabitants.get(area, 0)
    out: dict[str, Any] = {"inhabitants": inhabitants, "previous_period": c.line.previous}
    for kind, name in ((ContactKind.ADVICE, "advice_requests"), (ContactKind.REPORT, "reports")):
        f = c.kinds[kind]
        out[name] = {
            "count": f.n(area, "P"),
            "previous": f.n(area, "prev"),
            "growth": _growth(f, area),
            "per_10000": _per_10k(f, area, "P", inhabitants),
        }
    return out


def volumes(
    *, actor: Actor, scope: Scope, start: dt.date, end: dt.date, suppressed: bool = True
) -> dict[str, Any]:
    """Advice requests and reports in the period: counts, growth against the previous period
    of the same length, and per 10,000 inhabitants."""
    _check(actor, scope, suppressed)
    return _volumes(_contacts(scope.region, start, end, suppressed), scope.area)


def _profile(c: Contacts, area: str) -> dict[str, Any]:
    f = c.kinds[ContactKind.REPORT]

    def split(prefix: str, values: list[str]) -> dict[str, Any]:
        return {
            v: {"count": f.n(area, f"{prefix}:{v}"), "share": f.share(area, f"{prefix}:{v}", "P")}
            for v in values
        }

    return {
        "reports": f.n(area, "P"),
        "by_reporter": split("rep", list(ReporterCategory.values)),
        "police_share": f.share(area, f"rep:{ReporterCategory.JUSTICE_SECURITY}", "P"),
        "by_violence_type": split("typ", list(ViolenceType.values)),
        "by_earlier_involvement": split("ear", list(EarlierInvolvement.values)),
        "follow_up": {"count": f.n(area, "fu"), "share": f.share(area, "fu", "P")},
    }


def report_profile(
    *, actor: Actor, scope: Scope, start: dt.date, end: dt.date, suppressed: bool = True
) -> dict[str, Any]:
    """Reports in the period by reporter category (and the police share), by type of
    violence, and by CBS earlier involvement (85361NED)."""
    _check(actor, scope, suppressed)
    return _profile(_contacts(scope.region, start, end, suppressed), scope.area)


def monthly_trend(
    *,
    actor: Actor,
    scope: Scope,
    end: dt.date,
    months: int = 12,
    suppressed: bool = True,
    start: dt.date | None = None,
) -> list[dict[str, Any]]:
    """Advice requests and reports per calendar month, the ``months`` months up to and
    including the month of ``end``: the trend chart's figures of the period ``start``..``end``
    (by default the month of ``end``), suppressed with the period's other figures."""
    _check(actor, scope, suppressed)
    c = _contacts(scope.region, start or end.replace(day=1), end, suppressed)
    return _trend(c, scope.area, months)


def _trend(c: Contacts, area: str, months: int) -> list[dict[str, Any]]:
    if months > len(c.line.months):
        raise ValueError("the trend of a period shows at most its own months")
    advice, reports = c.kinds[ContactKind.ADVICE], c.kinds[ContactKind.REPORT]
    return [
        {
            "month": month,
            "advice_requests": advice.n(area, protection.month_key(month)),
            "reports": reports.n(area, protection.month_key(month)),
        }
        for month in c.line.months[-months:]
    ]


def _side_by_side(c: Contacts, area: str) -> list[dict[str, Any]]:
    f = c.kinds[ContactKind.REPORT]
    rows = [
        {
            "name": c.areas.names[m],
            "reports": f.n(m, "P"),
            "per_10000": _per_10k(f, m, "P", c.areas.inhabitants.get(m, 0)),
        }
        for m in c.areas.municipalities(area)
    ]
    return sorted(rows, key=lambda r: -r["per_10000"] if isinstance(r["per_10000"], float) else 0)


def municipalities_side_by_side(
    *, actor: Actor, scope: Scope, start: dt.date, end: dt.date, suppressed: bool = True
) -> list[dict[str, Any]]:
    """Reports per 10,000 inhabitants per municipality of the scope (all of the region's
    when the scope is the region), highest first; suppressed like every count."""
    _check(actor, scope, suppressed)
    return _side_by_side(_contacts(scope.region, start, end, suppressed), scope.area)


def cbs_half_year(
    *, actor: Actor, scope: Scope, year: int, half: int, suppressed: bool = True
) -> dict[str, Any]:
    """The CBS Beleidsinformatie Veilig Thuis tables of a half year (docs/monitor.md#the-cbs-
    half-year-tables): advice requests and reports by reporter category and by type of
    violence (a contact naming several types counts under each), and reports by CBS earlier
    involvement. Counts only, suppressed with the other figures of the half year."""
    start, end = half_year(year, half)
    _check(actor, scope, suppressed)
    c = _contacts(scope.region, start, end, suppressed)
    area, kinds = scope.area, (ContactKind.ADVICE, ContactKind.REPORT)
    reports = c.kinds[ContactKind.REPORT]

    def by_kind(prefix: str, values: list[str]) -> dict[str, Any]:
        return {v: {k: c.kinds[k].n(area, f"{prefix}:{v}") for k in kinds} for v in values}

    return {
        "start": start,
        "end": end,
        "totals": {k: c.kinds[k].n(area, "P") for k in kinds},
        "by_reporter": by_kind("rep", list(ReporterCategory.values)),
        "by_violence_type": by_kind("typ", list(ViolenceType.values)),
        "by_earlier_involvement": {
            v: reports.n(area, f"ear:{v}") for v in EarlierInvolvement.values
        },
    }


# ------------------------------------------------------------------ dossiers, monitoring


def _tree(
    areas: Areas,
    leaves: dict[str, Counter[str]],
    family: protection.Family,
    suppressed: bool,
) -> Figures:
    return protection.protect(areas, areas.totals(leaves), family, suppressed)


def _rate(f: Figures, area: str, norm: float) -> dict[str, Any]:
    value = f.share(area, "within", "count")
    return {
        "count": f.n(area, "count"),
        "within": f.n(area, "within"),
        "share": value,
        "norm": norm,
        "meets_norm": value >= norm if isinstance(value, float) else None,
    }


NESTED = protection.tree_family(
    ["count", "within", "late"], [("count", ("within", "late"))], unpublished=["late"]
)
WAITING = protection.tree_family(["count"])


def timeliness(
    *, actor: Actor, scope: Scope, start: dt.date, end: dt.date, suppressed: bool = True
) -> dict[str, Any]:
    """Safety assessments decided in the period within the legal deadline (norm 90%),
    investigations completed in the period within 10 weeks (norm 80%), and the waiting list
    at the end of the period."""
    _check(actor, scope, suppressed)
    areas, area = protection.areas_of(scope.region), scope.area
    dossiers = DossierFact.objects.filter(region=scope.region)
    out: dict[str, Any] = {}
    for key, qs, flag, norm in (
        (
            "assessments",
            dossiers.filter(decided_on__range=(start, end)),
            "within_deadline",
            ASSESSMENT_NORM,
        ),
        (
            "investigations",
            dossiers.filter(investigation_completed_on__range=(start, end)),
            "investigation_within_10_weeks",
            INVESTIGATION_NORM,
        ),
    ):
        leaves: dict[str, Counter[str]] = defaultdict(Counter)
        for (municipality, within), n in _counts(qs, "municipality_id", flag).items():
            leaves[areas.leaf(municipality)].update({"count": n, "within" if within else "late": n})
        out[key] = _rate(_tree(areas, leaves, NESTED, suppressed), area, norm)
    waiting = _counts(
        dossiers.filter(opened_on__lte=end).filter(
            Q(decided_on__isnull=True) | Q(decided_on__gt=end)
        ),
        "municipality_id",
        "opened_on",
    )
    leaves = defaultdict(Counter)
    ages: list[int] = []
    age_days = 0
    for (municipality, opened), n in waiting.items():
        leaf = areas.leaf(municipality)
        leaves[leaf]["count"] += n
        if area in areas.ancestors(leaf):
            ages.append((end - opened).days)
            age_days += (end - opened).days * n
    f = _tree(areas, leaves, WAITING, suppressed)
    count, hidden = f.raw(area, "count"), f.hidden(area, "count")
    out["waiting_list"] = {
        "count": f.n(area, "count"),
        "mean_age_days": hidden or (round(age_days / count, 1) if count else None),
        "max_age_days": hidden or max(ages, default=None),
    }
    return out


def monitoring_outcomes(
    *, actor: Actor, scope: Scope, start: dt.date, end: dt.date, suppressed: bool = True
) -> dict[int, dict[str, Any]]:
    """Per monitoring moment (months after the start of monitoring): the moments recorded in
    the period, by outcome, and the share with the outcome 'veilig'."""
    _check(actor, scope, suppressed)
    areas = protection.areas_of(scope.region)
    leaves: dict[str, Counter[str]] = defaultdict(Counter)
    found = set()
    for (municipality, months, outcome), n in _counts(
        MonitoringFact.objects.filter(region=scope.region, done_on__range=(start, end)),
        "municipality_id",
        "months",
        "outcome",
    ).items():
        leaves[areas.leaf(municipality)].update({f"{months}:recorded": n, f"{months}:{outcome}": n})
        found.add(months)
    months_shown = sorted(found | set(scope.region.monitoring_months or [3, 12, 18]))
    family = protection.tree_family(
        [f"{m}:{o}" for m in months_shown for o in ("recorded", *MonitoringOutcome.values)],
        [
            (f"{m}:recorded", tuple(f"{m}:{o}" for o in MonitoringOutcome.values))
            for m in months_shown
        ],
    )
    f, area = _tree(areas, leaves, family, suppressed), scope.area
    return {
        m: {
            "recorded": f.n(area, f"{m}:recorded"),
            **{o: f.n(area, f"{m}:{o}") for o in MonitoringOutcome.values},
            "safe_share": f.share(area, f"{m}:{MonitoringOutcome.SAFE}", f"{m}:recorded"),
        }
        for m in months_shown
    }


REPEAT = protection.tree_family(
    ["closed", "followed", "not_yet_followed", "repeated", "not_repeated"],
    [("closed", ("followed", "not_yet_followed")), ("followed", ("repeated", "not_repeated"))],
    unpublished=["not_repeated"],
)


def repeat_after_closure(
    *,
    actor: Actor,
    scope: Scope,
    start: dt.date,
    end: dt.date,
    as_of: dt.date,
    suppressed: bool = True,
) -> dict[str, Any]:
    """Of the dossiers closed in the period whose 12 months have passed by ``as_of``: the
    share for which a new report about any of their persons came in within 12 months after
    the closure (docs/monitor.md#repeat-within-12-months-after-closure)."""
    _check(actor, scope, suppressed)
    # a report about the person, in the closed dossier's window, in another dossier
    later = (
        PersonContactFact.objects.filter(
            person_key=OuterRef("person_key"),
            kind=ContactKind.REPORT,
            received_on__gte=OuterRef(OuterRef("closed_on")),
            received_on__lte=OuterRef(OuterRef("repeat_until")),
        )
        .exclude(dossier_key=OuterRef(OuterRef("dossier_key")))
        .order_by()
    )
    # any person of the dossier (of any of its contacts) with such a report
    own = PersonContactFact.objects.filter(dossier_key=OuterRef("dossier_key")).filter(
        Exists(later)
    )
    is_followed = Q(repeat_until__lte=as_of)
    rows = (
        DossierFact.objects.filter(region=scope.region, closed_on__range=(start, end))
        .order_by()
        .values("municipality_id")
        .annotate(
            closed=Count("*"),
            followed=Count("dossier_key", filter=is_followed),
            repeated=Count("dossier_key", filter=is_followed & Q(Exists(own.order_by()))),
        )
    )
    areas = protection.areas_of(scope.region)
    leaves: dict[str, Counter[str]] = defaultdict(Counter)
    for row in rows:
        closed, followed, repeated = row["closed"], row["followed"], row["repeated"]
        leaves[areas.leaf(row["municipality_id"])].update(
            {
                "closed": closed,
                "followed": followed,
                "not_yet_followed": closed - followed,
                "repeated": repeated,
                "not_repeated": followed - repeated,
            }
        )
    f, area = _tree(areas, leaves, REPEAT, suppressed), scope.area
    return {
        "closed": f.n(area, "closed"),
        "not_yet_followed": f.n(area, "not_yet_followed"),
        "followed": f.n(area, "followed"),
        "repeated": f.n(area, "repeated"),
        "share": f.share(area, "repeated", "followed"),
    }


def kpis(
    *,
    actor: Actor,
    scope: Scope,
    start: dt.date,
    end: dt.date,
    as_of: dt.date | None = None,
    suppressed: bool = True,
) -> dict[str, Any]:
    """All KPIs of a scope and period (docs/monitor.md#kpis)."""
    return overview(
        actor=actor, scope=scope, start=start, end=end, as_of=as_of, suppressed=suppressed
    )["kpis"]


def overview(
    *,
    actor: Actor,
    scope: Scope,
    start: dt.date,
    end: dt.date,
    as_of: dt.date | None = None,
    months: int = 12,
    suppressed: bool = True,
) -> dict[str, Any]:
    """Everything the KPI page (and the council report) shows of a scope and period: the
    KPIs, the trend of ``months`` months and the municipalities side by side, the advice
    requests and reports read and suppressed once."""
    _check(actor, scope, suppressed)
    args: dict[str, Any] = {
        "actor": actor,
        "scope": scope,
        "start": start,
        "end": end,
        "suppressed": suppressed,
    }
    c = _contacts(scope.region, start, end, suppressed)
    return {
        "kpis": {
            "volumes": _volumes(c, scope.area),
            "reports": _profile(c, scope.area),
            "timeliness": timeliness(**args),
            "monitoring": monitoring_outcomes(**args),
            "repeat": repeat_after_closure(**args, as_of=as_of or timezone.localdate()),
        },
        "trend": _trend(c, scope.area, months),
        "municipalities": _side_by_side(c, scope.area),
    }


def scope_choices(*, actor: Actor) -> list[tuple[str, str]]:
    """The scopes a policy officer may choose: the region, its subregions and its
    municipalities, as ``("", region)``, ``("s<id>", …)``, ``("m<id>", …)``."""
    region = actor.region
    if region is None or not actor.has_perm(VIEW):
        raise PermissionDenied(VIEW)
    return [
        ("", region.name),
        *((f"s{s.pk}", s.name) for s in Subregion.objects.filter(region=region)),
        *((f"m{m.pk}", m.name) for m in Municipality.objects.filter(region=region)),
    ]


def scope_of(*, actor: Actor, choice: str) -> Scope:
    """The scope a ``scope_choices`` value stands for, within the actor's region."""
    region = actor.region
    if region is None or not actor.has_perm(VIEW):
        raise PermissionDenied(VIEW)
    if choice.startswith("s"):
        return Scope(region=region, subregion=Subregion.objects.get(region=region, pk=choice[1:]))
    if choice.startswith("m"):
        return Scope(
            region=region, municipality=Municipality.objects.get(region=region, pk=choice[1:])
        )
    return Scope(region=region)
