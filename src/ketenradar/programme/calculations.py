"""The budget's arithmetic, on lines and printed totals (saved or not): the columns of the
table, the totals per column, the balance check and the check of the printed totals. No
database access and no permissions: the services and selectors call it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from ketenradar.programme.constants import BudgetKind
from ketenradar.regions.models import Municipality

ZERO = Decimal("0.00")


class Cell(Protocol):
    kind: str
    column: int
    year: int
    centrumgemeente: Municipality
    section: str
    task: str
    funding: str


class Line(Cell, Protocol):
    is_pm: bool
    amount: Decimal | None


class Total(Cell, Protocol):
    position: int
    label: str
    amount: Decimal


@dataclass(frozen=True)
class Column:
    """One column of the table: a year and a centrumgemeente."""

    index: int
    year: int
    centrumgemeente: Municipality


@dataclass(frozen=True)
class ColumnTotal:
    """Income and expenses of one year and one centrumgemeente, p.m. entries left out."""

    column: Column
    income: Decimal
    expense: Decimal

    @property
    def difference(self) -> Decimal:
        return self.income - self.expense

    @property
    def balanced(self) -> bool:
        return self.income == self.expense


@dataclass(frozen=True)
class TotalCheck:
    """A printed total against the sum of the lines it covers."""

    kind: str
    position: int
    label: str
    column: Column
    printed: Decimal
    computed: Decimal

    @property
    def ok(self) -> bool:
        return self.printed == self.computed

    @property
    def difference(self) -> Decimal:
        return self.printed - self.computed


def columns_of(cells: Iterable[Cell]) -> list[Column]:
    """The table's columns in the order of the imported file."""
    found: dict[int, Column] = {}
    for cell in cells:
        found.setdefault(cell.column, Column(cell.column, cell.year, cell.centrumgemeente))
    return [found[i] for i in sorted(found)]


def column_totals(lines: Sequence[Line], columns: Sequence[Column]) -> list[ColumnTotal]:
    sums: dict[tuple[str, int], Decimal] = {}
    for line in lines:
        if line.amount is not None and not line.is_pm:
            key = (line.kind, line.column)
            sums[key] = sums.get(key, ZERO) + line.amount
    return [
        ColumnTotal(
            column=c,
            income=sums.get((BudgetKind.INCOME, c.index), ZERO),
            expense=sums.get((BudgetKind.EXPENSE, c.index), ZERO),
        )
        for c in columns
    ]


def unbalanced(totals: Iterable[ColumnTotal]) -> list[ColumnTotal]:
    """The balance check: every year and centrumgemeente whose income and expenses differ."""
    return [t for t in totals if not t.balanced]


def covers(total: Cell, line: Cell) -> bool:
    """Whether a printed total covers a line: same kind and column, and the line matches the
    total's section, development task and funding wherever the total names one."""
    return (
        total.kind == line.kind
        and total.column == line.column
        and (not total.section or total.section == line.section)
        and (not total.task or total.task == line.task)
        and (not total.funding or total.funding == line.funding)
    )


def check_totals(
    lines: Sequence[Line], totals: Sequence[Total], columns: Sequence[Column]
) -> list[TotalCheck]:
    by_index = {c.index: c for c in columns}
    checks = []
    for total in totals:
        computed = sum(
            (
                line.amount
                for line in lines
                if line.amount is not None and not line.is_pm and covers(total, line)
            ),
            ZERO,
        )
        checks.append(
            TotalCheck(
                kind=total.kind,
                position=total.position,
                label=total.label,
                column=by_index.get(total.column)
                or Column(total.column, total.year, total.centrumgemeente),
                printed=total.amount,
                computed=computed,
            )
        )
    return checks
