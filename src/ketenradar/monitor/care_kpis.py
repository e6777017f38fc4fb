"""The chain-care KPIs of the regional monitor (docs/monitor.md#chain-care-ketenzorg).

Pure reads over the chain-care facts, with the same actor check, scope, period (both ends
included) and suppression as ``monitor.selectors``. The shelter arithmetic is
``shelter.calculations``, applied to the facts.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter, defaultdict
from typing import Any

from django.db.models import DurationField, ExpressionWrapper, F, Q

from ketenradar.accounts.actor import Actor
from ketenradar.care.constants import Phase, ScreeningOutcome, ScreeningRole
from ketenradar.monitor import protection, suppression
from ketenradar.monitor.models import (
    BedCapacityFact,
    CaseFact,
    MdaReferralFact,
    PlacementFact,
    RestrainingOrderFact,
    TraumaScreeningFact,
    WaitingFact,
)
from ketenradar.monitor.protection import Areas, Figures
from ketenradar.monitor.selectors import Scope, _check, _counts
from ketenradar.shelter import calculations as calc
from ketenradar.shelter.constants import BedType

OPEN_PHASES = [p for p in Phase.values if p != Phase.CLOSED]


def _average(values: list[int] | list[float], how: str, hidden: str | None) -> Any:
    """The mean or median of ``values``: the marker of their count when it is suppressed,
    None when there are none."""
    if not values:
        return None
    if hidden:
        return hidden
    return round(float(statistics.fmean(values) if how == "mean" else statistics.median(values)), 1)


def phase_on(phases: list[list[str]], day: dt.date) -> str | None:
    """The phase a case was in at the end of ``day``: the last phase entered on or before
    it (None: not opened yet)."""
    current = None
    for entered, phase in phases:
        if dt.date.fromisoformat(entered) <= day:
            current = phase
    return current


def _figures(
    areas: Areas, rows: Counter[tuple[int | None, str]], family: protection.Family, suppressed: bool
) -> Figures:
    """Counts per (municipality, measure) as the figures of every area, suppressed together."""
    leaves: dict[str, Counter[str]] = defaultdict(Counter)
    for (municipality, measure), n in rows.items():
        leaves[areas.leaf(municipality)][measure] += n
    return protection.protect(areas, areas.totals(leaves), family, suppressed)


CASES = protection.tree_family(
    ["opened", "closed", "first_action", "open_at_end", *OPEN_PHASES],
    [("open_at_end", OPEN_PHASES)],
)


def cases(
    *, actor: Actor, scope: Scope, start: dt.date, end: dt.date, suppressed: bool = True
) -> dict[str, Any]:
    """Cases opened and closed in the period; open cases per phase at the end of the
    period; days from the melding to the coordinator's first action."""
    _check(actor, scope, suppressed)
    areas = protection.areas_of(scope.region)
    facts = CaseFact.objects.filter(region=scope.region)
    rows: Counter[tuple[int | None, str]] = Counter()
    for measure, field in (("opened", "opened_on"), ("closed", "closed_on")):
        for municipality, n in _counts(
            facts.filter(**{f"{field}__range": (start, end)}), "municipality_id"
        ).items():
            rows[(municipality, measure)] += n
    # open at the end: never closed, or closed after it (two index ranges on the closure)
    still_open = facts.filter(opened_on__lte=end, closed_on__isnull=True)
    closed_later = facts.filter(opened_on__lte=end, closed_on__gt=end)
    for municipality, phases in still_open.values_list("municipality_id", "phases").union(
        closed_later.values_list("municipality_id", "phases"), all=True
    ):
        phase = phase_on(phases, end)
        if phase is not None and phase != Phase.CLOSED:
            rows[(municipality, phase)] += 1
            rows[(municipality, "open_at_end")] += 1
    # days from melding to first action, counted per number of days by the database
    waited: list[int] = []
    for (municipality, days), n in _counts(
        facts.filter(first_action_on__range=(start, end), melding_on__isnull=False).annotate(
            waited=ExpressionWrapper(
                F("first_action_on") - F("melding_on"), output_field=DurationField()
            )
        ),
        "municipality_id",
        "waited",
    ).items():
        rows[(municipality, "first_action")] += n
        if scope.area in areas.ancestors(areas.leaf(municipality)):
            waited += [days.days] * n
    f = _figures(areas, rows, CASES, suppressed)
    area = scope.area
    hidden = f.hidden(area, "first_action")
    return {
        "opened": f.n(area, "opened"),
        "closed": f.n(area, "closed"),
        "open_at_end": f.n(area, "open_at_end"),
        "per_phase": {p: f.n(area, p) for p in OPEN_PHASES},
        "first_action": {
            "count": f.n(area, "first_action"),
            "mean_days": _average(sorted(waited), "mean", hidden),
            "median_days": _average(sorted(waited), "median", hidden),
        },
    }


MDA = protection.tree_family(["referred", "accepted", "handed_back"])


def mda_referrals(
    *, actor: Actor, scope: Scope, start: dt.date, end: dt.date, suppressed: bool = True
) -> dict[str, Any]:
    """MDA++ referrals made, accepted and handed back in the period (each by its own day)."""
    _check(actor, scope, suppressed)
    facts = MdaReferralFact.objects.filter(region=scope.region)
    rows: Counter[tuple[int | None, str]] = Counter()
    for measure in MDA.measures:
        field = {"referred": "referred_on", "accepted": "accepted_on"}.get(
            measure, "handed_back_on"
        )
        for municipality, n in _counts(
            facts.filter(**{f"{field}__range": (start, end)}), "municipality_id"
        ).items():
            rows[(municipality, measure)] += n
    f = _figures(protection.areas_of(scope.region), rows, MDA, suppressed)
    return {m: f.n(scope.area, m) for m in MDA.measures}


SCREENINGS = protection.tree_family(
    [f"{role}:{what}" for role in ScreeningRole.values for what in ("offered", "done")]
)


def trauma_screenings(
    *, actor: Actor, scope: Scope, start: dt.date, end: dt.date, suppressed: bool = True
) -> dict[str, dict[str, suppression.Count]]:
    """Per role (victim, perpetrator): screenings offered in the period, and done in the
    period (an outcome other than 'offered' recorded in it)."""
    _check(actor, scope, suppressed)
    facts = TraumaScreeningFact.objects.filter(region=scope.region)
    rows: Counter[tuple[int | None, str]] = Counter()
    for (municipality, role), n in _counts(
        facts.filter(offered_on__range=(start, end)), "municipality_id", "role"
    ).items():
        rows[(municipality, f"{role}:offered")] += n
    for (municipality, role), n in _counts(
        facts.filter(outcome_on__range=(start, end)).exclude(outcome=ScreeningOutcome.OFFERED),
        "municipality_id",
        "role",
    ).items():
        rows[(municipality, f"{role}:done")] += n
    f = _figures(protection.areas_of(scope.region), rows, SCREENINGS, suppressed)
    return {
        role: {what: f.n(scope.area, f"{role}:{what}") for what in ("offered", "done")}
        for role in ScreeningRole.values
    }


RESTRAINING = protection.tree_family(["imposed", "extended"])


def restraining_orders(
    *, actor: Actor, scope: Scope, start: dt.date, end: dt.date, suppressed: bool = True
) -> dict[str, Any]:
    """Huisverboden imposed in the period (by the day imposed) and extended in the period
    (by the day of the mayor's extension decision), for the scope, per municipality and
    per subregion of it."""
    _check(actor, scope, suppressed)
    facts = RestrainingOrderFact.objects.filter(region=scope.region)
    rows: Counter[tuple[int | None, str]] = Counter()
    for municipality, n in _counts(
        facts.filter(imposed_on__range=(start, end)), "municipality_id"
    ).items():
        rows[(municipality, "imposed")] += n
    for municipality, n in _counts(
        facts.filter(extension_decided_on__range=(start, end), extended=True), "municipality_id"
    ).items():
        rows[(municipality, "extended")] += n
    areas = protection.areas_of(scope.region)
    f = _figures(areas, rows, RESTRAINING, suppressed)

    def row(area: str) -> dict[str, Any]:
        return {
            "name": areas.names[area],
            "imposed": f.n(area, "imposed"),
            "extended": f.n(area, "extended"),
        }

    subregions = [
        s
        for s in areas.parents
        if s.startswith("s") and (scope.area == protection.ROOT or scope.area == s)
    ]
    return {
        "imposed": f.n(scope.area, "imposed"),
        "extended": f.n(scope.area, "extended"),
        "by_municipality": sorted(
            (row(m) for m in areas.municipalities(scope.area)), key=lambda r: r["name"]
        ),
        "by_subregion": sorted((row(s) for s in subregions), key=lambda r: r["name"]),
    }


SHELTER = protection.tree_family(
    [
        "placements",
        *(f"bed:{b}" for b in BedType.values),
        "ended",
        "ended_over_norm",
        "ended_within_norm",
        "staying",
        "staying_over_norm",
        "staying_within_norm",
        "placed",
        "still_waiting",
    ],
    [
        ("placements", tuple(f"bed:{b}" for b in BedType.values)),
        ("ended", ("ended_over_norm", "ended_within_norm")),
        ("staying", ("staying_over_norm", "staying_within_norm")),
    ],
    unpublished=["ended_within_norm", "staying_within_norm"],
)


def shelter(
    *, actor: Actor, scope: Scope, start: dt.date, end: dt.date, suppressed: bool = True
) -> dict[str, Any]:
    """Occupancy per day over the period (occupied bed-days / bed-days of capacity), overall
    and per bed type; stays against the 6-month norm; the waiting list on the last day and
    the waiting times of those placed in the period (``shelter.calculations``)."""
    _check(actor, scope, suppressed)
    areas = protection.areas_of(scope.region)
    area = scope.area

    def mine(municipality: int | None) -> bool:
        return area in areas.ancestors(areas.leaf(municipality))

    steps: dict[tuple[str, str], list[calc.CapacityStep]] = defaultdict(list)
    for facility, bed_type, valid_from, beds, municipality in (
        BedCapacityFact.objects.filter(region=scope.region, valid_from__lte=end)
        .order_by("valid_from", "pk")  # of two steps on one day, the later one applies
        .values_list("facility_key", "bed_type", "valid_from", "beds", "municipality_id")
    ):
        if mine(municipality):
            steps[(facility, bed_type)].append(calc.CapacityStep(valid_from, beds))
    stays: dict[tuple[str, str], list[calc.Stay]] = defaultdict(list)
    # the placements that occupy a bed on some day of the period or end in it
    relevant = list(
        PlacementFact.objects.filter(region=scope.region, start_on__lte=end)
        .filter(Q(end_on__isnull=True) | Q(end_on__gte=start))
        .values_list("facility_key", "bed_type", "start_on", "end_on", "beds", "municipality_id")
    )
    rows: Counter[tuple[int | None, str]] = Counter()
    for facility, bed_type, start_on, end_on, beds, municipality in relevant:
        if mine(municipality):
            stays[(facility, bed_type)].append(calc.Stay(start_on, end_on, beds))
        if end_on is None or end_on > start:
            rows[(municipality, f"bed:{bed_type}")] += 1
            rows[(municipality, "placements")] += 1
        if end_on is not None and start <= end_on <= end:
            over = calc.over_norm(start_on, end_on, end)
            rows[(municipality, "ended")] += 1
            rows[(municipality, "ended_over_norm" if over else "ended_within_norm")] += 1
        if calc.Stay(start_on, end_on).occupies(end):
            over = calc.over_norm(start_on, None, end)
            rows[(municipality, "staying")] += 1
            rows[(municipality, "staying_over_norm" if over else "staying_within_norm")] += 1
    capacity: Counter[str] = Counter()
    occupied: Counter[str] = Counter()
    for key in set(steps) | set(stays):
        summed = calc.bed_days(steps[key], stays[key], start, end)
        capacity[key[1]] += summed.capacity
        occupied[key[1]] += summed.occupied
    waits: list[calc.Wait] = []
    for r, p, w, municipality in (
        WaitingFact.objects.filter(region=scope.region, registered_on__lte=end)
        .filter(  # placed in the period, or still waiting at its end
            Q(placed_on__range=(start, end))
            | (
                (Q(placed_on__isnull=True) | Q(placed_on__gt=end))
                & (Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=end))
            )
        )
        .values_list("registered_on", "placed_on", "withdrawn_on", "municipality_id")
    ):
        wait = calc.Wait(registered_on=r, placed_on=p, withdrawn_on=w)
        alone = calc.waiting_times([wait], start, end)
        rows[(municipality, "placed")] += alone.placed
        rows[(municipality, "still_waiting")] += alone.still_waiting
        if mine(municipality):
            waits.append(wait)
    times = calc.waiting_times(waits, start, end)
    f = _figures(areas, rows, SHELTER, suppressed)

    def rate(bed_types: list[str], measure: str) -> dict[str, Any]:
        cap = sum(capacity[b] for b in bed_types)
        occ = sum(occupied[b] for b in bed_types)
        value: suppression.Share
        if cap == 0:
            value = None
        elif suppressed and suppression.small(f.raw(area, measure)):
            value = suppression.marker()
        else:
            value = occ / cap  # rounded once where shown (monitor/numbers.py)
        return {"placements": f.n(area, measure), "rate": value}

    types_shown = [b for b in BedType.values if capacity[b] or f.raw(area, f"bed:{b}")]
    hide_placed, hide_waiting = f.hidden(area, "placed"), f.hidden(area, "still_waiting")

    def hidden(value: float | int | None, hide: str | None) -> Any:
        if value is None:
            return None
        if hide:
            return hide
        return value if isinstance(value, int) else round(value, 1)

    return {
        "occupancy": {
            "all": rate(list(BedType.values), "placements"),
            "by_bed_type": {b: rate([b], f"bed:{b}") for b in types_shown},
        },
        "norm": {
            m: f.n(area, m) for m in ("ended", "ended_over_norm", "staying", "staying_over_norm")
        },
        "waiting": {
            "placed": f.n(area, "placed"),
            "mean_days_waited": hidden(times.mean_days_waited, hide_placed),
            "median_days_waited": hidden(times.median_days_waited, hide_placed),
            "still_waiting": f.n(area, "still_waiting"),
            "mean_waiting_age": hidden(times.mean_waiting_age, hide_waiting),
            "longest_waiting_age": hidden(times.longest_waiting_age, hide_waiting),
        },
    }


def care_kpis(
    *, actor: Actor, scope: Scope, start: dt.date, end: dt.date, suppressed: bool = True
) -> dict[str, Any]:
    """Every chain-care KPI of a scope and period."""
    args: dict[str, Any] = {
        "actor": actor,
        "scope": scope,
        "start": start,
        "end": end,
        "suppressed": suppressed,
    }
    return {
        "cases": cases(**args),
        "mda": mda_referrals(**args),
        "screenings": trauma_screenings(**args),
        "restraining": restraining_orders(**args),
        "shelter": shelter(**args),
    }
