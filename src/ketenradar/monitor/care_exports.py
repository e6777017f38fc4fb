"""The chain-care KPIs as tables: one layout for the KPI page, the council report and the
exports (docs/monitor.md#chain-care-ketenzorg). The figures are ``care_kpis.care_kpis``'s,
already suppressed; a marker stays the marker, nothing is a dash."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from ketenradar.care.constants import Phase, ScreeningRole
from ketenradar.monitor.exports import Cell, Percent
from ketenradar.monitor.templatetags.monitor_figures import figure, percent
from ketenradar.shelter.constants import BedType


@dataclass
class Table:
    key: str  # for data-testid
    title: str
    header: list[str]
    rows: list[list[Cell]]

    def shown(self) -> list[list[str]]:
        """The rows as the page shows them."""
        return [
            [
                percent(c.value)
                if isinstance(c, Percent)
                else c
                if isinstance(c, str)
                else figure(c)
                for c in row
            ]
            for row in self.rows
        ]


def tables(figures: dict[str, Any], *, short: bool = False) -> list[Table]:
    """The tables in the page's order; ``short``: the council report's selection (no
    per-municipality list of huisverboden, no occupancy by bed type)."""
    c, m, s, r, sh = (
        figures["cases"],
        figures["mda"],
        figures["screenings"],
        figures["restraining"],
        figures["shelter"],
    )
    first = c["first_action"]
    out = [
        Table(
            "care-cases",
            _("Cases"),
            ["", _("Number")],
            [
                [_("Cases opened"), c["opened"]],
                [_("Cases closed"), c["closed"]],
                [_("Open cases at the end of the period"), c["open_at_end"]],
                *([str(Phase(p).label), n] for p, n in c["per_phase"].items()),
            ],
        ),
        Table(
            "care-first-action",
            _("Days from the report to the coordinator's first action"),
            ["", _("Number"), _("mean days"), _("median days")],
            [
                [
                    _("Cases handed over by Veilig Thuis"),
                    first["count"],
                    first["mean_days"],
                    first["median_days"],
                ]
            ],
        ),
        Table(
            "care-mda",
            _("MDA++"),
            ["", _("Number")],
            [
                [_("Referred"), m["referred"]],
                [_("Accepted"), m["accepted"]],
                [_("Plan handed back"), m["handed_back"]],
            ],
        ),
        Table(
            "care-screenings",
            _("Trauma screenings"),
            ["", _("Offered"), _("Done")],
            [[str(ScreeningRole(k).label), v["offered"], v["done"]] for k, v in s.items()],
        ),
        Table(
            "care-restraining",
            _("Temporary restraining orders (huisverboden)"),
            ["", _("Imposed"), _("Extended")],
            [
                [_("Total"), r["imposed"], r["extended"]],
                *([row["name"], row["imposed"], row["extended"]] for row in r["by_subregion"]),
                *(
                    []
                    if short
                    else (
                        [row["name"], row["imposed"], row["extended"]]
                        for row in r["by_municipality"]
                    )
                ),
            ],
        ),
    ]
    occupancy = sh["occupancy"]
    out.append(
        Table(
            "care-occupancy",
            _("Shelter occupancy (occupied bed-days / bed-days)"),
            ["", _("Placements"), _("Occupancy")],
            [
                [
                    _("All bed types"),
                    occupancy["all"]["placements"],
                    Percent(occupancy["all"]["rate"]),
                ],
                *(
                    []
                    if short
                    else (
                        [str(BedType(b).label), v["placements"], Percent(v["rate"])]
                        for b, v in occupancy["by_bed_type"].items()
                    )
                ),
            ],
        )
    )
    norm, waiting = sh["norm"], sh["waiting"]
    out += [
        Table(
            "care-norm",
            _("Shelter stays against the 6-month norm"),
            ["", _("Number"), _("longer than 6 months")],
            [
                [_("Ended in the period"), norm["ended"], norm["ended_over_norm"]],
                [_("Staying on the last day"), norm["staying"], norm["staying_over_norm"]],
            ],
        ),
        Table(
            "care-waiting",
            _("Shelter waiting list"),
            ["", _("Number"), _("mean days"), _("median days"), _("longest")],
            [
                [
                    _("Placed in the period: days waited"),
                    waiting["placed"],
                    waiting["mean_days_waited"],
                    waiting["median_days_waited"],
                    None,
                ],
                [
                    _("Waiting on the last day: days so far"),
                    waiting["still_waiting"],
                    waiting["mean_waiting_age"],
                    None,
                    waiting["longest_waiting_age"],
                ],
            ],
        ),
    ]
    return out


def care_rows(figures: dict[str, Any]) -> list[list[Cell]]:
    """The chain-care tables as rows below the Veilig Thuis figures of the KPI export: a
    blank line and the heading, then each table headed by its title."""
    rows: list[list[Cell]] = [[], [_("Chain care")]]
    for table in tables(figures):
        rows += [[], [table.title, *table.header[1:]], *table.rows]
    return rows
