"""The programme budget: income and expense lines per year per centrumgemeente, as in chapter
V of the regiovisie, and the totals printed in the imported table."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ketenradar.programme.constants import (
    CONTRIBUTION_PER_INHABITANT,
    BudgetKind,
    DevelopmentTask,
    Funding,
)
from ketenradar.regions.models import Municipality, Region


class Budget(models.Model):
    """One budget of a region for a period of years (e.g. DUVO 2019-2022). Importing a table
    for the same region and period replaces its lines."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="budgets")
    name = models.CharField(_("name"), max_length=200)
    first_year = models.PositiveSmallIntegerField(_("first year"))
    last_year = models.PositiveSmallIntegerField(_("last year"))
    contribution_per_inhabitant = models.DecimalField(
        _("contribution per inhabitant"),
        max_digits=6,
        decimal_places=2,
        default=CONTRIBUTION_PER_INHABITANT,
    )
    source_name = models.CharField(_("imported from"), max_length=255, blank=True)
    source_sha256 = models.CharField(max_length=64, blank=True)
    imported_at = models.DateTimeField(_("imported at"))

    class Meta:
        verbose_name = _("budget")
        verbose_name_plural = _("budgets")
        ordering = ["-first_year", "name"]
        default_permissions = ()
        permissions = [
            ("view_budget", _("Can see the region's programme budget")),
            ("manage_budget", _("Can import the region's programme budget")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "first_year", "last_year"], name="budget_unique_period"
            ),
            models.CheckConstraint(
                condition=Q(first_year__lte=F("last_year")), name="budget_period_in_order"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class BudgetCellBase(models.Model):
    """What a line and a printed total of a budget share: their place in the table (row
    ``position``, file ``column``), the year and the centrumgemeente of that column."""

    kind = models.CharField(_("kind"), max_length=10, choices=BudgetKind.choices)
    position = models.PositiveSmallIntegerField(_("row"))
    column = models.PositiveSmallIntegerField(_("column"))
    label = models.CharField(_("label"), max_length=200)
    section = models.CharField(_("section"), max_length=100, blank=True)
    task = models.CharField(
        _("development task"), max_length=30, choices=DevelopmentTask.choices, blank=True
    )
    funding = models.CharField(_("funding"), max_length=30, choices=Funding.choices, blank=True)
    year = models.PositiveSmallIntegerField(_("year"))
    centrumgemeente = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("centrumgemeente"),
    )

    class Meta:
        abstract = True


class BudgetLine(BudgetCellBase):
    """One amount of the budget: income (with its funding) or an expense (with its
    development task), for one year and one centrumgemeente. A 'p.m.' entry (pro memorie:
    acknowledged, amount not yet known) has no amount and counts in no sum."""

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="lines")
    is_pm = models.BooleanField(_("p.m."), default=False)
    amount = models.DecimalField(
        _("amount"), max_digits=14, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["budget", "kind", "position", "column"]
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(
                fields=["budget", "kind", "position", "column"], name="budgetline_one_per_cell"
            ),
            models.CheckConstraint(
                condition=Q(is_pm=True, amount__isnull=True) | Q(is_pm=False, amount__isnull=False),
                name="budgetline_amount_or_pm",
            ),
            models.CheckConstraint(
                condition=Q(kind=BudgetKind.INCOME) & ~Q(funding="")
                | Q(kind=BudgetKind.EXPENSE, funding="") & ~Q(task=""),
                name="budgetline_income_funding_expense_task",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} {self.year} {self.centrumgemeente}"


class BudgetTotal(BudgetCellBase):
    """A total as printed in the imported table ('Totaal DUVO', 'Totaal'): the sum of the
    lines of its kind whose section, task and funding match its own non-empty ones. Kept to
    check it against the lines, never used as an amount."""

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="totals")
    amount = models.DecimalField(_("printed amount"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("printed total")
        verbose_name_plural = _("printed totals")
        ordering = ["budget", "kind", "position", "column"]
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(
                fields=["budget", "kind", "position", "column"], name="budgettotal_one_per_cell"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} {self.year} {self.centrumgemeente}"
