"""MDA++ (multidisciplinaire aanpak): referrals, their criteria, the core team's conferences.

The criteria and the rule that combines them are documented, with their sources, in
docs/mda.md.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Criterion(models.TextChoices):
    """The inclusion criteria of MDA++ (VT IJsselland; MISSION.md section 3)."""

    STRUCTURAL_UNSAFETY = "structurele_onveiligheid", _("structural unsafety")
    HELP_WITHOUT_SAFETY = (
        "veel_hulp_geen_veiligheid",
        _("much help from several organisations without stable safety"),
    )
    RECURRENCE = "herhalingsrisico", _("high risk of recurrence")
    INTERGENERATIONAL = "intergenerationeel", _("high risk of intergenerational transfer")
    TRAUMA_CARE = (
        "langdurige_traumazorg",
        _("intensive, long-term approach with trauma screening and treatment needed"),
    )


# The model field of each criterion (a boolean, with ``<field>_motivation`` beside it).
CRITERION_FIELDS: dict[str, str] = {
    Criterion.STRUCTURAL_UNSAFETY: "structural_unsafety",
    Criterion.HELP_WITHOUT_SAFETY: "help_without_safety",
    Criterion.RECURRENCE: "recurrence_risk",
    Criterion.INTERGENERATIONAL: "intergenerational_risk",
    Criterion.TRAUMA_CARE: "trauma_care_needed",
}

# The referral rule (docs/mda.md): structural unsafety always, and at least this many of
# the other four criteria. The threshold is this project's choice, not a published norm.
REQUIRED_CRITERION = Criterion.STRUCTURAL_UNSAFETY
MIN_FURTHER_CRITERIA = 2


class ReferralStatus(models.TextChoices):
    REFERRED = "aangemeld", _("referred, awaiting a decision")
    ACCEPTED = "geaccepteerd", _("accepted")
    DECLINED = "afgewezen", _("declined by MDA++")
    ON_AGENDA = "in_behandeling", _("on a conference agenda")
    HANDED_BACK = "teruggelegd", _("plan handed back to the coordinator")


# The status changes a referral may make; declined and handed back are final (a new
# referral can be made for the case).
TRANSITIONS: dict[str, frozenset[str]] = {
    ReferralStatus.REFERRED: frozenset({ReferralStatus.ACCEPTED, ReferralStatus.DECLINED}),
    ReferralStatus.ACCEPTED: frozenset({ReferralStatus.ON_AGENDA}),
    ReferralStatus.ON_AGENDA: frozenset({ReferralStatus.HANDED_BACK}),
    ReferralStatus.DECLINED: frozenset(),
    ReferralStatus.HANDED_BACK: frozenset(),
}
OPEN_STATUSES = (ReferralStatus.REFERRED, ReferralStatus.ACCEPTED, ReferralStatus.ON_AGENDA)
# Referrals that may be put on a (further) conference's agenda.
AGENDA_STATUSES = (ReferralStatus.ACCEPTED, ReferralStatus.ON_AGENDA)

# House norm (not a published deadline): the core team decides on a referral within this
# many days; after that the referral shows as overdue in the notices.
DECISION_DAYS = 7
