"""The council progress report (docs/programme.md#the-council-progress-report): every
section from live data, the PDF as at least three non-empty pages, only the actor's region,
and no personal data."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.urls import reverse

import pypdfium2
import pytest
from PIL import Image, ImageStat

from ketenradar.accounts.constants import RoleCode
from ketenradar.conftest import World, login
from ketenradar.core import clock
from ketenradar.monitor import council_report as report_selectors
from ketenradar.monitor.pdf import RefusedURL, html_to_pdf, static_path
from ketenradar.monitor.tests.conftest import Desk, moment, person
from ketenradar.programme import services
from ketenradar.programme.constants import ActionStatus
from ketenradar.programme.models import Action
from ketenradar.programme.tests.conftest import Haaglanden, haaglanden  # noqa: F401

AMS = dt.timezone(dt.timedelta(hours=1))
TODAY = dt.date(2023, 3, 1)


@dataclass
class Seeded:
    overdue: Action
    running: Action
    later: Action
    done: Action


def _at(day: str) -> Any:
    return clock.at(dt.datetime.fromisoformat(f"{day}T12:00:00+01:00"))


@pytest.fixture
def seeded(haaglanden: Haaglanden, desk: Desk) -> Seeded:  # noqa: F811
    manager, world = haaglanden.manager, haaglanden.world
    owner = manager.organisation
    with _at("2022-01-03"):
        task = services.development_task_create(
            actor=manager,
            region=world.region,
            code="vroegsignalering",
            title="Vroegsignalering",
            description="Signalen eerder herkennen.",
            order=1,
        )
        services.intended_result_add(
            actor=manager, task=task, text="Professionals kennen de meldcode."
        )
        common = {"owner": owner, "owner_role": "trekker", "funding": "duvo"}
        overdue = services.action_create(
            actor=manager,
            task=task,
            title="Scholing meldcode",
            start_date=dt.date(2022, 1, 1),
            end_date=dt.date(2022, 6, 30),
            **common,
        )
        running = services.action_create(
            actor=manager, task=task, title="Expertmeeting", quarter="2023-Q4", **common
        )
        later = services.action_create(
            actor=manager, task=task, title="Borging bij de GGD", **common
        )
        done = services.action_create(
            actor=manager, task=task, title="Webinar voor huisartsen", quarter="2022-Q2", **common
        )
        services.attention_point_add(
            actor=manager, task=task, municipality=haaglanden.delft, text="Aandachtsfunctionaris"
        )
        services.attention_point_add(
            actor=manager, task=task, municipality=haaglanden.den_haag, text="MDA++ invoeren"
        )
        services.action_note_add(actor=manager, action=overdue, text="Notitie van vorig jaar")
    with _at("2022-05-02"):
        services.action_change_status(
            actor=manager, action=running, status=ActionStatus.IN_PROGRESS, note="Zaal geboekt."
        )
        services.action_change_status(
            actor=manager, action=done, status=ActionStatus.DONE, note="Webinar gegeven."
        )
    with _at("2023-02-01"):
        services.action_note_add(actor=manager, action=running, text="Notitie van 2023")
    haaglanden.import_csv()

    # Another region's programme: never in Haaglanden's report.
    elsewhere = world.actor(RoleCode.PROGRAMME_MANAGER, "other_region")
    other_task = services.development_task_create(
        actor=elsewhere, region=world.other_region, code="geheim", title="Opgave elders"
    )
    services.action_create(
        actor=elsewhere,
        task=other_task,
        title="Actie elders",
        owner=elsewhere.organisation,
        owner_role="trekker",
        funding="duvo",
    )

    # Veilig Thuis reports about named persons in 2022, with a named reporter.
    for i in range(12):
        desk.report(moment("2022-03-07"), [person(i)], description=f"Beschrijving geheim {i}")
    desk.report(moment("2022-04-04"), [person(20, surname="Vermeulen-Geheim")])
    desk.refresh()
    return Seeded(overdue=overdue, running=running, later=later, done=done)


def _page(client: Any, world: World, role: str = RoleCode.POLICY_OFFICER, **query: Any) -> str:
    login(client, world.user(role, "other_org"))
    with clock.at(dt.datetime(2023, 3, 1, 12, tzinfo=AMS)):
        response = client.get(reverse("council_report:html"), query or {"year": 2022})
    assert response.status_code == 200
    return str(response.content.decode())


def _section(html: str, testid: str) -> str:
    return html.split(f'data-testid="{testid}"', 1)[1].split("</section>", 1)[0]


@pytest.mark.django_db
def test_the_page_has_every_section(seeded: Seeded, world: World, client: Any) -> None:
    html = _page(client, world)

    title = _section(html, "report-title")
    assert "Haaglanden" in title and "2022" in title
    tasks = _section(html, "report-tasks")
    status = tasks.split('data-testid="status-vroegsignalering"')[1].split("</p>")[0]
    assert "4" in status and "2" in status  # 4 actions: 2 not started, 1 running, 1 done
    overdue = tasks.split('data-testid="overdue-vroegsignalering"')[1].split("</p>")[0]
    assert "Scholing meldcode" in overdue and "Expertmeeting" not in overdue
    assert "Professionals kennen de meldcode." in tasks  # intended result
    notes = tasks.split('data-testid="notes-vroegsignalering"')[1].split("</ul>")[0]
    assert "Zaal geboekt." in notes and "Webinar gegeven." in notes
    assert "Notitie van 2023" not in notes  # written after the period
    assert tasks.index("Delft") < tasks.index("Aandachtsfunctionaris") < tasks.index("Den Haag")
    assert "MDA++ invoeren" in tasks

    kpis = _section(html, "report-kpis")
    for testid in (
        "report-volumes",
        "report-trend",
        "report-police-share",
        "report-earlier",
        "report-timeliness",
        "report-monitoring",
        "report-repeat",
        "report-municipalities",
    ):
        assert f'data-testid="{testid}"' in kpis
    assert kpis.count("<svg") == 2
    volumes = kpis.split('data-testid="report-volumes"')[1].split("</table>")[0]
    assert ">13<" in volumes  # 13 reports in 2022

    budget = _section(html, "report-budget")
    assert 'data-testid="report-balance-2022-GM0518"' in budget
    assert 'data-testid="report-balance-2021-GM0518"' not in budget  # only the period's years
    assert "report-unbalanced" not in budget

    upcoming = _section(html, "report-next")
    # not done, by planned end date (undated last); the done action is not there
    assert upcoming.index("Scholing meldcode") < upcoming.index("Expertmeeting")
    assert upcoming.index("Expertmeeting") < upcoming.index("Borging bij de GGD")
    assert "Webinar voor huisartsen" not in upcoming


@pytest.mark.django_db
def test_the_programme_overview_links_to_it(world: World, client: Any) -> None:
    login(client, world.user(RoleCode.PROGRAMME_MANAGER, "other_org"))
    page = client.get(reverse("programme:overview")).content.decode()
    assert f'href="{reverse("council_report:html")}"' in page


@pytest.mark.django_db
def test_a_period_without_a_budget_says_so(seeded: Seeded, world: World, client: Any) -> None:
    html = _page(client, world, start="2025-01-01", end="2025-06-30")
    assert 'data-testid="report-no-budget"' in _section(html, "report-budget")
    assert "1 januari 2025" in _section(html, "report-title")


@pytest.mark.django_db
def test_a_bad_period_shows_the_form_only(world: World, client: Any) -> None:
    html = _page(client, world, start="2025-06-30", end="2025-01-01")
    assert "report-title" not in html and "report-form" in html


@pytest.mark.django_db
def test_another_regions_data_never_appears(seeded: Seeded, world: World, client: Any) -> None:
    html = _page(client, world)
    assert "Opgave elders" not in html and "Actie elders" not in html
    assert "Hollands Midden" not in html.split('id="main"')[-1]


@pytest.mark.django_db
def test_no_personal_data(seeded: Seeded, world: World, client: Any) -> None:
    html = _page(client, world)
    pdf_text = _pdf_text(_pdf(client, world))
    names = [
        *(f"Voornaam{i}" for i in (*range(12), 20)),
        *(f"Achternaam{i}" for i in range(12)),
        "Vermeulen-Geheim",
        "Melder M. Geheim",
        "0612345678",
        "Beschrijving geheim",
        "Sanne",
        "Jansen",
        "111222333",
        person(0).bsn,
        person(20).bsn,
    ]
    for name in names:
        assert name not in html and name not in pdf_text, name
    # the notes' authors are not shown either
    manager_name = world.user(RoleCode.PROGRAMME_MANAGER, "involved").get_full_name()
    assert manager_name not in _section(html, "report-tasks") and manager_name not in pdf_text


@pytest.mark.django_db
def test_roles_without_the_permission_get_403(world: World, client: Any) -> None:
    login(client, world.user(RoleCode.VT_PROFESSIONAL, "other_org"))
    assert client.get(reverse("council_report:html"), {"year": 2022}).status_code == 403
    assert client.get(reverse("council_report:pdf"), {"year": 2022}).status_code == 403
    with pytest.raises(PermissionDenied):
        report_selectors.council_report(
            actor=world.actor(RoleCode.VT_PROFESSIONAL),
            start=dt.date(2022, 1, 1),
            end=dt.date(2022, 12, 31),
        )


def _pdf(client: Any, world: World) -> bytes:
    login(client, world.user(RoleCode.PROGRAMME_MANAGER, "other_org"))
    with clock.at(dt.datetime(2023, 3, 1, 12, tzinfo=AMS)):
        response = client.get(reverse("council_report:pdf"), {"year": 2022})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "raadsrapportage-haaglanden-20220101-20221231.pdf" in response["Content-Disposition"]
    return bytes(response.content)


def _pdf_text(pdf: bytes) -> str:
    doc = pypdfium2.PdfDocument(pdf)
    return "\n".join(page.get_textpage().get_text_range() for page in doc)


@pytest.mark.django_db
def test_the_pdf_renders_as_at_least_three_non_empty_pages(
    seeded: Seeded, world: World, client: Any
) -> None:
    pdf = _pdf(client, world)
    assert pdf.startswith(b"%PDF")
    doc = pypdfium2.PdfDocument(pdf)
    assert len(doc) >= 3
    width, height = doc[0].get_size()
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    for index, page in enumerate(doc):
        png = io.BytesIO()
        page.render(scale=0.5).to_pil().save(png, format="PNG")
        image = Image.open(io.BytesIO(png.getvalue())).convert("L")
        assert ImageStat.Stat(image).var[0] > 10, f"page {index + 1} is blank"
    text = _pdf_text(pdf)
    for heading in ("Ontwikkelopgaven", "Kerncijfers", "Begroting", "Vervolg"):
        assert heading in text
    assert f"2 / {len(doc)}" in text  # page numbers in the footer
    assert text.count("Raadsrapportage · Haaglanden · 1-1-2022 – 31-12-2022") >= len(doc) - 1
    assert "Scholing meldcode" in text and "Opgave elders" not in text


def test_the_pdf_fetches_only_its_own_static_files() -> None:
    assert static_path("kr-static:monitor/council_report.css").name == "council_report.css"
    for url in (
        "https://example.org/font.woff2",
        "file:///etc/passwd",
        "kr-static:../../settings.py",
        "kr-static:monitor/missing.css",
    ):
        with pytest.raises(RefusedURL):
            static_path(url)
    # an external image is refused, not fetched: the PDF still renders
    pdf = html_to_pdf('<p>x</p><img src="https://example.org/x.png">')
    assert len(pypdfium2.PdfDocument(pdf)) == 1
