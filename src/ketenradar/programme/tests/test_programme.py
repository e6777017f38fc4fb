"""The implementation programme: the service rules (permission, region, planning, status
with a note), the overview with overdue actions, and that another region's programme stays
out of sight."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

import pytest

from ketenradar.accounts.actor import Actor
from ketenradar.accounts.constants import RoleCode
from ketenradar.audit.models import AuditEvent
from ketenradar.conftest import World
from ketenradar.core import clock
from ketenradar.core.tests.factories import MunicipalityFactory
from ketenradar.programme import selectors, services
from ketenradar.programme.constants import ActionStatus
from ketenradar.programme.models import Action, ActionNote, DevelopmentTask
from ketenradar.regions.models import Municipality, Organisation

pytestmark = pytest.mark.django_db


@dataclass
class Programme:
    world: World
    manager: Actor
    officer: Actor
    task: DevelopmentTask
    owner: Organisation

    def action(self, **kwargs: object) -> Action:
        fields: dict = {
            "title": "Scholing meldcode",
            "owner": self.owner,
            "owner_role": "trekker",
            "funding": "duvo",
        } | kwargs
        return services.action_create(actor=self.manager, task=self.task, **fields)


@pytest.fixture
def programme(world: World) -> Programme:
    manager = world.actor(RoleCode.PROGRAMME_MANAGER)
    task = services.development_task_create(
        actor=manager,
        region=world.region,
        code="vroegsignalering",
        title="Vroegsignalering",
        order=2,
        budget_task="preventie_vroegsignalering",
    )
    return Programme(
        world=world,
        manager=manager,
        officer=world.actor(RoleCode.POLICY_OFFICER),
        task=task,
        owner=manager.organisation,
    )


def test_create_writes_the_action_and_its_event(programme: Programme) -> None:
    action = programme.action(start_date=dt.date(2021, 1, 1), end_date=dt.date(2021, 12, 31))
    assert action.status == ActionStatus.NOT_STARTED
    event = AuditEvent.objects.filter(object_type="programme.action").get()
    assert event.object_id == str(action.pk) and event.detail["owner_role"] == "trekker"


def test_a_quarter_sets_the_dates(programme: Programme) -> None:
    action = programme.action(quarter="2023-k1")
    assert (action.quarter, action.start_date, action.end_date) == (
        "2023-Q1",
        dt.date(2023, 1, 1),
        dt.date(2023, 3, 31),
    )
    action = services.action_update(actor=programme.manager, action=action, quarter="2023-Q4")
    assert (action.start_date, action.end_date) == (dt.date(2023, 10, 1), dt.date(2023, 12, 31))
    action = services.action_update(
        actor=programme.manager, action=action, end_date=dt.date(2024, 6, 30)
    )
    assert action.quarter == "" and action.end_date == dt.date(2024, 6, 30)
    with pytest.raises(ValidationError):
        programme.action(quarter="2023-Q5")
    with pytest.raises(ValidationError):
        programme.action(quarter="2023-Q1", start_date=dt.date(2023, 2, 1))


@pytest.mark.parametrize(
    "kwargs",
    [
        {"start_date": dt.date(2022, 1, 2), "end_date": dt.date(2022, 1, 1)},
        {"owner_role": "baas"},
        {"funding": "sponsor"},
        {"title": "  "},
    ],
)
def test_create_refuses_invalid_actions(programme: Programme, kwargs: dict) -> None:
    with pytest.raises(ValidationError):
        programme.action(**kwargs)
    assert not Action.objects.exists()


def test_the_owner_and_the_result_must_fit(programme: Programme) -> None:
    elsewhere = programme.world.org(RoleCode.PROGRAMME_MANAGER, "other_region")
    with pytest.raises(ValidationError) as refused:
        programme.action(owner=elsewhere)
    assert set(refused.value.message_dict) == {"owner"}
    other_task = services.development_task_create(
        actor=programme.manager, region=programme.world.region, code="preventie", title="Preventie"
    )
    result = services.intended_result_add(
        actor=programme.manager, task=other_task, text="Het taboe is doorbroken."
    )
    with pytest.raises(ValidationError) as refused:
        programme.action(result=result)
    assert set(refused.value.message_dict) == {"result"}
    own = services.intended_result_add(
        actor=programme.manager, task=programme.task, text="De meldcode wordt gebruikt."
    )
    assert own.number == 1
    assert programme.action(result=own).result == own


def test_update_changes_fields_but_never_the_status(programme: Programme) -> None:
    action = programme.action()
    services.action_update(actor=programme.manager, action=action, owner_role="uitvoerder")
    action.refresh_from_db()
    assert action.owner_role == "uitvoerder"
    with pytest.raises(TypeError):
        services.action_update(actor=programme.manager, action=action, status="afgerond")
    event = AuditEvent.objects.filter(object_type="programme.action", action="update").get()
    assert event.detail == {"owner_role": ["trekker", "uitvoerder"]}


def test_a_status_change_needs_a_note_and_keeps_it(programme: Programme) -> None:
    action = programme.action()
    for empty in ("", "   "):
        with pytest.raises(ValidationError):
            services.action_change_status(
                actor=programme.manager, action=action, status="loopt", note=empty
            )
    action.refresh_from_db()
    assert action.status == ActionStatus.NOT_STARTED and not ActionNote.objects.exists()
    with pytest.raises(ValidationError):
        services.action_change_status(
            actor=programme.manager, action=action, status="niet_gestart", note="Nog niet."
        )
    with pytest.raises(ValidationError):
        services.action_change_status(
            actor=programme.manager, action=action, status="klaar", note="Klaar."
        )
    note = services.action_change_status(
        actor=programme.manager, action=action, status="vertraagd", note="Trainer ziek."
    )
    action.refresh_from_db()
    assert action.status == ActionStatus.DELAYED
    assert (note.status_from, note.status_to, note.text) == (
        "niet_gestart",
        "vertraagd",
        "Trainer ziek.",
    )
    assert note.author == programme.manager.user and note.author_name


def test_notes_are_dated_and_signed(programme: Programme) -> None:
    action = programme.action()
    moment = dt.datetime(2021, 6, 1, 10, tzinfo=dt.UTC)
    with clock.at(moment):
        note = services.action_note_add(
            actor=programme.manager, action=action, text="Eerste bijeenkomst gehouden."
        )
    assert note.written_at == moment and note.author == programme.manager.user
    with pytest.raises(ValidationError):
        services.action_note_add(actor=programme.manager, action=action, text=" ")


def test_attention_points_and_kpis(programme: Programme) -> None:
    den_haag = Municipality.objects.get(cbs_code="GM0518")
    point = services.attention_point_add(
        actor=programme.manager, task=programme.task, municipality=den_haag, text="Scholing JGZ."
    )
    assert point.municipality == den_haag
    elsewhere = MunicipalityFactory(
        region=programme.world.other_region, cbs_code="GM0546", name="Leiden"
    )
    with pytest.raises(ValidationError):
        services.attention_point_add(
            actor=programme.manager, task=programme.task, municipality=elsewhere, text="x"
        )
    kpi = services.task_kpi_set(
        actor=programme.manager, task=programme.task, code="vb_binnen_termijn"
    )
    again = services.task_kpi_set(
        actor=programme.manager,
        task=programme.task,
        code="vb_binnen_termijn",
        target_value=Decimal("95"),
    )
    assert again.pk == kpi.pk and again.target_value == Decimal("95")
    with pytest.raises(ValidationError):
        services.task_kpi_set(actor=programme.manager, task=programme.task, code="geluk")


@pytest.mark.parametrize(
    ("role", "relation"),
    [
        (RoleCode.POLICY_OFFICER, "involved"),
        (RoleCode.FUNCTIONAL_ADMIN, "involved"),
        (RoleCode.VT_TEAM_LEAD, "involved"),
        (RoleCode.PROGRAMME_MANAGER, "other_region"),
    ],
)
def test_only_the_regions_programme_manager_writes(
    programme: Programme, role: str, relation: str
) -> None:
    action = programme.action()
    actor = programme.world.actor(role, relation)
    writes = [
        lambda: services.development_task_create(
            actor=actor, region=programme.world.region, code="x", title="X"
        ),
        lambda: services.intended_result_add(actor=actor, task=programme.task, text="x"),
        lambda: services.action_create(
            actor=actor,
            task=programme.task,
            title="x",
            owner=programme.owner,
            owner_role="trekker",
            funding="pm",
        ),
        lambda: services.action_update(actor=actor, action=action, title="x"),
        lambda: services.action_change_status(actor=actor, action=action, status="loopt", note="x"),
        lambda: services.action_note_add(actor=actor, action=action, text="x"),
        lambda: services.task_kpi_set(actor=actor, task=programme.task, code="vb_binnen_termijn"),
    ]
    for write in writes:
        with pytest.raises(PermissionDenied):
            write()
    action.refresh_from_db()
    assert action.status == ActionStatus.NOT_STARTED and not ActionNote.objects.exists()


def test_overdue_means_end_date_passed_and_not_done(programme: Programme) -> None:
    today = dt.date(2023, 7, 1)
    late = programme.action(title="Te laat", end_date=dt.date(2023, 6, 30))
    programme.action(title="Vandaag klaar", end_date=today)
    programme.action(title="Zonder einde")
    done = programme.action(title="Afgerond", end_date=dt.date(2022, 12, 31))
    services.action_change_status(
        actor=programme.manager, action=done, status="afgerond", note="Opgeleverd."
    )
    delayed = programme.action(title="Vertraagd", quarter="2023-Q1")
    services.action_change_status(
        actor=programme.manager, action=delayed, status="vertraagd", note="Geen trainer."
    )
    overview = selectors.programme_overview(actor=programme.officer, today=today)
    assert [a.title for a in overview.overdue] == ["Vertraagd", "Te laat"]
    (task,) = overview.tasks
    assert [a.pk for a in task.overdue] == [delayed.pk, late.pk]
    groups = {g.status: [a.title for a in g.actions] for g in task.by_status}
    assert groups == {
        "niet_gestart": ["Te laat", "Vandaag klaar", "Zonder einde"],
        "loopt": [],
        "vertraagd": ["Vertraagd"],
        "afgerond": ["Afgerond"],
    }
    assert task.action_count == 5
    assert {a.title for a in selectors.overdue_actions(actor=programme.officer, today=today)} == {
        "Te laat",
        "Vertraagd",
    }


def test_another_regions_programme_is_invisible(programme: Programme) -> None:
    action = programme.action()
    outsider = programme.world.actor(RoleCode.PROGRAMME_MANAGER, "other_region")
    assert selectors.programme_overview(actor=outsider).tasks == []
    assert not selectors.actions(actor=outsider).exists()
    with pytest.raises(Http404):
        selectors.action_get(actor=outsider, pk=action.pk)
    with pytest.raises(Http404):
        selectors.development_task_get(actor=outsider, pk=programme.task.pk)
    assert selectors.action_get(actor=programme.officer, pk=action.pk) == action


@pytest.mark.parametrize("role", [RoleCode.VT_PROFESSIONAL, RoleCode.FUNCTIONAL_ADMIN])
def test_reading_needs_the_permission(programme: Programme, role: str) -> None:
    actor = programme.world.actor(role)
    with pytest.raises(PermissionDenied):
        selectors.programme_overview(actor=actor)
    assert not selectors.actions(actor=actor).exists()
