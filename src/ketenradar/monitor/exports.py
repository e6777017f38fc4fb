"""The monitor's figures as files: CSV (Dutch Excel: UTF-8 with BOM, ``;``) and XLSX
(docs/monitor.md#exports).

The figures are the selectors' suppressed ones, written as the page shows them: a marker
such as ``<10`` stays the marker, nothing is a dash. Text that a spreadsheet could read as a
formula is neutralised as in the access-log export.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from openpyxl import Workbook

from ketenradar.monitor.numbers import share_as_shown
from ketenradar.monitor.suppression import marker, threshold
from ketenradar.monitor.templatetags.monitor_figures import figure, percent
from ketenradar.reports.constants import (
    ContactKind,
    EarlierInvolvement,
    ReporterCategory,
    ViolenceType,
)

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class Percent(NamedTuple):
    """A share (0-1), a marker or ``None``, shown as a percentage."""

    value: Any


Cell = str | int | float | Percent | dt.date | None


@dataclass
class Sheet:
    title: str
    rows: list[list[Cell]] = field(default_factory=list)


def safe_text(value: object) -> str:
    """Neutralise spreadsheet formulas (CSV injection) in exported text, as
    ``audit.views._csv_safe`` does."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in FORMULA_START else text


def _csv_cell(cell: Cell) -> str:
    if cell is None:
        return "–"
    if isinstance(cell, Percent):
        return percent(cell.value) if isinstance(cell.value, float | int) else _csv_cell(cell.value)
    if isinstance(cell, bool):
        return safe_text(cell)
    if isinstance(cell, int | float):
        return figure(cell)  # a number as the page shows it; a minus sign is no formula
    if isinstance(cell, dt.date):
        return date_format(cell, "j-n-Y")
    return safe_text(cell)


def to_csv(sheets: list[Sheet]) -> bytes:
    """All sheets one below the other, each headed by its title, a blank line between."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    for i, sheet in enumerate(sheets):
        if i:
            writer.writerow([])
        writer.writerow([safe_text(sheet.title)])
        for row in sheet.rows:
            writer.writerow([_csv_cell(c) for c in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(sheets: list[Sheet]) -> bytes:
    """One worksheet per sheet: numbers as numbers, shares as percentages, markers as
    text."""
    book = Workbook()
    for default in list(book.worksheets):
        book.remove(default)
    for sheet in sheets:
        ws = book.create_sheet(_sheet_title(sheet.title))
        ws.append([safe_text(sheet.title)])
        for r, row in enumerate(sheet.rows, start=2):
            for c, value in enumerate(row, start=1):
                cell = ws.cell(row=r, column=c)
                if isinstance(value, Percent) and isinstance(value.value, float | int):
                    cell.value = share_as_shown(value.value)  # the page's and CSV's figure
                    cell.number_format = "0.0%"
                elif isinstance(value, Percent):
                    cell.value = _csv_cell(value.value)
                elif isinstance(value, dt.date):
                    cell.value = value
                    cell.number_format = "d-m-yyyy"
                elif isinstance(value, int | float) and not isinstance(value, bool):
                    cell.value = value
                else:
                    cell.value = _csv_cell(value)
        ws.column_dimensions["A"].width = 55
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sheet_title(title: str) -> str:
    for ch in "[]:*?/\\":
        title = title.replace(ch, " ")
    return title[:31]


def _label(choices: Any, value: str) -> str:
    return str(choices(value).label)


def legend() -> list[list[Cell]]:
    """What the markers mean, below the figures (docs/monitor.md#small-counts)."""
    return [
        [],
        [
            _(
                "%(marker)s: a count from 1 to %(highest)s. x: a count left out so that no small "
                "count can be worked out from the other figures."
            )
            % {"marker": marker(), "highest": threshold() - 1}
        ],
    ]


def kpi_sheet(*, figures: dict[str, Any], scope_name: str, start: dt.date, end: dt.date) -> Sheet:
    """The KPI page's figures (``selectors.kpis``), in the page's order."""
    rows: list[list[Cell]] = [
        [_("Area"), scope_name],
        [_("From"), start],
        [_("Until"), end],
        [],
        [
            "",
            _("Number"),
            _("Previous period"),
            _("Growth"),
            _("Per 10,000 inhabitants"),
        ],
    ]
    for key, label in (("advice_requests", _("Advice requests")), ("reports", _("Reports"))):
        v = figures["volumes"][key]
        rows.append([label, v["count"], v["previous"], Percent(v["growth"]), v["per_10000"]])
    rows += [[], [_("Timeliness"), _("Number"), _("In time"), _("Share"), _("Norm")]]
    for key, label in (
        ("assessments", _("Safety assessments within 5 working days")),
        ("investigations", _("Investigations within 10 weeks")),
    ):
        t = figures["timeliness"][key]
        rows.append([label, t["count"], t["within"], Percent(t["share"]), Percent(t["norm"])])
    w = figures["timeliness"]["waiting_list"]
    rows += [
        [],
        [
            _("Waiting for the safety assessment at the end of the period"),
            _("Number"),
            _("mean age in days"),
            _("longest"),
        ],
        ["", w["count"], w["mean_age_days"], w["max_age_days"]],
    ]
    profile = figures["reports"]
    rows += [[], [_("Share from the police"), "", Percent(profile["police_share"])]]
    for title, key, choices in (
        (_("Reports by reporter"), "by_reporter", ReporterCategory),
        (_("Reports by type of violence"), "by_violence_type", ViolenceType),
        (_("Reports by earlier involvement (CBS)"), "by_earlier_involvement", EarlierInvolvement),
    ):
        rows += [[], [title, _("Number"), _("Share")]]
        for value, f in profile[key].items():
            rows.append([_label(choices, value), f["count"], Percent(f["share"])])
    rows += [[], [_("Monitoring"), _("Recorded"), _("Share safe")]]
    for months, m in figures["monitoring"].items():
        rows.append(
            [
                _("After %(months)s months") % {"months": months},
                m["recorded"],
                Percent(m["safe_share"]),
            ]
        )
    r = figures["repeat"]
    rows += [
        [],
        [
            _("New report within 12 months after closure"),
            _("Dossiers closed in the period"),
            _("of which 12 months have passed"),
            _("with a new report"),
            _("Share"),
        ],
        ["", r["closed"], r["followed"], r["repeated"], Percent(r["share"])],
    ]
    return Sheet(title=_("Monitor Veilig Thuis"), rows=rows)


def cbs_sheets(*, tables: dict[str, Any], scope_name: str, year: int, half: int) -> list[Sheet]:
    """The CBS Beleidsinformatie tables of a half year (``selectors.cbs_half_year``): one
    sheet each for reporter category, type of violence and earlier involvement."""
    head: list[list[Cell]] = [
        [_("Area"), scope_name],
        [_("Half year"), f"{year}-H{half}"],
        [_("From"), tables["start"]],
        [_("Until"), tables["end"]],
        *legend()[1:],
        [],
    ]
    kinds = (ContactKind.ADVICE, ContactKind.REPORT)
    note: list[Cell] = [_("A contact may name several types: they add up to more than the total.")]
    both: list[Cell] = ["", _("Advice requests"), _("Reports")]
    total = [_("Total"), *(tables["totals"][k] for k in kinds)]
    reporter = Sheet(
        _("Reporter category"),
        [
            *head,
            both,
            *(
                [_label(ReporterCategory, v), *(f[k] for k in kinds)]
                for v, f in tables["by_reporter"].items()
            ),
            total,
        ],
    )
    violence = Sheet(
        _("Type of violence"),
        [
            *head,
            note,
            both,
            *(
                [_label(ViolenceType, v), *(f[k] for k in kinds)]
                for v, f in tables["by_violence_type"].items()
            ),
            total,
        ],
    )
    earlier = Sheet(
        _("Earlier involvement"),
        [
            *head,
            both[::2],
            *(
                [_label(EarlierInvolvement, v), n]
                for v, n in tables["by_earlier_involvement"].items()
            ),
            [_("Total"), tables["totals"][ContactKind.REPORT]],
        ],
    )
    return [reporter, violence, earlier]
