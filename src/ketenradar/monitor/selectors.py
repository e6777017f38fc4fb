"""The KPIs of the regional monitor: pure reads over the facts (docs/monitor.md#kpis).

Every selector takes the actor and a scope (the region, or one subregion or municipality of
it) and a period (``start`` and ``end``, both dates, inclusive). It returns suppressed values
(``monitor.suppression``) unless a system actor asks for ``suppressed=False`` (internal
tests and checks).
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
from ketenradar.monitor import suppression
from ketenradar.monitor.models import ContactFact, DossierFact, MonitoringFact, PersonContactFact
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


def _growth(current: int, previous: int, suppress: bool) -> suppression.Share:
    if previous == 0:
        return None
    if suppress and (suppression.small(current) or previous < suppression.threshold()):
        return suppression.marker()
    return round((current - previous) / previous, 4)


def _per_10k(n: int, inhabitants: int, suppress: bool) -> suppression.Share:
    if inhabitants == 0:
        return None
    if suppress and suppression.small(n):
        return suppression.marker()
    return round(n / inhabitants * 10_000, 4)


def volumes(
    *, actor: Actor, scope: Scope, start: dt.date, end: dt.date, suppressed: bool = True
) -> dict[str, Any]:
    """Advice requests and reports in the period: counts, growth against the previous period
    of the same length, and per 10,000 inhabitants."""
    _check(actor, scope, suppressed)
    before = previous_period(start, end)
    counts = _counts(scope.facts(ContactFact).filter(received_on__range=(start, end)), "kind")
    earlier = _counts(scope.facts(ContactFact).filter(received_on__range=before), "kind")
    inhabitants = scope.inhabitants()
    out: dict[str, Any] = {"inhabitants": inhabitants, "previous_period": before}
    for kind, name in ((ContactKind.ADVICE, "advice_requests"), (ContactKind.REPORT, "reports")):
        n, m = counts.get(kind, 0), earlier.get(kind, 0)
        out[name] = {
            "count": suppression.count(n, suppress=suppressed),
            "previous": suppression.count(m, suppress=suppressed),
            "growth": _growth(n, m, suppressed),
            "per_10000": _per_10k(n, inhabitants, suppressed),
        }
    return out


def report_profile(
    *, actor: Actor, scope: Scope, start: dt.date, end: dt.date, suppressed: bool = True
) -> dict[str, Any]:
    """Reports in the period by reporter category (and the police share), by type of
    violence, and by CBS earlier involvement (85361NED)."""
    _check(actor, scope, suppressed)
    groups = _counts(
        scope.facts(ContactFact).filter(received_on__range=(start, end), kind=ContactKind.REPORT),
        "reporter_category",
        "violence_types",
        "earlier_involvement",
    )
    total = sum(groups.values())
    reporters: Counter[str] = Counter()
    types: Counter[str] = Counter()
    earlier: Counter[str] = Counter()
    for (reporter, violence_types, involvement), n in groups.items():
        reporters[reporter] += n
        earlier[involvement] += n
        for t in set(violence_types):
            types[t] += n

    def split(counter: Counter[str], values: list[str]) -> dict[str, Any]:
        return {
            v: {
                "count": suppression.count(counter.get(v, 0), suppress=suppressed),
                "share": _share_of(counter.get(v, 0), total, suppressed),
            }
            for v in values
        }

    follow_up = sum(
        earlier.get(v, 0)
        for v in (
            EarlierInvolvement.DURING_ASSESSMENT,
            EarlierInvolvement.AFTER_ASSESSMENT,
            EarlierInvolvement.DURING_MONITORING,
        )
    )
    return {
        "reports": suppression.count(total, suppress=suppressed),
        "by_reporter": split(reporters, list(ReporterCategory.values)),
        "police_share": _share_of(
            reporters.get(ReporterCategory.JUSTICE_SECURITY, 0), total, suppressed
        ),
        "by_violence_type": split(types, list(ViolenceType.values)),
        "by_earlier_involvement": split(earlier, list(EarlierInvolvement.values)),
        "follow_up": {
            "count": suppression.count(follow_up, suppress=suppressed),
            "share": _share_of(follow_up, total, suppressed),
        },
    }


def _share_of(n: int, total: int, suppress: bool) -> suppression.Share:
    """A part of a total: suppressed when the total is small or the part is."""
    if suppress and suppression.small(n):
        return suppression.marker() if total else None
    return suppression.share(n, total, suppress=suppress)


def _rate(n: int, within: int, norm: float, suppress: bool) -> dict[str, Any]:
    value = suppression.share(within, n, suppress=suppress)
    return {
        "count": suppression.count(n, suppress=suppress),
        "within": suppression.count(within, suppress=suppress),
        "share": value,
        "norm": norm,
        "meets_norm": value >= norm if isinstance(value, float) else None,
    }


def timeliness(
    *, actor: Actor, scope: Scope, start: dt.date, end: dt.date, suppressed: bool = True
) -> dict[str, Any]:
    """Safety assessments decided in the period within the legal deadline (norm 90%),
    investigations completed in the period within 10 weeks (norm 80%), and the waiting list
    at the end of the period."""
    _check(actor, scope, suppressed)
    dossiers = scope.facts(DossierFact)
    decided = _counts(dossiers.filter(decided_on__range=(start, end)), "within_deadline")
    completed = _counts(
        dossiers.filter(investigation_completed_on__range=(start, end)),
        "investigation_within_10_weeks",
    )
    waiting = _counts(
        dossiers.filter(opened_on__lte=end).filter(
            Q(decided_on__isnull=True) | Q(decided_on__gt=end)
        ),
        "opened_on",
    )
    count = sum(waiting.values())
    age_days = sum((end - opened).days * n for opened, n in waiting.items())
    hidden = suppressed and suppression.small(count)
    return {
        "assessments": _rate(
            sum(decided.values()), decided.get(True, 0), ASSESSMENT_NORM, suppressed
        ),
        "investigations": _rate(
            sum(completed.values()), completed.get(True, 0), INVESTIGATION_NORM, suppressed
        ),
        "waiting_list": {
            "count": suppression.count(count, suppress=suppressed),
            "mean_age_days": (
                suppression.marker() if hidden else round(age_days / count, 1) if count else None
            ),
            "max_age_days": (
                suppression.marker()
                if hidden
                else max(((end - opened).days for opened in waiting), default=None)
            ),
        },
    }


def monitoring_outcomes(
    *, actor: Actor, scope: Scope, start: dt.date, end: dt.date, suppressed: bool = True
) -> dict[int, dict[str, Any]]:
    """Per monitoring moment (months after the start of monitoring): the moments recorded in
    the period, and the share with the outcome 'veilig'."""
    _check(actor, scope, suppressed)
    per: dict[int, Counter[str]] = defaultdict(Counter)
    for (months, outcome), n in _counts(
        scope.facts(MonitoringFact).filter(done_on__range=(start, end)), "months", "outcome"
    ).items():
        per[months][outcome] += n
    months_shown = sorted(set(per) | set(scope.region.monitoring_months or [3, 12, 18]))
    out = {}
    for months in months_shown:
        counts = per.get(months, Counter())
        n = sum(counts.values())
        out[months] = {
            "recorded": suppression.count(n, suppress=suppressed),
            **{
                o: suppression.count(counts.get(o, 0), suppress=suppressed)
                for o in MonitoringOutcome.values
            },
            "safe_share": suppression.share(
                counts.get(MonitoringOutcome.SAFE, 0), n, suppress=suppressed
            ),
        }
    return out


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
    counts = (
        scope.facts(DossierFact)
        .filter(closed_on__range=(start, end))
        .aggregate(
            closed=Count("*"),
            followed=Count("dossier_key", filter=is_followed),
            repeated=Count("dossier_key", filter=is_followed & Q(Exists(own.order_by()))),
        )
    )
    closed, followed, repeated = counts["closed"], counts["followed"], counts["repeated"]
    return {
        "closed": suppression.count(closed, suppress=suppressed),
        "not_yet_followed": suppression.count(closed - followed, suppress=suppressed),
        "followed": suppression.count(followed, suppress=suppressed),
        "repeated": suppression.count(repeated, suppress=suppressed),
        "share": suppression.share(repeated, followed, suppress=suppressed),
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
    args: dict[str, Any] = {
        "actor": actor,
        "scope": scope,
        "start": start,
        "end": end,
        "suppressed": suppressed,
    }
    return {
        "volumes": volumes(**args),
        "reports": report_profile(**args),
        "timeliness": timeliness(**args),
        "monitoring": monitoring_outcomes(**args),
        "repeat": repeat_after_closure(**args, as_of=as_of or timezone.localdate()),
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


def monthly_trend(
    *, actor: Actor, scope: Scope, end: dt.date, months: int = 12, suppressed: bool = True
) -> list[dict[str, Any]]:
    """Advice requests and reports per calendar month, the ``months`` months up to and
    including the month of ``end``: the trend chart's figures, suppressed like every count."""
    _check(actor, scope, suppressed)
    last = end.replace(day=1)
    first = add_months(last, -(months - 1))
    counts: Counter[tuple[dt.date, str]] = Counter()
    for (day, kind), n in _counts(
        scope.facts(ContactFact).filter(
            received_on__gte=first, received_on__lt=add_months(last, 1)
        ),
        "received_on",
        "kind",
    ).items():
        counts[(day.replace(day=1), kind)] += n
    return [
        {
            "month": month,
            "advice_requests": suppression.count(
                counts[(month, ContactKind.ADVICE)], suppress=suppressed
            ),
            "reports": suppression.count(counts[(month, ContactKind.REPORT)], suppress=suppressed),
        }
        for month in (add_months(first, i) for i in range(months))
    ]


def municipalities_side_by_side(
    *, actor: Actor, scope: Scope, start: dt.date, end: dt.date, suppressed: bool = True
) -> list[dict[str, Any]]:
    """Reports per 10,000 inhabitants per municipality of the scope (all of the region's
    when the scope is the region), highest first; suppressed like every count."""
    _check(actor, scope, suppressed)
    municipalities = Municipality.objects.filter(region=scope.region).order_by("name")
    if scope.municipality is not None:
        municipalities = municipalities.filter(pk=scope.municipality.pk)
    elif scope.subregion is not None:
        municipalities = municipalities.filter(subregion=scope.subregion)
    counts = _counts(
        scope.facts(ContactFact).filter(received_on__range=(start, end), kind=ContactKind.REPORT),
        "municipality_id",
    )
    rows = [
        {
            "name": m.name,
            "reports": suppression.count(counts[m.pk], suppress=suppressed),
            "per_10000": _per_10k(counts[m.pk], m.inhabitants or 0, suppressed),
        }
        for m in municipalities
    ]
    return sorted(rows, key=lambda r: -r["per_10000"] if isinstance(r["per_10000"], float) else 0)


def half_year(year: int, half: int) -> tuple[dt.date, dt.date]:
    """The first (1: January-June) or second (2: July-December) half of ``year``."""
    if half == 1:
        return dt.date(year, 1, 1), dt.date(year, 6, 30)
    return dt.date(year, 7, 1), dt.date(year, 12, 31)


def last_half_year(today: dt.date) -> tuple[int, int]:
    """The last half year that has ended before ``today``."""
    return (today.year - 1, 2) if today.month <= 6 else (today.year, 1)


def cbs_half_year(
    *, actor: Actor, scope: Scope, year: int, half: int, suppressed: bool = True
) -> dict[str, Any]:
    """The CBS Beleidsinformatie Veilig Thuis tables of a half year (docs/monitor.md#the-cbs-
    half-year-tables): advice requests and reports by reporter category and by type of
    violence (a contact naming several types counts under each), and reports by CBS earlier
    involvement. Counts only, suppressed."""
    start, end = half_year(year, half)
    _check(actor, scope, suppressed)
    groups = _counts(
        scope.facts(ContactFact).filter(received_on__range=(start, end)),
        "kind",
        "reporter_category",
        "violence_types",
        "earlier_involvement",
    )
    kinds = (ContactKind.ADVICE, ContactKind.REPORT)
    totals: Counter[str] = Counter()
    reporters: Counter[tuple[str, str]] = Counter()
    types: Counter[tuple[str, str]] = Counter()
    earlier: Counter[str] = Counter()
    for (kind, reporter, violence_types, involvement), rows in groups.items():
        totals[kind] += rows
        reporters[(kind, reporter)] += rows
        for t in set(violence_types):
            types[(kind, t)] += rows
        if kind == ContactKind.REPORT:
            earlier[involvement] += rows

    def n(value: int) -> suppression.Count:
        return suppression.count(value, suppress=suppressed)

    def by_kind(counter: Counter[tuple[str, str]], values: list[str]) -> dict[str, Any]:
        return {v: {k: n(counter.get((k, v), 0)) for k in kinds} for v in values}

    return {
        "start": start,
        "end": end,
        "totals": {k: n(totals.get(k, 0)) for k in kinds},
        "by_reporter": by_kind(reporters, list(ReporterCategory.values)),
        "by_violence_type": by_kind(types, list(ViolenceType.values)),
        "by_earlier_involvement": {v: n(earlier.get(v, 0)) for v in EarlierInvolvement.values},
    }
