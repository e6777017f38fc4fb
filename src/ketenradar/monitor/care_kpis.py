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
from ketenradar.monitor import suppression
from ketenradar.monitor.models import (
    BedCapacityFact,
    CaseFact,
    MdaReferralFact,
    PlacementFact,
    RestrainingOrderFact,
    TraumaScreeningFact,
    WaitingFact,
)
from ketenradar.monitor.selectors import Scope, _check, _counts
from ketenradar.regions.models import Municipality, Subregion
from ketenradar.shelter import calculations as calc
from ketenradar.shelter.constants import BedType

OPEN_PHASES = [p for p in Phase.values if p != Phase.CLOSED]


def _n(value: int, suppress: bool) -> suppression.Count:
    return suppression.count(value, suppress=suppress)


def _average(values: list[int] | list[float], how: str, suppress: bool) -> Any:
    """The mean or median of ``values``: the marker when they are too few to show, None
    when there are none."""
    if not values:
        return None
    if suppress and suppression.small(len(values)):
        return suppression.marker()
    return round(float(statistics.fmean(values) if how == "mean" else statistics.median(values)), 1)


def phase_on(phases: list[list[str]], day: dt.date) -> str | None:
    """The phase a case was in at the end of ``day``: the last phase entered on or before
    it (None: not opened yet)."""
    current = None
    for entered, phase in phases:
        if dt.date.fromisoformat(entered) <= day:
            current = phase
    return current


def cases(
    *, actor: Actor, scope: Scope, start: dt.date, end: dt.date, suppressed: bool = True
) -> dict[str, Any]:
    """Cases opened and closed in the period; open cases per phase at the end of the
    period; days from the melding to the coordinator's first action."""
    _check(actor, scope, suppressed)
    facts = scope.facts(CaseFact)
    opened = facts.filter(opened_on__range=(start, end)).count()
    closed = facts.filter(closed_on__range=(start, end)).count()
    per_phase: Counter[str] = Counter()
    # open at the end: never closed, or closed after it (two index ranges on the closure)
    still_open = facts.filter(opened_on__lte=end, closed_on__isnull=True)
    closed_later = facts.filter(opened_on__lte=end, closed_on__gt=end)
    for phases in still_open.values_list("phases", flat=True).union(
        closed_later.values_list("phases", flat=True), all=True
    ):
        phase = phase_on(phases, end)
        if phase is not None and phase != Phase.CLOSED:
            per_phase[phase] += 1
    # days from melding to first action, counted per number of days by the database
    waited = sorted(
        _counts(
            facts.filter(first_action_on__range=(start, end), melding_on__isnull=False).annotate(
                waited=ExpressionWrapper(
                    F("first_action_on") - F("melding_on"), output_field=DurationField()
                )
            ),
            "waited",
        ).elements()
    )
    waited_days = [w.days for w in waited]
    return {
        "opened": _n(opened, suppressed),
        "closed": _n(closed, suppressed),
        "open_at_end": _n(sum(per_phase.values()), suppressed),
        "per_phase": {p: _n(per_phase.get(p, 0), suppressed) for p in OPEN_PHASES},
        "first_action": {
            "count": _n(len(waited_days), suppressed),
            "mean_days": _average(waited_days, "mean", suppressed),
            "median_days": _average(waited_days, "median", suppressed),
        },
    }


def mda_referrals(
    *, actor: Actor, scope: Scope, start: dt.date, end: dt.date, suppressed: bool = True
) -> dict[str, Any]:
    """MDA++ referrals made, accepted and handed back in the period (each by its own day)."""
    _check(actor, scope, suppressed)
    facts = scope.facts(MdaReferralFact)
    return {
        "referred": _n(facts.filter(referred_on__range=(start, end)).count(), suppressed),
        "accepted": _n(facts.filter(accepted_on__range=(start, end)).count(), suppressed),
        "handed_back": _n(facts.filter(handed_back_on__range=(start, end)).count(), suppressed),
    }


def trauma_screenings(
    *, actor: Actor, scope: Scope, start: dt.date, end: dt.date, suppressed: bool = True
) -> dict[str, dict[str, suppression.Count]]:
    """Per role (victim, perpetrator): screenings offered in the period, and done in the
    period (an outcome other than 'offered' recorded in it)."""
    _check(actor, scope, suppressed)
    facts = scope.facts(TraumaScreeningFact)
    offered = _counts(facts.filter(offered_on__range=(start, end)), "role")
    done = _counts(
        facts.filter(outcome_on__range=(start, end)).exclude(outcome=ScreeningOutcome.OFFERED),
        "role",
    )
    return {
        role: {
            "offered": _n(offered.get(role, 0), suppressed),
            "done": _n(done.get(role, 0), suppressed),
        }
        for role in ScreeningRole.values
    }


def restraining_orders(
    *, actor: Actor, scope: Scope, start: dt.date, end: dt.date, suppressed: bool = True
) -> dict[str, Any]:
    """Huisverboden imposed in the period (by the day imposed) and extended in the period
    (by the day of the mayor's extension decision), for the scope, per municipality and
    per subregion of it."""
    _check(actor, scope, suppressed)
    facts = scope.facts(RestrainingOrderFact)
    imposed = _counts(facts.filter(imposed_on__range=(start, end)), "municipality_id")
    extended = _counts(
        facts.filter(extension_decided_on__range=(start, end), extended=True), "municipality_id"
    )
    municipalities = Municipality.objects.filter(region=scope.region).order_by("name")
    subregions = Subregion.objects.filter(region=scope.region).order_by("name")
    if scope.municipality is not None:
        municipalities = municipalities.filter(pk=scope.municipality.pk)
        subregions = subregions.none()
    elif scope.subregion is not None:
        municipalities = municipalities.filter(subregion=scope.subregion)
        subregions = subregions.filter(pk=scope.subregion.pk)
    in_subregion: dict[int, set[int]] = defaultdict(set)
    for m in municipalities:
        if m.subregion_id is not None:
            in_subregion[m.subregion_id].add(m.pk)

    def row(name: str, members: set[int | None]) -> dict[str, Any]:
        return {
            "name": name,
            "imposed": _n(sum(imposed[m] for m in members), suppressed),
            "extended": _n(sum(extended[m] for m in members), suppressed),
        }

    return {
        "imposed": _n(sum(imposed.values()), suppressed),
        "extended": _n(sum(extended.values()), suppressed),
        "by_municipality": sorted(
            (row(m.name, {m.pk}) for m in municipalities), key=lambda r: r["name"]
        ),
        "by_subregion": sorted(
            (row(s.name, set(in_subregion[s.pk])) for s in subregions), key=lambda r: r["name"]
        ),
    }


def shelter(
    *, actor: Actor, scope: Scope, start: dt.date, end: dt.date, suppressed: bool = True
) -> dict[str, Any]:
    """Occupancy per day over the period (occupied bed-days / bed-days of capacity), overall
    and per bed type; stays against the 6-month norm; the waiting list on the last day and
    the waiting times of those placed in the period (``shelter.calculations``)."""
    _check(actor, scope, suppressed)
    steps: dict[tuple[str, str], list[calc.CapacityStep]] = defaultdict(list)
    for facility, bed_type, valid_from, beds in (
        scope.facts(BedCapacityFact)
        .filter(valid_from__lte=end)
        .order_by("valid_from", "pk")  # of two steps on one day, the later one applies
        .values_list("facility_key", "bed_type", "valid_from", "beds")
    ):
        steps[(facility, bed_type)].append(calc.CapacityStep(valid_from, beds))
    stays: dict[tuple[str, str], list[calc.Stay]] = defaultdict(list)
    # the placements that occupy a bed on some day of the period or end in it
    relevant = list(
        scope.facts(PlacementFact)
        .filter(start_on__lte=end)
        .filter(Q(end_on__isnull=True) | Q(end_on__gte=start))
        .values_list("facility_key", "bed_type", "start_on", "end_on", "beds")
    )
    for facility, bed_type, start_on, end_on, beds in relevant:
        stays[(facility, bed_type)].append(calc.Stay(start_on, end_on, beds))
    capacity: Counter[str] = Counter()
    occupied: Counter[str] = Counter()
    for key in set(steps) | set(stays):
        summed = calc.bed_days(steps[key], stays[key], start, end)
        capacity[key[1]] += summed.capacity
        occupied[key[1]] += summed.occupied
    present: Counter[str] = Counter(
        bed_type
        for _, bed_type, start_on, end_on, _ in relevant
        if end_on is None or end_on > start
    )

    def rate(bed_types: list[str]) -> dict[str, Any]:
        cap = sum(capacity[b] for b in bed_types)
        occ = sum(occupied[b] for b in bed_types)
        n = sum(present[b] for b in bed_types)
        value: suppression.Share
        if cap == 0:
            value = None
        elif suppressed and suppression.small(n):
            value = suppression.marker()
        else:
            value = occ / cap  # rounded once where shown (monitor/numbers.py)
        return {"placements": _n(n, suppressed), "rate": value}

    types_shown = [b for b in BedType.values if capacity[b] or present[b]]
    ended = [(s, e) for _, _, s, e, _ in relevant if e is not None and start <= e <= end]
    staying = [s for _, _, s, e, _ in relevant if calc.Stay(s, e).occupies(end)]
    waits = calc.waiting_times(
        (
            calc.Wait(registered_on=r, placed_on=p, withdrawn_on=w)
            for r, p, w in scope.facts(WaitingFact)
            .filter(registered_on__lte=end)
            .filter(  # placed in the period, or still waiting at its end
                Q(placed_on__range=(start, end))
                | (
                    (Q(placed_on__isnull=True) | Q(placed_on__gt=end))
                    & (Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=end))
                )
            )
            .values_list("registered_on", "placed_on", "withdrawn_on")
        ),
        start,
        end,
    )
    hide_placed = suppressed and suppression.small(waits.placed)
    hide_waiting = suppressed and suppression.small(waits.still_waiting)

    def hidden(value: float | int | None, hide: bool) -> Any:
        if value is None:
            return None
        if hide:
            return suppression.marker()
        return value if isinstance(value, int) else round(value, 1)

    return {
        "occupancy": {
            "all": rate(list(BedType.values)),
            "by_bed_type": {b: rate([b]) for b in types_shown},
        },
        "norm": {
            "ended": _n(len(ended), suppressed),
            "ended_over_norm": _n(sum(calc.over_norm(s, e, end) for s, e in ended), suppressed),
            "staying": _n(len(staying), suppressed),
            "staying_over_norm": _n(sum(calc.over_norm(s, None, end) for s in staying), suppressed),
        },
        "waiting": {
            "placed": _n(waits.placed, suppressed),
            "mean_days_waited": hidden(waits.mean_days_waited, hide_placed),
            "median_days_waited": hidden(waits.median_days_waited, hide_placed),
            "still_waiting": _n(waits.still_waiting, suppressed),
            "mean_waiting_age": hidden(waits.mean_waiting_age, hide_waiting),
            "longest_waiting_age": hidden(waits.longest_waiting_age, hide_waiting),
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
