"""The chain-care KPIs on the KPI page, in the export and in the council report: suppressed
as everywhere a policy officer looks (docs/monitor.md#chain-care-ketenzorg)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

from django.urls import reverse

import pytest

from ketenradar.accounts.constants import RoleCode
from ketenradar.care.constants import CaseSource, Phase
from ketenradar.conftest import World, login
from ketenradar.core.tests.factories import MunicipalityFactory
from ketenradar.monitor.models import CaseFact, RestrainingOrderFact
from ketenradar.regions.models import Municipality
from ketenradar.restraining.constants import OrderStatus

MARCH = {"start": "2026-03-01", "end": "2026-03-31", "scope": ""}


@pytest.fixture
def facts(world: World) -> None:
    """12 huisverboden in Delft and 3 in Den Haag in March; 4 cases opened."""
    den_haag = Municipality.objects.get(cbs_code="GM0518")
    delft = MunicipalityFactory(region=world.region, cbs_code="GM0503", name="Delft")
    n = 0
    for where, count in ((delft, 12), (den_haag, 3)):
        for _ in range(count):
            n += 1
            RestrainingOrderFact.objects.create(
                order_key=f"{n:064d}",
                region=world.region,
                municipality=where,
                imposed_on=dt.date(2026, 3, 9),
                status=OrderStatus.ENDED,
            )
    for i in range(4):
        CaseFact.objects.create(
            case_key=f"c{i:063d}",
            region=world.region,
            municipality=delft,
            source=CaseSource.LOCAL_TEAM,
            phase=Phase.DIRECT_SAFETY,
            phases=[["2026-03-02", Phase.DIRECT_SAFETY]],
            opened_on=dt.date(2026, 3, 2),
        )


def _table(html: str, testid: str) -> str:
    return html.split(f'data-testid="{testid}"', 1)[1].split("</table>", 1)[0]


def _cells(html: str) -> list[str]:
    return [
        part.split(">", 1)[1].split("<", 1)[0]
        for part in html.split("<t")[1:]
        if part.startswith(("d ", "h ", "d>", "h>"))
    ]


def test_the_kpi_page_shows_the_chain_care_section_suppressed(
    facts: None, world: World, client: Any
) -> None:
    login(client, world.user(RoleCode.POLICY_OFFICER, "other_org"))

    html = client.get(reverse("monitor:kpis"), MARCH).content.decode()

    assert 'data-testid="care-kpis"' in html
    restraining = _cells(_table(html, "care-restraining"))
    assert restraining[-9:] == ["Totaal", "15", "0", "Delft", "12", "0", "Den Haag", "&lt;10", "0"]
    cases = _cells(_table(html, "care-cases"))
    assert "4" not in cases and "&lt;10" in cases  # 4 cases opened: the marker
    for testid in ("care-first-action", "care-mda", "care-screenings", "care-occupancy"):
        assert f'data-testid="{testid}"' in html


def test_the_export_holds_the_chain_care_rows_as_the_page(
    facts: None, world: World, client: Any
) -> None:
    login(client, world.user(RoleCode.POLICY_OFFICER, "other_org"))

    content = client.get(reverse("monitor:export", kwargs={"fmt": "csv"}), MARCH).content
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))

    assert ["Delft", "12", "0"] in rows
    assert ["Den Haag", "<10", "0"] in rows
    assert not any(r[:2] == ["Den Haag", "3"] for r in rows)


def test_the_council_report_shows_the_chain_care_tables(
    facts: None, world: World, client: Any
) -> None:
    login(client, world.user(RoleCode.POLICY_OFFICER, "other_org"))

    html = client.get(reverse("council_report:html"), {"year": 2026}).content.decode()

    restraining = _cells(_table(html, "care-restraining"))
    assert restraining[-3:] == ["Totaal", "15", "0"]  # the region; no list per municipality
    assert 'data-testid="care-waiting"' in html
