"""Shelter (opvang) choices. Identifiers English, stored values Dutch."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# Seed 002, bijlage "Ambulante hulp en vrouwen/mannenopvang": a stay as short as possible,
# at most 6 months.
NORM_MONTHS = 6
# Notices: a placement reaching the norm within this many days is "due soon".
NORM_WARNING_DAYS = 14
# Seed 002: ambulant help of 6 weeks; the Ambulant Team Huiselijk Geweld works 6 to 9 months.
AMBULANT_SHORT_WEEKS = 6
AMBULANT_TEAM_MONTHS = 9


class BedType(models.TextChoices):
    """The kinds of places of seed 002 (Den Haag 2018)."""

    REGULAR = "regulier", _("regular")
    FAMILY = "gezin", _("family")
    YOUNG_MOTHERS = "jonge_moeders", _("young mothers")
    OBSERVATION = "observatie", _("young mothers, observation")
    CRISIS = "crisis", _("crisis / emergency bed")
    ELDERLY = "ouderen", _("elderly")
    MEN = "mannen", _("men")


class PlacementEndReason(models.TextChoices):
    OWN_HOME = "eigen_woning", _("moved to a home of their own")
    RETURNED = "terug_naar_huis", _("returned home (safe again)")
    OTHER_SHELTER = "andere_opvang", _("moved to another shelter")
    CARE = "zorg", _("moved to a care institution")
    LEFT = "vertrokken", _("left on their own initiative")
    OTHER = "anders", _("other")


class WaitingState(models.TextChoices):
    WAITING = "wachtend", _("waiting")
    PLACED = "geplaatst", _("placed")
    WITHDRAWN = "ingetrokken", _("withdrawn")


class WithdrawalReason(models.TextChoices):
    NOT_NEEDED = "niet_meer_nodig", _("no longer needed")
    ELSEWHERE = "elders_geplaatst", _("placed elsewhere")
    AMBULANT = "ambulante_hulp", _("ambulant help instead")
    NO_CONTACT = "geen_contact", _("no contact")
    OTHER = "anders", _("other")


class TrajectoryKind(models.TextChoices):
    AMBULANT_SHORT = "ambulant_6_weken", _("ambulant help (6 weeks)")
    AMBULANT_TEAM = "ambulant_team", _("ambulant team (6-9 months)")
