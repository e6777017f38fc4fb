"""Writes of chain care: opening a case, its team and coordination, the plan, the phases,
escalation, trauma screening, refusal of help and closing.

Every service checks who may do it (``care.policy``), runs in one transaction and writes its
access-log event in that transaction. The moment a service acts at is ``core.clock.now()``
(the demo replays history through the same services).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from ketenradar.access import policy
from ketenradar.access import services as access_services
from ketenradar.access.constants import InvolvementKind
from ketenradar.access.models import Involvement
from ketenradar.accounts.actor import Actor
from ketenradar.accounts.models import User
from ketenradar.audit import services as audit
from ketenradar.audit.constants import AuditAction
from ketenradar.care.constants import (
    FOLLOW_UP_MIN_MONTHS,
    GOAL_PHASES,
    OPEN_ACTION_STATUSES,
    SAFETY_RANK,
    TRANSITIONS,
    ActionStatus,
    CaseSource,
    CloseReason,
    ConditionStatus,
    DrangStep,
    EscalationReason,
    GoalStatus,
    Phase,
    SafetyLevel,
    ScreeningOutcome,
    ScreeningRole,
    TeamMemberKind,
)
from ketenradar.care.models import (
    Analysis,
    Case,
    Coordination,
    Escalation,
    Evaluation,
    Goal,
    HelpRefusal,
    PhaseChange,
    PlanAction,
    PlanVersion,
    SafetyCheck,
    SafetyCondition,
    TeamMember,
    TraumaScreening,
)
from ketenradar.care.policy import (
    COORDINATE_CASES,
    HAND_OVER_CASES,
    LEAD_CASES,
    CaseRole,
    case_role,
)
from ketenradar.core import clock
from ketenradar.persons.models import Household, Person
from ketenradar.regions.constants import OrganisationType
from ketenradar.regions.models import Municipality, Organisation
from ketenradar.reports.models import Dossier

TEAM_INVOLVEMENT = {
    TeamMemberKind.TEAM: InvolvementKind.CASE_TEAM,
    TeamMemberKind.VEILIG_THUIS: InvolvementKind.VT_DOSSIER,
    TeamMemberKind.MDA: InvolvementKind.MDA,
}


# --- helpers -------------------------------------------------------------------------


def household_persons(case_or_household: Case | Household) -> list[Person]:
    """The household's current members (membership not ended before today)."""
    household = (
        case_or_household.household if isinstance(case_or_household, Case) else case_or_household
    )
    today = clock.today()
    return list(
        Person.objects.filter(
            household_memberships__household=household,
        )
        .filter(
            Q(household_memberships__end_date__isnull=True)
            | Q(household_memberships__end_date__gte=today)
        )
        .distinct()
        .order_by("pk")
    )


def _log(
    actor: Actor,
    case: Case,
    step: str,
    *,
    action: AuditAction = AuditAction.UPDATE,
    detail: dict[str, Any] | None = None,
) -> None:
    audit.record(
        actor=actor,
        action=action,
        object_type="care.case",
        object_id=case.uuid.hex,
        person_ids=[p.pk for p in household_persons(case)] or [None],
        detail={"step": step, **(detail or {})},
    )


def _require(actor: Actor, case: Case, *roles: CaseRole) -> None:
    """Refuse unless the actor has one of these relations to the case. The system actor
    (the demo seeder) passes."""
    if actor.is_system:
        return
    if case_role(actor, case) not in roles:
        raise PermissionDenied(_("You do not have this role in the case."))


def _require_open(case: Case) -> None:
    if not case.is_open:
        raise ValidationError(_("The case is closed."))


def _require_text(value: str, message: str) -> str:
    if not value or not value.strip():
        raise ValidationError(message)
    return value.strip()


def _user(actor: Actor) -> User | None:
    return actor.user


def default_coordinator_organisation(municipality: Municipality) -> Organisation | None:
    """The local team of the household's municipality (the coordinator by default)."""
    return (
        Organisation.objects.filter(
            region=municipality.region,
            type=OrganisationType.LOCAL_TEAM,
            municipalities=municipality,
            is_active=True,
        )
        .order_by("name")
        .first()
    )


def _start_involvements(
    actor: Actor,
    case: Case,
    *,
    organisation: Organisation,
    kind: InvolvementKind,
    purpose: str,
    user: User | None,
    source_type: str,
    source_id: str,
) -> None:
    persons = household_persons(case)
    if persons:
        access_services.involvements_start(
            actor=actor,
            persons=persons,
            organisation=organisation,
            kind=kind,
            purpose=purpose[:300],
            user=user,
            source_type=source_type,
            source_id=source_id,
        )


def _end_involvements(actor: Actor, source_type: str, source_id: str) -> None:
    for involvement in Involvement.objects.active().filter(
        source_type=source_type, source_id=source_id
    ):
        access_services.involvement_end(actor=actor, involvement=involvement)


# --- opening a case, coordination and the team -----------------------------------------


@transaction.atomic
def case_open(
    *,
    actor: Actor,
    household: Household,
    municipality: Municipality,
    source: CaseSource = CaseSource.LOCAL_TEAM,
    dossier: Dossier | None = None,
    coordinator_organisation: Organisation | None = None,
    coordinator: User | None = None,
    safety_conditions: Sequence[str] = (),
) -> Case:
    """Open a household's case.

    The local team opens it itself (``care.coordinate_cases``): its own organisation
    coordinates and the opener is the coordinator. Veilig Thuis hands a dossier over
    (``care.hand_over_cases``): the local team of the household's municipality coordinates by
    default, its lead names the coordinator, Veilig Thuis stays on the team to follow the
    safety conditions, which come with the case.
    """
    now = clock.now()
    if source == CaseSource.LOCAL_TEAM:
        if not actor.is_system and not actor.has_perm(COORDINATE_CASES):
            raise PermissionDenied(COORDINATE_CASES)
        if not actor.is_system:
            coordinator_organisation = actor.organisation
            coordinator = actor.user
    else:
        if not actor.is_system and not actor.has_perm(HAND_OVER_CASES):
            raise PermissionDenied(HAND_OVER_CASES)
        if dossier is None:
            raise ValidationError(_("A handover needs the Veilig Thuis dossier."))
        if not actor.is_system and dossier.organisation_id != getattr(
            actor.organisation, "pk", None
        ):
            raise PermissionDenied(_("Only your own Veilig Thuis's dossiers can be handed over."))
        coordinator_organisation = coordinator_organisation or default_coordinator_organisation(
            municipality
        )
    if (
        not actor.is_system
        and not policy.visible_households(actor, Household.objects.filter(pk=household.pk)).exists()
    ):
        raise PermissionDenied(_("You are not involved with this household."))
    if coordinator_organisation is None:
        raise ValidationError(
            _("No local team serves %(m)s: choose the coordinating organisation.")
            % {"m": municipality.name}
        )
    if coordinator_organisation.type != OrganisationType.LOCAL_TEAM:
        raise ValidationError(_("A case is coordinated by a local team."))
    if municipality.region_id != coordinator_organisation.region_id:
        raise ValidationError(_("The municipality is not in the coordinating team's region."))
    if Case.objects.filter(household=household).exclude(phase=Phase.CLOSED).exists():
        raise ValidationError(
            _("This household already has an open case: one household, one plan.")
        )
    case = Case.objects.create(
        region_id=coordinator_organisation.region_id,
        household=household,
        municipality=municipality,
        source=source,
        dossier=dossier,
        coordinator_organisation=coordinator_organisation,
        coordinator=coordinator,
        phase=Phase.DIRECT_SAFETY,
        phase_since=now,
        opened_at=now,
        opened_by=_user(actor),
    )
    PhaseChange.objects.create(case=case, to_phase=Phase.DIRECT_SAFETY, at=now, by=_user(actor))
    _log(actor, case, "open", action=AuditAction.CREATE, detail={"source": str(source)})
    _coordination_start(actor, case, coordinator_organisation, coordinator, reason="")
    conditions = list(safety_conditions)
    if dossier is not None and not conditions:
        assessment = getattr(dossier, "assessment", None)
        if assessment is not None and assessment.safety_conditions.strip():
            conditions = [c for c in assessment.safety_conditions.splitlines() if c.strip()]
    for text in conditions:
        SafetyCondition.objects.create(
            case=case, text=text.strip(), from_veilig_thuis=dossier is not None, set_at=now
        )
    if dossier is not None:
        team_member_join(
            actor=actor,
            case=case,
            organisation=dossier.organisation,
            kind=TeamMemberKind.VEILIG_THUIS,
            purpose=_("Veilig Thuis follows the safety conditions and monitors safety."),
        )
    return case


def _coordination_start(
    actor: Actor, case: Case, organisation: Organisation, user: User | None, *, reason: str
) -> Coordination:
    coordination = Coordination.objects.create(
        case=case,
        organisation=organisation,
        user=user,
        started_at=clock.now(),
        reason=reason,
        changed_by=_user(actor),
    )
    if user is not None:
        _start_involvements(
            actor,
            case,
            organisation=organisation,
            kind=InvolvementKind.COORDINATOR,
            purpose=str(_("Coordinator of the household's case")),
            user=user,
            source_type="care.coordination",
            source_id=str(coordination.pk),
        )
    return coordination


@transaction.atomic
def coordinator_change(
    *,
    actor: Actor,
    case: Case,
    organisation: Organisation,
    coordinator: User | None,
    reason: str,
) -> Case:
    """Hand coordination to another professional or local team, always with a reason. The
    lead of the coordinating team does this (or the coordinator, handing over)."""
    _require(actor, case, CaseRole.LEAD, CaseRole.COORDINATOR)
    _require_open(case)
    reason = _require_text(reason, _("Changing the coordinator needs a reason."))
    if organisation.type != OrganisationType.LOCAL_TEAM or organisation.region_id != case.region_id:
        raise ValidationError(_("A case is coordinated by a local team of its region."))
    if (
        coordinator is not None
        and not coordinator.memberships.filter(
            organisation=organisation, role__group__permissions__codename="coordinate_cases"
        ).exists()
    ):
        raise ValidationError(_("The coordinator must be a coordinator of that local team."))
    now = clock.now()
    for current in case.coordinations.filter(ended_at__isnull=True):
        current.ended_at = now
        current.save(update_fields=["ended_at", "updated_at"])
        _end_involvements(actor, "care.coordination", str(current.pk))
    case.coordinator_organisation = organisation
    case.coordinator = coordinator
    case.save(update_fields=["coordinator_organisation", "coordinator", "updated_at"])
    _coordination_start(actor, case, organisation, coordinator, reason=reason)
    _log(
        actor,
        case,
        "coordinator_change",
        detail={"organisation": organisation.pk, "user": getattr(coordinator, "pk", None)},
    )
    return case


@transaction.atomic
def team_member_join(
    *,
    actor: Actor,
    case: Case,
    organisation: Organisation,
    kind: TeamMemberKind,
    purpose: str,
    user: User | None = None,
) -> TeamMember:
    """Add an organisation (or one professional of it) to the case team and make the
    household's members visible to it. Checks no permission: its callers do."""
    _require_open(case)
    purpose = _require_text(str(purpose), _("A team member is added with a stated purpose."))
    if organisation.region_id != case.region_id:
        raise ValidationError(_("The organisation is not in the case's region."))
    if user is not None and not user.memberships.filter(organisation=organisation).exists():
        raise ValidationError(_("The professional does not work for that organisation."))
    active = case.team.filter(organisation=organisation, ended_at__isnull=True)
    if active.filter(user=user).exists() or active.filter(user__isnull=True).exists():
        raise ValidationError(_("This organisation is already on the case team."))
    member = TeamMember.objects.create(
        case=case,
        organisation=organisation,
        user=user,
        kind=kind,
        purpose=purpose,
        added_at=clock.now(),
        added_by=_user(actor),
    )
    _start_involvements(
        actor,
        case,
        organisation=organisation,
        kind=TEAM_INVOLVEMENT[kind],
        purpose=purpose,
        user=user,
        source_type="care.teammember",
        source_id=str(member.pk),
    )
    _log(
        actor,
        case,
        "team_join",
        detail={
            "organisation": organisation.pk,
            "kind": str(kind),
            "user": getattr(user, "pk", None),
        },
    )
    return member


@transaction.atomic
def team_member_add(
    *,
    actor: Actor,
    case: Case,
    organisation: Organisation,
    purpose: str,
    user: User | None = None,
) -> TeamMember:
    """The coordinator puts a chain partner on the case team."""
    _require(actor, case, CaseRole.COORDINATOR)
    return team_member_join(
        actor=actor,
        case=case,
        organisation=organisation,
        kind=TeamMemberKind.TEAM,
        purpose=purpose,
        user=user,
    )


@transaction.atomic
def team_member_leave(*, actor: Actor, member: TeamMember) -> None:
    """End a team membership and the involvements it gave. Checks no permission."""
    if member.ended_at is not None:
        return
    member.ended_at = clock.now()
    member.save(update_fields=["ended_at", "updated_at"])
    _end_involvements(actor, "care.teammember", str(member.pk))
    _log(actor, member.case, "team_leave", detail={"organisation": member.organisation_id})


@transaction.atomic
def team_member_end(*, actor: Actor, case: Case, member: TeamMember) -> None:
    _require(actor, case, CaseRole.COORDINATOR)
    if member.case_id != case.pk:
        raise ValidationError(_("Not a member of this case's team."))
    team_member_leave(actor=actor, member=member)


# --- the plan --------------------------------------------------------------------------


@transaction.atomic
def condition_add(*, actor: Actor, case: Case, text: str) -> SafetyCondition:
    _require(actor, case, CaseRole.COORDINATOR)
    _require_open(case)
    condition = SafetyCondition.objects.create(
        case=case,
        text=_require_text(text, _("Describe the condition.")),
        set_at=clock.now(),
    )
    _log(actor, case, "condition_add")
    return condition


@transaction.atomic
def condition_status(
    *, actor: Actor, case: Case, condition: SafetyCondition, status: ConditionStatus
) -> SafetyCondition:
    _require(actor, case, CaseRole.COORDINATOR)
    _require_open(case)
    if condition.case_id != case.pk:
        raise ValidationError(_("Not a condition of this case."))
    condition.status = status
    condition.save(update_fields=["status"])
    _log(actor, case, "condition_status", detail={"status": str(status)})
    if status == ConditionStatus.BREACHED:
        _escalate(
            actor, case, EscalationReason.SAFETY_DROPPED, _("A safety condition was breached.")
        )
    return condition


@transaction.atomic
def analysis_record(
    *,
    actor: Actor,
    case: Case,
    risk_factors: Sequence[str],
    protective_factors: str,
    network: str,
    explanation: str,
) -> Analysis:
    """The joint explanatory analysis: risk factors underneath the violence, protective
    factors, the household's own network, and how the violence comes about."""
    _require(actor, case, CaseRole.COORDINATOR)
    _require_open(case)
    analysis = Analysis.objects.create(
        case=case,
        risk_factors=sorted(set(risk_factors)),
        protective_factors=_require_text(protective_factors, _("Name the protective factors.")),
        network=network.strip(),
        explanation=_require_text(explanation, _("Explain how the violence comes about.")),
        recorded_at=clock.now(),
        by=_user(actor),
    )
    _log(actor, case, "analysis", detail={"risk_factors": analysis.risk_factors})
    return analysis


@transaction.atomic
def goal_add(*, actor: Actor, case: Case, phase: Phase, description: str) -> Goal:
    _require(actor, case, CaseRole.COORDINATOR)
    _require_open(case)
    if phase not in GOAL_PHASES:
        raise ValidationError(_("Goals belong to phase 1, 2 or 3."))
    goal = Goal.objects.create(
        case=case,
        phase=phase,
        description=_require_text(description, _("Describe the goal.")),
        created_at=clock.now(),
    )
    _log(actor, case, "goal_add", detail={"phase": str(phase)})
    return goal


@transaction.atomic
def goal_status(*, actor: Actor, case: Case, goal: Goal, status: GoalStatus) -> Goal:
    _require(actor, case, CaseRole.COORDINATOR)
    _require_open(case)
    if goal.case_id != case.pk:
        raise ValidationError(_("Not a goal of this case."))
    goal.status = status
    goal.save(update_fields=["status"])
    _log(actor, case, "goal_status", detail={"status": str(status)})
    return goal


def _team_organisations(case: Case) -> set[int]:
    orgs = set(case.team.filter(ended_at__isnull=True).values_list("organisation_id", flat=True))
    return orgs | {case.coordinator_organisation_id}


@transaction.atomic
def action_add(
    *,
    actor: Actor,
    case: Case,
    description: str,
    owner_organisation: Organisation,
    due_date: dt.date,
    goal: Goal | None = None,
    owner: User | None = None,
) -> PlanAction:
    """An action of the plan, owned by the coordinating team or an organisation on the case
    team (and optionally a named professional of it)."""
    _require(actor, case, CaseRole.COORDINATOR)
    _require_open(case)
    if owner_organisation.pk not in _team_organisations(case):
        raise ValidationError(_("The owner must be on the case team."))
    if goal is not None and goal.case_id != case.pk:
        raise ValidationError(_("Not a goal of this case."))
    if owner is not None and not owner.memberships.filter(organisation=owner_organisation).exists():
        raise ValidationError(_("The owner does not work for that organisation."))
    action = PlanAction.objects.create(
        case=case,
        goal=goal,
        description=_require_text(description, _("Describe the action.")),
        owner_organisation=owner_organisation,
        owner=owner,
        due_date=due_date,
        created_at=clock.now(),
    )
    _log(actor, case, "action_add", detail={"owner": owner_organisation.pk})
    return action


@transaction.atomic
def action_status(
    *, actor: Actor, case: Case, action: PlanAction, status: ActionStatus
) -> PlanAction:
    """The coordinator, or the owning organisation on the team, reports an action's state."""
    _require(actor, case, CaseRole.COORDINATOR, CaseRole.TEAM)
    _require_open(case)
    if action.case_id != case.pk:
        raise ValidationError(_("Not an action of this case."))
    if (
        not actor.is_system
        and case_role(actor, case) == CaseRole.TEAM
        and action.owner_organisation_id != getattr(actor.organisation, "pk", None)
    ):
        raise PermissionDenied(_("Only the owner's organisation reports on this action."))
    action.status = status
    action.completed_at = clock.now() if status == ActionStatus.DONE else None
    action.save(update_fields=["status", "completed_at"])
    _log(actor, case, "action_status", detail={"status": str(status)})
    return action


@dataclass(frozen=True)
class NewAction:
    description: str
    owner_organisation: Organisation
    due_date: dt.date
    owner: User | None = None


@transaction.atomic
def actions_add_from_mda(
    *, actor: Actor, case: Case, goal_description: str, actions: Sequence[NewAction]
) -> list[PlanAction]:
    """The MDA++ plan handed back: one goal in the case's current phase with the actions
    per agency, marked as coming from MDA++. Checks no permission: its caller does."""
    _require_open(case)
    phase = case.phase if case.phase in GOAL_PHASES else Phase.STABLE_SAFETY
    now = clock.now()
    goal = Goal.objects.create(
        case=case,
        phase=phase,
        description=_require_text(goal_description, _("Describe the goal.")),
        created_at=now,
    )
    created = [
        PlanAction.objects.create(
            case=case,
            goal=goal,
            description=a.description,
            owner_organisation=a.owner_organisation,
            owner=a.owner,
            due_date=a.due_date,
            created_at=now,
            from_mda=True,
        )
        for a in actions
    ]
    _log(actor, case, "mda_plan", detail={"actions": len(created)})
    return created


def plan_snapshot(case: Case) -> dict[str, Any]:
    analysis = case.analyses.order_by("-recorded_at", "-pk").first()
    return {
        "phase": case.phase,
        "conditions": [
            {"text": c.text, "status": c.status, "from_veilig_thuis": c.from_veilig_thuis}
            for c in case.conditions.all()
        ],
        "analysis": None
        if analysis is None
        else {
            "risk_factors": analysis.risk_factors,
            "protective_factors": analysis.protective_factors,
            "network": analysis.network,
            "explanation": analysis.explanation,
        },
        "goals": [
            {
                "phase": g.phase,
                "description": g.description,
                "status": g.status,
                "actions": [
                    {
                        "description": a.description,
                        "owner": a.owner_organisation.name,
                        "due": a.due_date.isoformat(),
                        "status": a.status,
                    }
                    for a in g.actions.select_related("owner_organisation")
                ],
            }
            for g in case.goals.all()
        ],
    }


@transaction.atomic
def plan_approve(*, actor: Actor, case: Case, note: str = "") -> PlanVersion:
    """The coordinator approves the plan as it stands: a new version, kept as a snapshot."""
    _require(actor, case, CaseRole.COORDINATOR)
    _require_open(case)
    if not case.goals.exists():
        raise ValidationError(_("A plan needs at least one goal before it is approved."))
    approver = actor.user or case.coordinator
    if approver is None:
        raise ValidationError(_("The plan is approved by the coordinator."))
    last = case.plan_versions.order_by("-number").first()
    version = PlanVersion.objects.create(
        case=case,
        number=(last.number + 1) if last else 1,
        approved_at=clock.now(),
        approved_by=approver,
        note=note.strip(),
        snapshot=plan_snapshot(case),
    )
    _log(actor, case, "plan_approve", detail={"version": version.number})
    return version


@transaction.atomic
def evaluation_plan(*, actor: Actor, case: Case, planned_for: dt.date) -> Evaluation:
    _require(actor, case, CaseRole.COORDINATOR)
    _require_open(case)
    evaluation = Evaluation.objects.create(case=case, planned_for=planned_for)
    _log(actor, case, "evaluation_plan", detail={"planned_for": planned_for.isoformat()})
    return evaluation


@transaction.atomic
def evaluation_record(
    *, actor: Actor, case: Case, evaluation: Evaluation, summary: str
) -> Evaluation:
    _require(actor, case, CaseRole.COORDINATOR)
    if evaluation.case_id != case.pk or evaluation.held_at is not None:
        raise ValidationError(_("This evaluation cannot be recorded."))
    evaluation.summary = _require_text(summary, _("Summarise the evaluation."))
    evaluation.held_at = clock.now()
    evaluation.by = _user(actor)
    evaluation.save(update_fields=["summary", "held_at", "by"])
    _log(actor, case, "evaluation_record")
    return evaluation


# --- safety, phases, escalation --------------------------------------------------------


def latest_safety(case: Case) -> str | None:
    check = case.safety_checks.order_by("-assessed_at", "-pk").first()
    return check.level if check else None


@transaction.atomic
def safety_check_record(*, actor: Actor, case: Case, level: SafetyLevel, note: str) -> SafetyCheck:
    """Record the household's safety. When it drops below the last assessment, the case is
    escalated to the coordinator's lead."""
    _require(actor, case, CaseRole.COORDINATOR)
    _require_open(case)
    previous = latest_safety(case)
    check = SafetyCheck.objects.create(
        case=case,
        level=level,
        assessed_at=clock.now(),
        by=_user(actor),
        note=_require_text(note, _("Explain the safety assessment.")),
    )
    _log(actor, case, "safety_check", detail={"level": str(level)})
    if (
        previous is not None
        and SAFETY_RANK[SafetyLevel(level)] < SAFETY_RANK[SafetyLevel(previous)]
    ):
        _escalate(actor, case, EscalationReason.SAFETY_DROPPED, note)
    return check


def months_later(moment: dt.datetime, months: int) -> dt.datetime:
    month0 = moment.month - 1 + months
    year, month = moment.year + month0 // 12, month0 % 12 + 1
    for day in (moment.day, 30, 29, 28):
        try:
            return moment.replace(year=year, month=month, day=day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _goals_open(case: Case, phase: Phase) -> bool:
    return case.goals.filter(phase=phase, status=GoalStatus.OPEN).exists()


def _pre_stable(case: Case, now: dt.datetime) -> str | None:
    if latest_safety(case) not in (SafetyLevel.DIRECT, SafetyLevel.STABLE):
        return _("Direct safety has not been recorded as reached.")
    if not case.plan_versions.exists():
        return _("The coordinator has not approved a plan yet.")
    if _goals_open(case, Phase.DIRECT_SAFETY):
        return _("Goals of phase 1 are still open.")
    return None


def _pre_recovery(case: Case, now: dt.datetime) -> str | None:
    if latest_safety(case) != SafetyLevel.STABLE:
        return _("Stable safety has not been recorded as reached.")
    if not case.analyses.exists():
        return _("The joint explanatory analysis has not been recorded.")
    if _goals_open(case, Phase.STABLE_SAFETY):
        return _("Goals of phase 2 are still open.")
    return None


def _pre_follow_up(case: Case, now: dt.datetime) -> str | None:
    if latest_safety(case) != SafetyLevel.STABLE:
        return _("Safety is not recorded as stable.")
    if _goals_open(case, Phase.RECOVERY):
        return _("Goals of phase 3 are still open.")
    if not case.screenings.exists():
        return _("No trauma screening has been offered.")
    if case.screenings.filter(outcome=ScreeningOutcome.OFFERED).exists():
        return _("A trauma screening still awaits its outcome.")
    return None


def _pre_pilot_light(case: Case, now: dt.datetime) -> str | None:
    if now < months_later(case.phase_since, FOLLOW_UP_MIN_MONTHS):
        return _("Follow-up lasts at least %(n)d months.") % {"n": FOLLOW_UP_MIN_MONTHS}
    analysis = case.analyses.order_by("-recorded_at", "-pk").first()
    if analysis is None or not analysis.network.strip():
        return _("Name the household's network that keeps the pilot light burning.")
    return None


PRECONDITIONS: dict[str, Callable[[Case, dt.datetime], str | None]] = {
    Phase.STABLE_SAFETY: _pre_stable,
    Phase.RECOVERY: _pre_recovery,
    Phase.FOLLOW_UP: _pre_follow_up,
    Phase.PILOT_LIGHT: _pre_pilot_light,
}


def phase_blocker(case: Case, to_phase: str, now: dt.datetime | None = None) -> str | None:
    """Why the case may not move to ``to_phase`` now; None when it may."""
    if to_phase not in TRANSITIONS[case.phase]:
        return _("A case in %(a)s cannot move to %(b)s.") % {
            "a": Phase(case.phase).label,
            "b": Phase(to_phase).label,
        }
    check = PRECONDITIONS.get(to_phase)
    if check is None or to_phase == Phase.DIRECT_SAFETY:
        return None
    return check(case, now or clock.now())


@transaction.atomic
def phase_change(*, actor: Actor, case: Case, to_phase: Phase, reason: str = "") -> Case:
    """Move the case to another phase when its preconditions are recorded. Back to direct
    safety needs a reason and escalates the case. Closing goes through ``case_close``."""
    _require(actor, case, CaseRole.COORDINATOR)
    if to_phase == Phase.CLOSED:
        raise ValidationError(_("Close a case with a reason and a final safety assessment."))
    now = clock.now()
    blocker = phase_blocker(case, to_phase, now)
    if blocker:
        raise ValidationError(blocker)
    if to_phase == Phase.DIRECT_SAFETY:
        reason = _require_text(reason, _("Going back to direct safety needs a reason."))
    _move(actor, case, to_phase, now, reason)
    if to_phase == Phase.DIRECT_SAFETY:
        _escalate(actor, case, EscalationReason.SAFETY_DROPPED, reason)
    return case


def _move(
    actor: Actor,
    case: Case,
    to_phase: str,
    now: dt.datetime,
    reason: str,
    also_save: Sequence[str] = (),
) -> None:
    PhaseChange.objects.create(
        case=case, from_phase=case.phase, to_phase=to_phase, at=now, by=_user(actor), reason=reason
    )
    from_phase = case.phase
    case.phase = to_phase
    case.phase_since = now
    case.save(update_fields=["phase", "phase_since", *also_save, "updated_at"])
    _log(actor, case, "phase", detail={"from": str(from_phase), "to": str(to_phase)})


@transaction.atomic
def case_close(
    *,
    actor: Actor,
    case: Case,
    reason: CloseReason,
    final_safety: SafetyLevel,
    note: str = "",
) -> Case:
    """Close a case: only with a reason and a final safety assessment. The involvements the
    case gave end; open escalations are closed with it."""
    _require(actor, case, CaseRole.COORDINATOR)
    _require_open(case)
    if not reason or reason not in CloseReason.values:
        raise ValidationError(_("A case is closed with a reason."))
    if not final_safety or final_safety not in SafetyLevel.values:
        raise ValidationError(_("A case is closed with a final safety assessment."))
    if reason == CloseReason.LASTING_SAFETY and final_safety != SafetyLevel.STABLE:
        raise ValidationError(_("Lasting safety needs a final assessment of stable safety."))
    if reason == CloseReason.OTHER and not note.strip():
        raise ValidationError(_("Explain the reason for closing."))
    now = clock.now()
    SafetyCheck.objects.create(
        case=case,
        level=final_safety,
        assessed_at=now,
        by=_user(actor),
        note=note.strip() or str(CloseReason(reason).label),
    )
    case.close_reason = reason
    case.final_safety = final_safety
    case.close_note = note.strip()
    case.closed_at = now
    _move(
        actor,
        case,
        Phase.CLOSED,
        now,
        note.strip() or str(CloseReason(reason).label),
        also_save=("close_reason", "final_safety", "close_note", "closed_at"),
    )
    case.escalations.filter(resolved_at__isnull=True).update(
        resolved_at=now, resolution=str(_("The case was closed."))
    )
    for member in case.team.filter(ended_at__isnull=True):
        team_member_leave(actor=actor, member=member)
    for coordination in case.coordinations.filter(ended_at__isnull=True):
        coordination.ended_at = now
        coordination.save(update_fields=["ended_at", "updated_at"])
        _end_involvements(actor, "care.coordination", str(coordination.pk))
    return case


def _escalate(actor: Actor, case: Case, reason: EscalationReason, note: str) -> Escalation:
    escalation = Escalation.objects.create(
        case=case, reason=reason, note=note, raised_at=clock.now(), raised_by=_user(actor)
    )
    _log(actor, case, "escalate", detail={"reason": str(reason)})
    return escalation


@transaction.atomic
def escalate(*, actor: Actor, case: Case, reason: EscalationReason, note: str) -> Escalation:
    """Opschalen: the coordinator or a team member brings the case to the coordinator's
    lead."""
    _require(actor, case, CaseRole.COORDINATOR, CaseRole.TEAM)
    _require_open(case)
    return _escalate(actor, case, reason, _require_text(note, _("Say why you escalate.")))


@transaction.atomic
def escalation_resolve(*, actor: Actor, escalation: Escalation, resolution: str) -> Escalation:
    case = escalation.case
    if not actor.is_system and not actor.has_perm(LEAD_CASES):
        raise PermissionDenied(LEAD_CASES)
    _require(actor, case, CaseRole.LEAD)
    if escalation.resolved_at is not None:
        raise ValidationError(_("This escalation has been dealt with already."))
    escalation.resolution = _require_text(resolution, _("Say what was decided."))
    escalation.resolved_at = clock.now()
    escalation.resolved_by = _user(actor)
    escalation.save(update_fields=["resolution", "resolved_at", "resolved_by"])
    _log(actor, case, "escalation_resolve")
    return escalation


# --- trauma screening and refusal of help ----------------------------------------------


def _require_member(case: Case, person: Person) -> None:
    if person.pk not in {p.pk for p in household_persons(case)}:
        raise ValidationError(_("That person is not a member of the household."))


@transaction.atomic
def screening_offer(
    *, actor: Actor, case: Case, person: Person, role: ScreeningRole
) -> TraumaScreening:
    _require(actor, case, CaseRole.COORDINATOR)
    _require_open(case)
    _require_member(case, person)
    if case.screenings.filter(person=person, role=role).exists():
        raise ValidationError(_("A screening was already offered to this person in this role."))
    screening = TraumaScreening.objects.create(
        case=case, person=person, role=role, offered_at=clock.now(), by=_user(actor)
    )
    _log(actor, case, "screening_offer", detail={"role": str(role)})
    return screening


@transaction.atomic
def screening_outcome(
    *,
    actor: Actor,
    case: Case,
    screening: TraumaScreening,
    outcome: ScreeningOutcome,
    referral: str = "",
) -> TraumaScreening:
    _require(actor, case, CaseRole.COORDINATOR)
    if screening.case_id != case.pk or screening.outcome != ScreeningOutcome.OFFERED:
        raise ValidationError(_("This screening's outcome cannot be recorded."))
    if outcome == ScreeningOutcome.OFFERED:
        raise ValidationError(_("Record what came of the screening."))
    if outcome == ScreeningOutcome.INDICATION and not referral.strip():
        raise ValidationError(_("An indication for trauma treatment needs a referral."))
    screening.outcome = outcome
    screening.outcome_at = clock.now()
    screening.referral = referral.strip()
    screening.save(update_fields=["outcome", "outcome_at", "referral", "updated_at"])
    _log(actor, case, "screening_outcome", detail={"outcome": str(outcome)})
    return screening


@transaction.atomic
def refusal_record(
    *,
    actor: Actor,
    case: Case,
    person: Person,
    what_refused: str,
    drang_steps: Sequence[str],
    next_step: str = "",
) -> HelpRefusal:
    """Help refused, with the drang steps taken (outside the compulsory frame)."""
    _require(actor, case, CaseRole.COORDINATOR)
    _require_open(case)
    _require_member(case, person)
    steps = sorted(set(drang_steps))
    if not steps or not set(steps) <= set(DrangStep.values):
        raise ValidationError(_("Record which drang steps were taken."))
    refusal = HelpRefusal.objects.create(
        case=case,
        person=person,
        recorded_at=clock.now(),
        what_refused=_require_text(what_refused, _("Say what help was refused.")),
        drang_steps=steps,
        next_step=next_step.strip(),
        by=_user(actor),
    )
    _log(actor, case, "refusal", detail={"drang_steps": steps})
    return refusal


def open_actions(case: Case) -> Any:
    return case.actions.filter(status__in=OPEN_ACTION_STATUSES)
