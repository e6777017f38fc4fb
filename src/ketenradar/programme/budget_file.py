"""Reading a budget table from CSV or XLSX (format: docs/programme.md).

The file is checked completely before anything is stored: every problem is reported with
its row (the line number in the file, or the sheet's row number) and column, and one
problem means nothing is imported."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Final

from django.utils.translation import gettext as _

from ketenradar.programme.constants import BudgetKind, DevelopmentTask, Funding
from ketenradar.regions.models import Municipality

CSV: Final = "csv"
XLSX: Final = "xlsx"
FORMATS = (CSV, XLSX)

ROW_LINE: Final = "line"
ROW_TOTAL: Final = "total"
FIXED_COLUMNS = ("row", "kind", "section", "task", "funding", "label")
REQUIRED_COLUMNS = ("row", "kind", "label")
YEAR_COLUMN = re.compile(r"^(\d{4})\s+(\S.*)$")
PM_SPELLINGS = {"p.m.", "p.m", "pm"}
# Dutch notation: thousands dots (optional), decimal comma with at most two digits.
DUTCH_AMOUNT = re.compile(r"^-?(\d{1,3}(\.\d{3})+|\d+)(,\d{1,2})?$")
MAX_AMOUNT = Decimal("1e12")
MAX_ROWS = 5000  # a budget table has tens of rows; this keeps a hostile file from filling memory
MAX_COLUMNS = 200
MAX_LABEL, MAX_SECTION = 200, 100  # as in the models


class BudgetFileError(Exception):
    """The file cannot be imported; ``errors`` says where and why, one message each."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


class _PM:
    def __repr__(self) -> str:
        return "p.m."


PM: Final = _PM()
Amount = Decimal | _PM


@dataclass(frozen=True)
class FileColumn:
    index: int
    header: str
    year: int
    centrumgemeente: Municipality


@dataclass
class FileRow:
    number: int
    is_total: bool
    kind: str
    section: str
    task: str
    funding: str
    label: str
    cells: dict[int, Amount] = field(default_factory=dict)


@dataclass
class BudgetFile:
    columns: list[FileColumn]
    rows: list[FileRow]

    @property
    def years(self) -> list[int]:
        return sorted({c.year for c in self.columns})


def read_budget_file(
    content: bytes, file_format: str, centrumgemeenten: Mapping[str, Municipality]
) -> BudgetFile:
    """Parse and check a budget table. ``centrumgemeenten`` maps lower-case names and CBS
    codes to the region's centrumgemeenten. Raises ``BudgetFileError``."""
    if file_format == CSV:
        rows = list(_csv_rows(content))
    elif file_format == XLSX:
        rows = list(_xlsx_rows(content))
    else:
        raise BudgetFileError([_("Unknown file format '%(format)s'.") % {"format": file_format}])
    return _Reader(centrumgemeenten).read(rows)


def _csv_rows(content: bytes) -> Iterator[tuple[int, list[Any]]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1252", errors="replace")  # Excel's "CSV" on Windows
    lines = text.splitlines()
    # Comment lines (#) are blanked, not dropped, so that csv's line numbers stay right.
    lines = ["" if line.lstrip().startswith("#") else line for line in lines]
    header = next((line for line in lines if line.strip()), "")
    delimiter = ";" if header.count(";") >= header.count(",") and ";" in header else ","
    reader = csv.reader(lines, delimiter=delimiter)
    try:
        start = 1
        for row in reader:
            if start > MAX_ROWS:
                raise BudgetFileError([_too_long()])
            yield start, row[:MAX_COLUMNS]
            start = reader.line_num + 1
    except csv.Error as exc:
        raise BudgetFileError(
            [_("Row %(row)s: %(error)s") % {"row": reader.line_num, "error": exc}]
        ) from exc


def _xlsx_rows(content: bytes) -> Iterator[tuple[int, list[Any]]]:
    from openpyxl import load_workbook  # parses the XML with defusedxml when present

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        rows: list[list[Any]] = []
        for values in sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True):
            if len(rows) >= MAX_ROWS:
                raise BudgetFileError([_too_long()])
            rows.append(list(values))
        workbook.close()
    except BudgetFileError:
        raise
    except Exception as exc:  # a broken or foreign file: openpyxl raises many kinds
        raise BudgetFileError([_("The file is not a readable XLSX workbook.")]) from exc
    for number, values in enumerate(rows, start=1):
        first = values[0] if values else None
        if isinstance(first, str) and first.lstrip().startswith("#"):
            continue
        yield number, values


def _too_long() -> str:
    return _("The file has more than %(rows)s rows; a budget table is far shorter.") % {
        "rows": MAX_ROWS
    }


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def parse_amount(value: Any) -> Amount | None:
    """An amount as written in the table: None for an empty cell, PM for 'p.m.', else a
    Decimal with at most two decimals. Raises ValueError."""
    if value is None:
        return None
    if isinstance(value, bool | dt.date | dt.time):
        raise ValueError(value)
    if isinstance(value, int | float | Decimal):
        try:
            amount = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
        except InvalidOperation as exc:
            raise ValueError(value) from exc
    else:
        text = str(value).replace("€", "").replace("\u00a0", "").replace(" ", "").strip()
        if not text:
            return None
        if text.lower() in PM_SPELLINGS:
            return PM
        if not DUTCH_AMOUNT.match(text):
            raise ValueError(value)
        amount = Decimal(text.replace(".", "").replace(",", "."))
    if not amount.is_finite() or abs(amount) >= MAX_AMOUNT:
        raise ValueError(value)
    exponent = amount.normalize().as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2:
        raise ValueError(value)
    return amount.quantize(Decimal("0.01"))


class _Reader:
    def __init__(self, centrumgemeenten: Mapping[str, Municipality]) -> None:
        self.centrumgemeenten = centrumgemeenten
        self.errors: list[str] = []

    def error(self, row: int, message: str, column: str = "") -> None:
        if column:
            self.errors.append(
                _("Row %(row)s, column '%(column)s': %(message)s")
                % {"row": row, "column": column, "message": message}
            )
        else:
            self.errors.append(_("Row %(row)s: %(message)s") % {"row": row, "message": message})

    def read(self, rows: list[tuple[int, list[Any]]]) -> BudgetFile:
        rows = [(n, values) for n, values in rows if any(_text(v) for v in values)]
        if not rows:
            raise BudgetFileError([_("The file holds no table.")])
        header_number, header = rows[0]
        fixed, columns = self._header(header_number, [_text(v) for v in header])
        if self.errors:
            raise BudgetFileError(self.errors)
        body = [self._row(n, values, fixed, columns) for n, values in rows[1:]]
        parsed = [row for row in body if row is not None]
        if not parsed and not self.errors:
            self.error(header_number, _("the table has no rows below its header."))
        if self.errors:
            raise BudgetFileError(self.errors)
        return BudgetFile(columns=columns, rows=parsed)

    def _header(self, number: int, names: list[str]) -> tuple[dict[str, int], list[FileColumn]]:
        fixed: dict[str, int] = {}
        columns: list[FileColumn] = []
        seen: set[tuple[int, int]] = set()
        for index, name in enumerate(names):
            if not name:
                continue
            key = name.lower()
            if key in FIXED_COLUMNS:
                if key in fixed:
                    self.error(number, _("the column appears twice."), name)
                fixed[key] = index
                continue
            match = YEAR_COLUMN.match(name)
            if not match:
                self.error(
                    number,
                    _(
                        "unknown column; use row, kind, section, task, funding, label and "
                        "one column per year and centrumgemeente, such as '2019 Den Haag'."
                    ),
                    name,
                )
                continue
            year, place = int(match.group(1)), match.group(2).strip()
            municipality = self.centrumgemeenten.get(place.lower())
            if not 1900 <= year <= 2100:
                self.error(number, _("%(year)s is not a budget year.") % {"year": year}, name)
            elif municipality is None:
                self.error(
                    number,
                    _("'%(name)s' is not a centrumgemeente of this region.") % {"name": place},
                    name,
                )
            elif (year, municipality.pk) in seen:
                self.error(number, _("the column appears twice."), name)
            else:
                seen.add((year, municipality.pk))
                columns.append(FileColumn(index, name, year, municipality))
        for required in REQUIRED_COLUMNS:
            if required not in fixed:
                self.error(number, _("the column '%(column)s' is missing.") % {"column": required})
        if not columns:
            self.error(number, _("there is no column for a year and centrumgemeente."))
        return fixed, columns

    def _row(
        self,
        number: int,
        values: list[Any],
        fixed: dict[str, int],
        columns: list[FileColumn],
    ) -> FileRow | None:
        def get(name: str) -> str:
            index = fixed.get(name)
            return _text(values[index]) if index is not None and index < len(values) else ""

        before = len(self.errors)
        row_type, kind = get("row").lower(), get("kind").lower()
        task, funding = get("task").lower(), get("funding").lower()
        label, section = get("label"), get("section").rstrip(":").strip()
        if row_type not in (ROW_LINE, ROW_TOTAL):
            self.error(
                number,
                _("unknown row type '%(value)s' (use line or total).") % {"value": row_type},
                "row",
            )
        if kind not in BudgetKind.values:
            self.error(
                number,
                _("unknown kind '%(value)s' (use baten or lasten).") % {"value": kind},
                "kind",
            )
        if task and task not in DevelopmentTask.values:
            self.error(
                number,
                _("unknown development task '%(value)s' (known: %(known)s).")
                % {"value": task, "known": ", ".join(DevelopmentTask.values)},
                "task",
            )
        if funding and funding not in Funding.values:
            self.error(
                number,
                _("unknown funding '%(value)s' (known: %(known)s).")
                % {"value": funding, "known": ", ".join(Funding.values)},
                "funding",
            )
        if not label:
            self.error(number, _("the label is empty."), "label")
        elif len(label) > MAX_LABEL:
            self.error(number, _("longer than %(n)s characters.") % {"n": MAX_LABEL}, "label")
        if len(section) > MAX_SECTION:
            self.error(number, _("longer than %(n)s characters.") % {"n": MAX_SECTION}, "section")
        is_total = row_type == ROW_TOTAL
        if row_type == ROW_LINE and kind == BudgetKind.EXPENSE:
            if not task:
                self.error(number, _("an expense line needs a development task."), "task")
            if funding:
                self.error(number, _("an expense line has no funding."), "funding")
        if row_type == ROW_LINE and kind == BudgetKind.INCOME and not funding:
            self.error(
                number,
                _("an income line needs a funding (known: %(known)s).")
                % {"known": ", ".join(Funding.values)},
                "funding",
            )
        cells: dict[int, Amount] = {}
        for column in columns:
            raw = values[column.index] if column.index < len(values) else None
            try:
                amount = parse_amount(raw)
            except ValueError:
                self.error(
                    number,
                    _("'%(value)s' is not an amount (write 1.234.567, 1.234.567,89 or p.m.).")
                    % {"value": _text(raw)},
                    column.header,
                )
                continue
            if amount is None:
                continue
            if is_total and amount is PM:
                self.error(number, _("a total cannot be p.m."), column.header)
                continue
            cells[column.index] = amount
        if not cells and len(self.errors) == before:
            self.error(number, _("the row has no amounts."))
        if len(self.errors) > before:
            return None
        return FileRow(number, is_total, kind, section, task, funding, label, cells)
