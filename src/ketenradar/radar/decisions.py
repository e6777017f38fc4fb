"""The radar's writes for the professional's decisions on matches: proposals from an
intake's matches, merging two persons with every row that references them (and undoing it
exactly), rejected pairs, splitting a person off again, and linking a report's new persons
to a known household.

The intake (``ketenradar.reports.services``) calls these inside its own transaction; radar
lies below reports and knows contacts only by ``source_type`` and ``source_id``. See
docs/radar-decisions.md.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils.translation import gettext as _

from ketenradar.accounts.actor import Actor
from ketenradar.audit import services as audit
from ketenradar.audit.constants import AuditAction
from ketenradar.core import clock
from ketenradar.persons.matching import Match, ReportedPerson, get_matcher
from ketenradar.persons.models import Household, HouseholdMembership, Person
from ketenradar.radar.models import (
    MatchProposal,
    PersonMerge,
    ProposalKind,
    ProposalStatus,
    RejectedPair,
)
from ketenradar.regions.models import Organisation

PROPOSAL = "radar.matchproposal"
PERSON = "persons.person"
DECIDABLE = (ProposalStatus.PROPOSED, ProposalStatus.UNDONE)


# --- matching ------------------------------------------------------------------------------
def surviving(person: Person) -> Person:
    """The person a tombstone was merged into (at any depth); a live person itself."""
    seen = {person.pk}
    while person.merged_into_id is not None and person.merged_into_id not in seen:
        seen.add(person.merged_into_id)
        person = Person.objects.get(pk=person.merged_into_id)
    return person


def is_rejected(a: int, b: int) -> bool:
    low, high = sorted((a, b))
    return RejectedPair.objects.filter(low_id=low, high_id=high).exists()


def rejected_partners(person_ids: Iterable[int]) -> set[tuple[int, int]]:
    ids = list(person_ids)
    return set(
        RejectedPair.objects.filter(
            models.Q(low_id__in=ids) | models.Q(high_id__in=ids)
        ).values_list("low_id", "high_id")
    )


def matches_for(reported: ReportedPerson) -> list[Match]:
    """The matcher's answer with merged persons replaced by the person they were merged
    into (a tombstone is never a candidate), each person once (its best match), best
    first. Two candidates that a professional told apart are both kept."""
    best: dict[int, Match] = {}
    for match in get_matcher().match(reported):
        person = match.person
        if person.merged_into_id is not None:
            person = surviving(person)
            match = dataclasses.replace(match, person=person)
        known = best.get(person.pk)
        if known is None or match.probability > known.probability:
            best[person.pk] = match
    return sorted(best.values(), key=lambda m: (-m.probability, m.person.pk))


def linked_person(matches: Sequence[Match]) -> Person | None:
    """The known person a reported person is linked to at intake: the one zeker match."""
    certain = [m for m in matches if m.band == "zeker"]
    return certain[0].person if len(certain) == 1 else None


def _evidence(match: Match) -> list[list[Any]]:
    out = []
    for item in match.evidence:
        fld = getattr(item, "field", None)
        if fld is None and isinstance(item, list | tuple):
            fld, level, weight = item[0], item[1], item[2]
        else:
            level, weight = getattr(item, "level", ""), getattr(item, "weight", 0.0)
        out.append([str(fld), str(level), round(float(weight), 2)])
    return out


@dataclass
class Reported:
    """One reported person of an intake: what was reported, the person the intake linked or
    created, and the matcher's answer."""

    reported: ReportedPerson
    role: str
    person: Person
    is_new: bool
    matches: list[Match] = field(default_factory=list)


def proposals_record(
    *,
    actor: Actor,
    organisation: Organisation,
    source_type: str,
    source_id: str,
    items: Sequence[Reported],
) -> list[MatchProposal]:
    """Every zeker or mogelijk match of the intake's persons becomes a proposal: the zeker
    link the intake made is recorded as linked automatically (still reviewable); a new
    person's candidates wait for review. Pairs a professional rejected are left out."""
    pairs = rejected_partners({i.person.pk for i in items})
    proposals = []
    for item in items:
        snapshot = json.loads(json.dumps(dataclasses.asdict(item.reported), cls=DjangoJSONEncoder))
        for match in item.matches:
            if match.band not in ("zeker", "mogelijk"):
                continue
            candidate = match.person
            auto = not item.is_new and candidate.pk == item.person.pk
            if not auto and (
                candidate.pk == item.person.pk
                or tuple(sorted((candidate.pk, item.person.pk))) in pairs
            ):
                continue
            proposals.append(
                MatchProposal(
                    organisation=organisation,
                    source_type=source_type,
                    source_id=source_id,
                    role=item.role,
                    person=item.person,
                    candidate=candidate,
                    reported=snapshot,
                    probability=float(match.probability),
                    band=match.band,
                    explanation={str(k): str(v) for k, v in match.explanation.items()},
                    evidence=_evidence(match),
                    status=ProposalStatus.AUTO_LINKED if auto else ProposalStatus.PROPOSED,
                )
            )
    MatchProposal.objects.bulk_create(proposals)
    for proposal in proposals:
        audit.record(
            actor=actor,
            action=AuditAction.CREATE,
            object_type=PROPOSAL,
            object_id=proposal.uuid.hex,
            person_ids=[proposal.person_id, proposal.candidate_id],
            detail={
                "band": proposal.band,
                "probability": round(proposal.probability, 4),
                "status": proposal.status,
                "source": source_type,
                "source_id": source_id,
            },
        )
    return proposals


# --- household matching ------------------------------------------------------------------
def current_household(persons: Iterable[Person]) -> Household | None:
    """The household the given known persons currently live in (the most recent current
    membership of any of them), if any."""
    membership = (
        HouseholdMembership.objects.filter(
            person__in=list(persons), end_date__isnull=True, person__merged_into__isnull=True
        )
        .select_related("household")
        .order_by("-start_date", "-pk")
        .first()
    )
    return membership.household if membership else None


def household_link(
    *,
    actor: Actor,
    organisation: Organisation,
    source_type: str,
    source_id: str,
    household: Household,
    members: Sequence[tuple[Person, str]],
    automatic: bool,
    probability: float,
    through: Sequence[Person],
) -> MatchProposal:
    """Link a report's new persons to a known household (gezinsmatch): at once for a zeker
    link (status linked automatically, reviewable), or as a proposal to review. ``through``:
    the known persons the household was found by (for the explanation)."""
    proposal = MatchProposal.objects.create(
        kind=ProposalKind.HOUSEHOLD,
        organisation=organisation,
        source_type=source_type,
        source_id=source_id,
        person=members[0][0],
        household=household,
        members=[[p.pk, role] for p, role in members],
        probability=probability,
        band="zeker" if automatic else "mogelijk",
        explanation={
            "huishouden": household.label,
            "via": ", ".join(p.display_name for p in through),
        },
        status=ProposalStatus.AUTO_LINKED if automatic else ProposalStatus.PROPOSED,
    )
    if automatic:
        _household_join(proposal)
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        object_type=PROPOSAL,
        object_id=proposal.uuid.hex,
        person_ids=[p.pk for p, _ in members],
        detail={
            "kind": ProposalKind.HOUSEHOLD,
            "household": household.uuid.hex,
            "status": proposal.status,
            "source": source_type,
            "source_id": source_id,
        },
    )
    return proposal


def _household_join(proposal: MatchProposal) -> None:
    made = HouseholdMembership.objects.bulk_create(
        HouseholdMembership(household=proposal.household, person_id=pk, role=role)
        for pk, role in proposal.members
    )
    proposal.memberships = [m.pk for m in made]
    proposal.save(update_fields=["memberships"])


def _household_leave(proposal: MatchProposal) -> None:
    HouseholdMembership.objects.filter(pk__in=proposal.memberships).delete()
    proposal.memberships = []
    proposal.save(update_fields=["memberships"])


# --- decisions -------------------------------------------------------------------------
def _decided(
    actor: Actor, proposal: MatchProposal, status: ProposalStatus, reason: str = ""
) -> None:
    proposal.status = status
    proposal.decided_by = actor.user
    proposal.decided_at = clock.now()
    proposal.reason = reason.strip()
    proposal.save(update_fields=["status", "decided_by", "decided_at", "reason"])


def _audit_decision(
    actor: Actor, proposal: MatchProposal, decision: str, detail: dict[str, Any] | None = None
) -> None:
    persons = [proposal.person_id, proposal.candidate_id] + [pk for pk, _ in proposal.members]
    audit.record(
        actor=actor,
        action=AuditAction.MERGE if decision == "confirm" else AuditAction.UPDATE,
        object_type=PROPOSAL,
        object_id=proposal.uuid.hex,
        person_ids=[p for p in dict.fromkeys(persons) if p] or [None],
        reason=proposal.reason,
        detail={"decision": decision, "kind": proposal.kind, **(detail or {})},
    )


def lock(proposal: MatchProposal) -> MatchProposal:
    return MatchProposal.objects.select_for_update().get(pk=proposal.pk)


def confirm(*, actor: Actor, proposal: MatchProposal) -> PersonMerge | None:
    """Confirm a proposal (the caller checked the actor and holds the transaction): a
    person proposal merges the new person into the known one; a household proposal links
    its members; an automatic link is acknowledged as it is."""
    if proposal.status == ProposalStatus.AUTO_LINKED:
        _decided(actor, proposal, ProposalStatus.CONFIRMED)
        _audit_decision(actor, proposal, "confirm", {"automatic": True})
        return None
    if proposal.status not in DECIDABLE:
        raise ValidationError(_("This match has already been decided."))
    if proposal.kind == ProposalKind.HOUSEHOLD:
        _household_join(proposal)
        _decided(actor, proposal, ProposalStatus.CONFIRMED)
        _audit_decision(actor, proposal, "confirm", {"memberships": proposal.memberships})
        return None
    assert proposal.candidate is not None
    merged, survivor = proposal.person, proposal.candidate
    if merged.merged_into_id is not None or survivor.merged_into_id is not None:
        raise ValidationError(_("One of these persons has been merged in the meantime."))
    if is_rejected(merged.pk, survivor.pk):
        raise ValidationError(_("These persons were told apart before: not the same person."))
    merge = persons_merge(actor=actor, proposal=proposal, merged=merged, survivor=survivor)
    _decided(actor, proposal, ProposalStatus.CONFIRMED)
    _audit_decision(
        actor, proposal, "confirm", {"moved": len(merge.moved), "removed": len(merge.removed)}
    )
    return merge


def reject(*, actor: Actor, proposal: MatchProposal, reason: str) -> Person | None:
    """Reject a proposal with its reason. A proposed person pair is recorded as rejected;
    an automatic (zeker) link, or a confirmed one, is split: the returned new person, made
    from the reported data, is the contact's person from now on (the caller re-points its
    own rows); the known person's history is untouched. A confirmed merge is undone first."""
    if not reason.strip():
        raise ValidationError(_("A rejection needs a reason."))
    if proposal.status == ProposalStatus.REJECTED:
        raise ValidationError(_("This match has already been decided."))
    if (
        proposal.status == ProposalStatus.CONFIRMED
        and proposal.merges.filter(undone_at__isnull=True).exists()
    ):
        merge_undo(actor=actor, proposal=proposal)
        proposal.refresh_from_db()
    split: Person | None = None
    if proposal.kind == ProposalKind.HOUSEHOLD:
        if proposal.memberships:
            _household_leave(proposal)
    elif proposal.person_id == proposal.candidate_id:
        split = _person_from(proposal.reported)
        _pair_reject(split, proposal)
        proposal.person = split
        proposal.save(update_fields=["person"])
    else:
        assert proposal.candidate is not None
        _pair_reject(proposal.person, proposal)
    _decided(actor, proposal, ProposalStatus.REJECTED, reason)
    _audit_decision(actor, proposal, "reject", {"split": split.pk if split else None})
    return split


def undo(*, actor: Actor, proposal: MatchProposal, reason: str = "") -> None:
    """Undo a confirmed proposal: the merge is reverted exactly, or the household link
    removed. The proposal can then be decided again."""
    if proposal.status != ProposalStatus.CONFIRMED:
        raise ValidationError(_("Only a confirmed match can be undone."))
    if proposal.kind == ProposalKind.HOUSEHOLD:
        _household_leave(proposal)
        detail: dict[str, Any] = {}
    elif proposal.person_id == proposal.candidate_id:
        raise ValidationError(_("An automatic link is undone by rejecting it."))
    else:
        merge = merge_undo(actor=actor, proposal=proposal)
        detail = {"restored": len(merge.moved) + len(merge.removed)}
    _decided(actor, proposal, ProposalStatus.UNDONE, reason)
    _audit_decision(actor, proposal, "undo", detail)


def _pair_reject(person: Person, proposal: MatchProposal) -> None:
    assert proposal.candidate_id is not None
    low, high = sorted((person.pk, proposal.candidate_id))
    RejectedPair.objects.get_or_create(low_id=low, high_id=high, defaults={"proposal": proposal})


def _person_from(reported: dict[str, Any]) -> Person:
    """A new person from the reported data (a zeker link rejected)."""
    from ketenradar.persons.models import Address
    from ketenradar.persons.validators import normalise_bsn, normalise_postcode

    bsn = normalise_bsn(reported.get("bsn", "")) or None
    if bsn and Person.objects.filter(bsn=bsn).exists():
        bsn = None  # the BSN stays with the known person; the new one is "unknown"
    person = Person.objects.create(
        given_names=reported.get("given_names", ""),
        initials=reported.get("initials", ""),
        surname_prefix=reported.get("surname_prefix", ""),
        surname=reported.get("surname", ""),
        birth_year=reported.get("birth_year"),
        birth_month=reported.get("birth_month"),
        birth_day=reported.get("birth_day"),
        sex=reported.get("sex") or "o",
        bsn=bsn,
        no_bsn_reason="" if bsn else "onbekend",
    )
    if reported.get("postcode") and reported.get("house_number"):
        Address.objects.create(
            person=person,
            street=reported.get("street") or "-",
            house_number=reported["house_number"],
            house_letter=reported.get("house_letter", ""),
            house_number_addition=reported.get("house_number_addition", ""),
            postcode=normalise_postcode(reported["postcode"]),
            city=reported.get("city") or "-",
        )
    return person


# --- merging -----------------------------------------------------------------------------
def _references() -> list[tuple[type[models.Model], str]]:
    """Every (model, field) that points at a person, found generically: contacts,
    involvements, household memberships, relations, addresses, care, restraining and
    shelter rows, the through tables of many-to-many fields. Left out: the tombstone link
    itself and the radar's own tables (its decisions and keys derived from persons)."""
    found: list[tuple[type[models.Model], str]] = []
    for rel in Person._meta.related_objects:
        model = rel.related_model
        assert not isinstance(model, str)
        if rel.many_to_many:
            through = rel.through  # type: ignore[attr-defined]
            for f in through._meta.fields:
                if f.is_relation and f.related_model is Person:
                    found.append((through, f.name))
            continue
        if model is Person or model._meta.app_label == "radar":
            continue
        found.append((model, rel.field.name))
    return found


def _attname(model: type[models.Model], name: str) -> str:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field)
    return field.attname


def _unique_sets(model: type[models.Model], field_name: str) -> list[list[str]]:
    sets = [list(u) for u in model._meta.unique_together if field_name in u]
    for c in model._meta.constraints:
        fields = list(getattr(c, "fields", ()) or ())
        if isinstance(c, models.UniqueConstraint) and field_name in fields and c.condition is None:
            sets.append(fields)
    return sets


def _values(row: models.Model) -> dict[str, Any]:
    data = {f.attname: getattr(row, f.attname) for f in row._meta.concrete_fields}
    loaded: dict[str, Any] = json.loads(json.dumps(data, cls=DjangoJSONEncoder))
    return loaded


def persons_merge(
    *, actor: Actor, proposal: MatchProposal, merged: Person, survivor: Person
) -> PersonMerge:
    """Re-point every row that references ``merged`` to ``survivor``; a row that would
    duplicate one of the survivor's (a unique constraint) or relate the survivor to itself
    is removed instead. ``merged`` stays as a tombstone (``merged_into``). Everything is
    recorded on the ``PersonMerge`` for undo."""
    moved: list[list[Any]] = []
    removed: list[list[Any]] = []
    for model, name in _references():
        label = model._meta.label
        attname = _attname(model, name)
        others = [
            f.attname
            for f in model._meta.fields
            if f.is_relation and f.related_model is Person and f.name != name
        ]
        uniques = _unique_sets(model, name)
        for row in model._base_manager.filter(**{attname: merged.pk}).order_by("pk"):
            clash = any(getattr(row, o) == survivor.pk for o in others)
            for fields in uniques:
                if clash:
                    break
                lookup = {
                    _attname(model, f): (
                        survivor.pk if f == name else getattr(row, _attname(model, f))
                    )
                    for f in fields
                }
                clash = model._base_manager.filter(**lookup).exclude(pk=row.pk).exists()
            if clash:
                removed.append([label, _values(row)])
                model._base_manager.filter(pk=row.pk).delete()
            else:
                model._base_manager.filter(pk=row.pk).update(**{attname: survivor.pk})
                moved.append([label, row.pk, attname])
    merge = PersonMerge.objects.create(
        proposal=proposal,
        survivor=survivor,
        merged=merged,
        moved=moved,
        removed=removed,
        merged_data=_values(merged),
        merged_at=clock.now(),
        merged_by=actor.user,
    )
    merged.merged_into = survivor
    merged.save(update_fields=["merged_into", "updated_at"])
    survivor.save(update_fields=["updated_at"])
    return merge


def merge_undo(*, actor: Actor, proposal: MatchProposal) -> PersonMerge:
    """Restore the split exactly: every moved row back to the merged person, every removed
    row re-created with its own primary key, the tombstone live again. Rows added to the
    survivor after the merge stay with the survivor."""
    merge = proposal.merges.select_for_update().filter(undone_at__isnull=True).last()
    if merge is None:
        raise ValidationError(_("There is no merge to undo."))
    merged = Person.objects.select_for_update().get(pk=merge.merged_id)
    with transaction.atomic():
        for label, pk, attname in merge.moved:
            apps.get_model(label)._base_manager.filter(pk=pk).update(**{attname: merged.pk})
        for label, values in merge.removed:
            model = apps.get_model(label)
            data = {
                f.attname: f.to_python(values.get(f.attname)) for f in model._meta.concrete_fields
            }
            row = model(**data)
            row.save(force_insert=True)
            # exactly as it was: auto_now(_add) fields are set again on insert
            model._base_manager.filter(pk=row.pk).update(
                **{k: v for k, v in data.items() if k != model._meta.pk.attname}
            )
    merged.merged_into = None
    merged.save(update_fields=["merged_into", "updated_at"])
    merge.undone_at = clock.now()
    merge.undone_by = actor.user
    merge.save(update_fields=["undone_at", "undone_by"])
    return merge
