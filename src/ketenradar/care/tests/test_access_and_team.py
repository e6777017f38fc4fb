"""Who sees a case: its coordinator, the coordinator's lead and the case team, nobody else;
every refusal is 403 and logged per household member. The team, coordination and the
plan's versions."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

import pytest
import time_machine

from ketenradar.access.models import Involvement
from ketenradar.access.policy import decide_person
from ketenradar.audit.models import AuditEvent
from ketenradar.care import selectors, services
from ketenradar.care.constants import (
    ActionStatus,
    CaseSource,
    CloseReason,
    EscalationReason,
    Phase,
    SafetyLevel,
    TeamMemberKind,
)
from ketenradar.care.policy import CaseRole, case_role
from ketenradar.care.tests.conftest import CareWorld
from ketenradar.conftest import login
from ketenradar.core.tests.factories import OrganisationFactory
from ketenradar.regions.constants import OrganisationType
from ketenradar.reports.models import Dossier

pytestmark = pytest.mark.django_db


def _household_ids(w: CareWorld) -> set[int]:
    return {w.mother.pk, w.father.pk, w.child.pk}


def test_the_coordinator_sees_the_case_and_the_read_is_logged_per_member(
    care_world: CareWorld, client: Client
) -> None:
    case = care_world.open_case()
    login(client, care_world.users["coordinator"])
    response = client.get(reverse("care:detail", kwargs={"uuid": case.uuid}))
    assert response.status_code == 200
    assert "Huishouden Smit" in response.content.decode()
    reads = AuditEvent.objects.filter(
        object_type="care.case", object_id=case.uuid.hex, action="read", outcome="success"
    )
    assert set(reads.values_list("person_id", flat=True)) == _household_ids(care_world)


def test_another_organisation_gets_403_and_the_refusal_is_logged(
    care_world: CareWorld, client: Client
) -> None:
    case = care_world.open_case()
    login(client, care_world.users["outsider"])
    response = client.get(reverse("care:detail", kwargs={"uuid": case.uuid}))
    assert response.status_code == 403
    denied = AuditEvent.objects.filter(
        object_type="care.case", object_id=case.uuid.hex, outcome="denied"
    )
    assert set(denied.values_list("person_id", flat=True)) == _household_ids(care_world)
    assert denied.first().username == "reclassering"


def test_a_colleague_of_the_coordinator_is_not_the_coordinator(care_world: CareWorld) -> None:
    case = care_world.open_case()
    assert case_role(care_world.actor("colleague"), case) == CaseRole.NONE
    assert case_role(care_world.actor("lead"), case) == CaseRole.LEAD
    assert case_role(care_world.actor("coordinator"), case) == CaseRole.COORDINATOR
    with pytest.raises(PermissionDenied):
        selectors.case_detail(actor=care_world.actor("colleague"), case_uuid=case.uuid)


def test_a_named_professional_on_the_team_sees_it_and_their_colleague_does_not(
    care_world: CareWorld,
) -> None:
    w = care_world
    case = w.open_case()
    services.team_member_add(
        actor=w.actor("coordinator"),
        case=case,
        organisation=w.ggz,
        user=w.users["partner"],
        purpose="Behandeling verslaving vader",
    )
    assert case_role(w.actor("partner"), case) == CaseRole.TEAM
    assert case_role(w.actor("partner_colleague"), case) == CaseRole.NONE
    # need-to-know follows: the partner now sees the household's persons, personally
    assert decide_person(w.actor("partner"), w.child).allowed
    assert not decide_person(w.actor("partner_colleague"), w.child).allowed


def test_an_organisation_on_the_team_is_seen_by_all_its_members_until_it_leaves(
    care_world: CareWorld,
) -> None:
    w = care_world
    case = w.open_case()
    member = services.team_member_add(
        actor=w.actor("coordinator"), case=case, organisation=w.ggz, purpose="Behandeling"
    )
    assert case_role(w.actor("partner_colleague"), case) == CaseRole.TEAM
    assert decide_person(w.actor("partner_colleague"), w.mother).allowed
    services.team_member_end(actor=w.actor("coordinator"), case=case, member=member)
    assert case_role(w.actor("partner_colleague"), case) == CaseRole.NONE
    assert not decide_person(w.actor("partner_colleague"), w.mother).allowed
    assert not Involvement.objects.active().filter(organisation=w.ggz).exists()


def test_only_the_coordinator_adds_to_the_team_and_always_with_a_purpose(
    care_world: CareWorld,
) -> None:
    w = care_world
    case = w.open_case()
    services.team_member_add(
        actor=w.actor("coordinator"), case=case, organisation=w.ggz, purpose="Behandeling"
    )
    with pytest.raises(PermissionDenied):
        services.team_member_add(
            actor=w.actor("partner"), case=case, organisation=w.other, purpose="Meekijken"
        )
    with pytest.raises(ValidationError, match="purpose"):
        services.team_member_add(
            actor=w.actor("coordinator"), case=case, organisation=w.other, purpose="  "
        )
    with pytest.raises(ValidationError, match="already"):
        services.team_member_add(
            actor=w.actor("coordinator"), case=case, organisation=w.ggz, purpose="Nogmaals"
        )


def test_changing_the_coordinator_needs_a_reason_and_moves_access(care_world: CareWorld) -> None:
    w = care_world
    case = w.open_case()
    with pytest.raises(PermissionDenied):
        services.coordinator_change(
            actor=w.actor("colleague"),
            case=case,
            organisation=w.local_team,
            coordinator=w.users["colleague"],
            reason="Ik neem het over",
        )
    with pytest.raises(ValidationError, match="reason"):
        services.coordinator_change(
            actor=w.actor("lead"),
            case=case,
            organisation=w.local_team,
            coordinator=w.users["colleague"],
            reason="",
        )
    services.coordinator_change(
        actor=w.actor("lead"),
        case=case,
        organisation=w.local_team,
        coordinator=w.users["colleague"],
        reason="Regisseur met zwangerschapsverlof",
    )
    assert case_role(w.actor("colleague"), case) == CaseRole.COORDINATOR
    assert case_role(w.actor("coordinator"), case) == CaseRole.NONE
    assert [c.reason for c in case.coordinations.all()] == ["", "Regisseur met zwangerschapsverlof"]
    assert decide_person(w.actor("colleague"), w.child).allowed


def test_a_team_member_reports_only_on_its_own_actions(care_world: CareWorld) -> None:
    w = care_world
    a = w.actor("coordinator")
    case = w.open_case()
    services.team_member_add(actor=a, case=case, organisation=w.ggz, purpose="Behandeling")
    own = services.action_add(
        actor=a,
        case=case,
        description="Intake verslavingszorg vader",
        owner_organisation=w.ggz,
        due_date=dt.date(2027, 1, 15),
    )
    theirs = services.action_add(
        actor=a,
        case=case,
        description="Huisbezoek",
        owner_organisation=w.local_team,
        due_date=dt.date(2027, 1, 15),
    )
    services.action_status(
        actor=w.actor("partner"), case=case, action=own, status=ActionStatus.DONE
    )
    own.refresh_from_db()
    assert own.status == ActionStatus.DONE and own.completed_at is not None
    with pytest.raises(PermissionDenied):
        services.action_status(
            actor=w.actor("partner"), case=case, action=theirs, status=ActionStatus.DONE
        )
    with pytest.raises(PermissionDenied):
        services.goal_add(
            actor=w.actor("partner"), case=case, phase=Phase.DIRECT_SAFETY, description="x"
        )
    with pytest.raises(ValidationError, match="case team"):
        services.action_add(
            actor=a,
            case=case,
            description="Toezicht",
            owner_organisation=w.other,
            due_date=dt.date(2027, 1, 15),
        )


def test_one_household_one_open_case(care_world: CareWorld) -> None:
    care_world.open_case()
    with pytest.raises(ValidationError, match="one plan"):
        care_world.open_case()


def test_veilig_thuis_hands_over_to_the_local_team_of_the_municipality(
    care_world: CareWorld,
) -> None:
    w = care_world
    dossier = Dossier.objects.create(
        organisation=w.veilig_thuis,
        opened_at=dt.datetime.now(dt.UTC),
        assessment_due=dt.datetime.now(dt.UTC),
    )
    case = services.case_open(
        actor=w.actor("vt"),
        household=w.household,
        municipality=w.municipality,
        source=CaseSource.VT_CONDITIONS,
        dossier=dossier,
        safety_conditions=["Vader drinkt niet in huis", "Kind gaat naar school"],
    )
    assert case.coordinator_organisation == w.local_team
    assert case.coordinator is None  # the lead names one
    assert [c.text for c in case.conditions.all()] == [
        "Vader drinkt niet in huis",
        "Kind gaat naar school",
    ]
    assert case.team.get().kind == TeamMemberKind.VEILIG_THUIS
    assert case_role(w.actor("vt"), case) == CaseRole.TEAM
    assert case_role(w.actor("lead"), case) == CaseRole.LEAD
    # another Veilig Thuis's dossier cannot be handed over by this one
    other_vt = OrganisationFactory(region=w.region, type=OrganisationType.VEILIG_THUIS)
    foreign = Dossier.objects.create(
        organisation=other_vt,
        opened_at=dt.datetime.now(dt.UTC),
        assessment_due=dt.datetime.now(dt.UTC),
    )
    # the lead names the coordinator, who can then close the case
    services.coordinator_change(
        actor=w.actor("lead"),
        case=case,
        organisation=w.local_team,
        coordinator=w.users["coordinator"],
        reason="Regisseur benoemd",
    )
    services.case_close(
        actor=w.actor("coordinator"),
        case=case,
        reason=CloseReason.MOVED,
        final_safety=SafetyLevel.DIRECT,
    )
    with pytest.raises(PermissionDenied):
        services.case_open(
            actor=w.actor("vt"),
            household=w.household,
            municipality=w.municipality,
            source=CaseSource.VT_HANDOVER,
            dossier=foreign,
        )


def test_plan_versions_keep_what_was_approved(care_world: CareWorld) -> None:
    w, a = care_world, care_world.actor("coordinator")
    case = w.open_case()
    goal = services.goal_add(actor=a, case=case, phase=Phase.DIRECT_SAFETY, description="Rust")
    v1 = services.plan_approve(actor=a, case=case)
    services.action_add(
        actor=a,
        case=case,
        goal=goal,
        description="Veiligheidsplan met moeder",
        owner_organisation=w.local_team,
        due_date=dt.date(2027, 1, 10),
    )
    v2 = services.plan_approve(actor=a, case=case, note="Actie toegevoegd")
    assert (v1.number, v2.number) == (1, 2)
    assert v1.snapshot["goals"][0]["actions"] == []
    assert v2.snapshot["goals"][0]["actions"][0]["description"] == "Veiligheidsplan met moeder"
    assert v2.approved_by == w.users["coordinator"]


def test_escalation_reaches_the_lead_when_safety_drops_or_actions_are_overdue(
    care_world: CareWorld,
) -> None:
    w, a = care_world, care_world.actor("coordinator")
    with time_machine.travel(dt.datetime(2027, 2, 1, 9, tzinfo=dt.UTC), tick=False):
        case = w.open_case()
        services.safety_check_record(actor=a, case=case, level=SafetyLevel.DIRECT, note="Rust")
        services.action_add(
            actor=a,
            case=case,
            description="Schuldhulp aanvragen",
            owner_organisation=w.local_team,
            due_date=dt.date(2027, 2, 10),
        )
        assert selectors.escalations_for_lead(actor=w.actor("lead")) == []
        services.safety_check_record(actor=a, case=case, level=SafetyLevel.UNSAFE, note="Incident")
        rows = selectors.escalations_for_lead(actor=w.actor("lead"))
        assert [r.escalation.reason for r in rows if r.escalation] == [
            EscalationReason.SAFETY_DROPPED
        ]
        services.escalation_resolve(
            actor=w.actor("lead"),
            escalation=rows[0].escalation,
            resolution="Extra huisbezoek",
        )
        assert selectors.escalations_for_lead(actor=w.actor("lead")) == []
    # 14 days overdue: not yet; 15 days: the case escalates by itself
    with time_machine.travel(dt.datetime(2027, 2, 24, 9, tzinfo=dt.UTC), tick=False):
        assert selectors.escalations_for_lead(actor=w.actor("lead")) == []
    with time_machine.travel(dt.datetime(2027, 2, 25, 9, tzinfo=dt.UTC), tick=False):
        rows = selectors.escalations_for_lead(actor=w.actor("lead"))
        assert [(r.case, r.escalation, r.since) for r in rows] == [
            (case, None, dt.date(2027, 2, 10))
        ]
    with pytest.raises(PermissionDenied):
        selectors.escalations_for_lead(actor=a)


def test_notices_for_the_coordinator_and_the_action_owner(care_world: CareWorld) -> None:
    w, a = care_world, care_world.actor("coordinator")
    with time_machine.travel(dt.datetime(2027, 3, 1, 9, tzinfo=dt.UTC), tick=False):
        case = w.open_case()
        services.team_member_add(actor=a, case=case, organisation=w.ggz, purpose="Behandeling")
        services.action_add(
            actor=a,
            case=case,
            description="Intake GGZ",
            owner_organisation=w.ggz,
            due_date=dt.date(2027, 3, 5),
        )
        services.evaluation_plan(actor=a, case=case, planned_for=dt.date(2027, 3, 20))
    now = dt.datetime(2027, 3, 6, 9, tzinfo=dt.UTC)
    with time_machine.travel(now, tick=False):
        mine = selectors.notices_for(actor=a, now=now)
        partner = selectors.notices_for(actor=w.actor("partner"), now=now)
        outsider = selectors.notices_for(actor=w.actor("outsider"), now=now)
    assert [(n.kind, n.severity) for n in mine] == [("care_action", "overdue")]
    assert [(n.kind, n.severity) for n in partner] == [("care_action", "overdue")]
    assert outsider == []
    assert "Smit" not in str(mine[0].title)  # no names in a notice
    later = dt.datetime(2027, 3, 14, 9, tzinfo=dt.UTC)
    with time_machine.travel(later, tick=False):
        kinds = {(n.kind, n.severity) for n in selectors.notices_for(actor=a, now=later)}
    assert ("care_evaluation", "due") in kinds


def test_follow_up_asks_for_the_pilot_light_from_12_months_and_is_overdue_at_18(
    care_world: CareWorld,
) -> None:
    w, a = care_world, care_world.actor("coordinator")
    start = dt.datetime(2027, 3, 1, 9, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        case = w.open_case()
    # put the case in follow-up directly: only the notice is under test here
    case.phase = Phase.FOLLOW_UP
    case.phase_since = start
    case.save(update_fields=["phase", "phase_since"])

    def pilot(now: dt.datetime) -> list[str]:
        return [
            n.severity
            for n in selectors.notices_for(actor=a, now=now)
            if n.kind == "care_pilot_light"
        ]

    assert pilot(dt.datetime(2028, 2, 1, 9, tzinfo=dt.UTC)) == []
    assert pilot(dt.datetime(2028, 2, 25, 9, tzinfo=dt.UTC)) == ["due"]
    assert pilot(dt.datetime(2028, 8, 31, 9, tzinfo=dt.UTC)) == ["due"]
    assert pilot(dt.datetime(2028, 9, 1, 9, tzinfo=dt.UTC)) == ["overdue"]
