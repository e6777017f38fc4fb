"""The demo's chain care: cases of Den Haag households in every phase, made through the
care services at the moments they would have happened (``core.clock``).

The coordinator is the demo's `regisseur` of Sociaal Wijkteam Bouwlust en Vrederust; GGZ
Delfland's `ketenpartner` is on most case teams, Veilig Thuis on the handed-over ones; the
team's lead (`teamleider.wijkteam`) sees them all and their escalations.
"""

from __future__ import annotations

import datetime as dt
import random
from contextlib import AbstractContextManager

from ketenradar.accounts.actor import Actor
from ketenradar.accounts.models import Membership, User
from ketenradar.care import services
from ketenradar.care.constants import (
    ActionStatus,
    CaseSource,
    CloseReason,
    EscalationReason,
    GoalStatus,
    Phase,
    SafetyLevel,
    ScreeningOutcome,
    ScreeningRole,
    TeamMemberKind,
)
from ketenradar.care.models import Case
from ketenradar.core import clock
from ketenradar.persons.models import Household
from ketenradar.regions.models import Municipality, Organisation, Region
from ketenradar.reports.models import Dossier

COORDINATING_TEAM = "Sociaal Wijkteam Bouwlust en Vrederust"
MUNICIPALITY = "GM0518"

# (final phase, months ago the case opened, escalated, via Veilig Thuis)
PLAN = [
    (Phase.DIRECT_SAFETY, 0.3, False, True),
    (Phase.DIRECT_SAFETY, 1, True, False),
    (Phase.DIRECT_SAFETY, 2, False, True),
    (Phase.STABLE_SAFETY, 4, False, True),
    (Phase.STABLE_SAFETY, 6, True, False),
    (Phase.STABLE_SAFETY, 5, False, False),
    (Phase.RECOVERY, 9, False, True),
    (Phase.RECOVERY, 10, False, False),
    (Phase.FOLLOW_UP, 16, False, True),
    (Phase.FOLLOW_UP, 20, False, False),
    (Phase.PILOT_LIGHT, 26, False, True),
    (Phase.CLOSED, 22, False, False),
    (Phase.CLOSED, 14, False, True),
]

ORDER = [Phase.DIRECT_SAFETY, Phase.STABLE_SAFETY, Phase.RECOVERY, Phase.FOLLOW_UP]

GOALS = {
    Phase.DIRECT_SAFETY: ("Geen geweld meer in huis; de kinderen zijn veilig", "Veiligheidsplan"),
    Phase.STABLE_SAFETY: ("De schulden zijn onder controle", "Aanmelding schuldhulpverlening"),
    Phase.RECOVERY: ("Moeder en kinderen verwerken wat er gebeurd is", "Traumabehandeling"),
}


def _actor(user: User) -> Actor:
    membership = Membership.objects.select_related("organisation__region", "role__group").get(
        user=user
    )
    return Actor(user=user, membership=membership)


def _households(municipality: Municipality, count: int) -> list[Household]:
    """Den Haag households with a parent and a child, in a stable order."""
    candidates = (
        Household.objects.filter(
            memberships__person__addresses__municipality=municipality,
            memberships__role="kind",
        )
        .exclude(cases__isnull=False)
        .distinct()
        .order_by("pk")
    )
    return list(candidates[:count])


def seed_care(
    *, region: Region, orgs: dict[str, Organisation], users: dict[str, User], now: dt.datetime
) -> int:
    """Cases in every phase; nothing when the region has cases already. Returns how many
    cases were made."""
    if Case.objects.filter(region=region).exists():
        return 0
    municipality = Municipality.objects.get(cbs_code=MUNICIPALITY)
    team = orgs[COORDINATING_TEAM]
    coordinator = _actor(users["case_coordinator"])
    system = Actor.system("system:seed_demo")
    rng = random.Random(20261204)  # noqa: S311 - synthetic demo data
    made = 0
    for household, (target, months_ago, escalated, via_vt) in zip(
        _households(municipality, len(PLAN)), PLAN, strict=False
    ):
        opened = now - dt.timedelta(days=round(30.4 * months_ago))
        step = _Stepper(opened, now)
        # a handover comes with the household's Veilig Thuis dossier, where the replayed
        # history has one
        dossier = (
            Dossier.objects.filter(
                contacts__persons__person__household_memberships__household=household
            )
            .order_by("opened_at")
            .first()
            if via_vt
            else None
        )
        with clock.at(step.at()):
            case = services.case_open(
                actor=system,
                household=household,
                municipality=municipality,
                source=CaseSource.VT_HANDOVER if dossier else CaseSource.LOCAL_TEAM,
                dossier=dossier,
                coordinator_organisation=team,
                coordinator=users["case_coordinator"],
                safety_conditions=["Geen geweld in het bijzijn van de kinderen"] if via_vt else (),
            )
            if via_vt and dossier is None:  # a handover puts Veilig Thuis on the team itself
                services.team_member_join(
                    actor=system,
                    case=case,
                    organisation=orgs["Veilig Thuis Haaglanden"],
                    kind=TeamMemberKind.VEILIG_THUIS,
                    purpose="Veilig Thuis volgt de veiligheidsvoorwaarden",
                )
            services.team_member_add(
                actor=coordinator,
                case=case,
                organisation=orgs["GGZ Delfland"],
                user=users["chain_partner"],
                purpose="Behandeling van de ouder: verslaving en agressieregulatie",
            )
        _advance(case, target, coordinator, orgs, step, rng)
        if escalated:
            with clock.at(step.at()):
                services.escalate(
                    actor=coordinator,
                    case=case,
                    reason=EscalationReason.NO_PROGRESS,
                    note="Vader komt afspraken niet na; ketenpartners wachten op elkaar.",
                )
        made += 1
    return made


class _Stepper:
    """Moments between the case's opening and now, a few days apart."""

    def __init__(self, start: dt.datetime, end: dt.datetime) -> None:
        self.moment, self.end = start, end

    def at(self, days: float = 0) -> dt.datetime:
        self.moment = min(self.moment + dt.timedelta(days=days), self.end)
        return self.moment

    def span(self) -> dt.timedelta:
        return self.end - self.moment


def _advance(
    case: Case,
    target: Phase,
    a: Actor,
    orgs: dict[str, Organisation],
    step: _Stepper,
    rng: random.Random,
) -> None:
    """Walk the case through the phases up to ``target``, recording each precondition."""
    ggz = orgs["GGZ Delfland"]
    last = ORDER.index(target) if target in ORDER else len(ORDER) - 1
    # spread the steps over the time the case has had, leaving 13 months of follow-up to
    # the cases that end as a pilot light or closed
    follow_up = 400 if target in (Phase.PILOT_LIGHT, Phase.CLOSED) else 0
    days = max(step.span().days - follow_up, 10) / (last + 2)

    def at(fraction: float) -> AbstractContextManager[None]:
        return clock.at(step.at(days * fraction))

    with at(0.1):
        goal = services.goal_add(
            actor=a, case=case, phase=Phase.DIRECT_SAFETY, description=GOALS[Phase.DIRECT_SAFETY][0]
        )
        services.action_add(
            actor=a,
            case=case,
            goal=goal,
            description="Veiligheidsplan opstellen met moeder",
            owner_organisation=case.coordinator_organisation,
            due_date=(step.moment + dt.timedelta(days=14)).date(),
        )
        services.action_add(
            actor=a,
            case=case,
            goal=goal,
            description="Intake agressieregulatie vader",
            owner_organisation=ggz,
            due_date=(step.moment + dt.timedelta(days=21)).date(),
        )
        services.plan_approve(actor=a, case=case, note="Eerste plan")
        services.evaluation_plan(
            actor=a, case=case, planned_for=(step.moment + dt.timedelta(days=42)).date()
        )
    if target == Phase.DIRECT_SAFETY:
        return
    with at(0.8):
        for action in case.actions.all():
            services.action_status(actor=a, case=case, action=action, status=ActionStatus.DONE)
        services.goal_status(actor=a, case=case, goal=goal, status=GoalStatus.REACHED)
        services.safety_check_record(
            actor=a, case=case, level=SafetyLevel.DIRECT, note="Geen nieuwe incidenten; plan werkt."
        )
        services.phase_change(actor=a, case=case, to_phase=Phase.STABLE_SAFETY)
        services.analysis_record(
            actor=a,
            case=case,
            risk_factors=rng.sample(
                ["schulden", "verslaving", "werkloosheid", "sociaal_isolement"], 2
            ),
            protective_factors="Betrokken grootmoeder; vader wil hulp",
            network="Grootmoeder (moederszijde) en een buurvrouw",
            explanation="Spanning door geldzorgen en drankgebruik loopt op tot geweld.",
        )
        goal2 = services.goal_add(
            actor=a, case=case, phase=Phase.STABLE_SAFETY, description=GOALS[Phase.STABLE_SAFETY][0]
        )
        services.action_add(
            actor=a,
            case=case,
            goal=goal2,
            description=GOALS[Phase.STABLE_SAFETY][1],
            owner_organisation=case.coordinator_organisation,
            due_date=(step.moment + dt.timedelta(days=30)).date(),
        )
        services.plan_approve(actor=a, case=case, note="Fase 2: risicogestuurde zorg")
    if target == Phase.STABLE_SAFETY:
        return
    with at(0.9):
        for action in case.actions.filter(status=ActionStatus.OPEN):
            services.action_status(actor=a, case=case, action=action, status=ActionStatus.DONE)
        services.goal_status(actor=a, case=case, goal=goal2, status=GoalStatus.REACHED)
        services.safety_check_record(
            actor=a, case=case, level=SafetyLevel.STABLE, note="Al maanden stabiel veilig."
        )
        services.phase_change(actor=a, case=case, to_phase=Phase.RECOVERY)
        goal3 = services.goal_add(
            actor=a, case=case, phase=Phase.RECOVERY, description=GOALS[Phase.RECOVERY][0]
        )
        members = services.household_persons(case)
        screening = services.screening_offer(
            actor=a, case=case, person=members[0], role=ScreeningRole.VICTIM
        )
    if target == Phase.RECOVERY:
        return
    with at(0.9):
        services.screening_outcome(
            actor=a,
            case=case,
            screening=screening,
            outcome=ScreeningOutcome.INDICATION,
            referral="GGZ Delfland, traumabehandeling (EMDR)",
        )
        services.goal_status(actor=a, case=case, goal=goal3, status=GoalStatus.REACHED)
        services.phase_change(actor=a, case=case, to_phase=Phase.FOLLOW_UP)
    if target == Phase.FOLLOW_UP:
        return
    # pilot light or closed: after at least 12 months of follow-up
    with clock.at(max(step.moment + dt.timedelta(days=370), step.moment)):
        if case.phase_since + dt.timedelta(days=370) > step.end:
            return  # not enough time: the case stays in follow-up
        if target == Phase.PILOT_LIGHT:
            services.phase_change(actor=a, case=case, to_phase=Phase.PILOT_LIGHT)
        else:
            services.case_close(
                actor=a,
                case=case,
                reason=CloseReason.LASTING_SAFETY,
                final_safety=SafetyLevel.STABLE,
                note="Anderhalf jaar stabiel veilig; het netwerk houdt de waakvlam.",
            )
