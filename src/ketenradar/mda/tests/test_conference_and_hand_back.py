"""The conference: weighing of risk and protective factors, a global plan, actions per agency
with owner and date, participants and the next conference; then the plan handed back to the
coordinator as plan actions marked ``from_mda``."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

import pytest

from ketenradar.accounts.constants import RoleCode
from ketenradar.audit.models import AuditEvent
from ketenradar.care.constants import TeamMemberKind
from ketenradar.care.models import PlanAction
from ketenradar.care.policy import CaseRole, case_role
from ketenradar.mda import policy, services
from ketenradar.mda.constants import ReferralStatus
from ketenradar.mda.tests.conftest import Mda


def test_a_conference_records_weighing_plan_actions_and_participants(mda: Mda) -> None:
    _referral, conference, item = mda.weighed_and_held()
    assert item.risk_factors.startswith("Verslaving")
    assert item.protective_factors.startswith("Betrokken oma")
    assert item.global_plan.startswith("Geweld stopt")
    action = item.actions.get()
    assert (action.agency, action.owner_name) == (mda.agency, "J. de Vries")
    conference.refresh_from_db()
    assert conference.held_at is not None
    assert conference.next_conference_on is not None
    assert set(conference.participant_organisations.all()) == {mda.agency, mda.organisation}
    assert "GGZ" in conference.participants
    assert AuditEvent.objects.filter(
        object_type="mda.conferencecase", person_id=mda.world.person.pk, action="update"
    ).exists()


def test_handing_back_creates_plan_actions_from_mda_for_the_coordinator(mda: Mda) -> None:
    referral, _conference, item = mda.weighed_and_held()

    referral = services.plan_hand_back(actor=mda.member, referral=referral)

    assert referral.status == ReferralStatus.HANDED_BACK
    assert referral.handed_back_by == mda.member.user
    plan_action = PlanAction.objects.get(case=mda.case)
    assert plan_action.from_mda
    assert plan_action.description == "Start forensische behandeling vader"
    assert plan_action.owner_organisation == mda.agency
    assert plan_action.goal is not None
    assert plan_action.goal.description == item.global_plan
    assert item.actions.get().plan_action == plan_action
    # MDA++'s part is done: it leaves the case team, and with it the case
    assert not mda.case.team.filter(kind=TeamMemberKind.MDA, ended_at__isnull=True).exists()
    assert case_role(mda.member, mda.case) == CaseRole.NONE
    # its own referral record stays readable to the core team
    assert policy.referral_role(mda.member, referral) == policy.ReferralRole.MDA


def test_the_actions_of_every_conference_on_the_referral_are_handed_back(mda: Mda) -> None:
    referral, _first, _item = mda.weighed_and_held()
    follow_up = services.conference_plan(
        actor=mda.member,
        planned_at=dt.datetime.now(dt.UTC) + dt.timedelta(days=40),
        referrals=[referral],
    )
    services.conference_action_add(
        actor=mda.member,
        conference_case=follow_up.cases.get(),
        agency=mda.organisation,
        description="Tweede kernteamoverleg: evaluatie veiligheid",
        due_date=timezone.localdate() + dt.timedelta(days=60),
    )
    services.plan_hand_back(actor=mda.member, referral=referral)
    assert PlanAction.objects.filter(case=mda.case, from_mda=True).count() == 2


def test_handing_back_needs_a_held_conference_with_a_global_plan(mda: Mda) -> None:
    referral, conference, item = mda.on_agenda()
    with pytest.raises(ValidationError, match="gehouden kernteamoverleg"):
        services.plan_hand_back(actor=mda.member, referral=referral)
    services.conference_case_weigh(
        actor=mda.member,
        conference_case=item,
        risk_factors="Risico",
        protective_factors="Bescherming",
        global_plan="Plan",
    )
    with pytest.raises(ValidationError, match="gehouden kernteamoverleg"):
        services.plan_hand_back(actor=mda.member, referral=referral)
    services.conference_hold(
        actor=mda.member,
        conference=conference,
        participants="Kernteam",
        participant_organisations=[mda.organisation],
        next_conference_on=None,
    )
    with pytest.raises(ValidationError, match="nog geen acties"):
        services.plan_hand_back(actor=mda.member, referral=referral)
    assert not PlanAction.objects.exists()


def test_the_weighing_needs_risks_protection_and_a_global_plan(mda: Mda) -> None:
    _referral, _conference, item = mda.on_agenda()
    with pytest.raises(ValidationError):
        services.conference_case_weigh(
            actor=mda.member,
            conference_case=item,
            risk_factors="Risico",
            protective_factors="",
            global_plan="Plan",
        )


def test_an_action_belongs_to_an_agency_of_the_region(mda: Mda) -> None:
    _referral, _conference, item = mda.on_agenda()
    abroad = mda.world.org(RoleCode.CHAIN_PARTNER, "other_region")
    with pytest.raises(ValidationError, match="regio"):
        services.conference_action_add(
            actor=mda.member,
            conference_case=item,
            agency=abroad,
            description="Iets",
            due_date=timezone.localdate(),
        )


def test_the_next_conference_lies_in_the_future_and_held_is_recorded_once(mda: Mda) -> None:
    _referral, conference, _item = mda.on_agenda()
    with pytest.raises(ValidationError, match="toekomst"):
        services.conference_hold(
            actor=mda.member,
            conference=conference,
            participants="Kernteam",
            participant_organisations=[mda.organisation],
            next_conference_on=timezone.localdate(),
        )
    services.conference_hold(
        actor=mda.member,
        conference=conference,
        participants="Kernteam",
        participant_organisations=[mda.organisation],
        next_conference_on=None,
    )
    with pytest.raises(ValidationError, match="al als gehouden"):
        services.conference_hold(
            actor=mda.member,
            conference=conference,
            participants="Kernteam",
            participant_organisations=[mda.organisation],
            next_conference_on=None,
        )


def test_another_mda_organisation_cannot_work_on_the_conference(mda: Mda) -> None:
    referral, _conference, item = mda.weighed_and_held()
    with pytest.raises(PermissionDenied):
        services.conference_case_weigh(
            actor=mda.other_member,
            conference_case=item,
            risk_factors="x",
            protective_factors="y",
            global_plan="z",
        )
    with pytest.raises(PermissionDenied):
        services.plan_hand_back(actor=mda.other_member, referral=referral)
    with pytest.raises(PermissionDenied):
        services.plan_hand_back(actor=mda.coordinator, referral=referral)
    assert not PlanAction.objects.exists()
