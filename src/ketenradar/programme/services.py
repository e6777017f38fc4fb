"""Writing budgets (the import of a budget table, CSV or XLSX, for the actor's region) and the
implementation programme (development tasks, intended results, actions, progress notes,
attention points and KPIs)."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from ketenradar.accounts.actor import Actor
from ketenradar.audit import services as audit
from ketenradar.audit.constants import AuditAction
from ketenradar.core import clock
from ketenradar.programme import calculations
from ketenradar.programme.budget_file import BudgetFileError, read_budget_file
from ketenradar.programme.constants import ActionStatus, KpiCode
from ketenradar.programme.constants import DevelopmentTask as BudgetTask
from ketenradar.programme.models import (
    Action,
    ActionNote,
    AttentionPoint,
    Budget,
    BudgetLine,
    BudgetTotal,
    DevelopmentTask,
    IntendedResult,
    TaskKpi,
)
from ketenradar.regions.models import Municipality, Organisation, Region

MANAGE_BUDGET = "programme.manage_budget"
MANAGE_PROGRAMME = "programme.manage_programme"

__all__ = [
    "BudgetFileError",
    "ImportResult",
    "action_change_status",
    "action_create",
    "action_note_add",
    "action_update",
    "attention_point_add",
    "budget_import",
    "centrumgemeenten_of",
    "development_task_create",
    "intended_result_add",
    "parse_quarter",
    "task_kpi_set",
]


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


# --- The implementation programme ----------------------------------------------------------


def _require_programme(actor: Actor, region: Region) -> None:
    if not actor.is_system and (not actor.has_perm(MANAGE_PROGRAMME) or actor.region != region):
        raise PermissionDenied(MANAGE_PROGRAMME)


def _record(actor: Actor, action: AuditAction, obj: object, detail: dict) -> None:
    audit.record(
        actor=actor,
        action=action,
        object_type=f"programme.{type(obj).__name__.lower()}",
        object_id=obj.pk,  # type: ignore[attr-defined]
        detail=detail,
    )


_QUARTER = re.compile(r"(\d{4})-[QK]([1-4])", re.IGNORECASE)


def parse_quarter(quarter: str) -> tuple[str, dt.date, dt.date]:
    """'2023-Q1' (or '2023-K1', kwartaal) as its normal form and its first and last day."""
    match = _QUARTER.fullmatch(quarter.strip())
    if not match:
        raise ValidationError(
            {"quarter": ValidationError(_("Write a quarter as 2023-Q1."), code="quarter")}
        )
    year, q = int(match.group(1)), int(match.group(2))
    start = dt.date(year, 3 * q - 2, 1)
    end = dt.date(year + 1, 1, 1) if q == 4 else dt.date(year, 3 * q + 1, 1)
    return f"{year}-Q{q}", start, end - dt.timedelta(days=1)


@transaction.atomic
def development_task_create(
    *,
    actor: Actor,
    region: Region,
    code: str,
    title: str,
    description: str = "",
    order: int = 0,
    budget_task: str = "",
) -> DevelopmentTask:
    """A development task of ``region``; ``code`` is unique within the region. A task that
    has a budget counterpart names its code (``constants.DevelopmentTask``)."""
    _require_programme(actor, region)
    if budget_task and budget_task not in BudgetTask.values:
        raise ValidationError({"budget_task": ValidationError(_("Unknown budget task."))})
    task = DevelopmentTask(
        region=region,
        code=code,
        title=title.strip(),
        description=description.strip(),
        order=order,
        budget_task=budget_task,
    )
    task.full_clean()
    task.save()
    _record(actor, AuditAction.CREATE, task, {"code": code})
    return task


@transaction.atomic
def intended_result_add(
    *, actor: Actor, task: DevelopmentTask, text: str, number: int | None = None
) -> IntendedResult:
    """An intended result of ``task``, numbered after the last one unless given."""
    _require_programme(actor, task.region)
    if number is None:
        last = task.results.order_by("-number").values_list("number", flat=True).first()
        number = (last or 0) + 1
    result = IntendedResult(task=task, number=number, text=text.strip())
    result.full_clean()
    result.save()
    _record(actor, AuditAction.CREATE, result, {"task": task.code, "number": number})
    return result


def _check_action(action: Action) -> None:
    region = action.task.region
    errors: dict[str, object] = {}
    if action.owner.region_id != region.pk:
        errors["owner"] = _("The owner must be an organisation of the region.")
    if action.result is not None and action.result.task_id != action.task.pk:
        errors["result"] = _("The result must belong to the same development task.")
    if action.quarter:
        quarter, start, end = parse_quarter(action.quarter)
        if (action.start_date or action.end_date) and (
            (action.start_date, action.end_date) != (start, end)
        ):
            errors["quarter"] = _("Give either a quarter or a start and end date.")
        action.quarter, action.start_date, action.end_date = quarter, start, end
    if action.start_date and action.end_date and action.start_date > action.end_date:
        errors["end_date"] = _("The end date lies before the start date.")
    if errors:
        raise ValidationError(errors)
    action.full_clean(exclude=["created_at", "updated_at"])


def _action_detail(action: Action) -> dict:
    return {
        "task": action.task.code,
        "title": action.title,
        "owner": action.owner_id,
        "owner_role": action.owner_role,
        "start": action.start_date.isoformat() if action.start_date else None,
        "end": action.end_date.isoformat() if action.end_date else None,
        "quarter": action.quarter,
        "funding": action.funding,
        "status": action.status,
    }


@transaction.atomic
def action_create(
    *,
    actor: Actor,
    task: DevelopmentTask,
    title: str,
    owner: Organisation,
    owner_role: str,
    funding: str,
    description: str = "",
    result: IntendedResult | None = None,
    start_date: dt.date | None = None,
    end_date: dt.date | None = None,
    quarter: str = "",
) -> Action:
    """A new action of ``task``, not started. Planned by a start and end date or by a
    quarter ('2023-Q1', which sets both); the owner is an organisation of the region."""
    _require_programme(actor, task.region)
    now = clock.now()
    action = Action(
        task=task,
        result=result,
        title=title.strip(),
        description=description.strip(),
        owner=owner,
        owner_role=owner_role,
        start_date=start_date,
        end_date=end_date,
        quarter=quarter.strip(),
        funding=funding,
        status=ActionStatus.NOT_STARTED,
        created_at=now,
        updated_at=now,
    )
    _check_action(action)
    action.save()
    _record(actor, AuditAction.CREATE, action, _action_detail(action))
    return action


ACTION_FIELDS = frozenset(
    {
        "title",
        "description",
        "result",
        "owner",
        "owner_role",
        "start_date",
        "end_date",
        "quarter",
        "funding",
    }
)


@transaction.atomic
def action_update(*, actor: Actor, action: Action, **changes: object) -> Action:
    """Change an action's text, owner, role, planning or funding. The status changes only
    through ``action_change_status`` (with a note)."""
    unknown = set(changes) - ACTION_FIELDS
    if unknown:
        raise TypeError(f"action_update cannot change {sorted(unknown)}")
    action = Action.objects.select_for_update().select_related("task__region").get(pk=action.pk)
    _require_programme(actor, action.task.region)
    before = _action_detail(action)
    for field, value in changes.items():
        setattr(action, field, value.strip() if isinstance(value, str) else value)
    if changes.get("quarter"):  # a new quarter sets the dates, unless they are given too
        if "start_date" not in changes:
            action.start_date = None
        if "end_date" not in changes:
            action.end_date = None
    elif ("start_date" in changes or "end_date" in changes) and "quarter" not in changes:
        action.quarter = ""  # new dates replace the quarter they came from
    _check_action(action)
    action.updated_at = clock.now()
    action.save()
    after = _action_detail(action)
    _record(
        actor,
        AuditAction.UPDATE,
        action,
        {k: [before[k], after[k]] for k in after if before[k] != after[k]},
    )
    return action


def _note(
    actor: Actor, action: Action, text: str, status_from: str = "", to: str = ""
) -> ActionNote:
    text = text.strip()
    if not text:
        raise ValidationError(
            {"text": ValidationError(_("A note cannot be empty."), code="required")}
        )
    note = ActionNote(
        action=action,
        written_at=clock.now(),
        author=actor.user,
        author_name=actor.user.get_full_name() or actor.user.username
        if actor.user
        else actor.label,
        text=text,
        status_from=status_from,
        status_to=to,
    )
    note.full_clean()
    note.save()
    return note


@transaction.atomic
def action_change_status(*, actor: Actor, action: Action, status: str, note: str) -> ActionNote:
    """Move an action to another status; the change needs a note saying why, which is kept
    as a progress note with the old and the new status."""
    action = Action.objects.select_for_update().select_related("task__region").get(pk=action.pk)
    _require_programme(actor, action.task.region)
    if status not in ActionStatus.values:
        raise ValidationError({"status": ValidationError(_("Unknown status."), code="invalid")})
    if status == action.status:
        raise ValidationError(
            {"status": ValidationError(_("The action already has this status."), code="same")}
        )
    if not note.strip():
        raise ValidationError(
            {"text": ValidationError(_("A change of status needs a note."), code="required")}
        )
    written = _note(actor, action, note, action.status, status)
    old, action.status = action.status, status
    action.updated_at = written.written_at
    action.save(update_fields=["status", "updated_at"])
    _record(actor, AuditAction.UPDATE, action, {"status": [old, status], "note": written.pk})
    return written


@transaction.atomic
def action_note_add(*, actor: Actor, action: Action, text: str) -> ActionNote:
    """A dated progress note on an action, by the actor."""
    _require_programme(actor, action.task.region)
    note = _note(actor, action, text)
    _record(actor, AuditAction.CREATE, note, {"action": action.pk})
    return note


@transaction.atomic
def attention_point_add(
    *, actor: Actor, task: DevelopmentTask, municipality: Municipality, text: str
) -> AttentionPoint:
    """A local attention point of ``task`` for a municipality of the region."""
    _require_programme(actor, task.region)
    if municipality.region_id != task.region_id:
        raise ValidationError(
            {"municipality": ValidationError(_("The municipality is not in the region."))}
        )
    point = AttentionPoint(task=task, municipality=municipality, text=text.strip())
    point.full_clean()
    point.save()
    _record(
        actor, AuditAction.CREATE, point, {"task": task.code, "municipality": municipality.cbs_code}
    )
    return point


@transaction.atomic
def task_kpi_set(
    *, actor: Actor, task: DevelopmentTask, code: str, target_value: Decimal | None = None
) -> TaskKpi:
    """Link ``task`` to a KPI code of the monitor, with an optional target value; the same
    code again changes the target."""
    _require_programme(actor, task.region)
    if code not in KpiCode.values:
        raise ValidationError({"code": ValidationError(_("Unknown KPI code."), code="invalid")})
    kpi, created = TaskKpi.objects.update_or_create(
        task=task, code=code, defaults={"target_value": target_value}
    )
    _record(
        actor,
        AuditAction.CREATE if created else AuditAction.UPDATE,
        kpi,
        {"task": task.code, "code": code, "target": str(target_value) if target_value else None},
    )
    return kpi
