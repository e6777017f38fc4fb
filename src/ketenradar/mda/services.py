"""Writes on MDA++: referring a case, deciding on it, planning and holding a conference,
weighing each case, actions per agency, and handing the plan back to the coordinator.

Every write checks the permission at the top, works in one transaction and writes its
access-log events (with the persons of the case's household) in that same transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ketenradar.accounts.actor import Actor
from ketenradar.accounts.models import User
from ketenradar.audit import services as audit
from ketenradar.audit.constants import AuditAction
from ketenradar.care import services as care_services
from ketenradar.care.constants import TeamMemberKind
from ketenradar.care.models import Case
from ketenradar.care.policy import CaseRole, case_role
from ketenradar.core import clock
from ketenradar.mda import policy
from ketenradar.mda.constants import (
    AGENDA_STATUSES,
    CRITERION_FIELDS,
    MIN_FURTHER_CRITERIA,
    OPEN_STATUSES,
    REQUIRED_CRITERION,
    TRANSITIONS,
    Criterion,
    ReferralStatus,
)
from ketenradar.mda.models import Conference, ConferenceAction, ConferenceCase, Referral
from ketenradar.regions.models import Organisation

REFER = policy.REFER
RUN = policy.RUN


@dataclass(frozen=True)
class CriterionAnswer:
    met: bool
    motivation: str = ""


def household_person_ids(case: Case) -> list[int]:
    """The persons of the case's household: whom an MDA++ record is about (for the log)."""
    return [p.pk for p in care_services.household_persons(case)]


def check_criteria(criteria: dict[str, CriterionAnswer]) -> None:
    """The referral rule (docs/mda.md): each criterion ticked has a motivation; structural
    unsafety is met; and at least ``MIN_FURTHER_CRITERIA`` of the other four."""
    errors = []
    for criterion in Criterion:
        answer = criteria.get(criterion, CriterionAnswer(met=False))
        if answer.met and not answer.motivation.strip():
            errors.append(
                _("Explain why this criterion is met: %(criterion)s.")
                % {"criterion": criterion.label}
            )
    if errors:
        raise ValidationError(errors)
    if not criteria.get(REQUIRED_CRITERION, CriterionAnswer(met=False)).met:
        raise ValidationError(
            _("MDA++ is for structurally unsafe situations: structural unsafety must be met.")
        )
    further = sum(
        1
        for c in Criterion
        if c != REQUIRED_CRITERION and criteria.get(c, CriterionAnswer(False)).met
    )
    if further < MIN_FURTHER_CRITERIA:
        raise ValidationError(
            _(
                "Besides structural unsafety, at least %(n)d of the other criteria must be met "
                "for MDA++."
            )
            % {"n": MIN_FURTHER_CRITERIA}
        )


def _move(referral: Referral, to: ReferralStatus) -> None:
    if to not in TRANSITIONS[referral.status]:
        raise ValidationError(
            _("A referral that is %(from)s cannot become %(to)s.")
            % {"from": referral.get_status_display(), "to": to.label}
        )
    referral.status = to


def _require_run(actor: Actor, organisation_id: int) -> None:
    if not actor.has_perm(RUN):
        raise PermissionDenied(RUN)
    if not policy.runs_mda_of(actor, organisation_id):
        raise PermissionDenied("not this MDA++ organisation")


def _log(
    actor: Actor,
    action: AuditAction,
    obj: Referral | Conference | ConferenceCase | ConferenceAction,
    cases: Sequence[Case],
    **detail: object,
) -> None:
    """One event per person of the households concerned."""
    uid = getattr(obj, "uuid", None)
    audit.record(
        actor=actor,
        action=action,
        object_type=f"mda.{type(obj).__name__.lower()}",
        object_id=uid.hex if uid is not None else obj.pk,
        person_ids=[p for case in cases for p in household_person_ids(case)] or [None],
        detail=dict(detail) or None,
    )


@transaction.atomic
def referral_create(
    *,
    actor: Actor,
    case: Case,
    mda_organisation: Organisation,
    criteria: dict[str, CriterionAnswer],
    question: str,
) -> Referral:
    """The coordinator refers their case to MDA++ when the criteria are met; one open
    referral per case."""
    if not actor.has_perm(REFER):
        raise PermissionDenied(REFER)
    if case_role(actor, case) != CaseRole.COORDINATOR:
        raise PermissionDenied("only the case's coordinator refers it to MDA++")
    if not case.is_open:
        raise ValidationError(_("A closed case cannot be referred to MDA++."))
    if not policy.mda_organisations(case.region_id).filter(pk=mda_organisation.pk).exists():
        raise ValidationError(_("Choose an MDA++ organisation of the case's region."))
    if not question.strip():
        raise ValidationError(_("State the question to MDA++."))
    check_criteria(criteria)
    if Referral.objects.select_for_update().filter(case=case, status__in=OPEN_STATUSES).exists():
        raise ValidationError(_("This case already has an open MDA++ referral."))
    assert actor.user is not None
    values: dict[str, object] = {}
    for criterion, field in CRITERION_FIELDS.items():
        answer = criteria.get(criterion, CriterionAnswer(met=False))
        values[field] = answer.met
        values[f"{field}_motivation"] = answer.motivation.strip() if answer.met else ""
    referral = Referral.objects.create(
        case=case,
        mda_organisation=mda_organisation,
        referred_at=clock.now(),
        referred_by=actor.user,
        question=question.strip(),
        **values,
    )
    _log(actor, AuditAction.CREATE, referral, [case], mda_organisation=mda_organisation.pk)
    return referral


@transaction.atomic
def referral_accept(*, actor: Actor, referral: Referral) -> Referral:
    """The core team accepts: the MDA++ organisation joins the case team (kind ``mda``), so
    its members now see the case through ``care.policy``."""
    _require_run(actor, referral.mda_organisation_id)
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    _move(referral, ReferralStatus.ACCEPTED)
    if not referral.case.is_open:
        raise ValidationError(_("The case has been closed in the meantime."))
    member = care_services.team_member_join(
        actor=actor,
        case=referral.case,
        organisation=referral.mda_organisation,
        kind=TeamMemberKind.MDA,
        purpose=_("MDA++: referral %(ref)s accepted by the core team")
        % {"ref": referral.reference},
    )
    assert actor.user is not None
    referral.decided_at = clock.now()
    referral.decided_by = actor.user
    referral.team_member = member
    referral.save(update_fields=["status", "decided_at", "decided_by", "team_member", "updated_at"])
    _log(actor, AuditAction.UPDATE, referral, [referral.case], status=str(referral.status))
    return referral


@transaction.atomic
def referral_decline(*, actor: Actor, referral: Referral, reason: str) -> Referral:
    """The core team declines, with a reason the coordinator reads."""
    _require_run(actor, referral.mda_organisation_id)
    if not reason.strip():
        raise ValidationError(_("State why MDA++ declines the referral."))
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    _move(referral, ReferralStatus.DECLINED)
    assert actor.user is not None
    referral.decided_at = clock.now()
    referral.decided_by = actor.user
    referral.decline_reason = reason.strip()
    referral.save(
        update_fields=["status", "decided_at", "decided_by", "decline_reason", "updated_at"]
    )
    _log(actor, AuditAction.UPDATE, referral, [referral.case], status=str(referral.status))
    return referral


@transaction.atomic
def conference_plan(
    *,
    actor: Actor,
    planned_at: dt.datetime,
    referrals: Sequence[Referral],
    chair: User | None = None,
) -> Conference:
    """Plan a conference of the actor's MDA++ with an agenda of accepted referrals (or ones
    already discussed, for a follow-up)."""
    if not actor.has_perm(RUN) or actor.organisation is None or actor.user is None:
        raise PermissionDenied(RUN)
    if not referrals:
        raise ValidationError(_("Put at least one accepted referral on the agenda."))
    locked = list(
        Referral.objects.select_for_update()
        .filter(pk__in=[r.pk for r in referrals])
        .select_related("case")
        .order_by("referred_at", "pk")
    )
    for referral in locked:
        _require_run(actor, referral.mda_organisation_id)
        if referral.status not in AGENDA_STATUSES:
            raise ValidationError(
                _("Referral %(ref)s is %(status)s and cannot go on the agenda.")
                % {"ref": referral.reference, "status": referral.get_status_display()}
            )
    conference = Conference.objects.create(
        mda_organisation=actor.organisation,
        planned_at=planned_at,
        chair=chair or actor.user,
        created_at=clock.now(),
        created_by=actor.user,
    )
    _log(actor, AuditAction.CREATE, conference, [r.case for r in locked], agenda=len(locked))
    for referral in locked:
        if referral.status == ReferralStatus.ACCEPTED:
            _move(referral, ReferralStatus.ON_AGENDA)
            referral.save(update_fields=["status", "updated_at"])
        ConferenceCase.objects.create(conference=conference, referral=referral)
        _log(
            actor,
            AuditAction.UPDATE,
            referral,
            [referral.case],
            status=str(referral.status),
            conference=conference.uuid.hex,
        )
    return conference


@transaction.atomic
def conference_case_weigh(
    *,
    actor: Actor,
    conference_case: ConferenceCase,
    risk_factors: str,
    protective_factors: str,
    global_plan: str,
) -> ConferenceCase:
    """The core team's weighing of one case: risk and protective factors, the global plan."""
    referral = conference_case.referral
    _require_run(actor, conference_case.conference.mda_organisation_id)
    if referral.status != ReferralStatus.ON_AGENDA:
        raise ValidationError(_("This referral has already been handed back."))
    if not (risk_factors.strip() and protective_factors.strip() and global_plan.strip()):
        raise ValidationError(
            _("Record the risk factors, the protective factors and the global plan.")
        )
    conference_case.risk_factors = risk_factors.strip()
    conference_case.protective_factors = protective_factors.strip()
    conference_case.global_plan = global_plan.strip()
    conference_case.weighed_at = clock.now()
    conference_case.weighed_by = actor.user
    conference_case.save()
    _log(actor, AuditAction.UPDATE, conference_case, [referral.case], weighed=True)
    return conference_case


@transaction.atomic
def conference_action_add(
    *,
    actor: Actor,
    conference_case: ConferenceCase,
    agency: Organisation,
    description: str,
    due_date: dt.date,
    owner_name: str = "",
    owner: User | None = None,
) -> ConferenceAction:
    """An action of the global plan for one agency, with its owner and date."""
    referral = conference_case.referral
    _require_run(actor, conference_case.conference.mda_organisation_id)
    if referral.status != ReferralStatus.ON_AGENDA:
        raise ValidationError(_("This referral has already been handed back."))
    if agency.region_id != referral.case.region_id:
        raise ValidationError(_("Choose an agency of the case's region."))
    if not description.strip():
        raise ValidationError(_("Describe the action."))
    action = ConferenceAction.objects.create(
        conference_case=conference_case,
        agency=agency,
        owner=owner,
        owner_name=owner_name.strip(),
        description=description.strip(),
        due_date=due_date,
        created_at=clock.now(),
    )
    _log(actor, AuditAction.CREATE, action, [referral.case], agency=agency.pk)
    return action


@transaction.atomic
def conference_hold(
    *,
    actor: Actor,
    conference: Conference,
    participants: str,
    participant_organisations: Sequence[Organisation],
    next_conference_on: dt.date | None,
) -> Conference:
    """Record that the conference was held: who took part and when the next one is."""
    _require_run(actor, conference.mda_organisation_id)
    if conference.held_at is not None:
        raise ValidationError(_("This conference has already been recorded as held."))
    if not participants.strip() or not participant_organisations:
        raise ValidationError(_("Record the participants and their agencies."))
    now = clock.now()
    if next_conference_on is not None and next_conference_on <= timezone.localdate(now):
        raise ValidationError(_("The next conference lies in the future."))
    conference.held_at = now
    conference.participants = participants.strip()
    conference.next_conference_on = next_conference_on
    conference.save(update_fields=["held_at", "participants", "next_conference_on"])
    conference.participant_organisations.set(participant_organisations)
    cases = [c.referral.case for c in conference.cases.select_related("referral__case")]
    _log(actor, AuditAction.UPDATE, conference, cases, held=True)
    return conference


@transaction.atomic
def plan_hand_back(*, actor: Actor, referral: Referral) -> Referral:
    """Hand the global plan back to the case's coordinator: the latest weighed global plan
    becomes a goal of the case's current phase and every conference action of the referral
    (from all its conferences) becomes a plan action (``from_mda``). MDA++'s part is then
    done: its organisation leaves the case team, which ends its need-to-know (docs/mda.md)."""
    _require_run(actor, referral.mda_organisation_id)
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if ReferralStatus.HANDED_BACK not in TRANSITIONS[referral.status]:
        _move(referral, ReferralStatus.HANDED_BACK)  # raises: names the current status
    weighed = (
        referral.conference_cases.filter(conference__held_at__isnull=False)
        .exclude(global_plan="")
        .order_by("-conference__held_at", "-pk")
        .first()
    )
    if weighed is None:
        raise ValidationError(
            _("Hand back after a held conference has weighed the case and set a global plan.")
        )
    actions = list(
        ConferenceAction.objects.filter(
            conference_case__referral=referral, plan_action__isnull=True
        ).select_related("agency", "owner")
    )
    if not actions:
        raise ValidationError(_("The global plan has no actions per agency yet."))
    plan_actions = care_services.actions_add_from_mda(
        actor=actor,
        case=referral.case,
        goal_description=weighed.global_plan,
        actions=[
            care_services.NewAction(
                description=a.description,
                owner_organisation=a.agency,
                due_date=a.due_date,
                owner=a.owner,
            )
            for a in actions
        ],
    )
    for action, plan_action in zip(actions, plan_actions, strict=True):
        action.plan_action = plan_action
        action.save(update_fields=["plan_action"])
    _move(referral, ReferralStatus.HANDED_BACK)
    assert actor.user is not None
    referral.handed_back_at = clock.now()
    referral.handed_back_by = actor.user
    referral.save(update_fields=["status", "handed_back_at", "handed_back_by", "updated_at"])
    if referral.team_member is not None:
        care_services.team_member_leave(actor=actor, member=referral.team_member)
    _log(
        actor,
        AuditAction.UPDATE,
        referral,
        [referral.case],
        status=str(referral.status),
        plan_actions=len(plan_actions),
    )
    return referral
