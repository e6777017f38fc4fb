"""Reads of chain care, for the actor: only the cases ``care.policy`` lets them see, and
every read of a case written to the access log."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ketenradar.access import policy as access_policy
from ketenradar.accounts.actor import Actor
from ketenradar.audit import services as audit
from ketenradar.audit.constants import AuditAction
from ketenradar.care import services
from ketenradar.care.constants import (
    ESCALATE_AFTER_DAYS_OVERDUE,
    FOLLOW_UP_MAX_MONTHS,
    FOLLOW_UP_MIN_MONTHS,
    GOAL_PHASES,
    OPEN_ACTION_STATUSES,
    TRANSITIONS,
    Phase,
)
from ketenradar.care.models import Case, Escalation, Goal, PlanAction
from ketenradar.care.policy import (
    COORDINATE_CASES,
    LEAD_CASES,
    VIEW_CASES,
    CaseRole,
    case_role,
    visible_cases,
)
from ketenradar.core import clock, timeline
from ketenradar.core.notices import Notice, Severity, severity_for
from ketenradar.persons.models import Household, Person
from ketenradar.reports.models import ContactPerson, Dossier

ROLE_LABELS = {
    CaseRole.COORDINATOR: _("coordinator"),
    CaseRole.LEAD: _("lead of the coordinating team"),
    CaseRole.TEAM: _("on the case team"),
    CaseRole.NONE: _("none"),
}
ALL_ROLES = frozenset({CaseRole.COORDINATOR, CaseRole.LEAD, CaseRole.TEAM})


def case_for(
    *,
    actor: Actor,
    case_uuid: uuid.UUID | str,
    roles: Collection[CaseRole] = ALL_ROLES,
    action: AuditAction = AuditAction.UPDATE,
) -> Case:
    """The case, when the actor has one of ``roles`` in it; otherwise 403, logged per
    household member. 404 when no such case exists."""
    case = (
        Case.objects.select_related("household", "municipality", "coordinator_organisation")
        .filter(uuid=case_uuid)
        .first()
    )
    if case is None:
        raise Http404
    role = case_role(actor, case)
    if role not in roles:
        audit.record_denied(
            actor=actor,
            action=action,
            object_type="care.case",
            object_id=case.uuid.hex,
            person_ids=[p.pk for p in services.household_persons(case)] or [None],
            reason="not the coordinator, the lead or on the case team"
            if role == CaseRole.NONE
            else f"needs {', '.join(sorted(r.value for r in roles))}",
        )
        raise PermissionDenied(VIEW_CASES)
    return case


@dataclass
class PhaseOption:
    phase: str
    label: str
    blocker: str | None


@dataclass
class GoalBlock:
    phase: str
    label: str
    goals: list[Goal]
    loose_actions: list[PlanAction] = field(default_factory=list)


@dataclass
class CaseDetail:
    case: Case
    role: CaseRole
    members: list[Person]
    goals_by_phase: list[GoalBlock]
    phase_options: list[PhaseOption]
    latest_safety: str | None
    overdue_actions: list[PlanAction]
    open_escalations: list[Escalation]
    data: dict[str, Any]

    @property
    def role_label(self) -> str:
        return str(ROLE_LABELS[self.role])

    @property
    def is_coordinator(self) -> bool:
        return self.role == CaseRole.COORDINATOR

    @property
    def is_lead(self) -> bool:
        return self.role == CaseRole.LEAD


def case_detail(*, actor: Actor, case_uuid: uuid.UUID | str) -> CaseDetail:
    """The case page: the household, the plan, the phases and their history."""
    case = case_for(actor=actor, case_uuid=case_uuid, action=AuditAction.READ)
    role = case_role(actor, case)
    members = services.household_persons(case)
    today = clock.today()
    goals = list(case.goals.prefetch_related("actions__owner_organisation", "actions__owner"))
    blocks = [
        GoalBlock(p.value, str(p.label), [g for g in goals if g.phase == p.value])
        for p in GOAL_PHASES
    ]
    actions = list(case.actions.select_related("owner_organisation", "owner"))
    blocks[0].loose_actions = [a for a in actions if a.goal_id is None]
    options = [
        PhaseOption(p, str(Phase(p).label), services.phase_blocker(case, p))
        for p in sorted(TRANSITIONS[case.phase], key=lambda p: list(Phase.values).index(p))
        if p != Phase.CLOSED
    ]
    with transaction.atomic():
        audit.record(
            actor=actor,
            action=AuditAction.READ,
            object_type="care.case",
            object_id=case.uuid.hex,
            person_ids=[p.pk for p in members] or [None],
            detail={"role": role.value},
        )
    return CaseDetail(
        case=case,
        role=role,
        members=members,
        goals_by_phase=blocks,
        phase_options=options,
        latest_safety=services.latest_safety(case),
        overdue_actions=[
            a for a in actions if a.status in OPEN_ACTION_STATUSES and a.due_date < today
        ],
        open_escalations=list(case.escalations.filter(resolved_at__isnull=True)),
        data={
            "team": list(
                case.team.filter(ended_at__isnull=True).select_related("organisation", "user")
            ),
            "former_team": list(
                case.team.filter(ended_at__isnull=False).select_related("organisation", "user")
            ),
            "coordinations": list(case.coordinations.select_related("organisation", "user")),
            "conditions": list(case.conditions.all()),
            "analysis": case.analyses.order_by("-recorded_at", "-pk").first(),
            "versions": list(case.plan_versions.select_related("approved_by")),
            "evaluations": list(case.evaluations.all()),
            "safety_checks": list(case.safety_checks.select_related("by")),
            "escalations": list(case.escalations.all()),
            "screenings": list(case.screenings.select_related("person")),
            "refusals": list(case.refusals.select_related("person")),
            "phase_changes": list(case.phase_changes.select_related("by")),
        },
    )


@dataclass
class CaseLists:
    coordinating: list[Case]
    on_team: list[Case]
    team_lead: list[Case] | None  # the lead's: every open case of the team


def case_lists(*, actor: Actor) -> CaseLists:
    """The cases on the actor's list: those they coordinate, those their organisation (or
    they) are on the team of, and for a lead every open case of the team. Listing names
    households, so it is logged per member."""
    if not actor.has_perm(VIEW_CASES) or actor.user is None:
        raise PermissionDenied(VIEW_CASES)
    visible = visible_cases(actor).select_related("household", "municipality", "coordinator")
    open_cases = visible.exclude(phase=Phase.CLOSED)
    coordinating: list[Case] = []
    if actor.has_perm(COORDINATE_CASES):
        coordinating = list(
            open_cases.filter(
                coordinator=actor.user, coordinator_organisation=actor.organisation
            ).order_by("opened_at")
        )
    shown = {c.pk for c in coordinating}
    on_team = [
        c for c in open_cases.order_by("opened_at") if c.pk not in shown and _on_team(actor, c)
    ]
    lead = None
    if actor.has_perm(LEAD_CASES):
        lead = list(
            open_cases.filter(coordinator_organisation=actor.organisation).order_by("opened_at")
        )
    households = {c.household_id for c in coordinating + on_team + (lead or [])}
    record_households_shown(actor, AuditAction.LIST, "care.case", households)
    return CaseLists(coordinating, on_team, lead)


def record_households_shown(
    actor: Actor,
    action: AuditAction,
    object_type: str,
    household_ids: Collection[int],
    object_id: str = "",
) -> None:
    """A household's name names its members: one event per member of the households shown
    (in the caller's transaction, if any); the members the actor sees only through
    break-glass are flagged (as ``persons.selectors._record_shown`` does)."""
    person_ids = sorted(
        set(
            Person.objects.filter(household_memberships__household_id__in=household_ids)
            .values_list("pk", flat=True)
            .distinct()
        )
    )
    if not person_ids:
        return
    visible = access_policy.visible_persons(actor, Person.objects.filter(pk__in=person_ids))
    glass = access_policy.break_glass_only(actor, list(visible.values_list("pk", flat=True)))
    with transaction.atomic():
        for flagged in (False, True):
            group = [i for i in person_ids if (i in glass) == flagged]
            if group:
                audit.record(
                    actor=actor,
                    action=action,
                    object_type=object_type,
                    object_id=object_id,
                    person_ids=group,
                    break_glass=flagged,
                )


def _on_team(actor: Actor, case: Case) -> bool:
    return case_role(actor, case) == CaseRole.TEAM


@dataclass
class EscalationRow:
    case: Case
    reason: str
    since: dt.datetime | dt.date
    escalation: Escalation | None  # None: raised by the overdue actions themselves


def escalations_for_lead(*, actor: Actor) -> list[EscalationRow]:
    """What the coordinator's lead must look at: open escalations of the team's cases, and
    cases with an action overdue by more than two weeks (they escalate by themselves). The
    rows name the households: their members are logged (``list``) with the read."""
    if not actor.has_perm(LEAD_CASES) or actor.organisation is None:
        raise PermissionDenied(LEAD_CASES)
    with transaction.atomic():
        rows = _escalation_rows(actor)
        households = {r.case.household_id for r in rows}
        record_households_shown(actor, AuditAction.LIST, "care.escalation", households)
    return rows


def _escalation_rows(actor: Actor) -> list[EscalationRow]:
    cases = Case.objects.filter(coordinator_organisation=actor.organisation).exclude(
        phase=Phase.CLOSED
    )
    rows = [
        EscalationRow(e.case, e.get_reason_display(), e.raised_at, e)
        for e in Escalation.objects.filter(case__in=cases, resolved_at__isnull=True)
        .select_related("case__household")
        .order_by("raised_at")
    ]
    limit = clock.today() - dt.timedelta(days=ESCALATE_AFTER_DAYS_OVERDUE)
    late = PlanAction.objects.filter(
        case=OuterRef("pk"), status__in=OPEN_ACTION_STATUSES, due_date__lt=limit
    )
    for case in cases.filter(Exists(late)).select_related("household"):
        oldest = case.actions.filter(status__in=OPEN_ACTION_STATUSES).order_by("due_date").first()
        assert oldest is not None
        rows.append(EscalationRow(case, str(_("actions overdue")), oldest.due_date, None))
    return rows


def _url(case: Case) -> str:
    return reverse("care:detail", kwargs={"uuid": case.uuid})


def notices_for(*, actor: Actor, now: dt.datetime) -> list[Notice]:
    """Overdue and due actions (the actor's organisation's, or every action of the cases
    they coordinate), evaluations due, open escalations (coordinator and lead), and
    follow-up that has lasted long enough to hand over to the pilot light."""
    if not actor.has_perm(VIEW_CASES) or actor.user is None:
        return []
    notices: list[Notice] = []
    soon = dt.timedelta(days=7)
    visible = visible_cases(actor).exclude(phase=Phase.CLOSED)
    coordinated = visible.filter(
        coordinator=actor.user, coordinator_organisation=actor.organisation
    )
    actions = PlanAction.objects.filter(
        case__in=visible,
        status__in=OPEN_ACTION_STATUSES,
        due_date__lte=timezone.localdate(now + soon),
    ).select_related("case")
    for action in actions:
        if action.case.coordinator_id != actor.user.pk and action.owner_organisation_id != getattr(
            actor.organisation, "pk", None
        ):
            continue
        due = _end_of_day(action.due_date, now)
        notices.append(
            Notice(
                "care_action",
                _("Action of case %(ref)s") % {"ref": action.case.reference},
                due,
                _url(action.case),
                severity_for(due, now, soon=soon),
            )
        )
    for case in coordinated:
        for evaluation in case.evaluations.filter(
            held_at__isnull=True, planned_for__lte=timezone.localdate(now + soon)
        ):
            due = _end_of_day(evaluation.planned_for, now)
            notices.append(
                Notice(
                    "care_evaluation",
                    _("Evaluation of case %(ref)s") % {"ref": case.reference},
                    due,
                    _url(case),
                    severity_for(due, now, soon=soon),
                )
            )
        if case.phase == Phase.FOLLOW_UP:
            # follow-up lasts 12 to 18 months: the pilot light is due from 12, overdue at 18
            due = services.months_later(case.phase_since, FOLLOW_UP_MIN_MONTHS)
            limit = services.months_later(case.phase_since, FOLLOW_UP_MAX_MONTHS)
            if due <= now + soon:
                notices.append(
                    Notice(
                        "care_pilot_light",
                        _("Case %(ref)s: 12 months of follow-up, decide on the pilot light")
                        % {"ref": case.reference},
                        limit if now >= due else due,
                        _url(case),
                        Severity.OVERDUE if now >= limit else Severity.DUE,
                    )
                )
    escalated = Escalation.objects.filter(resolved_at__isnull=True, case__in=visible)
    if not actor.has_perm(LEAD_CASES):
        escalated = escalated.filter(case__in=coordinated)
    for escalation in escalated.select_related("case"):
        notices.append(
            Notice(
                "care_escalation",
                _("Escalation of case %(ref)s: %(reason)s")
                % {"ref": escalation.case.reference, "reason": escalation.get_reason_display()},
                escalation.raised_at,
                _url(escalation.case),
                Severity.OVERDUE,
            )
        )
    return notices


def _end_of_day(day: dt.date, now: dt.datetime) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59)))


def open_cases_of(*, household_ids: Collection[int]) -> QuerySet[Case]:
    """Open cases of these households (no client data: used to say a case exists)."""
    return Case.objects.filter(household_id__in=household_ids).exclude(phase=Phase.CLOSED)


def household_for_case(*, actor: Actor, household_uuid: uuid.UUID | str) -> Household:
    """A household the actor may open a case for: one with a member they may see. The page
    names the household: its members are logged (``read``)."""
    household = Household.objects.filter(uuid=household_uuid).first()
    if household is None:
        raise Http404
    if not access_policy.visible_households(
        actor, Household.objects.filter(pk=household.pk)
    ).exists():
        raise PermissionDenied("no involvement with this household")
    record_households_shown(
        actor, AuditAction.READ, "persons.household", [household.pk], household.uuid.hex
    )
    return household


def handover_households(
    *, actor: Actor, dossier_uuid: uuid.UUID | str
) -> tuple[Dossier, list[Household]]:
    """A dossier of the actor's own Veilig Thuis and the households of its persons that the
    actor may see: what a handover can make a case of."""
    dossier = Dossier.objects.filter(uuid=dossier_uuid).first()
    if dossier is None:
        raise Http404
    if actor.organisation is None or dossier.organisation_id != actor.organisation.pk:
        raise PermissionDenied("not this Veilig Thuis's dossier")
    person_ids = ContactPerson.objects.filter(contact__dossier=dossier).values("person_id")
    with transaction.atomic():
        households = list(
            access_policy.visible_households(
                actor, Household.objects.filter(memberships__person_id__in=person_ids).distinct()
            ).order_by("pk")
        )
        # the form names the households to choose from: their members are logged
        record_households_shown(
            actor, AuditAction.LIST, "persons.household", [h.pk for h in households]
        )
    return dossier, households


def timeline_for(*, actor: Actor, person: Person) -> list[timeline.Entry]:
    """The cases of the person's households that the actor may see (coordinator, team,
    lead): a chain partner sees its own cases only."""
    cases = (
        visible_cases(actor)
        .filter(household__memberships__person=person)
        .select_related("coordinator_organisation")
        .distinct()
    )
    return [
        timeline.Entry(
            kind="case",
            label=_("Case"),
            title=str(case),
            started=case.opened_at,
            ended=case.closed_at,
            status=case.get_phase_display(),
            organisation=case.coordinator_organisation.name,
            url=reverse("care:detail", args=[case.uuid]),
        )
        for case in cases
    ]
