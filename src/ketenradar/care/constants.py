"""Chain care (gefaseerde ketenzorg): one household, one plan, one coordinator."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseSource(models.TextChoices):
    """Where a case comes from."""

    VT_HANDOVER = "vt_overdracht", _("handover by Veilig Thuis")
    VT_CONDITIONS = "vt_voorwaarden", _("Veilig Thuis: conditions and follow-up")
    LOCAL_TEAM = "lokaal_team", _("opened by the local team")


class Phase(models.TextChoices):
    """The phases of gefaseerde ketenzorg, then follow-up and the pilot light."""

    DIRECT_SAFETY = "directe_veiligheid", _("1 direct safety")
    STABLE_SAFETY = "stabiele_veiligheid", _("2 stable safety (risk-driven care)")
    RECOVERY = "herstel", _("3 recovery")
    FOLLOW_UP = "nazorg", _("follow-up")
    PILOT_LIGHT = "waakvlam", _("pilot light")
    CLOSED = "gesloten", _("closed")


PHASE_NUMBER = {
    Phase.DIRECT_SAFETY: 1,
    Phase.STABLE_SAFETY: 2,
    Phase.RECOVERY: 3,
}

# The phase changes a case may make. Forward only one step at a time, each with its
# preconditions (``care.services.PRECONDITIONS``); back to direct safety whenever safety
# drops; closing from any open phase. A closed case stays closed: a new signal opens a new
# case.
TRANSITIONS: dict[str, frozenset[str]] = {
    Phase.DIRECT_SAFETY: frozenset({Phase.STABLE_SAFETY, Phase.CLOSED}),
    Phase.STABLE_SAFETY: frozenset({Phase.RECOVERY, Phase.DIRECT_SAFETY, Phase.CLOSED}),
    Phase.RECOVERY: frozenset({Phase.FOLLOW_UP, Phase.DIRECT_SAFETY, Phase.CLOSED}),
    Phase.FOLLOW_UP: frozenset({Phase.PILOT_LIGHT, Phase.DIRECT_SAFETY, Phase.CLOSED}),
    Phase.PILOT_LIGHT: frozenset({Phase.DIRECT_SAFETY, Phase.CLOSED}),
    Phase.CLOSED: frozenset(),
}
GOAL_PHASES = (Phase.DIRECT_SAFETY, Phase.STABLE_SAFETY, Phase.RECOVERY)
# Follow-up lasts 12 to 18 months before the network takes over as the pilot light.
FOLLOW_UP_MIN_MONTHS = 12
FOLLOW_UP_MAX_MONTHS = 18


class SafetyLevel(models.TextChoices):
    """A recorded safety assessment of the household (the coordinator's, with the team)."""

    UNSAFE = "onveilig", _("unsafe")
    DIRECT = "directe_veiligheid", _("direct safety reached")
    STABLE = "stabiele_veiligheid", _("stable safety reached")


SAFETY_RANK = {SafetyLevel.UNSAFE: 0, SafetyLevel.DIRECT: 1, SafetyLevel.STABLE: 2}


class RiskFactor(models.TextChoices):
    """Underlying risk factors of the joint explanatory analysis (MISSION.md section 3)."""

    DEBTS = "schulden", _("debts")
    SOCIAL_ISOLATION = "sociaal_isolement", _("social isolation")
    ADDICTION = "verslaving", _("addiction")
    PSYCHIATRIC = "psychiatrie", _("psychiatric problems")
    CRIME = "criminaliteit", _("crime")
    UNEMPLOYMENT = "werkloosheid", _("unemployment")
    HOUSING = "huisvesting", _("housing problems")
    TRAUMA = "trauma", _("trauma history")
    PARENTING_STRESS = "opvoedingsstress", _("parenting stress")


class TeamMemberKind(models.TextChoices):
    TEAM = "casusteam", _("case team")
    VEILIG_THUIS = "veilig_thuis", _("Veilig Thuis (conditions and follow-up)")
    MDA = "mda", _("MDA++ core team")


class ConditionStatus(models.TextChoices):
    ACTIVE = "actief", _("in force")
    MET = "nageleefd", _("met")
    BREACHED = "geschonden", _("breached")
    LAPSED = "vervallen", _("no longer needed")


class GoalStatus(models.TextChoices):
    OPEN = "open", _("open")
    REACHED = "bereikt", _("reached")
    DROPPED = "vervallen", _("dropped")


class ActionStatus(models.TextChoices):
    OPEN = "open", _("to do")
    IN_PROGRESS = "bezig", _("in progress")
    DONE = "gereed", _("done")
    DROPPED = "vervallen", _("dropped")


OPEN_ACTION_STATUSES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)


class EscalationReason(models.TextChoices):
    ACTIONS_OVERDUE = "acties_verlopen", _("actions overdue")
    SAFETY_DROPPED = "veiligheid_gedaald", _("safety dropped")
    NO_PROGRESS = "stagnatie", _("the case does not move")
    OTHER = "anders", _("other")


# Actions overdue this long make a case an escalation for the coordinator's lead.
ESCALATE_AFTER_DAYS_OVERDUE = 14


class ScreeningRole(models.TextChoices):
    VICTIM = "slachtoffer", _("victim")
    PERPETRATOR = "pleger", _("perpetrator")


class ScreeningOutcome(models.TextChoices):
    OFFERED = "aangeboden", _("offered, no answer yet")
    DECLINED = "geweigerd", _("declined")
    NO_INDICATION = "geen_indicatie", _("screened: no indication")
    INDICATION = "indicatie", _("screened: trauma treatment indicated")


class DrangStep(models.TextChoices):
    """Steps taken with those who refuse help, outside the compulsory frame."""

    CONVERSATION = "gesprek", _("conversation with the coordinator")
    NETWORK = "netwerk", _("the household's network involved")
    JOINT_VISIT = "gezamenlijk_huisbezoek", _("joint home visit with Veilig Thuis or police")
    CONDITIONS = "voorwaarden", _("safety conditions made explicit with consequences")
    CHILD_PROTECTION = "raad_kinderbescherming", _("consultation with the child protection board")
    PROSECUTION = "justitieel_kader", _("consultation on a judicial frame")


class CloseReason(models.TextChoices):
    LASTING_SAFETY = "duurzaam_veilig", _("lasting safety reached")
    COMPULSORY = "gedwongen_kader", _("handed over to the compulsory frame")
    MOVED = "verhuisd", _("household moved out of the region")
    REFUSED = "zorg_geweigerd", _("help refused, drang exhausted")
    OTHER = "anders", _("other")
