"""The programme budget: income and expense lines per year per centrumgemeente, as in chapter
V of the regiovisie, and the totals printed in the imported table. The implementation
programme: a region's development tasks with their intended results, actions, notes, local
attention points and KPIs."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ketenradar.programme.constants import (
    CONTRIBUTION_PER_INHABITANT,
    ActionFunding,
    ActionStatus,
    BudgetKind,
    Funding,
    KpiCode,
    OwnerRole,
)
from ketenradar.programme.constants import DevelopmentTask as BudgetTask
from ketenradar.regions.models import Municipality, Organisation, Region


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
        _("development task"), max_length=30, choices=BudgetTask.choices, blank=True
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


class DevelopmentTask(models.Model):
    """A development task (ontwikkelopgave) of a region's implementation programme: the six
    of Haaglanden's regiovisie, Kennemerland's eleven objectives, or any list a region keeps.
    ``budget_task`` links it to the code its expenses are budgeted under, where there is one."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="development_tasks")
    code = models.SlugField(_("code"), max_length=50)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    budget_task = models.CharField(
        _("budget task"), max_length=30, choices=BudgetTask.choices, blank=True
    )

    class Meta:
        verbose_name = _("development task")
        verbose_name_plural = _("development tasks")
        ordering = ["region", "order", "code"]
        default_permissions = ()
        permissions = [
            ("view_programme", _("Can see the region's implementation programme")),
            ("manage_programme", _("Can edit the region's implementation programme")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["region", "code"], name="developmenttask_unique_code"),
        ]

    def __str__(self) -> str:
        return self.title


class IntendedResult(models.Model):
    """A result the region intends to reach with a development task ('Resultaten in 2022')."""

    task = models.ForeignKey(DevelopmentTask, on_delete=models.CASCADE, related_name="results")
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("result"))

    class Meta:
        verbose_name = _("intended result")
        verbose_name_plural = _("intended results")
        ordering = ["task", "number"]
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(fields=["task", "number"], name="intendedresult_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:60]}"


class Action(models.Model):
    """An action of the programme: what an organisation does, in which role, when, paid from
    what, towards a task (and optionally one of its intended results)."""

    task = models.ForeignKey(DevelopmentTask, on_delete=models.PROTECT, related_name="actions")
    result = models.ForeignKey(
        IntendedResult,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name=_("intended result"),
    )
    title = models.CharField(pgettext_lazy("programme", "action"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    owner = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="programme_actions",
        verbose_name=_("owner organisation"),
    )
    owner_role = models.CharField(_("role of the owner"), max_length=20, choices=OwnerRole.choices)
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)
    quarter = models.CharField(_("quarter"), max_length=7, blank=True)
    funding = models.CharField(_("funding"), max_length=20, choices=ActionFunding.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED
    )
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        verbose_name = pgettext_lazy("programme", "action")
        verbose_name_plural = _("actions")
        ordering = ["task", "end_date", "title"]
        default_permissions = ()
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(start_date__lte=F("end_date")),
                name="action_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def is_overdue(self, today: dt.date) -> bool:
        """The end date has passed and the action is not done."""
        return (
            self.end_date is not None and self.end_date < today and self.status != ActionStatus.DONE
        )


class ActionNote(models.Model):
    """A dated progress note on an action, by whom; a change of status always has one."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="notes")
    written_at = models.DateTimeField(_("written at"))
    author = models.ForeignKey(
        "accounts.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    author_name = models.CharField(_("by"), max_length=150)
    text = models.TextField(_("note"))
    status_from = models.CharField(max_length=20, choices=ActionStatus.choices, blank=True)
    status_to = models.CharField(max_length=20, choices=ActionStatus.choices, blank=True)

    class Meta:
        verbose_name = _("progress note")
        verbose_name_plural = _("progress notes")
        ordering = ["action", "-written_at", "-pk"]
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.written_at:%Y-%m-%d} {self.author_name}"


class AttentionPoint(models.Model):
    """A local attention point of a development task: what a municipality of the region
    pays attention to."""

    task = models.ForeignKey(
        DevelopmentTask, on_delete=models.CASCADE, related_name="attention_points"
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="+", verbose_name=_("municipality")
    )
    text = models.TextField(_("attention point"))

    class Meta:
        verbose_name = _("attention point")
        verbose_name_plural = _("attention points")
        ordering = ["task", "municipality__name", "pk"]
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.municipality}: {self.text[:60]}"


class TaskKpi(models.Model):
    """A KPI of a development task: a code the regional monitor will compute, with an
    optional target value. Nothing computes the value yet."""

    task = models.ForeignKey(DevelopmentTask, on_delete=models.CASCADE, related_name="kpis")
    code = models.CharField(_("KPI"), max_length=40, choices=KpiCode.choices)
    target_value = models.DecimalField(
        _("target value"), max_digits=10, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("KPI")
        verbose_name_plural = _("KPIs")
        ordering = ["task", "code"]
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(fields=["task", "code"], name="taskkpi_unique_code"),
        ]

    def __str__(self) -> str:
        return self.code
