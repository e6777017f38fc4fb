"""The KPI page: policy officers of the region, suppressed figures only."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from ketenradar.accounts.constants import RoleCode
from ketenradar.conftest import World, login
from ketenradar.core.tests.factories import MunicipalityFactory
from ketenradar.monitor.tests.conftest import Desk, moment, person
from ketenradar.reports.constants import AssessmentDecision


def test_the_page_shows_suppressed_figures(desk: Desk, world: World, client: Any) -> None:
    for i in range(12):
        contact = desk.report(moment("2026-03-02"), [person(i)])
        if i < 3:
            assert contact.dossier is not None
            desk.decide(contact.dossier, moment("2026-03-03"), AssessmentDecision.END)
    desk.refresh()
    login(client, world.user(RoleCode.POLICY_OFFICER, "other_org"))

    page = client.get(
        reverse("monitor:kpis"), {"start": "2026-03-01", "end": "2026-03-31", "scope": ""}
    )

    assert page.status_code == 200
    html = page.content.decode()
    volumes = html.split('data-testid="volumes"')[1].split("</table>")[0]
    assert ">12<" in volumes  # reports: 12
    assert "&lt;10" in html  # the 3 decided assessments, among others
    assert ">3<" not in html.split('data-testid="timeliness"')[1].split("</table>")[0]
    assert client.get(reverse("monitor:kpis")).status_code == 200  # last month by default


def test_another_regions_municipality_is_not_a_choice(world: World, client: Any) -> None:
    elsewhere = MunicipalityFactory(region=world.other_region)
    login(client, world.user(RoleCode.POLICY_OFFICER, "other_org"))
    page = client.get(
        reverse("monitor:kpis"),
        {"start": "2026-03-01", "end": "2026-03-31", "scope": f"m{elsewhere.pk}"},
    )
    assert page.status_code == 200
    assert "figures" not in page.context or not page.context.get("figures")
