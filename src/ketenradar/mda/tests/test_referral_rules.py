"""Referring a case to MDA++: only its coordinator, only when the criteria are met (structural
unsafety and at least two of the other four, each with a motivation), one open referral per
case, to an MDA++ organisation of the region."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

import pytest

from ketenradar.accounts.constants import RoleCode
from ketenradar.audit.models import AuditEvent
from ketenradar.care.constants import CloseReason, Phase, SafetyLevel
from ketenradar.core.tests.factories import OrganisationFactory
from ketenradar.mda import services
from ketenradar.mda.constants import MIN_FURTHER_CRITERIA, Criterion, ReferralStatus
from ketenradar.mda.models import Referral
from ketenradar.mda.tests.conftest import ENOUGH, Mda, criteria
from ketenradar.regions.constants import OrganisationType

OTHERS = [c for c in Criterion if c != Criterion.STRUCTURAL_UNSAFETY]


def test_the_rule_asks_structural_unsafety_and_two_more() -> None:
    assert MIN_FURTHER_CRITERIA == 2


def test_a_referral_meeting_the_criteria_is_registered_and_logged(mda: Mda) -> None:
    referral = mda.refer()
    assert referral.status == ReferralStatus.REFERRED
    assert referral.structural_unsafety and referral.help_without_safety
    assert referral.recurrence_risk and not referral.trauma_care_needed
    assert referral.structural_unsafety_motivation.startswith("Toelichting")
    assert AuditEvent.objects.filter(
        object_type="mda.referral",
        object_id=referral.uuid.hex,
        action="create",
        person_id=mda.world.person.pk,
    ).exists()


def test_without_structural_unsafety_a_referral_is_refused_even_with_all_others(
    mda: Mda,
) -> None:
    with pytest.raises(ValidationError, match="structurele onveiligheid"):
        mda.refer(criteria=criteria(*OTHERS))
    assert not Referral.objects.exists()


@pytest.mark.parametrize("other", OTHERS, ids=str)
def test_structural_unsafety_with_only_one_other_criterion_is_refused(
    mda: Mda, other: Criterion
) -> None:
    with pytest.raises(ValidationError, match="minstens 2"):
        mda.refer(criteria=criteria(Criterion.STRUCTURAL_UNSAFETY, other))


@pytest.mark.parametrize("other", OTHERS, ids=str)
def test_each_further_criterion_counts_towards_the_two(mda: Mda, other: Criterion) -> None:
    second = next(c for c in OTHERS if c != other)
    referral = mda.refer(criteria=criteria(Criterion.STRUCTURAL_UNSAFETY, other, second))
    assert referral.status == ReferralStatus.REFERRED


@pytest.mark.parametrize("criterion", list(Criterion), ids=str)
def test_a_criterion_ticked_without_a_motivation_is_refused(mda: Mda, criterion: Criterion) -> None:
    answers = criteria(*ENOUGH, criterion)
    answers[criterion] = services.CriterionAnswer(met=True, motivation="  ")
    with pytest.raises(ValidationError, match="Licht toe waarom"):
        mda.refer(criteria=answers)


def test_a_question_to_mda_is_required(mda: Mda) -> None:
    with pytest.raises(ValidationError):
        mda.refer(question=" ")


def test_only_the_cases_coordinator_refers(mda: Mda) -> None:
    colleague = mda.world.actor(RoleCode.CASE_COORDINATOR, "same_org")
    lead = mda.world.actor(RoleCode.LOCAL_TEAM_LEAD, "involved")
    for actor in (colleague, lead, mda.member):
        with pytest.raises(PermissionDenied):
            services.referral_create(
                actor=actor,
                case=mda.case,
                mda_organisation=mda.organisation,
                criteria=criteria(*ENOUGH),
                question="Vraag",
            )
    assert not Referral.objects.exists()


def test_one_open_referral_per_case_and_a_new_one_after_a_decline(mda: Mda) -> None:
    first = mda.refer()
    with pytest.raises(ValidationError, match="al een lopende"):
        mda.refer()
    services.referral_decline(actor=mda.member, referral=first, reason="Past niet: geen kinderen")
    assert mda.refer().status == ReferralStatus.REFERRED


def test_only_an_mda_organisation_of_the_region_can_be_chosen(mda: Mda) -> None:
    no_core_team = OrganisationFactory(region=mda.world.region, type=OrganisationType.OTHER)
    abroad = mda.world.actor(RoleCode.MDA_CORE_TEAM, "other_region").organisation
    for organisation in (no_core_team, abroad, mda.agency):
        with pytest.raises(ValidationError, match="MDA\\+\\+-organisatie"):
            mda.refer(mda_organisation=organisation)


def test_a_closed_case_cannot_be_referred(mda: Mda) -> None:
    type(mda.case).objects.filter(pk=mda.case.pk).update(
        phase=Phase.CLOSED,
        closed_at=timezone.now(),
        close_reason=CloseReason.LASTING_SAFETY,
        final_safety=SafetyLevel.STABLE,
    )
    mda.case.refresh_from_db()
    with pytest.raises(ValidationError, match="gesloten"):
        mda.refer()
