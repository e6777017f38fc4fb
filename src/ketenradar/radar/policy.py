"""Who may decide the radar's proposals: Veilig Thuis staff who work on the intake
(``reports.view_reporter_identity`` and ``reports.view_vt_work``: intake, professionals and
team leads) of the organisation the report came in at. Anyone else is refused, logged."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from ketenradar.accounts.actor import Actor
from ketenradar.audit import services as audit
from ketenradar.audit.constants import AuditAction
from ketenradar.radar.models import MatchProposal

DECIDE_PERMS = ("reports.view_reporter_identity", "reports.view_vt_work")
PROPOSAL = "radar.matchproposal"


def may_decide(actor: Actor, organisation_id: int) -> bool:
    return (
        all(actor.has_perm(p) for p in DECIDE_PERMS)
        and actor.organisation is not None
        and actor.organisation.pk == organisation_id
    )


def require_decider(actor: Actor, proposal: MatchProposal) -> None:
    if may_decide(actor, proposal.organisation_id):
        return
    audit.record_denied(
        actor=actor,
        action=AuditAction.UPDATE,
        object_type=PROPOSAL,
        object_id=proposal.uuid.hex,
        person_ids=[p for p in (proposal.person_id, proposal.candidate_id) if p] or [None],
        reason="not intake staff of this Veilig Thuis",
    )
    raise PermissionDenied("may not decide this match")
