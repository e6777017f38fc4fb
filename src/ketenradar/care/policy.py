"""Who may see and work on a case: the one place that decides it.

- Function level: ``care.view_cases``.
- Row level, per case:
  * the **coordinator** (the user coordinating it, in the coordinating organisation, with
    ``care.coordinate_cases``) works on everything;
  * the coordinator's **lead** (``care.lead_cases`` in the coordinating organisation) sees
    the case, its escalations, and may hand coordination to someone else;
  * an active **case-team member** sees the case: a whole organisation (member without a
    user) or one named professional of it. MDA++ joins the team of the cases referred to it
    (kind ``mda``), so MDA++ members see only referred cases.
  Nobody else, whatever their organisation or role: a refusal is 403 and logged.
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Q, QuerySet

from ketenradar.care.models import Case, TeamMember

if TYPE_CHECKING:
    from ketenradar.accounts.actor import Actor

VIEW_CASES = "care.view_cases"
COORDINATE_CASES = "care.coordinate_cases"
LEAD_CASES = "care.lead_cases"
HAND_OVER_CASES = "care.hand_over_cases"


class CaseRole(enum.StrEnum):
    NONE = "none"
    TEAM = "team"
    LEAD = "lead"
    COORDINATOR = "coordinator"


def _team_q(actor: Actor) -> Q:
    member = TeamMember.objects.filter(
        case=OuterRef("pk"), organisation=actor.organisation, ended_at__isnull=True
    ).filter(Q(user__isnull=True) | Q(user=actor.user))
    return Q(Exists(member))


def visible_cases_q(actor: Actor) -> Q | None:
    if not actor.has_perm(VIEW_CASES) or actor.organisation is None or actor.user is None:
        return None
    q = _team_q(actor)
    if actor.has_perm(COORDINATE_CASES):
        q |= Q(coordinator=actor.user, coordinator_organisation=actor.organisation)
    if actor.has_perm(LEAD_CASES):
        q |= Q(coordinator_organisation=actor.organisation)
    return q


def visible_cases(actor: Actor, queryset: QuerySet[Case] | None = None) -> QuerySet[Case]:
    qs = Case.objects.all() if queryset is None else queryset
    q = visible_cases_q(actor)
    return qs.none() if q is None else qs.filter(q)


def case_role(actor: Actor, case: Case) -> CaseRole:
    """The actor's relation to this case; the strongest one counts."""
    if not actor.has_perm(VIEW_CASES) or actor.organisation is None or actor.user is None:
        return CaseRole.NONE
    own_org = case.coordinator_organisation_id == actor.organisation.pk
    if own_org and actor.has_perm(COORDINATE_CASES) and case.coordinator_id == actor.user.pk:
        return CaseRole.COORDINATOR
    if own_org and actor.has_perm(LEAD_CASES):
        return CaseRole.LEAD
    if Case.objects.filter(pk=case.pk).filter(_team_q(actor)).exists():
        return CaseRole.TEAM
    return CaseRole.NONE
