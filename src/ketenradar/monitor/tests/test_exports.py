"""The monitor's exports: the KPI page's figures and the CBS half-year tables as CSV and
XLSX, suppressed as on the page, formulas neutralised, for holders of regions.view_region
only."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.urls import reverse

import pytest
from openpyxl import load_workbook

from ketenradar.accounts.constants import RoleCode
from ketenradar.accounts.roles import load_role_definitions
from ketenradar.conftest import World, login
from ketenradar.core.tests.factories import MunicipalityFactory
from ketenradar.monitor.exports import safe_text
from ketenradar.monitor.tests.conftest import Desk, moment, person
from ketenradar.reports.constants import AssessmentDecision, ReporterCategory, ViolenceType

MARCH = {"start": "2026-03-01", "end": "2026-03-31", "scope": ""}
H1 = {"year": "2026", "half": "1", "scope": ""}


def _march(desk: Desk) -> None:
    """12 reports in March 2026, 3 of them decided (a small count)."""
    for i in range(12):
        contact = desk.report(moment("2026-03-02"), [person(i)])
        if i < 3:
            assert contact.dossier is not None
            desk.decide(contact.dossier, moment("2026-03-03"), AssessmentDecision.END)
    desk.refresh()


def _rows(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def _cells(book_bytes: bytes) -> dict[str, list[list[Any]]]:
    book = load_workbook(io.BytesIO(book_bytes))
    return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in book}


@pytest.fixture
def officer(world: World, client: Any) -> Any:
    return login(client, world.user(RoleCode.POLICY_OFFICER, "other_org"))


def test_csv_export_holds_the_pages_figures_suppressed(desk: Desk, officer: Any) -> None:
    _march(desk)
    page = officer.get(reverse("monitor:kpis"), MARCH)
    assert reverse("monitor:export", kwargs={"fmt": "csv"}) in page.content.decode()
    response = officer.get(reverse("monitor:export", kwargs={"fmt": "csv"}), MARCH)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = _rows(response.content)
    assert rows[2][1:] == ["1-3-2026"]  # From
    volumes = rows[6:8]
    assert volumes[1][1] == "12"  # reports, as on the page
    assessments = rows[10]
    assert assessments[1:3] == ["<10", "<10"]  # 3 decided: the marker, never 3
    assert all(cell != "3" for row in rows for cell in row)
    police = next(r for r in rows if r[1:3] == ["12", "100,0%"])
    assert police[0]  # the police category: 12 of 12 reports


def test_xlsx_export_keeps_numbers_and_markers(desk: Desk, officer: Any) -> None:
    _march(desk)
    response = officer.get(reverse("monitor:export", kwargs={"fmt": "xlsx"}), MARCH)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    (rows,) = _cells(response.content).values()
    assert rows[7][1] == 12  # reports: a number
    assert rows[10][1:3] == ["<10", "<10"]
    assert all(cell != 3 for row in rows for cell in row)


def test_formulas_in_text_are_neutralised(world: World, officer: Any) -> None:
    name = '=HYPERLINK("http://x","y")'
    evil = MunicipalityFactory(region=world.region, name=name)
    query = {**MARCH, "scope": f"m{evil.pk}"}

    rows = _rows(officer.get(reverse("monitor:export", kwargs={"fmt": "csv"}), query).content)
    assert rows[1][1] == "'" + name
    (sheet,) = _cells(
        officer.get(reverse("monitor:export", kwargs={"fmt": "xlsx"}), query).content
    ).values()
    assert sheet[1][1] == "'" + name  # text, not a formula
    cbs = officer.get(
        reverse("monitor:cbs_export", kwargs={"fmt": "csv"}), {**H1, "scope": f"m{evil.pk}"}
    )
    assert _rows(cbs.content)[1][1:] == ["'" + name]
    assert [safe_text(v) for v in ("+1", "-1", "@a", "\tx", "<10", "a=b")] == [
        "'+1",
        "'-1",
        "'@a",
        "'\tx",
        "<10",
        "a=b",
    ]


def test_cbs_half_year_tables(desk: Desk, officer: Any) -> None:
    _march(desk)  # 12 police reports naming partner violence, 12 first reports
    for _ in range(3):
        desk.advice(
            moment("2026-05-04"),
            category=ReporterCategory.NON_PROFESSIONAL,
            types=(ViolenceType.CHILD_ABUSE, ViolenceType.PARTNER_VIOLENCE),
        )
    desk.report(moment("2026-07-01"), [person(99)])  # the second half year
    desk.refresh()

    response = officer.get(reverse("monitor:cbs_export", kwargs={"fmt": "xlsx"}), H1)

    assert response.status_code == 200
    sheets = list(_cells(response.content).values())
    assert len(sheets) == 3
    reporter, violence, earlier = sheets
    police = next(r for r in reporter if r[2] == 12)  # reports of the police: 12
    assert police[1] == 0  # no advice request from the police
    non_professional = next(r for r in reporter if r[1] == "<10")  # 3 advice requests
    assert non_professional[2] == 0
    assert reporter[-1][1:3] == ["<10", 12]  # totals: the July report is not in H1
    partner = next(r for r in violence if r[2] == 12)
    assert partner[1] == "<10"
    assert sum(1 for r in earlier if r[1] == 12) == 2  # first reports, and the total
    assert all(cell != 3 for rows in sheets for row in rows for cell in row)

    rows = _rows(officer.get(reverse("monitor:cbs_export", kwargs={"fmt": "csv"}), H1).content)
    assert sum(1 for r in rows if r and r[0] and len(r) == 1) >= 3  # three tables, titled
    assert ["<10", "12"] in [r[1:3] for r in rows]


def test_invalid_filters_are_refused(officer: Any) -> None:
    bad = {"start": "2026-03-31", "end": "2026-03-01"}
    assert officer.get(reverse("monitor:export", kwargs={"fmt": "csv"}), bad).status_code == 400
    assert (
        officer.get(
            reverse("monitor:cbs_export", kwargs={"fmt": "csv"}), {"year": "x", "half": "3"}
        ).status_code
        == 400
    )


WITHOUT = [
    code
    for code, spec in load_role_definitions().items()
    if "regions.view_region" not in spec["permissions"]
]


@pytest.mark.parametrize("role", WITHOUT)
@pytest.mark.parametrize("name", ["monitor:export", "monitor:cbs_export"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_roles_without_the_permission_get_403(
    world: World, client: Any, role: str, name: str, fmt: str
) -> None:
    login(client, world.user(role, "other_org"))
    assert client.get(reverse(name, kwargs={"fmt": fmt})).status_code == 403
