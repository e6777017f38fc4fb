"""Writes of the monitor: the incremental refresh of the facts (docs/monitor.md).

``facts_refresh`` reads only what changed since its last run: contacts by ``created_at``
(they are append-only), dossiers, safety assessments, investigations and monitoring moments
by their ``updated_at``. A ``Watermark`` row per source keeps the newest moment processed.
It also reads again what changed within ``KETENRADAR_ANALYTICS_REFRESH_OVERLAP_SECONDS``
before the previous run started, so a row written in a transaction that committed after
that run read the table is not lost; rewriting a fact is idempotent (the facts are replaced
by their key).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils import timezone

from ketenradar.accounts.actor import Actor
from ketenradar.audit import services as audit
from ketenradar.audit.constants import AuditAction
from ketenradar.monitor import care_facts, pseudonyms
from ketenradar.monitor.models import (
    ContactFact,
    DossierFact,
    MonitoringFact,
    PersonContactFact,
    PostcodeArea,
    Watermark,
)
from ketenradar.monitor.selectors import repeat_until
from ketenradar.persons.models import Address
from ketenradar.regions.models import Municipality
from ketenradar.reports.constants import ContactKind, PersonRole
from ketenradar.reports.models import (
    Contact,
    ContactPerson,
    Dossier,
    Investigation,
    MonitoringMoment,
    SafetyAssessment,
)

CHUNK = 1000  # source rows per batch

# Whose address decides a contact's municipality, first to last.
ROLE_ORDER = [PersonRole.VICTIM, PersonRole.CHILD, PersonRole.OTHER, PersonRole.PERPETRATOR]


@dataclass
class RefreshResult:
    """Rows written per fact table, and source rows read per source."""

    written: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    read: dict[str, int] = field(default_factory=lambda: defaultdict(int))


def _day(moment: dt.datetime | None) -> dt.date | None:
    return timezone.localtime(moment).date() if moment is not None else None


class _Marks:
    def __init__(self) -> None:
        self.rows = {w.source: w for w in Watermark.objects.all()}
        self.overlap = dt.timedelta(seconds=settings.KETENRADAR_ANALYTICS_REFRESH_OVERLAP_SECONDS)

    def since(self, source: str) -> dt.datetime | None:
        """Rows changed after the newest one seen, and those changed within the overlap
        before the previous run started (their transaction may have committed after it
        read the table)."""
        mark = self.rows.get(source)
        if mark is None or mark.last_seen is None:
            return None
        if mark.refreshed_at is None:
            return mark.last_seen - self.overlap
        return min(mark.last_seen, mark.refreshed_at - self.overlap)

    def changed(self, qs: models.QuerySet[Any], source: str, column: str) -> models.QuerySet[Any]:
        since = self.since(source)
        return qs if since is None else qs.filter(**{f"{column}__gt": since})

    def advance(self, source: str, seen: Iterable[dt.datetime], now: dt.datetime) -> None:
        newest = max(seen, default=None)
        mark = self.rows.get(source) or Watermark(source=source)
        if newest is not None and (mark.last_seen is None or newest > mark.last_seen):
            mark.last_seen = newest
        mark.refreshed_at = now
        mark.save()
        self.rows[source] = mark


def _valid_on(address: dict[str, Any], day: dt.date) -> bool:
    return (address["valid_from"] is None or address["valid_from"] <= day) and (
        address["valid_until"] is None or address["valid_until"] > day
    )


class _MunicipalityResolver:
    """A contact's municipality: the address (not confidential) its persons lived at on the
    day of receipt, victim first, then child, other, perpetrator; the address's municipality,
    else the municipality whose postcode area holds the address's postcode; else unknown."""

    def __init__(self, person_ids: set[int]) -> None:
        self.addresses: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for a in (
            Address.objects.filter(person_id__in=person_ids, is_confidential=False)
            .order_by("person_id", "-valid_from", "-pk")
            .values("person_id", "municipality_id", "postcode", "valid_from", "valid_until")
        ):
            self.addresses[a["person_id"]].append(dict(a))
        self.areas = list(PostcodeArea.objects.values_list("low", "high", "municipality_id"))
        self.known = set(Municipality.objects.values_list("pk", flat=True))

    def _by_postcode(self, postcode: str) -> int | None:
        if len(postcode) < 4 or not postcode[:4].isdigit():
            return None
        number = int(postcode[:4])
        for low, high, municipality_id in self.areas:
            if low <= number <= high:
                return int(municipality_id)
        return None

    def resolve(self, persons: list[tuple[int, str]], day: dt.date) -> int | None:
        ordered = sorted(
            persons,
            key=lambda p: (ROLE_ORDER.index(PersonRole(p[1])) if p[1] in PersonRole else 9, p[0]),
        )
        for person_id, _role in ordered:
            for address in self.addresses.get(person_id, []):
                if not _valid_on(address, day):
                    continue
                if address["municipality_id"] in self.known:
                    return int(address["municipality_id"])
                found = self._by_postcode(address["postcode"])
                if found is not None:
                    return found
        return None


def _chunks(items: Sequence[int]) -> Iterator[list[int]]:
    """Bounded batches: no query gets more parameters than a database takes (SQLite: 32,766),
    and no batch more rows in memory than CHUNK."""
    for i in range(0, len(items), CHUNK):
        yield list(items[i : i + CHUNK])


def _refresh_contacts(marks: _Marks, result: RefreshResult, now: dt.datetime) -> None:
    changed = list(
        marks.changed(Contact.objects.all(), "contacts", "created_at")
        .order_by("created_at", "pk")
        .values_list("pk", "created_at")
    )
    result.read["contacts"] = len(changed)
    for ids in _chunks([pk for pk, _ in changed]):
        _contact_facts(ids, result)
    marks.advance("contacts", [seen for _, seen in changed], now)


def _contact_facts(ids: list[int], result: RefreshResult) -> None:
    contacts = list(
        Contact.objects.filter(pk__in=ids).select_related("organisation").order_by("pk")
    )
    persons: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for cp in ContactPerson.objects.filter(contact_id__in=ids).values(
        "contact_id", "person_id", "role"
    ):
        persons[cp["contact_id"]].append((cp["person_id"], cp["role"]))
    resolver = _MunicipalityResolver({p for ps in persons.values() for p, _ in ps})
    keys = [pseudonyms.contact_key(c.pk) for c in contacts]
    ContactFact.objects.filter(contact_key__in=keys).delete()
    PersonContactFact.objects.filter(contact_key__in=keys).delete()
    facts: list[ContactFact] = []
    person_facts: list[PersonContactFact] = []
    for contact, key in zip(contacts, keys, strict=True):
        day = _day(contact.received_at)
        assert day is not None
        dossier = pseudonyms.dossier_key(contact.dossier_id) if contact.dossier_id else ""
        facts.append(
            ContactFact(
                contact_key=key,
                region_id=contact.organisation.region_id,
                municipality_id=resolver.resolve(persons[contact.pk], day),
                received_on=day,
                kind=contact.kind,
                channel=contact.channel,
                reporter_category=contact.reporter_category,
                violence_types=sorted(contact.violence_types),
                human_trafficking=contact.human_trafficking,
                acute_indication=contact.acute_indication,
                earlier_involvement=contact.earlier_involvement,
                from_advice_request=contact.converted_from_id is not None,
                dossier_key=dossier,
            )
        )
        person_facts.extend(
            PersonContactFact(
                person_key=pseudonyms.person_key(person_id),
                contact_key=key,
                dossier_key=dossier,
                region_id=contact.organisation.region_id,
                kind=contact.kind,
                role=role,
                received_on=day,
            )
            for person_id, role in persons[contact.pk]
        )
    ContactFact.objects.bulk_create(facts)
    PersonContactFact.objects.bulk_create(person_facts)
    result.written["contact_facts"] += len(facts)
    result.written["person_contact_facts"] += len(person_facts)


def _refresh_dossiers(marks: _Marks, result: RefreshResult, now: dt.datetime) -> None:
    changed: dict[str, list[tuple[int, dt.datetime]]] = {
        source: list(
            marks.changed(model.objects.all(), source, "updated_at").values_list(
                column, "updated_at"
            )
        )
        for source, model, column in (
            ("dossiers", Dossier, "pk"),
            ("assessments", SafetyAssessment, "dossier_id"),
            ("investigations", Investigation, "dossier_id"),
        )
    }
    for source, rows in changed.items():
        result.read[source] = len(rows)
    ids = sorted({dossier_id for rows in changed.values() for dossier_id, _ in rows})
    for chunk in _chunks(ids):
        _dossier_facts(chunk, result)
    for source, rows in changed.items():
        marks.advance(source, [seen for _, seen in rows], now)


def _dossier_facts(ids: list[int], result: RefreshResult) -> None:
    dossiers = list(
        Dossier.objects.filter(pk__in=ids)
        .select_related("organisation", "assessment", "investigation")
        .order_by("pk")
    )
    opening: dict[int, int] = {}
    for dossier_id, contact_id in (
        Contact.objects.filter(dossier_id__in=ids, kind=ContactKind.REPORT)
        .order_by("dossier_id", "received_at", "pk")
        .values_list("dossier_id", "pk")
    ):
        opening.setdefault(dossier_id, contact_id)
    municipality = dict(
        ContactFact.objects.filter(
            contact_key__in=[pseudonyms.contact_key(c) for c in opening.values()]
        ).values_list("contact_key", "municipality_id")
    )
    keys = [pseudonyms.dossier_key(d.pk) for d in dossiers]
    DossierFact.objects.filter(dossier_key__in=keys).delete()
    facts = []
    for dossier, key in zip(dossiers, keys, strict=True):
        assessment = getattr(dossier, "assessment", None)
        investigation = getattr(dossier, "investigation", None)
        opened = _day(dossier.opened_at)
        assert opened is not None
        first = opening.get(dossier.pk)
        fact = DossierFact(
            dossier_key=key,
            region_id=dossier.organisation.region_id,
            municipality_id=municipality.get(pseudonyms.contact_key(first)) if first else None,
            state=dossier.state,
            acute=dossier.acute,
            opened_on=opened,
            closed_on=_day(dossier.closed_at),
        )
        fact.repeat_until = repeat_until(fact.closed_on)
        if assessment is not None:
            fact.decided_on = _day(assessment.decided_at)
            fact.within_deadline = assessment.decided_at <= dossier.assessment_due
            fact.decision = assessment.decision
        if investigation is not None:
            fact.investigation_started_on = _day(investigation.started_at)
            fact.investigation_due_on = _day(investigation.due_at)
            fact.investigation_completed_on = _day(investigation.completed_at)
            fact.investigation_closed_early = investigation.closed_early
            if investigation.completed_at is not None:
                fact.investigation_within_10_weeks = (
                    investigation.completed_at <= investigation.due_at
                )
        facts.append(fact)
    DossierFact.objects.bulk_create(facts)
    result.written["dossier_facts"] += len(facts)


def _refresh_monitoring(marks: _Marks, result: RefreshResult, now: dt.datetime) -> None:
    changed = list(
        marks.changed(MonitoringMoment.objects.all(), "monitoring", "updated_at")
        .order_by("pk")
        .values_list("pk", "updated_at")
    )
    result.read["monitoring"] = len(changed)
    for ids in _chunks([pk for pk, _ in changed]):
        _monitoring_facts(ids, result)
    marks.advance("monitoring", [seen for _, seen in changed], now)


def _monitoring_facts(ids: list[int], result: RefreshResult) -> None:
    moments = list(MonitoringMoment.objects.filter(pk__in=ids).order_by("pk"))
    dossier_keys = {m.dossier_id: pseudonyms.dossier_key(m.dossier_id) for m in moments}
    where = {
        f.dossier_key: (f.region_id, f.municipality_id)
        for f in DossierFact.objects.filter(dossier_key__in=set(dossier_keys.values()))
    }
    keys = [pseudonyms.moment_key(m.pk) for m in moments]
    MonitoringFact.objects.filter(moment_key__in=keys).delete()
    facts = []
    for moment, key in zip(moments, keys, strict=True):
        dkey = dossier_keys[moment.dossier_id]
        region_id, municipality_id = where[dkey]
        due = _day(moment.due_at)
        assert due is not None
        facts.append(
            MonitoringFact(
                moment_key=key,
                dossier_key=dkey,
                region_id=region_id,
                municipality_id=municipality_id,
                months=moment.months,
                due_on=due,
                done_on=_day(moment.done_at),
                outcome=moment.outcome,
            )
        )
    MonitoringFact.objects.bulk_create(facts)
    result.written["monitoring_facts"] += len(facts)


@transaction.atomic
def facts_refresh(*, actor: Actor) -> RefreshResult:
    """Bring the facts up to date with what changed since the last refresh (only a system
    process refreshes: ``manage.py refresh_facts``)."""
    if not actor.is_system:
        raise PermissionDenied("only a system process refreshes the facts")
    now = timezone.now()
    marks = _Marks()
    result = RefreshResult()
    # Contacts first: a dossier's municipality is that of the contact fact that opened it;
    # dossiers before monitoring moments, which take the dossier fact's municipality.
    _refresh_contacts(marks, result, now)
    _refresh_dossiers(marks, result, now)
    _refresh_monitoring(marks, result, now)
    # Chain care: cases, trauma screenings, MDA++, restraining orders, shelters.
    care_facts.refresh(marks, result, now)
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        object_type="monitor.facts",
        detail={"read": dict(result.read), "written": dict(result.written)},
    )
    return result


@transaction.atomic
def postcode_areas_set(
    *, actor: Actor, municipality: Municipality, ranges: Sequence[tuple[int, int]]
) -> None:
    """The 4-digit postcode ranges of a municipality (the fallback for addresses without
    a municipality)."""
    if not (actor.is_system or actor.has_perm("regions.change_municipality")):
        raise PermissionDenied("may not set postcode areas")
    PostcodeArea.objects.filter(municipality=municipality).delete()
    PostcodeArea.objects.bulk_create(
        PostcodeArea(municipality=municipality, low=low, high=high) for low, high in ranges
    )
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        object_type="monitor.postcodearea",
        object_id=municipality.pk,
        detail={"ranges": [list(r) for r in ranges]},
    )
