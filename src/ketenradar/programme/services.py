"""Writing budgets: the import of a budget table (CSV or XLSX) for the actor's region."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F

from ketenradar.accounts.actor import Actor
from ketenradar.audit import services as audit
from ketenradar.audit.constants import AuditAction
from ketenradar.core import clock
from ketenradar.programme import calculations
from ketenradar.programme.budget_file import BudgetFileError, read_budget_file
from ketenradar.programme.models import Budget, BudgetLine, BudgetTotal
from ketenradar.regions.models import Municipality, Region

MANAGE_BUDGET = "programme.manage_budget"

__all__ = ["BudgetFileError", "ImportResult", "budget_import", "centrumgemeenten_of"]


@dataclass(frozen=True)
class ImportResult:
    budget: Budget
    created: bool
    lines: int
    pm_lines: int
    mismatches: list[calculations.TotalCheck]  # printed totals that differ from the lines
    unbalanced: list[calculations.ColumnTotal]  # years x centrumgemeenten out of balance


def _require(actor: Actor, region: Region) -> None:
    if not actor.is_system and (not actor.has_perm(MANAGE_BUDGET) or actor.region != region):
        raise PermissionDenied(MANAGE_BUDGET)


def centrumgemeenten_of(region: Region) -> dict[str, Municipality]:
    """The region's centrumgemeenten by lower-case name and by CBS code."""
    found: dict[str, Municipality] = {}
    for m in Municipality.objects.filter(region=region, centrumgemeente=F("pk")):
        found[m.name.lower()] = m
        found[m.cbs_code.lower()] = m
    return found


@transaction.atomic
def budget_import(
    *,
    actor: Actor,
    region: Region,
    content: bytes,
    file_format: str,
    name: str = "",
    source_name: str = "",
) -> ImportResult:
    """Import a budget table for ``region``; the period is the file's years. A budget of the
    same region and period gets the file's lines instead of its own. A malformed file raises
    ``BudgetFileError`` and changes nothing; printed totals that differ from the sums of the
    lines do not stop the import but come back as ``mismatches`` (and stay visible on the
    budget page)."""
    _require(actor, region)
    parsed = read_budget_file(content, file_format, centrumgemeenten_of(region))
    years = parsed.years
    budget = (
        Budget.objects.select_for_update()
        .filter(region=region, first_year=years[0], last_year=years[-1])
        .first()
    )
    created = budget is None
    if budget is None:
        budget = Budget(region=region, first_year=years[0], last_year=years[-1])
    else:
        budget.lines.all().delete()
        budget.totals.all().delete()
    budget.name = name.strip() or budget.name or f"{region.name} {years[0]}-{years[-1]}"
    budget.source_name = source_name[:255]
    budget.source_sha256 = hashlib.sha256(content).hexdigest()
    budget.imported_at = clock.now()
    budget.full_clean(validate_unique=False)
    budget.save()

    columns = {c.index: c for c in parsed.columns}
    lines: list[BudgetLine] = []
    totals: list[BudgetTotal] = []
    for position, row in enumerate(parsed.rows, start=1):
        shared = {
            "budget": budget,
            "kind": row.kind,
            "position": position,
            "label": row.label,
            "section": row.section,
            "task": row.task,
            "funding": row.funding,
        }
        for index, amount in row.cells.items():
            column = columns[index]
            place = {
                "column": index,
                "year": column.year,
                "centrumgemeente": column.centrumgemeente,
            }
            if not isinstance(amount, Decimal):  # p.m. (the reader refuses it in a total)
                lines.append(BudgetLine(**shared, **place, is_pm=True, amount=None))
            elif row.is_total:
                totals.append(BudgetTotal(**shared, **place, amount=amount))
            else:
                lines.append(BudgetLine(**shared, **place, amount=amount))
    BudgetLine.objects.bulk_create(lines)
    BudgetTotal.objects.bulk_create(totals)

    table_columns = calculations.columns_of([*lines, *totals])
    mismatches = [
        check for check in calculations.check_totals(lines, totals, table_columns) if not check.ok
    ]
    unbalanced = calculations.unbalanced(calculations.column_totals(lines, table_columns))
    pm_lines = sum(1 for line in lines if line.is_pm)
    audit.record(
        actor=actor,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        object_type="programme.budget",
        object_id=budget.pk,
        detail={
            "source": budget.source_name,
            "sha256": budget.source_sha256,
            "lines": len(lines),
            "pm": pm_lines,
            "printed_totals": len(totals),
            "mismatches": len(mismatches),
            "unbalanced": [f"{t.column.year} {t.column.centrumgemeente}" for t in unbalanced],
        },
    )
    return ImportResult(
        budget=budget,
        created=created,
        lines=len(lines),
        pm_lines=pm_lines,
        mismatches=mismatches,
        unbalanced=unbalanced,
    )
