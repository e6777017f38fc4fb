"""The dossier's state machine: the decisions of the safety assessment, the investigation,
and the refusal of an illegal step with a clear message."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError

import pytest

from ketenradar.accounts.actor import Actor
from ketenradar.accounts.constants import RoleCode
from ketenradar.conftest import World
from ketenradar.core.tests.factories import OrganisationFactory
from ketenradar.regions.constants import OrganisationType
from ketenradar.reports import services
from ketenradar.reports.constants import (
    AssessmentDecision,
    DossierState,
    InvestigationOutcome,
)
from ketenradar.reports.models import Dossier
from ketenradar.reports.tests.conftest import WHY


@pytest.mark.parametrize(
    ("decision", "state"),
    [
        (AssessmentDecision.CONDITIONS, DossierState.CONDITIONS),
        (AssessmentDecision.INVESTIGATION, DossierState.INVESTIGATION),
        (AssessmentDecision.CHILD_PROTECTION_BOARD, DossierState.CHILD_PROTECTION_BOARD),
        (AssessmentDecision.END, DossierState.CLOSED),
    ],
)
def test_each_decision_leads_to_its_state(
    assessor: Actor, dossier: Dossier, decision: AssessmentDecision, state: DossierState
) -> None:
    assessment = services.assessment_decide(
        actor=assessor,
        dossier=dossier,
        decision=decision,
        safety_conditions="Geen geweld; hulp aanvaarden.",
        **WHY,
    )
    dossier.refresh_from_db()
    assert dossier.state == state
    assert assessment.within_deadline


def test_handover_needs_its_receiver_and_leads_to_monitoring(
    assessor: Actor, dossier: Dossier, world: World
) -> None:
    with pytest.raises(ValidationError):
        services.assessment_decide(
            actor=assessor, dossier=dossier, decision=AssessmentDecision.HANDOVER, **WHY
        )
    team = OrganisationFactory(
        region=world.region, type=OrganisationType.LOCAL_TEAM, name="Wijkteam"
    )
    services.assessment_decide(
        actor=assessor,
        dossier=dossier,
        decision=AssessmentDecision.HANDOVER,
        handover_to=team,
        **WHY,
    )
    dossier.refresh_from_db()
    assert dossier.state == DossierState.MONITORING


def test_every_screening_needs_a_rationale(assessor: Actor, dossier: Dossier) -> None:
    with pytest.raises(ValidationError):
        services.assessment_decide(
            actor=assessor,
            dossier=dossier,
            decision=AssessmentDecision.END,
            **{**WHY, "acute_rationale": " "},
        )


def test_an_investigation_has_ten_weeks_and_an_outcome_per_type(
    assessor: Actor, dossier: Dossier
) -> None:
    services.assessment_decide(
        actor=assessor, dossier=dossier, decision=AssessmentDecision.INVESTIGATION, **WHY
    )
    investigation = dossier.investigation
    assert investigation.due_at - investigation.started_at == dt.timedelta(weeks=10)
    # not even closing skips the outcome: it is a CBS figure
    with pytest.raises(services.InvalidTransition, match=r"onderzoek|investigation"):
        services.dossier_move(actor=assessor, dossier=dossier, to=DossierState.CLOSED)
    with pytest.raises(ValidationError):
        services.investigation_complete(
            actor=assessor,
            dossier=dossier,
            outcomes={},
            closed_early=False,
            next_state=DossierState.CONDITIONS,
        )
    services.investigation_complete(
        actor=assessor,
        dossier=dossier,
        outcomes={
            "kindermishandeling": InvestigationOutcome.CONFIRMED,
            "ex_partnergeweld": InvestigationOutcome.REFUTED,
        },
        closed_early=False,
        next_state=DossierState.CONDITIONS,
    )
    dossier.refresh_from_db()
    assert dossier.state == DossierState.CONDITIONS
    assert dossier.investigation.outcomes == {
        "kindermishandeling": "bevestigd",
        "ex_partnergeweld": "weerlegd",
    }


def test_illegal_steps_are_refused_with_a_clear_message(assessor: Actor, dossier: Dossier) -> None:
    services.assessment_decide(
        actor=assessor,
        dossier=dossier,
        decision=AssessmentDecision.CONDITIONS,
        safety_conditions="Geen geweld.",
        **WHY,
    )
    services.dossier_move(actor=assessor, dossier=dossier, to=DossierState.MONITORING)
    with pytest.raises(services.InvalidTransition, match="monitoring"):
        services.dossier_move(actor=assessor, dossier=dossier, to=DossierState.INVESTIGATION)
    with pytest.raises(services.InvalidTransition):
        services.assessment_decide(
            actor=assessor, dossier=dossier, decision=AssessmentDecision.END, **WHY
        )
    services.dossier_move(actor=assessor, dossier=dossier, to=DossierState.CLOSED)
    dossier.refresh_from_db()
    assert dossier.closed_at is not None
    with pytest.raises(services.InvalidTransition):
        services.dossier_move(actor=assessor, dossier=dossier, to=DossierState.MONITORING)


def test_only_assessors_of_this_veilig_thuis_decide(world: World, dossier: Dossier) -> None:
    intake = world.actor(RoleCode.VT_INTAKE, "involved")
    with pytest.raises(PermissionDenied):
        services.assessment_decide(
            actor=intake, dossier=dossier, decision=AssessmentDecision.END, **WHY
        )
    elsewhere = world.actor(RoleCode.VT_PROFESSIONAL, "other_region")
    with pytest.raises(PermissionDenied):
        services.assessment_decide(
            actor=elsewhere, dossier=dossier, decision=AssessmentDecision.END, **WHY
        )


def test_the_assessment_and_the_investigation_are_not_skipped(
    assessor: Actor, dossier: Dossier
) -> None:
    with pytest.raises(services.InvalidTransition):
        services.dossier_move(actor=assessor, dossier=dossier, to=DossierState.MONITORING)
    services.assessment_decide(
        actor=assessor,
        dossier=dossier,
        decision=AssessmentDecision.CONDITIONS,
        safety_conditions="Geen geweld.",
        **WHY,
    )
    with pytest.raises(services.InvalidTransition):
        services.dossier_move(actor=assessor, dossier=dossier, to=DossierState.INVESTIGATION)
