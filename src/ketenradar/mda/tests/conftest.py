"""A case coordinated by the case coordinator of the test world, and the MDA++ core team of
an MDA++ organisation in the same region (plus a core-team member of another one)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

import pytest

from ketenradar.accounts.actor import Actor
from ketenradar.accounts.constants import RoleCode
from ketenradar.care import services as care_services
from ketenradar.care.models import Case
from ketenradar.conftest import World
from ketenradar.core.tests.factories import OrganisationFactory
from ketenradar.mda import services
from ketenradar.mda.constants import CRITERION_FIELDS, Criterion
from ketenradar.mda.models import Conference, ConferenceCase, Referral
from ketenradar.mda.services import CriterionAnswer
from ketenradar.regions.constants import OrganisationType
from ketenradar.regions.models import Organisation


def criteria(*met: str, motivations: bool = True) -> dict[str, CriterionAnswer]:
    """Criteria answers: the ``met`` ones ticked (with a motivation unless told otherwise)."""
    return {
        c: CriterionAnswer(
            met=c in met, motivation=f"Toelichting {c}" if motivations and c in met else ""
        )
        for c in CRITERION_FIELDS
    }


ENOUGH = (Criterion.STRUCTURAL_UNSAFETY, Criterion.HELP_WITHOUT_SAFETY, Criterion.RECURRENCE)


@dataclass
class Mda:
    world: World
    case: Case
    coordinator: Actor
    member: Actor  # core team of ``organisation``
    colleague: Actor  # same MDA++ organisation, not personally involved
    other_member: Actor  # core team of another MDA++ organisation in the region
    organisation: Organisation
    agency: Organisation

    def refer(self, **kwargs: Any) -> Referral:
        return services.referral_create(
            actor=self.coordinator,
            case=self.case,
            mda_organisation=kwargs.pop("mda_organisation", self.organisation),
            criteria=kwargs.pop("criteria", criteria(*ENOUGH)),
            question=kwargs.pop("question", "Wat is nodig om het geweld te stoppen?"),
            **kwargs,
        )

    def accepted(self) -> Referral:
        return services.referral_accept(actor=self.member, referral=self.refer())

    def on_agenda(self) -> tuple[Referral, Conference, ConferenceCase]:
        referral = self.accepted()
        conference = services.conference_plan(
            actor=self.member,
            planned_at=dt.datetime.now(dt.UTC) + dt.timedelta(days=3),
            referrals=[referral],
        )
        referral.refresh_from_db()
        return referral, conference, conference.cases.get()

    def weighed_and_held(self) -> tuple[Referral, Conference, ConferenceCase]:
        referral, conference, item = self.on_agenda()
        services.conference_case_weigh(
            actor=self.member,
            conference_case=item,
            risk_factors="Verslaving vader; eerdere huisverboden.",
            protective_factors="Betrokken oma; school signaleert.",
            global_plan="Geweld stopt: pleger in behandeling, kinderen veilig.",
        )
        services.conference_action_add(
            actor=self.member,
            conference_case=item,
            agency=self.agency,
            owner_name="J. de Vries",
            description="Start forensische behandeling vader",
            due_date=timezone.localdate() + dt.timedelta(days=30),
        )
        services.conference_hold(
            actor=self.member,
            conference=conference,
            participants="Kernteam: GGZ (J. de Vries), Veilig Thuis (I. van Dijk)",
            participant_organisations=[self.agency, self.organisation],
            next_conference_on=timezone.localdate() + dt.timedelta(days=42),
        )
        item.refresh_from_db()
        return referral, conference, item


@pytest.fixture
def mda(world: World) -> Mda:
    coordinator = world.actor(RoleCode.CASE_COORDINATOR, "involved")
    member = world.actor(RoleCode.MDA_CORE_TEAM, "same_org")
    colleague = world.actor(RoleCode.MDA_CORE_TEAM, "involved")
    other = world.actor(RoleCode.MDA_CORE_TEAM, "other_org")
    assert coordinator.organisation is not None and member.organisation is not None
    case = care_services.case_open(
        actor=Actor.system("test"),
        household=world.household,
        municipality=world.region.municipalities.get(),
        coordinator_organisation=coordinator.organisation,
        coordinator=coordinator.user,
    )
    agency = OrganisationFactory(
        region=world.region, name="GGZ Delfland", type=OrganisationType.MENTAL_HEALTH
    )
    return Mda(
        world=world,
        case=case,
        coordinator=coordinator,
        member=member,
        colleague=colleague,
        other_member=other,
        organisation=member.organisation,
        agency=agency,
    )
