"""A refused write is logged as the write it attempted, not as a read: the forms of the
restraining order and shelter pages, refused by their selectors (the organisation does not
own the order or the shelter work, or the actor may not see the persons). The authorization
matrix checks the same for every refused POST (none is logged as ``read``)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

import pytest

from ketenradar.accounts.constants import RoleCode
from ketenradar.audit.constants import AuditAction, AuditOutcome
from ketenradar.audit.models import AuditEvent
from ketenradar.conftest import World, login
from ketenradar.core.tests.test_authorization_matrix import _objects

ORDER = ("restraining_order", "restraining.restrainingorder")
WRITES = [
    # (URL name, (object, its logged type), the role refused (other organisation), write)
    ("restraining:extension", ORDER, RoleCode.VT_PROFESSIONAL, AuditAction.CREATE),
    ("restraining:help", ORDER, RoleCode.VT_PROFESSIONAL, AuditAction.CREATE),
    ("restraining:safety_plan", ORDER, RoleCode.VT_PROFESSIONAL, AuditAction.CREATE),
    ("restraining:violation", ORDER, RoleCode.VT_PROFESSIONAL, AuditAction.CREATE),
    ("restraining:status", ORDER, RoleCode.VT_PROFESSIONAL, AuditAction.UPDATE),
    (
        "restraining:register",
        ("household", "persons.household"),
        RoleCode.VT_PROFESSIONAL,
        AuditAction.CREATE,
    ),
    (
        "shelter:placement_end",
        ("placement", "shelter.placement"),
        RoleCode.SHELTER_INTAKE,
        AuditAction.UPDATE,
    ),
    (
        "shelter:waiting_place",
        ("waiting", "shelter.waitinglistentry"),
        RoleCode.SHELTER_INTAKE,
        AuditAction.CREATE,
    ),
    (
        "shelter:waiting_withdraw",
        ("waiting", "shelter.waitinglistentry"),
        RoleCode.SHELTER_INTAKE,
        AuditAction.UPDATE,
    ),
    (
        "shelter:trajectory_end",
        ("trajectory", "shelter.ambulanttrajectory"),
        RoleCode.SHELTER_INTAKE,
        AuditAction.UPDATE,
    ),
]


@pytest.mark.parametrize(("name", "target", "role", "attempted"), WRITES)
def test_a_refused_post_is_logged_as_the_write_it_attempted(
    name: str,
    target: tuple[str, str],
    role: str,
    attempted: AuditAction,
    world: World,
    client: Any,
) -> None:
    key, object_type = target
    obj = _objects(world)[key]
    kwarg = "household" if name == "restraining:register" else "uuid"
    login(client, world.user(role, "other_org"))

    response = client.post(reverse(name, kwargs={kwarg: obj.uuid}))

    assert response.status_code == 403
    denied = AuditEvent.objects.filter(
        request_id=response["X-Request-ID"], outcome=AuditOutcome.DENIED
    )
    assert {(e.action, e.object_type, e.object_id) for e in denied} == {
        (attempted, object_type, obj.uuid.hex)
    }
    assert world.person.pk in {e.person_id for e in denied}


def test_a_refused_get_of_the_same_page_is_still_a_read(world: World, client: Any) -> None:
    order = _objects(world)["restraining_order"]
    login(client, world.user(RoleCode.VT_PROFESSIONAL, "other_org"))

    response = client.get(reverse("restraining:detail", kwargs={"uuid": order.uuid}))

    assert response.status_code == 403
    event = AuditEvent.objects.get(request_id=response["X-Request-ID"])
    assert (event.action, event.outcome) == (AuditAction.READ, AuditOutcome.DENIED)
