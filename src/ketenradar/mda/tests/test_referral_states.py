"""The referral's states: aangemeld -> geaccepteerd / afgewezen; geaccepteerd ->
in_behandeling (on an agenda) -> teruggelegd. Illegal steps are refused; only the core team
of the referral's own MDA++ organisation takes them. Accepting puts MDA++ on the case team,
which is what makes the case visible to its members (``care.policy``)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError

import pytest

from ketenradar.access import policy as access_policy
from ketenradar.care.constants import TeamMemberKind
from ketenradar.care.policy import CaseRole, case_role
from ketenradar.mda import services
from ketenradar.mda.constants import TRANSITIONS, ReferralStatus
from ketenradar.mda.tests.conftest import Mda
from ketenradar.persons.models import Person


def _plan(mda: Mda, referral: services.Referral) -> None:
    services.conference_plan(
        actor=mda.member,
        planned_at=dt.datetime.now(dt.UTC) + dt.timedelta(days=1),
        referrals=[referral],
    )


def test_the_transitions_are_the_documented_ones() -> None:
    assert {
        ReferralStatus.REFERRED: {ReferralStatus.ACCEPTED, ReferralStatus.DECLINED},
        ReferralStatus.ACCEPTED: {ReferralStatus.ON_AGENDA},
        ReferralStatus.ON_AGENDA: {ReferralStatus.HANDED_BACK},
        ReferralStatus.DECLINED: set(),
        ReferralStatus.HANDED_BACK: set(),
    } == TRANSITIONS


def test_accepting_puts_the_mda_organisation_on_the_case_team(mda: Mda) -> None:
    referral = mda.refer()
    person = Person.objects.filter(pk=mda.world.person.pk)
    assert case_role(mda.member, mda.case) == CaseRole.NONE
    assert not access_policy.visible_persons(mda.member, person).exists()

    referral = services.referral_accept(actor=mda.member, referral=referral)

    assert referral.status == ReferralStatus.ACCEPTED
    assert referral.decided_by == mda.member.user
    member = referral.team_member
    assert member is not None and member.kind == TeamMemberKind.MDA
    assert member.organisation == mda.organisation and member.ended_at is None
    assert case_role(mda.member, mda.case) == CaseRole.TEAM
    assert access_policy.visible_persons(mda.member, person).exists()
    # another MDA++ organisation still sees nothing
    assert case_role(mda.other_member, mda.case) == CaseRole.NONE


def test_declining_needs_a_reason_and_is_final(mda: Mda) -> None:
    referral = mda.refer()
    with pytest.raises(ValidationError):
        services.referral_decline(actor=mda.member, referral=referral, reason=" ")
    referral = services.referral_decline(
        actor=mda.member, referral=referral, reason="Geen structurele onveiligheid aangetoond"
    )
    assert referral.status == ReferralStatus.DECLINED
    assert case_role(mda.member, mda.case) == CaseRole.NONE
    with pytest.raises(ValidationError, match="kan niet"):
        services.referral_accept(actor=mda.member, referral=referral)
    with pytest.raises(ValidationError):
        _plan(mda, referral)


def test_a_referral_is_accepted_once(mda: Mda) -> None:
    referral = mda.accepted()
    with pytest.raises(ValidationError, match="kan niet"):
        services.referral_accept(actor=mda.member, referral=referral)
    with pytest.raises(ValidationError, match="kan niet"):
        services.referral_decline(actor=mda.member, referral=referral, reason="Toch niet")


def test_only_accepted_referrals_go_on_an_agenda(mda: Mda) -> None:
    referral = mda.refer()
    with pytest.raises(ValidationError, match="kan niet op de agenda"):
        _plan(mda, referral)
    referral = services.referral_accept(actor=mda.member, referral=referral)
    _plan(mda, referral)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ON_AGENDA
    _plan(mda, referral)  # a follow-up conference: still on the agenda
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ON_AGENDA
    assert referral.conference_cases.count() == 2


def test_handing_back_before_a_conference_is_refused(mda: Mda) -> None:
    referral = mda.refer()
    with pytest.raises(ValidationError, match="kan niet"):
        services.plan_hand_back(actor=mda.member, referral=referral)
    referral = services.referral_accept(actor=mda.member, referral=referral)
    with pytest.raises(ValidationError, match="kan niet"):
        services.plan_hand_back(actor=mda.member, referral=referral)


def test_a_handed_back_referral_is_final(mda: Mda) -> None:
    referral, _conference, _item = mda.weighed_and_held()
    referral = services.plan_hand_back(actor=mda.member, referral=referral)
    with pytest.raises(ValidationError, match="kan niet"):
        services.plan_hand_back(actor=mda.member, referral=referral)
    with pytest.raises(ValidationError):
        _plan(mda, referral)


def test_another_mda_organisation_cannot_decide(mda: Mda) -> None:
    referral = mda.refer()
    with pytest.raises(PermissionDenied):
        services.referral_accept(actor=mda.other_member, referral=referral)
    with pytest.raises(PermissionDenied):
        services.referral_decline(actor=mda.other_member, referral=referral, reason="Niet van ons")
    with pytest.raises(PermissionDenied):
        services.referral_accept(actor=mda.coordinator, referral=referral)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.REFERRED


def test_another_mda_organisation_cannot_put_it_on_its_agenda(mda: Mda) -> None:
    referral = mda.accepted()
    with pytest.raises(PermissionDenied):
        services.conference_plan(
            actor=mda.other_member,
            planned_at=dt.datetime.now(dt.UTC),
            referrals=[referral],
        )
