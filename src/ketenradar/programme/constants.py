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


# --- The implementation programme (uitvoeringsprogramma) -----------------------------------


class OwnerRole(models.TextChoices):
    """The role an organisation takes on for an action (seed 002, chapter III: 'soms trekker,
    soms regisseur, soms uitvoerder')."""

    LEAD = "trekker", _("Lead (trekker)")
    COORDINATOR = "regisseur", _("Coordinator (regisseur)")
    EXECUTOR = "uitvoerder", _("Executor (uitvoerder)")


class ActionStatus(models.TextChoices):
    NOT_STARTED = "niet_gestart", _("Not started")
    IN_PROGRESS = "loopt", _("In progress")
    DELAYED = "vertraagd", _("Delayed")
    DONE = "afgerond", _("Done")


class ActionFunding(models.TextChoices):
    """Where the money for an action comes from; the codes of ``Funding`` where they exist."""

    DUVO = "duvo", _("DUVO grant")
    REGION_CONTRIBUTION = "bijdrage_regio", _("Contribution of the region municipalities")
    CENTRE_CONTRIBUTION = "bijdrage_centrum", _("Contribution of the centrumgemeente")
    OWN_MEANS = "eigen_middelen", _("Own means of the owner")
    OTHER = "overig", _("Other income")
    PM = "pm", _("p.m. (not yet known)")


class KpiCode(models.TextChoices):
    """The indicators the regional monitor will compute (docs/programme.md); a task refers
    to them by code. Nothing computes them yet."""

    REPORTS_PER_10000 = "meldingen_per_10000", _("Reports to Veilig Thuis per 10,000 inhabitants")
    ASSESSMENT_IN_TIME = "vb_binnen_termijn", _("Safety assessments within the deadline (%)")
    INVESTIGATION_IN_10_WEEKS = (
        "onderzoek_binnen_10_weken",
        _("Investigations completed within 10 weeks (%)"),
    )
    REPEAT_IN_12_MONTHS = "herhaling_12_maanden", _("New report within 12 months (%)")
    SAFE_AFTER_18_MONTHS = "veilig_na_18_maanden", _("Safe 18 months after the report (%)")
