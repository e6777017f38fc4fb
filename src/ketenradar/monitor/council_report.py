"""The council progress report (*raadsrapportage*, like seed 001): the implementation
programme, the KPIs and the budget of the actor's region for a period, read through the
selectors of ``programme`` and ``monitor`` (docs/programme.md#the-council-progress-report).

It holds no personal data: programme data (tasks, results, actions, notes without their
authors, attention points), suppressed KPIs and budget totals only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import F

from ketenradar.accounts.actor import Actor
from ketenradar.core import clock
from ketenradar.monitor import selectors as monitor
from ketenradar.programme import selectors as programme
from ketenradar.programme.calculations import ColumnTotal
from ketenradar.programme.constants import ActionStatus
from ketenradar.programme.models import Action, ActionNote, Budget, IntendedResult
from ketenradar.regions.models import Region

VIEW = programme.VIEW_PROGRAMME
NOTES_PER_TASK = 5
MAX_TREND_MONTHS = 36


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    count: int


@dataclass(frozen=True)
class Note:
    """A progress note as the report shows it: no author."""

    written_on: dt.date
    action_title: str
    text: str
    status_from: str
    status_to: str


@dataclass(frozen=True)
class MunicipalityPoints:
    municipality: str
    points: list[str]


@dataclass
class TaskSection:
    code: str
    title: str
    description: str
    action_count: int = 0
    status_counts: list[StatusCount] = field(default_factory=list)
    overdue: list[Action] = field(default_factory=list)
    results: list[IntendedResult] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    attention_points: list[MunicipalityPoints] = field(default_factory=list)


@dataclass(frozen=True)
class BudgetSection:
    budget: Budget
    totals: list[ColumnTotal]

    @property
    def balanced(self) -> bool:
        return all(t.balanced for t in self.totals)


@dataclass(frozen=True)
class CouncilReport:
    region: Region
    start: dt.date
    end: dt.date
    made_on: dt.date
    as_of: dt.date
    tasks: list[TaskSection]
    kpis: dict[str, Any]
    trend: list[dict[str, Any]]
    municipalities: list[dict[str, Any]]
    budgets: list[BudgetSection]
    next_actions: list[Action]


def _months(start: dt.date, end: dt.date) -> int:
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    return max(1, min(months, MAX_TREND_MONTHS))


def _budgets(actor: Actor, start: dt.date, end: dt.date) -> list[BudgetSection]:
    """The region's budgets over the period's years, each with only those years' columns;
    none when the actor may not view budgets."""
    if not actor.has_perm(programme.VIEW_BUDGET):
        return []
    found = []
    for budget in programme.budget_list(actor=actor).filter(
        first_year__lte=end.year, last_year__gte=start.year
    ):
        totals = [
            t
            for t in programme.budget_totals(actor=actor, budget=budget)
            if start.year <= t.column.year <= end.year
        ]
        found.append(BudgetSection(budget=budget, totals=totals))
    return found


def council_report(
    *, actor: Actor, start: dt.date, end: dt.date, today: dt.date | None = None
) -> CouncilReport:
    """The council report of the actor's region for ``start``..``end`` (both included).

    Actions are counted per status as they stand now; an action is named overdue when its
    end date lies before the report's reference day (``as_of``: today, or the period's end
    when that is earlier) and it is not done. Notes are those written in the period, newest
    first, at most ``NOTES_PER_TASK`` per task. KPIs cover the whole region, suppressed.
    """
    if not actor.has_perm(VIEW) or actor.region is None:
        raise PermissionDenied(VIEW)
    if end < start:
        raise ValueError("the period ends before it starts")
    region = actor.region
    made_on = today or clock.today()
    as_of = min(made_on, end)

    overview = programme.programme_overview(actor=actor, today=as_of)
    region_actions = programme.actions(actor=actor)
    notes = (
        ActionNote.objects.filter(
            action__in=region_actions,
            written_at__date__gte=start,
            written_at__date__lte=end,
        )
        .select_related("action")
        .order_by("-written_at", "-pk")
    )
    notes_by_task: dict[int, list[Note]] = {}
    for note in notes:
        found = notes_by_task.setdefault(note.action.task_id, [])
        if len(found) < NOTES_PER_TASK:
            found.append(
                Note(
                    written_on=note.written_at.date(),
                    action_title=note.action.title,
                    text=note.text,
                    status_from=note.get_status_from_display() if note.status_from else "",
                    status_to=note.get_status_to_display() if note.status_to else "",
                )
            )

    tasks = []
    for t in overview.tasks:
        by_place: dict[str, list[str]] = {}
        for point in sorted(t.attention_points, key=lambda p: (p.municipality.name, p.pk)):
            by_place.setdefault(point.municipality.name, []).append(point.text)
        tasks.append(
            TaskSection(
                code=t.task.code,
                title=t.task.title,
                description=t.task.description,
                action_count=t.action_count,
                status_counts=[StatusCount(g.status, g.label, len(g.actions)) for g in t.by_status],
                overdue=t.overdue,
                results=t.results,
                notes=notes_by_task.get(t.task.pk, []),
                attention_points=[MunicipalityPoints(m, p) for m, p in by_place.items()],
            )
        )

    scope = monitor.Scope(region=region)
    next_actions = list(
        region_actions.exclude(status=ActionStatus.DONE).order_by(
            F("end_date").asc(nulls_last=True), "task__order", "title"
        )
    )
    seen = monitor.overview(  # the period's figures, suppressed as on the KPI page
        actor=actor, scope=scope, start=start, end=end, as_of=made_on, months=_months(start, end)
    )
    return CouncilReport(
        region=region,
        start=start,
        end=end,
        made_on=made_on,
        as_of=as_of,
        tasks=tasks,
        kpis=seen["kpis"],
        trend=seen["trend"],
        municipalities=seen["municipalities"],
        budgets=_budgets(actor, start, end),
        next_actions=next_actions,
    )
