"""Reads of the programme budget, for the actor: the budgets of the actor's region, the table
as in chapter V of the regiovisie, totals per year x centrumgemeente, the balance check, the
check of the printed totals, p.m. entries and the EUR 0.30-per-inhabitant contributions.
Budgets hold no client data; reading them is not logged."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import F, QuerySet
from django.http import Http404

from ketenradar.accounts.actor import Actor
from ketenradar.core import clock
from ketenradar.programme import calculations
from ketenradar.programme.calculations import Column, ColumnTotal, TotalCheck
from ketenradar.programme.constants import CONTRIBUTIONS, ActionStatus, BudgetKind, Funding
from ketenradar.programme.models import (
    Action,
    AttentionPoint,
    Budget,
    BudgetLine,
    BudgetTotal,
    DevelopmentTask,
    IntendedResult,
    TaskKpi,
)
from ketenradar.regions.models import Municipality

VIEW_BUDGET = "programme.view_budget"
VIEW_PROGRAMME = "programme.view_programme"


def _require(actor: Actor) -> None:
    if not actor.has_perm(VIEW_BUDGET) or actor.region is None:
        raise PermissionDenied(VIEW_BUDGET)


def budget_list(*, actor: Actor) -> QuerySet[Budget]:
    if not actor.has_perm(VIEW_BUDGET) or actor.region is None:
        return Budget.objects.none()
    return Budget.objects.filter(region=actor.region)


def budget_get(*, actor: Actor, pk: int) -> Budget:
    """A budget of the actor's region; 404 for any other."""
    _require(actor)
    budget = budget_list(actor=actor).filter(pk=pk).first()
    if budget is None:
        raise Http404
    return budget


@dataclass(frozen=True)
class Contribution:
    """EUR rate x inhabitants of a centrumgemeente's region municipalities
    (``bijdrage_regio``) or of the centrumgemeente itself (``bijdrage_centrum``), computed
    from the inhabitants in Ketenradar, not taken from the budget."""

    centrumgemeente: Municipality
    funding: str
    municipalities: tuple[Municipality, ...]
    rate: Decimal

    @property
    def inhabitants(self) -> int:
        return sum(m.inhabitants for m in self.municipalities)

    @property
    def amount(self) -> Decimal:
        return (self.rate * self.inhabitants).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class TableCell:
    amount: Decimal | None  # a line's amount; on a total row the sum of the lines it covers
    is_pm: bool = False
    check: TotalCheck | None = None  # on a total row with a printed amount
    computed: Decimal | None = None  # on a contribution line: rate x inhabitants

    @property
    def difference(self) -> Decimal | None:
        """On a contribution line: the budgeted amount minus the computed one."""
        if self.computed is None or self.amount is None:
            return None
        return self.amount - self.computed


@dataclass(frozen=True)
class TableRow:
    kind: str
    position: int
    label: str
    section: str
    task: str
    funding: str
    is_total: bool
    cells: list[TableCell | None]

    @property
    def is_contribution(self) -> bool:
        return not self.is_total and self.funding in CONTRIBUTIONS

    @property
    def total_ok(self) -> bool:
        return all(c is None or c.check is None or c.check.ok for c in self.cells)


@dataclass(frozen=True)
class PmEntry:
    """A 'p.m.' line: acknowledged, no amount yet, left out of every sum."""

    kind: str
    label: str
    section: str
    columns: list[Column]


@dataclass(frozen=True)
class BudgetOverview:
    budget: Budget
    columns: list[Column]
    income: list[TableRow]
    expense: list[TableRow]
    totals: list[ColumnTotal]
    checks: list[TotalCheck]
    pm_entries: list[PmEntry]
    contributions: list[Contribution]

    @property
    def unbalanced(self) -> list[ColumnTotal]:
        return calculations.unbalanced(self.totals)

    @property
    def mismatches(self) -> list[TotalCheck]:
        return [c for c in self.checks if not c.ok]


def _cells(budget: Budget) -> tuple[list[BudgetLine], list[BudgetTotal], list[Column]]:
    lines = list(budget.lines.select_related("centrumgemeente"))
    totals = list(budget.totals.select_related("centrumgemeente"))
    return lines, totals, calculations.columns_of([*lines, *totals])


def budget_totals(*, actor: Actor, budget: Budget) -> list[ColumnTotal]:
    """Income, expenses and their difference per year x centrumgemeente; p.m. excluded."""
    budget = budget_get(actor=actor, pk=budget.pk)
    lines, _totals, columns = _cells(budget)
    return calculations.column_totals(lines, columns)


def budget_unbalanced(*, actor: Actor, budget: Budget) -> list[ColumnTotal]:
    """The balance check: every year x centrumgemeente where income and expenses differ."""
    return calculations.unbalanced(budget_totals(actor=actor, budget=budget))


def budget_total_checks(*, actor: Actor, budget: Budget) -> list[TotalCheck]:
    """Every printed total of the imported table against the sum of its lines."""
    budget = budget_get(actor=actor, pk=budget.pk)
    lines, totals, columns = _cells(budget)
    return calculations.check_totals(lines, totals, columns)


def budget_pm_entries(*, actor: Actor, budget: Budget) -> list[PmEntry]:
    budget = budget_get(actor=actor, pk=budget.pk)
    lines, _totals, columns = _cells(budget)
    return _pm_entries(lines, columns)


def _pm_entries(lines: list[BudgetLine], columns: list[Column]) -> list[PmEntry]:
    by_index = {c.index: c for c in columns}
    grouped: dict[tuple[str, int], list[BudgetLine]] = {}
    for line in lines:
        if line.is_pm:
            grouped.setdefault((line.kind, line.position), []).append(line)
    kinds = list(BudgetKind.values)
    return [
        PmEntry(
            kind=kind,
            label=group[0].label,
            section=group[0].section,
            columns=[by_index[line.column] for line in sorted(group, key=lambda x: x.column)],
        )
        for (kind, _position), group in sorted(
            grouped.items(), key=lambda item: (kinds.index(item[0][0]), item[0][1])
        )
    ]


def budget_contributions(*, actor: Actor, budget: Budget) -> list[Contribution]:
    """The contributions computed from inhabitants, for every centrumgemeente of the budget:
    first of its region municipalities, then of itself. Together they are the rate x the
    inhabitants of all municipalities whose centrumgemeente it is."""
    budget = budget_get(actor=actor, pk=budget.pk)
    _lines, _totals, columns = _cells(budget)
    return _contributions(budget, columns)


def _contributions(budget: Budget, columns: list[Column]) -> list[Contribution]:
    centres = list(dict.fromkeys(c.centrumgemeente for c in columns))
    members = Municipality.objects.filter(centrumgemeente__in=centres).order_by("name")
    found = []
    for centre in centres:
        others = tuple(m for m in members if m.centrumgemeente_id == centre.pk and m != centre)
        rate = budget.contribution_per_inhabitant
        found.append(Contribution(centre, Funding.REGION_CONTRIBUTION, others, rate))
        found.append(Contribution(centre, Funding.CENTRE_CONTRIBUTION, (centre,), rate))
    return found


def budget_overview(*, actor: Actor, pk: int) -> BudgetOverview:
    """The whole budget page: the table in the order of the imported file, with the sums
    of the printed total rows computed from the lines, the computed contributions next to
    the budgeted ones, totals and balance per column, and the p.m. entries."""
    budget = budget_get(actor=actor, pk=pk)
    lines, totals, columns = _cells(budget)
    checks = calculations.check_totals(lines, totals, columns)
    contributions = _contributions(budget, columns)
    computed = {(c.centrumgemeente.pk, c.funding): c.amount for c in contributions}
    index_of = {c.index: i for i, c in enumerate(columns)}

    rows: dict[tuple[str, int], TableRow] = {}
    for line in lines:
        row = rows.setdefault(
            (line.kind, line.position),
            TableRow(
                line.kind,
                line.position,
                line.label,
                line.section,
                line.task,
                line.funding,
                False,
                [None] * len(columns),
            ),
        )
        row.cells[index_of[line.column]] = TableCell(
            amount=line.amount,
            is_pm=line.is_pm,
            computed=computed.get((line.centrumgemeente_id, line.funding))
            if line.funding in CONTRIBUTIONS
            else None,
        )
    for total, check in zip(totals, checks, strict=True):
        row = rows.setdefault(
            (total.kind, total.position),
            TableRow(
                total.kind,
                total.position,
                total.label,
                total.section,
                total.task,
                total.funding,
                True,
                [None] * len(columns),
            ),
        )
        row.cells[index_of[total.column]] = TableCell(amount=check.computed, check=check)
    ordered = [rows[key] for key in sorted(rows)]
    return BudgetOverview(
        budget=budget,
        columns=columns,
        income=[r for r in ordered if r.kind == BudgetKind.INCOME],
        expense=[r for r in ordered if r.kind == BudgetKind.EXPENSE],
        totals=calculations.column_totals(lines, columns),
        checks=checks,
        pm_entries=_pm_entries(lines, columns),
        contributions=contributions,
    )


# --- The implementation programme ----------------------------------------------------------


def _require_programme(actor: Actor) -> None:
    if not actor.has_perm(VIEW_PROGRAMME) or actor.region is None:
        raise PermissionDenied(VIEW_PROGRAMME)


def development_tasks(*, actor: Actor) -> QuerySet[DevelopmentTask]:
    """The development tasks of the actor's region; none without the permission."""
    if not actor.has_perm(VIEW_PROGRAMME) or actor.region is None:
        return DevelopmentTask.objects.none()
    return DevelopmentTask.objects.filter(region=actor.region)


def development_task_get(*, actor: Actor, pk: int) -> DevelopmentTask:
    """A development task of the actor's region; 404 for any other."""
    _require_programme(actor)
    task = development_tasks(actor=actor).filter(pk=pk).first()
    if task is None:
        raise Http404
    return task


def actions(*, actor: Actor) -> QuerySet[Action]:
    """The actions of the actor's region; none without the permission."""
    if not actor.has_perm(VIEW_PROGRAMME) or actor.region is None:
        return Action.objects.none()
    return Action.objects.filter(task__region=actor.region).select_related(
        "task", "result", "owner"
    )


def overdue_actions(*, actor: Actor, today: dt.date | None = None) -> QuerySet[Action]:
    """Actions of the actor's region whose end date has passed and that are not done."""
    today = today or clock.today()
    return (
        actions(actor=actor)
        .filter(end_date__lt=today)
        .exclude(status=ActionStatus.DONE)
        .order_by("end_date", "title")
    )


@dataclass(frozen=True)
class StatusGroup:
    status: str
    label: str
    actions: list[Action]


@dataclass
class TaskOverview:
    task: DevelopmentTask
    results: list[IntendedResult] = field(default_factory=list)
    by_status: list[StatusGroup] = field(default_factory=list)
    overdue: list[Action] = field(default_factory=list)
    attention_points: list[AttentionPoint] = field(default_factory=list)
    kpis: list[TaskKpi] = field(default_factory=list)

    @property
    def action_count(self) -> int:
        return sum(len(g.actions) for g in self.by_status)


@dataclass(frozen=True)
class ProgrammeOverview:
    tasks: list[TaskOverview]
    overdue: list[Action]
    today: dt.date


def programme_overview(*, actor: Actor, today: dt.date | None = None) -> ProgrammeOverview:
    """Per development task of the actor's region: its intended results, its actions grouped
    by status (every status, in the order of ``ActionStatus``), the overdue ones, the local
    attention points and the KPIs; and all overdue actions of the region."""
    _require_programme(actor)
    today = today or clock.today()
    tasks = {t.pk: TaskOverview(task=t) for t in development_tasks(actor=actor)}
    grouped: dict[int, dict[str, list[Action]]] = {
        pk: {s: [] for s in ActionStatus.values} for pk in tasks
    }
    for result in IntendedResult.objects.filter(task__in=tasks):
        tasks[result.task_id].results.append(result)
    for point in AttentionPoint.objects.filter(task__in=tasks).select_related("municipality"):
        tasks[point.task_id].attention_points.append(point)
    for kpi in TaskKpi.objects.filter(task__in=tasks):
        tasks[kpi.task_id].kpis.append(kpi)
    overdue: list[Action] = []
    for action in actions(actor=actor).order_by(F("end_date").asc(nulls_last=True), "title"):
        grouped[action.task_id][action.status].append(action)
        if action.is_overdue(today):
            tasks[action.task_id].overdue.append(action)
            overdue.append(action)
    for pk, overview in tasks.items():
        overview.by_status = [
            StatusGroup(status=s.value, label=str(s.label), actions=grouped[pk][s.value])
            for s in ActionStatus
        ]
    return ProgrammeOverview(tasks=list(tasks.values()), overdue=overdue, today=today)


def action_get(*, actor: Actor, pk: int) -> Action:
    """An action of the actor's region, with its notes newest first; 404 for any other."""
    _require_programme(actor)
    action = actions(actor=actor).filter(pk=pk).prefetch_related("notes").first()
    if action is None:
        raise Http404
    return action
