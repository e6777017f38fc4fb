"""Writes on access: involvements and break-glass, each audited in the same transaction."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ketenradar.access import policy
from ketenradar.access.constants import BreakGlassReview, InvolvementKind
from ketenradar.access.models import BreakGlassGrant, Involvement
from ketenradar.accounts.actor import Actor
from ketenradar.accounts.models import User
from ketenradar.audit import services as audit
from ketenradar.audit.constants import AuditAction
from ketenradar.persons.models import Person
from ketenradar.regions.models import Organisation

MIN_REASON_LENGTH = 20


@transaction.atomic
def involvement_start(
    *,
    actor: Actor,
    person: Person,
    organisation: Organisation,
    kind: InvolvementKind,
    purpose: str,
    user: User | None = None,
    source_type: str = "",
    source_id: str = "",
) -> Involvement:
    """Make a person visible to an organisation (or one professional) for a stated purpose.

    Called by the services of dossiers, cases, referrals and placements (and the demo).
    """
    return involvements_start(
        actor=actor,
        persons=[person],
        organisation=organisation,
        kind=kind,
        purpose=purpose,
        user=user,
        source_type=source_type,
        source_id=source_id,
    )[0]


@transaction.atomic
def involvements_start(
    *,
    actor: Actor,
    persons: Sequence[Person],
    organisation: Organisation,
    kind: InvolvementKind,
    purpose: str,
    user: User | None = None,
    source_type: str = "",
    source_id: str = "",
) -> list[Involvement]:
    """``involvement_start`` for several persons at once, with the same purpose and source
    (one insert; an access-log event per involvement)."""
    if not purpose.strip():
        raise ValidationError(_("An involvement needs a stated purpose."))
    involvements = Involvement.objects.bulk_create(
        Involvement(
            person=person,
            organisation=organisation,
            user=user,
            kind=kind,
            purpose=purpose,
            source_type=source_type,
            source_id=source_id,
        )
        for person in persons
    )
    for involvement in involvements:
        audit.record(
            actor=actor,
            action=AuditAction.CREATE,
            object_type="access.involvement",
            object_id=involvement.pk,
            person_ids=[involvement.person_id],
            detail={
                "organisation": organisation.pk,
                "kind": str(kind),
                "personal": user is not None,
            },
        )
    return involvements


@transaction.atomic
def involvement_end(*, actor: Actor, involvement: Involvement) -> Involvement:
    involvement.ended_at = timezone.now()
    involvement.save(update_fields=["ended_at"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        object_type="access.involvement",
        object_id=involvement.pk,
        person_ids=[involvement.person_id],
        detail={"fields": ["ended_at"]},
    )
    return involvement


@transaction.atomic
def break_glass_start(*, actor: Actor, person: Person, reason: str) -> BreakGlassGrant:
    """Emergency access for 24 hours with a stated reason; lands in the privacy review list."""
    if not policy.may_use_break_glass(actor, person):
        raise PermissionDenied("break-glass not allowed")
    reason = reason.strip()
    if len(reason) < MIN_REASON_LENGTH:
        raise ValidationError(
            _("State the reason in at least %(n)d characters.") % {"n": MIN_REASON_LENGTH}
        )
    assert actor.user is not None and actor.membership is not None
    now = timezone.now()
    grant = BreakGlassGrant.objects.create(
        user=actor.user,
        membership=actor.membership,
        person=person,
        reason=reason,
        created_at=now,
        expires_at=policy.break_glass_expiry(now),
    )
    audit.record(
        actor=actor,
        action=AuditAction.BREAK_GLASS,
        object_type="access.breakglassgrant",
        object_id=grant.pk,
        person_ids=[person.pk],
        reason=reason,
        break_glass=True,
    )
    return grant


@transaction.atomic
def break_glass_review(
    *, actor: Actor, grant: BreakGlassGrant, outcome: BreakGlassReview, note: str
) -> BreakGlassGrant:
    if not actor.has_perm("access.review_break_glass"):
        raise PermissionDenied("review not allowed")
    if outcome == BreakGlassReview.PENDING:
        raise ValidationError(_("Choose justified or not justified."))
    if grant.review != BreakGlassReview.PENDING:
        raise ValidationError(_("This break-glass access has already been reviewed."))
    if outcome == BreakGlassReview.UNJUSTIFIED and not note.strip():
        raise ValidationError(_("Explain why the access was not justified."))
    grant.review = outcome
    grant.review_note = note.strip()
    grant.reviewed_by = actor.user
    grant.reviewed_at = timezone.now()
    grant.save(update_fields=["review", "review_note", "reviewed_by", "reviewed_at"])
    audit.record(
        actor=actor,
        action=AuditAction.REVIEW,
        object_type="access.breakglassgrant",
        object_id=grant.pk,
        person_ids=[grant.person_id],
        detail={"outcome": str(outcome)},
    )
    return grant
