"""The KPI page: policy officers of the region, suppressed figures only."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse

from ketenradar.accounts.actor import Actor
from ketenradar.accounts.constants import RoleCode
from ketenradar.conftest import World, login
from ketenradar.core.tests.factories import MunicipalityFactory
from ketenradar.monitor import selectors
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


def test_the_charts_draw_the_months_and_the_municipalities_suppressed(
    desk: Desk, world: World, client: Any
) -> None:
    for i in range(12):
        desk.report(moment("2026-03-02"), [person(i)])
    for i in range(12, 15):
        desk.report(moment("2026-04-06"), [person(i)])
    desk.refresh()
    officer = world.actor(RoleCode.POLICY_OFFICER, "other_org")
    scope = selectors.Scope(region=world.region)

    raw = selectors.monthly_trend(
        actor=Actor.system("test"), scope=scope, end=dt.date(2026, 4, 30), suppressed=False
    )
    assert len(raw) == 12 and raw[-1]["month"] == dt.date(2026, 4, 1)
    assert [m["reports"] for m in raw[-2:]] == [12, 3]
    shown = selectors.monthly_trend(actor=officer, scope=scope, end=dt.date(2026, 4, 30))
    assert [m["reports"] for m in shown[-2:]] == [12, "<10"]
    assert shown[0]["reports"] == 0

    login(client, officer.user)
    html = client.get(
        reverse("monitor:kpis"), {"start": "2026-04-01", "end": "2026-04-30", "scope": ""}
    ).content.decode()
    trend = html.split('data-testid="trend-chart"')[1].split("</svg>")[0]
    assert "maart 2026: 12" in trend
    assert "april 2026: &lt;10" in trend and "april 2026: 3" not in trend
    assert 'data-testid="municipality-chart"' in html


def test_every_page_of_the_period_suppresses_the_same_cells(world: World, client: Any) -> None:
    """Leiden's 6 reports are small; Delft's 25 would give them away on the subregion's page
    (31 - 25), so Delft's count is suppressed too, on every page that shows it."""
    from ketenradar.monitor.models import ContactFact
    from ketenradar.regions.models import Subregion

    sub = Subregion.objects.create(region=world.region, name="Zuid")
    delft = MunicipalityFactory(
        region=world.region, subregion=sub, name="Delft", inhabitants=100_000
    )
    leiden = MunicipalityFactory(
        region=world.region, subregion=sub, name="Leiden", inhabitants=50_000
    )
    for i, where in enumerate([delft] * 25 + [leiden] * 6):
        ContactFact.objects.create(
            contact_key=f"{i:064d}",
            region=world.region,
            municipality=where,
            received_on=dt.date(2026, 3, 2 + i % 20),
            kind="melding",
            channel="politie",
            reporter_category="justitie_veiligheid",
            violence_types=["ex_partnergeweld"],
            earlier_involvement="eerste_melding",
        )
    login(client, world.user(RoleCode.POLICY_OFFICER, "other_org"))

    def page(scope: str) -> str:
        query = {"start": "2026-03-01", "end": "2026-03-31", "scope": scope}
        return client.get(reverse("monitor:kpis"), query).content.decode()

    def volumes(html: str) -> str:
        return html.split('data-testid="volumes"')[1].split("</table>")[0]

    own, subregion, region = page(f"m{delft.pk}"), page(f"s{sub.pk}"), page("")
    assert ">x<" in volumes(own) and ">25<" not in own
    assert ">31<" in volumes(subregion)  # the subregion's own count is shown
    for html in (subregion, region):
        chart = html.split('data-testid="municipality-chart"')[1].split("</svg>")[0]
        assert "Delft: x" in chart and "Leiden: &lt;10" in chart
    assert 'data-testid="secondary-legend"' in own


def test_the_page_takes_as_many_queries_for_many_municipalities_as_for_few(
    world: World, client: Any
) -> None:
    """The whole region is read and suppressed at once: per group, never per area or cell."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ketenradar.monitor.models import ContactFact

    def municipality(n: int) -> None:
        where = MunicipalityFactory(region=world.region, name=f"Gemeente {n}")
        for i in range(n + 3):
            ContactFact.objects.create(
                contact_key=f"{n:032d}{i:032d}",
                region=world.region,
                municipality=where,
                received_on=dt.date(2026, 3, 2 + i % 20),
                kind="melding",
                channel="politie",
                reporter_category="justitie_veiligheid",
                violence_types=["ex_partnergeweld"],
                earlier_involvement="eerste_melding",
            )

    login(client, world.user(RoleCode.POLICY_OFFICER, "other_org"))

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            page = client.get(
                reverse("monitor:kpis"), {"start": "2026-03-01", "end": "2026-03-31", "scope": ""}
            )
        assert page.status_code == 200
        return len(captured)

    municipality(1)
    queries()  # the session's first save (it is saved again only after a minute)
    few = queries()
    for n in range(2, 8):
        municipality(n)
    assert queries() == few
