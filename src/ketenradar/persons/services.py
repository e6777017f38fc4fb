"""Writes on persons and households: keyword-only, typed, transactional, with an explicit
actor, and each with its access-log event in the same transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from ketenradar.access import policy
from ketenradar.access.constants import InvolvementKind
from ketenradar.access.models import Involvement
from ketenradar.accounts.actor import Actor
from ketenradar.audit import services as audit
from ketenradar.audit.constants import AuditAction
from ketenradar.persons.constants import HouseholdRole, RelationKind
from ketenradar.persons.models import (
    Address,
    ContactDetail,
    Household,
    HouseholdMembership,
    Person,
    Relation,
)
from ketenradar.persons.validators import normalise_bsn, normalise_postcode
from ketenradar.regions.models import Organisation

PERSON = "persons.person"
HOUSEHOLD = "persons.household"

PERSON_FIELDS = {
    "given_names",
    "initials",
    "surname_prefix",
    "surname",
    "birth_surname_prefix",
    "birth_surname",
    "partner_surname_prefix",
    "partner_surname",
    "name_usage",
    "birth_year",
    "birth_month",
    "birth_day",
    "sex",
    "bsn",
    "no_bsn_reason",
    "confidentiality",
}


def _require(actor: Actor, perm: str) -> None:
    if not actor.is_system and not actor.has_perm(perm):
        raise PermissionDenied(perm)


def _visible(actor: Actor, *persons: Person) -> bool:
    """Need-to-know for writes: a user may change only persons they may see. Returns whether
    any of them is seen through break-glass (system actors: never)."""
    if actor.is_system:
        return False
    glass = False
    for person in persons:
        decision = policy.decide_person(actor, person)
        if not decision.allowed:
            raise PermissionDenied("no involvement with this person")
        glass = glass or decision.break_glass
    return glass


def _clean_person_fields(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - PERSON_FIELDS
    if unknown:
        raise ValueError(f"Unknown person fields: {sorted(unknown)}")
    cleaned = dict(fields)
    if cleaned.get("bsn"):
        cleaned["bsn"] = normalise_bsn(cleaned["bsn"])
    elif "bsn" in cleaned:
        cleaned["bsn"] = None
    return cleaned


@transaction.atomic
def person_create(
    *,
    actor: Actor,
    involvement_kind: InvolvementKind,
    purpose: str,
    organisation: Organisation | None = None,
    personal: bool = False,
    address: dict[str, Any] | None = None,
    **fields: Any,
) -> Person:
    """Register a person (with a first address, if given) and the involvement that makes
    them visible to the registering organisation (the actor's own, or ``organisation`` for
    system actors)."""
    _require(actor, "persons.add_person")
    org = organisation or actor.organisation
    if org is None:
        raise PermissionDenied("an organisation is needed to register a person")
    person = Person(**_clean_person_fields(fields))
    person.full_clean()
    person.save()
    Involvement.objects.create(
        person=person,
        organisation=org,
        user=actor.user if personal else None,
        kind=involvement_kind,
        purpose=purpose,
    )
    if address:
        first = Address(
            person=person, **{**address, "postcode": normalise_postcode(address["postcode"])}
        )
        first.full_clean()
        first.save()
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        object_type=PERSON,
        object_id=person.uuid.hex,
        person_ids=[person.pk],
        detail={"involvement": str(involvement_kind), "address": bool(address)},
    )
    return person


@transaction.atomic
def person_update(*, actor: Actor, person: Person, **fields: Any) -> Person:
    _require(actor, "persons.change_person")
    glass = _visible(actor, person)
    changed = []
    for name, value in _clean_person_fields(fields).items():
        if getattr(person, name) != value:
            setattr(person, name, value)
            changed.append(name)
    if not changed:
        return person
    person.full_clean()
    person.save()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        object_type=PERSON,
        object_id=person.uuid.hex,
        person_ids=[person.pk],
        break_glass=glass,
        detail={"fields": sorted(changed)},  # the fact of the change, not its content
    )
    return person


@transaction.atomic
def address_add(
    *,
    actor: Actor,
    person: Person,
    street: str,
    house_number: int,
    postcode: str,
    city: str,
    valid_from: dt.date | None = None,
    house_letter: str = "",
    house_number_addition: str = "",
    municipality: Any = None,
    is_confidential: bool = False,
) -> Address:
    """A new current address; the previous current one ends the day before."""
    _require(actor, "persons.change_person")
    glass = _visible(actor, person)
    if valid_from is not None:
        person.addresses.filter(valid_until__isnull=True, valid_from__lt=valid_from).update(
            valid_until=valid_from - dt.timedelta(days=1)
        )
    address = Address(
        person=person,
        street=street,
        house_number=house_number,
        house_letter=house_letter,
        house_number_addition=house_number_addition,
        postcode=normalise_postcode(postcode),
        city=city,
        municipality=municipality,
        valid_from=valid_from,
        is_confidential=is_confidential,
    )
    address.full_clean()
    address.save()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        object_type="persons.address",
        object_id=address.pk,
        person_ids=[person.pk],
        break_glass=glass,
        detail={"added": "address"},
    )
    return address


@transaction.atomic
def contact_detail_add(
    *, actor: Actor, person: Person, kind: str, value: str, note: str = ""
) -> ContactDetail:
    _require(actor, "persons.change_person")
    glass = _visible(actor, person)
    contact = ContactDetail(person=person, kind=kind, value=value, note=note)
    contact.full_clean()
    contact.save()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        object_type="persons.contactdetail",
        object_id=contact.pk,
        person_ids=[person.pk],
        break_glass=glass,
        detail={"added": "contact detail"},
    )
    return contact


@transaction.atomic
def household_create(
    *,
    actor: Actor,
    label: str,
    members: list[tuple[Person, HouseholdRole, dt.date | None]],
) -> Household:
    _require(actor, "persons.add_person")
    glass = _visible(actor, *(p for p, _, _ in members))
    household = Household.objects.create(label=label)
    HouseholdMembership.objects.bulk_create(
        HouseholdMembership(household=household, person=p, role=role, start_date=start)
        for p, role, start in members
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        object_type=HOUSEHOLD,
        object_id=household.uuid.hex,
        person_ids=[p.pk for p, _, _ in members] or [None],
        break_glass=glass,
    )
    return household


@transaction.atomic
def household_member_leave(
    *, actor: Actor, membership: HouseholdMembership, end_date: dt.date
) -> HouseholdMembership:
    _require(actor, "persons.change_person")
    glass = _visible(actor, membership.person)
    membership.end_date = end_date
    membership.full_clean()
    membership.save(update_fields=["end_date"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        object_type=HOUSEHOLD,
        object_id=membership.household.uuid.hex,
        person_ids=[membership.person_id],
        break_glass=glass,
        detail={"fields": ["end_date"]},
    )
    return membership


@transaction.atomic
def relation_add(
    *,
    actor: Actor,
    from_person: Person,
    to_person: Person,
    kind: RelationKind,
    start_date: dt.date | None = None,
) -> Relation:
    _require(actor, "persons.change_person")
    glass = _visible(actor, from_person, to_person)
    relation = Relation(
        from_person=from_person, to_person=to_person, kind=kind, start_date=start_date
    )
    relation.full_clean()
    relation.save()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        object_type="persons.relation",
        object_id=relation.pk,
        person_ids=[from_person.pk, to_person.pk],
        break_glass=glass,
        detail={"added": str(kind)},
    )
    return relation
