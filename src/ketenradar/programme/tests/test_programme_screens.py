"""The programme pages: the overview for policy officers and programme managers, editing
for the programme manager only, and no way into another region's programme."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse

import pytest

from ketenradar.accounts.constants import RoleCode
from ketenradar.conftest import World, login
from ketenradar.programme import services
from ketenradar.programme.models import Action, ActionNote, DevelopmentTask

pytestmark = pytest.mark.django_db


@pytest.fixture
def task(world: World) -> DevelopmentTask:
    manager = world.actor(RoleCode.PROGRAMME_MANAGER)
    task = services.development_task_create(
        actor=manager, region=world.region, code="monitoring", title="Monitoring", order=5
    )
    services.intended_result_add(
        actor=manager, task=task, text="Voor de keten is een monitoringsysteem ingevoerd."
    )
    services.task_kpi_set(actor=manager, task=task, code="herhaling_12_maanden")
    return task


def _action(world: World, task: DevelopmentTask, **kwargs: Any) -> Action:
    manager = world.actor(RoleCode.PROGRAMME_MANAGER)
    return services.action_create(
        actor=manager,
        task=task,
        title=kwargs.pop("title", "Monitors omzetten in kennis"),
        owner=manager.organisation,
        owner_role="regisseur",
        funding="bijdrage_regio",
        **kwargs,
    )


def test_officer_sees_the_overview_with_overdue_actions_but_no_edit_links(
    world: World, task: DevelopmentTask, client: Any
) -> None:
    late = _action(world, task, title="Te laat", end_date=dt.date(2020, 12, 31))
    _action(world, task, title="Later", quarter="2099-Q1")
    login(client, world.user(RoleCode.POLICY_OFFICER, "involved"))
    page = client.get(reverse("programme:overview"))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="overdue"' in html and f'data-testid="overdue-{late.pk}"' in html
    assert "monitoringsysteem" in html and "herhaling_12_maanden" in html
    assert "2099-Q1" in html
    assert reverse("programme:action_create", args=[task.pk]) not in html
    detail = client.get(reverse("programme:action_detail", args=[late.pk])).content.decode()
    assert 'data-testid="status-form"' not in detail
    assert reverse("programme:action_edit", args=[late.pk]) not in detail


def test_manager_adds_edits_and_moves_an_action(
    world: World, task: DevelopmentTask, client: Any
) -> None:
    login(client, world.user(RoleCode.PROGRAMME_MANAGER, "involved"))
    owner = world.org(RoleCode.PROGRAMME_MANAGER, "involved")
    response = client.post(
        reverse("programme:action_create", args=[task.pk]),
        {
            "title": "Expertisebijeenkomst huiselijk geweld",
            "owner": owner.pk,
            "owner_role": "trekker",
            "quarter": "2023-Q1",
            "funding": "duvo",
        },
    )
    action = Action.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("programme:action_detail", args=[action.pk])
    assert (action.start_date, action.end_date) == (dt.date(2023, 1, 1), dt.date(2023, 3, 31))
    response = client.post(
        reverse("programme:action_edit", args=[action.pk]),
        {
            "title": "Expertisebijeenkomst huiselijk geweld",
            "owner": owner.pk,
            "owner_role": "uitvoerder",
            "quarter": "2023-Q1",
            "start_date": "2023-01-01",
            "end_date": "2023-03-31",
            "funding": "eigen_middelen",
        },
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.owner_role, action.funding) == ("uitvoerder", "eigen_middelen")
    status_url = reverse("programme:action_status", args=[action.pk])
    refused = client.post(status_url, {"status": "loopt", "note": ""})
    assert refused.status_code == 200 and 'data-testid="status-form"' in refused.content.decode()
    action.refresh_from_db()
    assert action.status == "niet_gestart"
    assert client.post(status_url, {"status": "loopt", "note": "Datum geprikt."}).status_code == 302
    note_url = reverse("programme:action_note", args=[action.pk])
    assert client.post(note_url, {"text": "Sprekers benaderd."}).status_code == 302
    action.refresh_from_db()
    assert action.status == "loopt"
    assert [n.text for n in ActionNote.objects.order_by("pk")] == [
        "Datum geprikt.",
        "Sprekers benaderd.",
    ]
    html = client.get(reverse("programme:action_detail", args=[action.pk])).content.decode()
    assert "Datum geprikt." in html and "Sprekers benaderd." in html


def test_a_bad_quarter_is_refused_on_the_form(
    world: World, task: DevelopmentTask, client: Any
) -> None:
    login(client, world.user(RoleCode.PROGRAMME_MANAGER, "involved"))
    owner = world.org(RoleCode.PROGRAMME_MANAGER, "involved")
    response = client.post(
        reverse("programme:action_create", args=[task.pk]),
        {
            "title": "X",
            "owner": owner.pk,
            "owner_role": "trekker",
            "quarter": "Q1",
            "funding": "pm",
        },
    )
    assert response.status_code == 200 and not Action.objects.exists()


@pytest.mark.parametrize("role", [RoleCode.POLICY_OFFICER, RoleCode.FUNCTIONAL_ADMIN])
def test_only_managers_edit(world: World, task: DevelopmentTask, client: Any, role: str) -> None:
    action = _action(world, task)
    login(client, world.user(role, "involved"))
    assert client.get(reverse("programme:action_create", args=[task.pk])).status_code == 403
    assert client.get(reverse("programme:action_edit", args=[action.pk])).status_code == 403
    url = reverse("programme:action_status", args=[action.pk])
    assert client.post(url, {"status": "afgerond", "note": "Klaar."}).status_code == 403
    url = reverse("programme:action_note", args=[action.pk])
    assert client.post(url, {"text": "Hallo."}).status_code == 403
    action.refresh_from_db()
    assert action.status == "niet_gestart" and not ActionNote.objects.exists()


def test_another_region_gets_404(world: World, task: DevelopmentTask, client: Any) -> None:
    action = _action(world, task)
    login(client, world.user(RoleCode.PROGRAMME_MANAGER, "other_region"))
    overview = client.get(reverse("programme:overview")).content.decode()
    assert "Monitors omzetten" not in overview
    assert client.get(reverse("programme:action_detail", args=[action.pk])).status_code == 404
    assert client.get(reverse("programme:action_create", args=[task.pk])).status_code == 404
    url = reverse("programme:action_status", args=[action.pk])
    assert client.post(url, {"status": "afgerond", "note": "Klaar."}).status_code == 404
    action.refresh_from_db()
    assert action.status == "niet_gestart"
