"""The chain-care part of the incremental refresh (docs/monitor.md#chain-care-ketenzorg).

Called by ``services.facts_refresh`` in its transaction, after the Veilig Thuis facts. Each
source table is read by its ``updated_at`` from its own watermark on, like the Veilig Thuis
sources; a fact is rewritten (delete and insert by its key) whenever any row it is made
from changed. A fact holds keys, the region and municipality, dates (Europe/Amsterdam),
categories and counts: no person, no name, no free text (purposes, analyses, plans, notes).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.db import models

from ketenradar.care.models import (
    Analysis,
    Case,
    Coordination,
    PhaseChange,
    PlanVersion,
    SafetyCheck,
    TeamMember,
    TraumaScreening,
)
from ketenradar.mda.constants import ReferralStatus
from ketenradar.mda.models import Referral
from ketenradar.monitor import pseudonyms
from ketenradar.monitor.models import (
    BedCapacityFact,
    CaseFact,
    FacilityFact,
    MdaReferralFact,
    PlacementFact,
    RestrainingOrderFact,
    TraumaScreeningFact,
    WaitingFact,
    Watermark,
)
from ketenradar.reports.constants import ContactKind
from ketenradar.reports.models import Contact
from ketenradar.restraining.constants import ExtensionOutcome
from ketenradar.restraining.models import ExtensionDecision, RestrainingOrder
from ketenradar.shelter.models import BedCapacity, Facility, Placement, WaitingListEntry

if TYPE_CHECKING:
    from ketenradar.monitor.services import RefreshResult, _Marks


def _day(moment: dt.datetime | None) -> dt.date | None:
    from ketenradar.monitor.services import _day as day

    return day(moment)


Source = tuple[str, type[models.Model], str]  # watermark name, model, column of the id


def _changed(
    marks: _Marks, result: RefreshResult, sources: list[Source]
) -> dict[str, tuple[set[int], list[dt.datetime]]]:
    """Per source: the ids (the column named) of the rows changed since its watermark, and
    their ``updated_at``. One query for all the sources given (a UNION), not one each."""
    parts = [
        marks.changed(model._default_manager.order_by(), source, "updated_at")
        .annotate(src=models.Value(source, output_field=models.CharField()))
        .values_list("src", column, "updated_at")
        for source, model, column in sources
    ]
    out: dict[str, tuple[set[int], list[dt.datetime]]] = {
        source: (set(), []) for source, _, _ in sources
    }
    for source, pk, seen in parts[0].union(*parts[1:], all=True):
        out[source][0].add(int(pk))
        out[source][1].append(seen)
    for source, (_, moments) in out.items():
        result.read[source] = len(moments)
    return out


def _advance(marks: _Marks, seen: dict[str, list[dt.datetime]], now: dt.datetime) -> None:
    """``_Marks.advance`` for many sources in two queries."""
    new: list[Watermark] = []
    old: list[Watermark] = []
    for source, moments in seen.items():
        mark = marks.rows.get(source) or Watermark(source=source)
        newest = max(moments, default=None)
        if newest is not None and (mark.last_seen is None or newest > mark.last_seen):
            mark.last_seen = newest
        mark.refreshed_at = now
        (old if mark.pk else new).append(mark)
        marks.rows[source] = mark
    Watermark.objects.bulk_create(new)
    Watermark.objects.bulk_update(old, ["last_seen", "refreshed_at"])


def _ids_in_chunks(ids: set[int]) -> list[list[int]]:
    from ketenradar.monitor.services import _chunks

    return list(_chunks(sorted(ids)))


# The recorded steps that count as a coordinator's action in a case, with the column holding
# the moment and the one holding who took it (docs/monitor.md: "first action").
STEPS: list[tuple[type[models.Model], str, str, dict[str, Any]]] = [
    (PhaseChange, "at", "by_id", {"from_phase__gt": ""}),  # not the opening phase
    (SafetyCheck, "assessed_at", "by_id", {}),
    (Analysis, "recorded_at", "by_id", {}),
    (PlanVersion, "approved_at", "approved_by_id", {}),
    (TeamMember, "added_at", "added_by_id", {}),
    (TraumaScreening, "offered_at", "by_id", {}),
]


CARE_SOURCES: list[Source] = [
    ("care_cases", Case, "pk"),
    ("care_coordinations", Coordination, "case_id"),
    ("care_phases", PhaseChange, "case_id"),
    ("care_safety_checks", SafetyCheck, "case_id"),
    ("care_analyses", Analysis, "case_id"),
    ("care_plans", PlanVersion, "case_id"),
    ("care_team", TeamMember, "case_id"),
    ("care_screenings", TraumaScreening, "case_id"),
    ("mda_referrals", Referral, "case_id"),
]
RESTRAINING_SOURCES: list[Source] = [
    ("restraining_orders", RestrainingOrder, "pk"),
    ("restraining_extensions", ExtensionDecision, "order_id"),
]
SHELTER_SOURCES: list[Source] = [
    ("shelter_facilities", Facility, "pk"),
    ("shelter_capacities", BedCapacity, "pk"),
    ("shelter_placements", Placement, "pk"),
    ("shelter_waiting", WaitingListEntry, "pk"),
]


def refresh(marks: _Marks, result: RefreshResult, now: dt.datetime) -> None:
    """Every chain-care fact changed since the last run."""
    care = _changed(marks, result, CARE_SOURCES)
    for chunk in _ids_in_chunks(set().union(*(ids for ids, _ in care.values()))):
        _case_facts(chunk, result)

    restraining = _changed(marks, result, RESTRAINING_SOURCES)
    for chunk in _ids_in_chunks(set().union(*(ids for ids, _ in restraining.values()))):
        _order_facts(chunk, result)

    shelter = _changed(marks, result, SHELTER_SOURCES)
    facility_ids = shelter["shelter_facilities"][0]
    for chunk in _ids_in_chunks(facility_ids):
        _facility_facts(chunk, result)
    capacity_ids, placement_ids = shelter["shelter_capacities"][0], shelter["shelter_placements"][0]
    if facility_ids:
        # A facility's facts carry its municipality: rewrite its capacities and placements.
        capacity_ids |= set(
            BedCapacity.objects.filter(facility_id__in=facility_ids).values_list("pk", flat=True)
        )
        placement_ids |= set(
            Placement.objects.filter(facility_id__in=facility_ids).values_list("pk", flat=True)
        )
    for chunk in _ids_in_chunks(capacity_ids):
        _capacity_facts(chunk, result)
    for chunk in _ids_in_chunks(placement_ids):
        _placement_facts(chunk, result)
    for chunk in _ids_in_chunks(shelter["shelter_waiting"][0]):
        _waiting_facts(chunk, result)

    _advance(
        marks,
        {
            source: moments
            for changed in (care, restraining, shelter)
            for source, (_, moments) in changed.items()
        },
        now,
    )


def _replace(
    model: type[models.Model],
    key_field: str,
    keys: list[str],
    facts: Sequence[models.Model],
    result: RefreshResult,
    name: str,
) -> None:
    """Replace the facts of these keys: delete and insert, so reading a row twice is
    harmless (the refresh's rule)."""
    model._default_manager.filter(**{f"{key_field}__in": keys}).delete()
    model._default_manager.bulk_create(facts)
    if facts:
        result.written[name] += len(facts)


def _case_facts(ids: list[int], result: RefreshResult) -> None:
    cases = list(Case.objects.filter(pk__in=ids).order_by("pk"))
    phases: dict[int, list[list[str]]] = defaultdict(list)
    for case_id, at, to_phase in (
        PhaseChange.objects.filter(case_id__in=ids)
        .order_by("case_id", "at", "pk")
        .values_list("case_id", "at", "to_phase")
    ):
        day = _day(at)
        assert day is not None
        phases[case_id].append([day.isoformat(), to_phase])
    coordinators: dict[int, set[int]] = defaultdict(set)
    for case_id, user_id in Coordination.objects.filter(
        case_id__in=ids, user_id__isnull=False
    ).values_list("case_id", "user_id"):
        coordinators[case_id].add(user_id)
    for case in cases:
        if case.coordinator_id is not None:
            coordinators[case.pk].add(case.coordinator_id)
    first: dict[int, dt.datetime] = {}
    for model, moment, by, extra in STEPS:
        for case_id, at, user_id in (
            model._default_manager.filter(case_id__in=ids, **extra)
            .exclude(**{f"{by}__isnull": True})
            .values_list("case_id", moment, by)
        ):
            if user_id in coordinators[case_id] and (case_id not in first or at < first[case_id]):
                first[case_id] = at
    melding: dict[int, dt.datetime] = {}
    for dossier_id, received_at in (
        Contact.objects.filter(
            dossier_id__in=[c.dossier_id for c in cases if c.dossier_id], kind=ContactKind.REPORT
        )
        .order_by("dossier_id", "received_at", "pk")
        .values_list("dossier_id", "received_at")
    ):
        melding.setdefault(dossier_id, received_at)
    referred = set(Referral.objects.filter(case_id__in=ids).values_list("case_id", flat=True))
    keys = [pseudonyms.pseudonym("case", c.pk) for c in cases]
    facts = []
    for case, key in zip(cases, keys, strict=True):
        opened = _day(case.opened_at)
        assert opened is not None
        facts.append(
            CaseFact(
                case_key=key,
                region_id=case.region_id,
                municipality_id=case.municipality_id,
                source=case.source,
                phase=case.phase,
                phases=phases[case.pk],
                opened_on=opened,
                closed_on=_day(case.closed_at),
                close_reason=case.close_reason,
                dossier_key=pseudonyms.dossier_key(case.dossier_id) if case.dossier_id else "",
                melding_on=_day(melding.get(case.dossier_id)) if case.dossier_id else None,
                first_action_on=_day(first.get(case.pk)),
                mda_referred=case.pk in referred,
            )
        )
    _replace(CaseFact, "case_key", keys, facts, result, "case_facts")
    _screening_facts(cases, result)
    _referral_facts(cases, result)


def _screening_facts(cases: list[Case], result: RefreshResult) -> None:
    by_pk = {c.pk: c for c in cases}
    screenings = list(TraumaScreening.objects.filter(case_id__in=by_pk).order_by("pk"))
    keys = [pseudonyms.pseudonym("traumascreening", s.pk) for s in screenings]
    TraumaScreeningFact.objects.filter(
        case_key__in=[pseudonyms.pseudonym("case", pk) for pk in by_pk]
    ).delete()
    facts = []
    for screening, key in zip(screenings, keys, strict=True):
        case = by_pk[screening.case_id]
        offered = _day(screening.offered_at)
        assert offered is not None
        facts.append(
            TraumaScreeningFact(
                screening_key=key,
                case_key=pseudonyms.pseudonym("case", case.pk),
                region_id=case.region_id,
                municipality_id=case.municipality_id,
                role=screening.role,
                offered_on=offered,
                outcome=screening.outcome,
                outcome_on=_day(screening.outcome_at),
            )
        )
    TraumaScreeningFact.objects.bulk_create(facts)
    if facts:
        result.written["trauma_screening_facts"] += len(facts)


def _referral_facts(cases: list[Case], result: RefreshResult) -> None:
    by_pk = {c.pk: c for c in cases}
    referrals = list(Referral.objects.filter(case_id__in=by_pk).order_by("pk"))
    MdaReferralFact.objects.filter(
        case_key__in=[pseudonyms.pseudonym("case", pk) for pk in by_pk]
    ).delete()
    facts = []
    for referral in referrals:
        case = by_pk[referral.case_id]
        referred = _day(referral.referred_at)
        assert referred is not None
        decided = _day(referral.decided_at)
        declined = referral.status == ReferralStatus.DECLINED
        facts.append(
            MdaReferralFact(
                referral_key=pseudonyms.pseudonym("mdareferral", referral.pk),
                case_key=pseudonyms.pseudonym("case", case.pk),
                region_id=case.region_id,
                municipality_id=case.municipality_id,
                referred_on=referred,
                status=referral.status,
                accepted_on=None if declined else decided,
                declined_on=decided if declined else None,
                handed_back_on=_day(referral.handed_back_at),
            )
        )
    MdaReferralFact.objects.bulk_create(facts)
    if facts:
        result.written["mda_referral_facts"] += len(facts)


def _order_facts(ids: list[int], result: RefreshResult) -> None:
    orders = list(
        RestrainingOrder.objects.filter(pk__in=ids)
        .select_related("extension_decision")
        .order_by("pk")
    )
    keys = [pseudonyms.pseudonym("restrainingorder", o.pk) for o in orders]
    facts = []
    for order, key in zip(orders, keys, strict=True):
        decision = getattr(order, "extension_decision", None)
        imposed = _day(order.imposed_at)
        assert imposed is not None
        facts.append(
            RestrainingOrderFact(
                order_key=key,
                region_id=order.region_id,
                municipality_id=order.municipality_id,
                imposed_on=imposed,
                extended=decision is not None and decision.outcome == ExtensionOutcome.EXTENDED,
                extension_decided_on=_day(decision.decided_at) if decision else None,
                status=order.status,
            )
        )
    _replace(RestrainingOrderFact, "order_key", keys, facts, result, "restraining_order_facts")


def _facility_facts(ids: list[int], result: RefreshResult) -> None:
    facilities = list(Facility.objects.filter(pk__in=ids).select_related("organisation"))
    keys = [pseudonyms.pseudonym("facility", f.pk) for f in facilities]
    facts = [
        FacilityFact(
            facility_key=key,
            region_id=f.organisation.region_id,
            municipality_id=f.municipality_id,
        )
        for f, key in zip(facilities, keys, strict=True)
    ]
    _replace(FacilityFact, "facility_key", keys, facts, result, "facility_facts")


def _capacity_facts(ids: list[int], result: RefreshResult) -> None:
    rows = list(BedCapacity.objects.filter(pk__in=ids).select_related("facility__organisation"))
    keys = [pseudonyms.pseudonym("bedcapacity", c.pk) for c in rows]
    facts = [
        BedCapacityFact(
            capacity_key=key,
            facility_key=pseudonyms.pseudonym("facility", c.facility_id),
            region_id=c.facility.organisation.region_id,
            municipality_id=c.facility.municipality_id,
            bed_type=c.bed_type,
            valid_from=c.valid_from,
            beds=c.beds,
        )
        for c, key in zip(rows, keys, strict=True)
    ]
    _replace(BedCapacityFact, "capacity_key", keys, facts, result, "bed_capacity_facts")


def _placement_facts(ids: list[int], result: RefreshResult) -> None:
    rows = list(Placement.objects.filter(pk__in=ids).select_related("facility__organisation"))
    keys = [pseudonyms.pseudonym("placement", p.pk) for p in rows]
    facts = [
        PlacementFact(
            placement_key=key,
            facility_key=pseudonyms.pseudonym("facility", p.facility_id),
            region_id=p.facility.organisation.region_id,
            municipality_id=p.facility.municipality_id,
            bed_type=p.bed_type,
            beds=p.beds,
            start_on=p.start_date,
            end_on=p.actual_end,
        )
        for p, key in zip(rows, keys, strict=True)
    ]
    _replace(PlacementFact, "placement_key", keys, facts, result, "placement_facts")


def _waiting_facts(ids: list[int], result: RefreshResult) -> None:
    rows = list(
        WaitingListEntry.objects.filter(pk__in=ids).select_related(
            "organisation", "facility", "placement__facility"
        )
    )
    keys = [pseudonyms.pseudonym("waitinglistentry", e.pk) for e in rows]
    facts = []
    for entry, key in zip(rows, keys, strict=True):
        facility = entry.placement.facility if entry.placement else entry.facility
        facts.append(
            WaitingFact(
                entry_key=key,
                region_id=entry.organisation.region_id,
                municipality_id=facility.municipality_id if facility else None,
                bed_type=entry.bed_type,
                registered_on=entry.registered_on,
                placed_on=entry.placement.start_date if entry.placement else None,
                withdrawn_on=entry.withdrawn_on,
            )
        )
    _replace(WaitingFact, "entry_key", keys, facts, result, "waiting_facts")
