"""The demo's MDA++: a few open cases of the demo coordinator referred to the
Veiligheidshuis, decided on by its core team (`mda`), weighed in two conferences and partly
handed back, all through the MDA++ services at the moments they would have happened
(``core.clock``). Runs after the care seeding; adds nothing when the region has referrals.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from ketenradar.accounts.actor import Actor
from ketenradar.accounts.models import Membership, User
from ketenradar.care.constants import Phase
from ketenradar.care.models import Case
from ketenradar.core import clock
from ketenradar.mda import services
from ketenradar.mda.constants import Criterion
from ketenradar.mda.models import Referral
from ketenradar.mda.services import CriterionAnswer
from ketenradar.regions.models import Organisation, Region

MDA_ORGANISATION = "Veiligheidshuis"
COORDINATOR = "case_coordinator"
CORE_TEAM = "mda_core_team"

MOTIVATIONS = {
    Criterion.STRUCTURAL_UNSAFETY: "Vierde melding in twee jaar; geweld houdt aan ondanks "
    "veiligheidsvoorwaarden.",
    Criterion.HELP_WITHOUT_SAFETY: "Wijkteam, GGZ en jeugdhulp betrokken; geen stabiele "
    "veiligheid bereikt.",
    Criterion.RECURRENCE: "Eerder huisverbod; pleger weer thuis, spanningen lopen op.",
    Criterion.INTERGENERATIONAL: "Beide ouders groeiden op met huiselijk geweld.",
    Criterion.TRAUMA_CARE: "Moeder en oudste kind met traumaklachten; langdurige "
    "traumabehandeling nodig.",
}
# Per referral the criteria met besides structural unsafety (at least two).
FURTHER = [
    (Criterion.HELP_WITHOUT_SAFETY, Criterion.RECURRENCE, Criterion.TRAUMA_CARE),
    (Criterion.RECURRENCE, Criterion.INTERGENERATIONAL),
    (Criterion.HELP_WITHOUT_SAFETY, Criterion.INTERGENERATIONAL, Criterion.TRAUMA_CARE),
    (Criterion.HELP_WITHOUT_SAFETY, Criterion.RECURRENCE),
    (Criterion.RECURRENCE, Criterion.TRAUMA_CARE),
    (Criterion.HELP_WITHOUT_SAFETY, Criterion.RECURRENCE, Criterion.INTERGENERATIONAL),
    (Criterion.HELP_WITHOUT_SAFETY, Criterion.TRAUMA_CARE),
]
WEIGHING = (
    "Verslaving en psychiatrische problematiek pleger; schulden; eerdere huisverboden; "
    "sociaal isolement moeder.",
    "Steunende grootmoeder; school signaleert en is betrokken; moeder wil hulp.",
    "Het geweld stopt: pleger in forensische behandeling, moeder en kinderen veilig in huis, "
    "traumabehandeling na stabilisatie.",
)
# (agency, owner as recorded, action, days after the conference it is due)
ACTIONS = [
    ("De Waag", "Forensisch behandelaar", "Start forensische behandeling vader", 21),
    ("Veilig Thuis Haaglanden", "Gedragswetenschapper", "Toets veiligheidsvoorwaarden", 14),
    ("GGZ Delfland", "Traumatherapeut", "Traumascreening moeder en oudste kind", 42),
    ("Reclassering NI", "Reclasseringswerker", "Toezicht op contactverbod", 28),
]


def _actor(user: User) -> Actor:
    membership = Membership.objects.select_related("organisation__region", "role__group").get(
        user=user
    )
    return Actor(user=user, membership=membership)


def _criteria(further: tuple[Criterion, ...]) -> dict[str, CriterionAnswer]:
    met = {Criterion.STRUCTURAL_UNSAFETY, *further}
    return {c: CriterionAnswer(met=c in met, motivation=MOTIVATIONS[c]) for c in Criterion}


@transaction.atomic
def seed_mda(
    *, region: Region, orgs: dict[str, Organisation], users: dict[str, User], now: dt.datetime
) -> int:
    """Referrals of up to seven open cases: one waiting for a decision, one declined, three on
    a first conference (two handed back), two on a second one with the third as follow-up (it
    is handed back too). Returns how many referrals were made (0 when present already)."""
    if Referral.objects.filter(case__region=region).exists():
        return 0
    coordinator_user = users[COORDINATOR]
    member = _actor(users[CORE_TEAM])
    veiligheidshuis = orgs[MDA_ORGANISATION]
    cases = list(
        Case.objects.filter(
            region=region,
            coordinator=coordinator_user,
            opened_at__lte=now - dt.timedelta(days=45),
        )
        .exclude(phase=Phase.CLOSED)
        .order_by("opened_at", "pk")[:7]
    )
    if not cases:
        return 0
    coordinator = _actor(coordinator_user)
    referred_at = now - dt.timedelta(days=40)
    referrals = []
    for i, case in enumerate(cases):
        moment = now - dt.timedelta(days=2) if i == len(cases) - 1 else referred_at
        with clock.at(moment + dt.timedelta(minutes=i)):
            referrals.append(
                services.referral_create(
                    actor=coordinator,
                    case=case,
                    mda_organisation=veiligheidshuis,
                    criteria=_criteria(FURTHER[i % len(FURTHER)]),
                    question="Wat is nodig om het geweld duurzaam te stoppen, en wie doet wat?",
                )
            )
    waiting = referrals.pop()  # the newest waits for the core team's decision
    del waiting
    with clock.at(referred_at + dt.timedelta(days=2)):
        if len(referrals) > 1:
            services.referral_decline(
                actor=member,
                referral=referrals.pop(),
                reason="Geen structurele onveiligheid meer sinds de uithuisplaatsing; "
                "reguliere ketenzorg volstaat.",
            )
        accepted = [services.referral_accept(actor=member, referral=r) for r in referrals]
    first, second = accepted[:3], accepted[3:]
    _conference(member, orgs, first, now - dt.timedelta(days=30), next_in=28)
    with clock.at(now - dt.timedelta(days=27)):
        for referral in first[:2]:
            services.plan_hand_back(actor=member, referral=referral)
    follow_up = first[2:]
    if second or follow_up:
        _conference(member, orgs, second + follow_up, now - dt.timedelta(days=2), next_in=26)
        with clock.at(now - dt.timedelta(days=1)):
            for referral in follow_up:
                services.plan_hand_back(actor=member, referral=referral)
    return len(cases)


def _conference(
    member: Actor,
    orgs: dict[str, Organisation],
    referrals: list[Referral],
    at: dt.datetime,
    *,
    next_in: int,
) -> None:
    """Plan, weigh every case with actions per agency, and record it as held."""
    with clock.at(at - dt.timedelta(days=7)):
        conference = services.conference_plan(actor=member, planned_at=at, referrals=referrals)
    with clock.at(at):
        for i, item in enumerate(conference.cases.select_related("referral__case")):
            risk, protective, plan = WEIGHING
            services.conference_case_weigh(
                actor=member,
                conference_case=item,
                risk_factors=risk,
                protective_factors=protective,
                global_plan=plan,
            )
            for agency, owner, description, days in ACTIONS[i % 2 : i % 2 + 3]:
                services.conference_action_add(
                    actor=member,
                    conference_case=item,
                    agency=orgs[agency],
                    owner_name=owner,
                    description=description,
                    due_date=(at + dt.timedelta(days=days)).date(),
                )
        agencies = [orgs[a] for a, *_ in ACTIONS] + [orgs[MDA_ORGANISATION]]
        services.conference_hold(
            actor=member,
            conference=conference,
            participants="Procesregisseur Veiligheidshuis (voorzitter); De Waag; Veilig Thuis "
            "Haaglanden; GGZ Delfland; Reclassering NI; de regisseur van het wijkteam.",
            participant_organisations=agencies,
            next_conference_on=(at + dt.timedelta(days=next_in)).date(),
        )
