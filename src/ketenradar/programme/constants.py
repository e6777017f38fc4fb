from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

# The regiovisie's contribution of every municipality of the region: EUR 0.30 per inhabitant
# (seed 002, chapter V). A budget keeps its own rate (Budget.contribution_per_inhabitant).
CONTRIBUTION_PER_INHABITANT = Decimal("0.30")


class BudgetKind(models.TextChoices):
    """The two halves of the budget table."""

    INCOME = "baten", _("Income")
    EXPENSE = "lasten", _("Expenses")


class DevelopmentTask(models.TextChoices):
    """The regiovisie's development tasks (ontwikkelopgaven) that expenses are budgeted by,
    plus the national tasks Den Haag carries as centrumgemeente (seed 002, chapter V)."""

    NATIONAL_TASKS = "landelijke_taken", _("National tasks")
    PREVENTION = "preventie_vroegsignalering", _("Prevention and early detection")
    ADVICE_AND_REPORTING = "advies_melding", _("Advice and reporting")
    INTERVENTIONS = "interventies", _("Interventions")
    MONITORING = "monitoring", _("Monitoring")
    CHAIN_COOPERATION = "ketensamenwerking", _("Chain cooperation")


class Funding(models.TextChoices):
    """Where income comes from: the DUVO grant, or the EUR 0.30-per-inhabitant contribution
    of the region municipalities or of the centrumgemeente itself."""

    DUVO = "duvo", _("DUVO grant")
    REGION_CONTRIBUTION = "bijdrage_regio", _("Contribution of the region municipalities")
    CENTRE_CONTRIBUTION = "bijdrage_centrum", _("Contribution of the centrumgemeente")
    OTHER = "overig", _("Other income")


CONTRIBUTIONS = (Funding.REGION_CONTRIBUTION, Funding.CENTRE_CONTRIBUTION)
