"""The phases of a case as a state machine: every illegal change refused, every forward
step only with its preconditions recorded, closing only with a reason and a final safety
assessment."""

from __future__ import annotations

import datetime as dt
import itertools

from django.core.exceptions import ValidationError
from django.utils import timezone

import pytest
import time_machine

from ketenradar.care import services
from ketenradar.care.constants import (
    TRANSITIONS,
    CloseReason,
    EscalationReason,
    GoalStatus,
    Phase,
    SafetyLevel,
    ScreeningOutcome,
    ScreeningRole,
)
from ketenradar.care.models import Case
from ketenradar.care.tests.conftest import CareWorld

pytestmark = pytest.mark.django_db


def _to_phase_1_done(w: CareWorld, case: Case) -> None:
    """Record what phase 2 needs: direct safety reached and an approved plan with its
    phase 1 goal reached."""
    a = w.actor("coordinator")
    goal = services.goal_add(actor=a, case=case, phase=Phase.DIRECT_SAFETY, description="Rust")
    services.plan_approve(actor=a, case=case)
    services.goal_status(actor=a, case=case, goal=goal, status=GoalStatus.REACHED)
    services.safety_check_record(actor=a, case=case, level=SafetyLevel.DIRECT, note="Rust thuis")


def _analysis(w: CareWorld, case: Case, network: str = "Zus van moeder") -> None:
    services.analysis_record(
        actor=w.actor("coordinator"),
        case=case,
        risk_factors=["schulden", "verslaving"],
        protective_factors="Betrokken grootouders",
        network=network,
        explanation="Geldzorgen en drankgebruik van vader leiden tot ruzies.",
    )


def _walk_to(w: CareWorld, case: Case, phase: Phase) -> Case:
    a = w.actor("coordinator")
    _to_phase_1_done(w, case)
    services.phase_change(actor=a, case=case, to_phase=Phase.STABLE_SAFETY)
    if phase == Phase.STABLE_SAFETY:
        return case
    _analysis(w, case)
    services.safety_check_record(actor=a, case=case, level=SafetyLevel.STABLE, note="Stabiel")
    services.phase_change(actor=a, case=case, to_phase=Phase.RECOVERY)
    if phase == Phase.RECOVERY:
        return case
    screening = services.screening_offer(
        actor=a, case=case, person=w.mother, role=ScreeningRole.VICTIM
    )
    services.screening_outcome(
        actor=a,
        case=case,
        screening=screening,
        outcome=ScreeningOutcome.INDICATION,
        referral="GGZ Delfland, traumabehandeling",
    )
    services.phase_change(actor=a, case=case, to_phase=Phase.FOLLOW_UP)
    return case


@pytest.mark.parametrize(
    ("from_phase", "to_phase"),
    [
        (f, t)
        for f, t in itertools.product(Phase.values, Phase.values)
        if t not in TRANSITIONS[f] and t != Phase.CLOSED
    ],
)
def test_every_illegal_phase_change_is_refused(
    care_world: CareWorld, from_phase: str, to_phase: str
) -> None:
    case = care_world.open_case()
    # put the case in the starting phase directly: only the transition is under test
    Case.objects.filter(pk=case.pk).update(
        phase=from_phase,
        closed_at=timezone.now() if from_phase == Phase.CLOSED else None,
        close_reason="anders" if from_phase == Phase.CLOSED else "",
        final_safety="onveilig" if from_phase == Phase.CLOSED else "",
    )
    case.refresh_from_db()
    with pytest.raises(ValidationError):
        services.phase_change(
            actor=care_world.actor("coordinator"), case=case, to_phase=to_phase, reason="test"
        )
    case.refresh_from_db()
    assert case.phase == from_phase
    assert not case.phase_changes.filter(from_phase=from_phase, to_phase=to_phase).exists()


def test_closing_is_not_a_phase_change(care_world: CareWorld) -> None:
    case = care_world.open_case()
    with pytest.raises(ValidationError):
        services.phase_change(
            actor=care_world.actor("coordinator"), case=case, to_phase=Phase.CLOSED
        )


def test_phase_two_needs_direct_safety_reached_and_an_approved_plan(care_world: CareWorld) -> None:
    w, a = care_world, care_world.actor("coordinator")
    case = w.open_case()
    with pytest.raises(ValidationError, match="Direct safety"):
        services.phase_change(actor=a, case=case, to_phase=Phase.STABLE_SAFETY)
    services.safety_check_record(actor=a, case=case, level=SafetyLevel.DIRECT, note="Rust")
    with pytest.raises(ValidationError, match="approved a plan"):
        services.phase_change(actor=a, case=case, to_phase=Phase.STABLE_SAFETY)
    goal = services.goal_add(actor=a, case=case, phase=Phase.DIRECT_SAFETY, description="Rust")
    services.plan_approve(actor=a, case=case)
    with pytest.raises(ValidationError, match="phase 1 are still open"):
        services.phase_change(actor=a, case=case, to_phase=Phase.STABLE_SAFETY)
    services.goal_status(actor=a, case=case, goal=goal, status=GoalStatus.REACHED)
    services.phase_change(actor=a, case=case, to_phase=Phase.STABLE_SAFETY)
    assert case.phase == Phase.STABLE_SAFETY


def test_phase_three_needs_stable_safety_and_the_analysis(care_world: CareWorld) -> None:
    w, a = care_world, care_world.actor("coordinator")
    case = _walk_to(w, w.open_case(), Phase.STABLE_SAFETY)
    with pytest.raises(ValidationError, match="Stable safety"):
        services.phase_change(actor=a, case=case, to_phase=Phase.RECOVERY)
    services.safety_check_record(actor=a, case=case, level=SafetyLevel.STABLE, note="Stabiel")
    with pytest.raises(ValidationError, match="analysis"):
        services.phase_change(actor=a, case=case, to_phase=Phase.RECOVERY)
    _analysis(w, case)
    services.phase_change(actor=a, case=case, to_phase=Phase.RECOVERY)
    assert case.phase == Phase.RECOVERY


def test_follow_up_needs_a_trauma_screening_with_its_outcome(care_world: CareWorld) -> None:
    w, a = care_world, care_world.actor("coordinator")
    case = _walk_to(w, w.open_case(), Phase.RECOVERY)
    with pytest.raises(ValidationError, match="No trauma screening"):
        services.phase_change(actor=a, case=case, to_phase=Phase.FOLLOW_UP)
    screening = services.screening_offer(
        actor=a, case=case, person=w.father, role=ScreeningRole.PERPETRATOR
    )
    with pytest.raises(ValidationError, match="awaits its outcome"):
        services.phase_change(actor=a, case=case, to_phase=Phase.FOLLOW_UP)
    with pytest.raises(ValidationError, match="referral"):
        services.screening_outcome(
            actor=a, case=case, screening=screening, outcome=ScreeningOutcome.INDICATION
        )
    services.screening_outcome(
        actor=a, case=case, screening=screening, outcome=ScreeningOutcome.DECLINED
    )
    services.phase_change(actor=a, case=case, to_phase=Phase.FOLLOW_UP)
    assert case.phase == Phase.FOLLOW_UP


def test_the_pilot_light_comes_after_twelve_months_of_follow_up_with_a_network(
    care_world: CareWorld,
) -> None:
    w, a = care_world, care_world.actor("coordinator")
    start = dt.datetime(2027, 3, 15, 10, tzinfo=dt.UTC)  # after the fixture's involvements
    with time_machine.travel(start, tick=False):
        case = _walk_to(w, w.open_case(), Phase.FOLLOW_UP)
    with (
        time_machine.travel(start + dt.timedelta(days=364), tick=False),
        pytest.raises(ValidationError, match="12 months"),
    ):
        services.phase_change(actor=a, case=case, to_phase=Phase.PILOT_LIGHT)
    with time_machine.travel(dt.datetime(2028, 3, 15, 10, tzinfo=dt.UTC), tick=False):
        services.phase_change(actor=a, case=case, to_phase=Phase.PILOT_LIGHT)
    assert case.phase == Phase.PILOT_LIGHT


def test_the_pilot_light_needs_the_households_network(care_world: CareWorld) -> None:
    w, a = care_world, care_world.actor("coordinator")
    start = dt.datetime(2027, 3, 15, 10, tzinfo=dt.UTC)  # after the fixture's involvements
    with time_machine.travel(start, tick=False):
        case = _walk_to(w, w.open_case(), Phase.FOLLOW_UP)
        _analysis(w, case, network="")
    with (
        time_machine.travel(start + dt.timedelta(days=400), tick=False),
        pytest.raises(ValidationError, match="network"),
    ):
        services.phase_change(actor=a, case=case, to_phase=Phase.PILOT_LIGHT)


def test_back_to_direct_safety_needs_a_reason_and_escalates(care_world: CareWorld) -> None:
    w, a = care_world, care_world.actor("coordinator")
    case = _walk_to(w, w.open_case(), Phase.RECOVERY)
    with pytest.raises(ValidationError, match="reason"):
        services.phase_change(actor=a, case=case, to_phase=Phase.DIRECT_SAFETY)
    services.phase_change(
        actor=a,
        case=case,
        to_phase=Phase.DIRECT_SAFETY,
        reason="Nieuw incident, politie ter plaatse",
    )
    assert case.phase == Phase.DIRECT_SAFETY
    escalation = case.escalations.get()
    assert escalation.reason == EscalationReason.SAFETY_DROPPED
    assert [c.to_phase for c in case.phase_changes.all()] == [
        Phase.DIRECT_SAFETY,
        Phase.STABLE_SAFETY,
        Phase.RECOVERY,
        Phase.DIRECT_SAFETY,
    ]


def test_a_case_closes_only_with_a_reason_and_a_final_safety_assessment(
    care_world: CareWorld,
) -> None:
    w, a = care_world, care_world.actor("coordinator")
    case = w.open_case()
    with pytest.raises(ValidationError):
        services.case_close(actor=a, case=case, reason="", final_safety=SafetyLevel.STABLE)
    with pytest.raises(ValidationError):
        services.case_close(actor=a, case=case, reason=CloseReason.MOVED, final_safety="")
    with pytest.raises(ValidationError, match="stable safety"):
        services.case_close(
            actor=a, case=case, reason=CloseReason.LASTING_SAFETY, final_safety=SafetyLevel.DIRECT
        )
    with pytest.raises(ValidationError, match="Explain"):
        services.case_close(
            actor=a, case=case, reason=CloseReason.OTHER, final_safety=SafetyLevel.DIRECT
        )
    services.case_close(
        actor=a,
        case=case,
        reason=CloseReason.MOVED,
        final_safety=SafetyLevel.DIRECT,
        note="Verhuisd naar Groningen; Veilig Thuis daar geïnformeerd.",
    )
    case.refresh_from_db()
    assert case.phase == Phase.CLOSED and case.closed_at is not None
    assert case.final_safety == SafetyLevel.DIRECT
    assert case.safety_checks.last().level == SafetyLevel.DIRECT
    # a closed case takes no more steps, and cannot be closed again
    with pytest.raises(ValidationError):
        services.goal_add(actor=a, case=case, phase=Phase.DIRECT_SAFETY, description="x")
    with pytest.raises(ValidationError):
        services.case_close(
            actor=a, case=case, reason=CloseReason.MOVED, final_safety=SafetyLevel.DIRECT
        )


def test_the_database_refuses_a_closed_case_without_its_reason(care_world: CareWorld) -> None:
    from django.db import IntegrityError, transaction

    case = care_world.open_case()
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=case.pk).update(phase=Phase.CLOSED, closed_at=timezone.now())
