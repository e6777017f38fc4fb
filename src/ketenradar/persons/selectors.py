"""Reads of persons and households. Each takes the actor, returns only what the actor may
see (``ketenradar.access.policy``) and writes the access-log events of the read in the same
transaction: a read that cannot be logged does not happen.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from ketenradar.access import policy
from ketenradar.accounts.actor import Actor
from ketenradar.audit import services as audit
from ketenradar.audit.constants import AuditAction
from ketenradar.core import timeline as core_timeline
from ketenradar.persons.constants import REVERSE_RELATION_LABELS, RelationKind
from ketenradar.persons.models import (
    Address,
    Household,
    HouseholdMembership,
    Person,
    Relation,
)
from ketenradar.persons.validators import normalise_bsn, normalise_postcode

PERSON = "persons.person"
HOUSEHOLD = "persons.household"
SEARCH_LIMIT = 50


def _get_or_404(queryset: QuerySet, key: uuid.UUID | str) -> object:
    try:
        return queryset.get(uuid=key)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


@dataclass
class PersonDetail:
    person: Person
    break_glass: bool
    addresses: list[Address]
    households: list[HouseholdMembership]
    relations: list[tuple[str, Person, Relation]] = field(default_factory=list)
    # contacts, dossiers, cases, orders, placements, merges: each app's own need-to-know
    timeline: list[core_timeline.Entry] = field(default_factory=list)


def person_detail(
    *, actor: Actor, person_uuid: uuid.UUID | str, action: AuditAction = AuditAction.READ
) -> PersonDetail:
    """A person's page (``action`` read, or print for the printable version): 403 (logged)
    unless the actor may see the person."""
    person = _get_or_404(Person.objects.all(), person_uuid)
    assert isinstance(person, Person)
    decision = policy.decide_person(actor, person)
    if not decision.allowed:
        audit.record_denied(
            actor=actor,
            action=action,
            object_type=PERSON,
            object_id=person.uuid.hex,
            person_ids=[person.pk],
            reason=decision.why,
        )
        raise PermissionDenied(decision.why)
    with transaction.atomic():
        addresses = list(person.addresses.select_related("municipality").order_by("-valid_from"))
        if not policy.personally_involved(actor, person):
            addresses = [a for a in addresses if not a.is_confidential]
        households = list(
            person.household_memberships.select_related("household").order_by("-start_date")
        )
        # the persons on either side of a relation, by index (one OR over two joins read
        # every person of the region: 5 s on a shelter's page)
        related = set(
            Relation.objects.filter(from_person=person).values_list("to_person_id", flat=True)
        ) | set(Relation.objects.filter(to_person=person).values_list("from_person_id", flat=True))
        visible = set(
            policy.visible_persons(actor, Person.objects.filter(pk__in=related)).values_list(
                "pk", flat=True
            )
        )
        relations: list[tuple[str, Person, Relation]] = []
        for rel in Relation.objects.filter(from_person=person).select_related("to_person"):
            if rel.to_person_id in visible:
                relations.append((rel.get_kind_display(), rel.to_person, rel))
        for rel in Relation.objects.filter(to_person=person).select_related("from_person"):
            if rel.from_person_id in visible:
                label = REVERSE_RELATION_LABELS.get(RelationKind(rel.kind), rel.get_kind_display())
                relations.append((str(label), rel.from_person, rel))
        entries = core_timeline.collect(actor=actor, person=person)
        audit.record(
            actor=actor,
            action=action,
            object_type=PERSON,
            object_id=person.uuid.hex,
            person_ids=[person.pk],
            break_glass=decision.break_glass,
        )
    return PersonDetail(person, decision.break_glass, addresses, households, relations, entries)


# What a search may match, in one place: identity fields always; address fields (postcode
# with an optional house number) only where ``policy.searchable_addresses_q`` allows.
_POSTCODE_QUERY = re.compile(r"([0-9]{4}\s?[A-Za-z]{2})(?:\s+([0-9]{1,5}))?", re.ASCII)
_DATE_QUERY = re.compile(r"([0-9]{1,2})-([0-9]{1,2})-([0-9]{4})", re.ASCII)


def _search_filter(query: str, *, addresses: Q | None) -> Q:
    """BSN, date of birth (dd-mm-jjjj), postcode (+ house number) or name parts.

    ``addresses`` filters the addresses a postcode query may match (None: a postcode query
    matches nobody, as for the privacy officer, who searches by identity only)."""
    query = query.strip()
    bsn = normalise_bsn(query)
    if bsn.isascii() and bsn.isdigit() and len(bsn) == 9:
        return Q(bsn=bsn)
    date = _DATE_QUERY.fullmatch(query)
    if date:
        day, month, year = (int(g) for g in date.groups())
        return Q(birth_day=day, birth_month=month, birth_year=year)
    postcode = _POSTCODE_QUERY.fullmatch(query)
    if postcode:
        if addresses is None:
            return Q(pk__in=[])
        matching = Address.objects.filter(
            addresses,
            person=OuterRef("pk"),
            postcode=normalise_postcode(postcode.group(1)),
        )
        if postcode.group(2):
            matching = matching.filter(house_number=int(postcode.group(2)))
        return Q(Exists(matching))
    name_q = Q()
    for term in query.split():
        name_q &= (
            Q(given_names__icontains=term)
            | Q(surname__icontains=term)
            | Q(partner_surname__icontains=term)
            | Q(birth_surname__icontains=term)
            | Q(initials__iexact=term)
        )
    return name_q


def _record_shown(actor: Actor, action: AuditAction, shown: list[Person], detail: dict) -> None:
    """One event per person shown; those seen only through break-glass are flagged."""
    ids = [p.pk for p in shown]
    glass = policy.break_glass_only(actor, ids)
    for flagged, group in ((False, [i for i in ids if i not in glass]), (True, sorted(glass))):
        if group:
            audit.record(
                actor=actor,
                action=action,
                object_type=PERSON,
                person_ids=group,
                break_glass=flagged,
                detail=detail,
            )


def person_search(
    *, actor: Actor, query: str, limit: int = SEARCH_LIMIT
) -> tuple[list[Person], int]:
    """Persons matching ``query`` that the actor may see, and how many there are in total.

    Every person shown is logged (action ``search``); the count counts only visible ones.
    """
    if not actor.has_perm("persons.search_persons") or len(query.strip()) < 2:
        return [], 0
    found = _search_filter(query, addresses=policy.searchable_addresses_q(actor))
    matches = policy.visible_persons(
        actor, Person.objects.filter(found, merged_into__isnull=True)
    ).distinct()
    with transaction.atomic():
        total = matches.count()
        shown = list(matches.order_by("surname", "given_names", "pk")[:limit])
        _record_shown(
            actor,
            AuditAction.SEARCH,
            shown,
            {"query": query.strip()[:100], "shown": len(shown), "total": total},
        )
    return shown, total


def person_list(
    *, actor: Actor, offset: int = 0, limit: int = SEARCH_LIMIT
) -> tuple[list[Person], int]:
    """The persons the actor works with (most recently involved first); each shown is logged."""
    visible = policy.visible_persons(actor, Person.objects.filter(merged_into__isnull=True))
    with transaction.atomic():
        total = visible.count()
        shown = list(visible.order_by("-updated_at", "pk")[offset : offset + limit])
        _record_shown(
            actor, AuditAction.LIST, shown, {"offset": offset, "shown": len(shown), "total": total}
        )
    return shown, total


@dataclass
class HouseholdDetail:
    household: Household
    members: list[HouseholdMembership]


def household_detail(
    *, actor: Actor, household_uuid: uuid.UUID | str, action: AuditAction = AuditAction.READ
) -> HouseholdDetail:
    """A household and its visible members; none visible: 403, logged as ``action`` (what
    the caller attempted: a read, or a write on the household's behalf)."""
    household = _get_or_404(Household.objects.all(), household_uuid)
    assert isinstance(household, Household)
    memberships = list(
        household.memberships.select_related("person").order_by("role", "start_date", "pk")
    )
    member_pks = {m.person_id for m in memberships}
    visible = set(
        policy.visible_persons(actor, Person.objects.filter(pk__in=member_pks)).values_list(
            "pk", flat=True
        )
    )
    if not visible:
        audit.record_denied(
            actor=actor,
            action=action,
            object_type=HOUSEHOLD,
            object_id=household.uuid.hex,
            person_ids=sorted(member_pks) or [None],
            reason="no involvement with any member",
        )
        raise PermissionDenied("no involvement with any member")
    shown = [m for m in memberships if m.person_id in visible]
    glass = policy.break_glass_only(actor, sorted(visible))
    with transaction.atomic():
        normal = sorted(visible - glass)
        if normal:
            audit.record(
                actor=actor,
                action=AuditAction.READ,
                object_type=HOUSEHOLD,
                object_id=household.uuid.hex,
                person_ids=normal,
            )
        if glass:
            audit.record(
                actor=actor,
                action=AuditAction.READ,
                object_type=HOUSEHOLD,
                object_id=household.uuid.hex,
                person_ids=sorted(glass),
                break_glass=True,
            )
    return HouseholdDetail(household, shown)


def merged_person_ids(person: Person) -> list[int]:
    """The persons merged into ``person`` (a confirmed match, see the radar), at any depth:
    their earlier events in the access log are this person's too."""
    found: list[int] = []
    frontier = [person.pk]
    while frontier:
        frontier = list(
            Person.objects.filter(merged_into_id__in=frontier)
            .exclude(pk__in=found)
            .values_list("pk", flat=True)
        )
        found.extend(frontier)
    return sorted(found)


def person_identity_lookup(*, actor: Actor, query: str, limit: int = 20) -> list[Person]:
    """For the privacy officer answering 'who looked at my file': find a person known in the
    officer's region (ever involved with one of its organisations) by BSN, date of birth or
    name; identity fields only. Logged."""
    if not actor.has_perm("persons.lookup_person_identity") or actor.region is None:
        return []
    if len(query.strip()) < 2:
        return []
    known_in_region = Person.objects.filter(
        involvements__organisation__region=actor.region, merged_into__isnull=True
    )
    with transaction.atomic():
        found = list(
            known_in_region.filter(_search_filter(query, addresses=None))
            .distinct()
            .order_by("surname", "pk")[:limit]
        )
        if found:
            audit.record(
                actor=actor,
                action=AuditAction.SEARCH,
                object_type=PERSON,
                person_ids=[p.pk for p in found],
                reason="privacy: access-log request",
                detail={"query": query.strip()[:100], "shown": len(found)},
            )
    return found
