"""Opening a person page writes exactly the expected access-log events, for every role;
a failing audit write aborts the action and leaves no change."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

import pytest

from ketenradar.access.constants import InvolvementKind
from ketenradar.access.models import Involvement
from ketenradar.accounts.constants import RoleCode
from ketenradar.accounts.roles import load_role_definitions
from ketenradar.audit.models import AuditEvent
from ketenradar.conftest import World, login
from ketenradar.persons import services
from ketenradar.persons.models import Person

PERMS = {code: set(spec["permissions"]) for code, spec in load_role_definitions().items()}


@pytest.mark.parametrize("role", [r.value for r in RoleCode])
def test_opening_a_person_page_writes_exactly_the_expected_events(
    role: str, world: World, client: Any
) -> None:
    user = world.user(role, "involved")
    login(client, user)
    before = AuditEvent.objects.count()

    response = client.get(
        reverse("persons:detail", args=[world.person.uuid]), REMOTE_ADDR="10.1.2.3"
    )

    new = list(AuditEvent.objects.order_by("seq")[before:])
    may_see = "persons.view_client_data" in PERMS[role]
    assert response.status_code == (200 if may_see else 403)
    assert len(new) == 1, [(e.action, e.outcome, e.object_type) for e in new]
    event = new[0]
    assert event.action == "read"
    assert event.outcome == ("success" if may_see else "denied")
    assert event.object_type == "persons.person"
    assert event.object_id == world.person.uuid.hex
    assert event.person_id == world.person.pk
    assert event.user_id == user.pk
    assert event.username == user.username
    assert event.role == role
    assert event.organisation_id == user.memberships.get().organisation_id
    assert event.organisation_name == user.memberships.get().organisation.name
    assert event.break_glass is False
    assert event.ip_address == "10.1.2.3"
    assert len(event.request_id) == 32
    assert response["X-Request-ID"] == event.request_id
    assert event.occurred_at.microsecond % 1000 == 0  # milliseconds, UTC


def _break_the_audit_store(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every audit write fails, as when the log table is unavailable."""

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr(AuditEvent.objects, "bulk_create", broken)


def test_a_failing_audit_write_aborts_a_change(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    actor = world.actor(RoleCode.VT_PROFESSIONAL)
    persons, involvements = Person.objects.count(), Involvement.objects.count()

    _break_the_audit_store(monkeypatch)
    with pytest.raises(RuntimeError, match="audit store unavailable"):
        services.person_create(
            actor=actor,
            involvement_kind=InvolvementKind.VT_DOSSIER,
            purpose="test",
            given_names="Noor",
            surname="Bakker",
            no_bsn_reason="onbekend",
            address={
                "street": "Spui",
                "house_number": 1,
                "postcode": "2511 BT",
                "city": "Den Haag",
            },
        )
    assert Person.objects.count() == persons
    assert Involvement.objects.count() == involvements


def test_a_failing_audit_write_aborts_an_update(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    actor = world.actor(RoleCode.VT_PROFESSIONAL)
    _break_the_audit_store(monkeypatch)
    with pytest.raises(RuntimeError):
        services.person_update(actor=actor, person=world.person, surname="Anders")
    world.person.refresh_from_db()
    assert world.person.surname == "Jansen"


def test_a_failing_audit_write_means_no_page(
    world: World, client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    login(client, world.user(RoleCode.VT_PROFESSIONAL, "involved"))
    _break_the_audit_store(monkeypatch)
    client.raise_request_exception = True
    with pytest.raises(RuntimeError):
        client.get(reverse("persons:detail", args=[world.person.uuid]))


def test_a_failing_audit_write_aborts_a_registration_through_the_page(
    world: World, client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    login(client, world.user(RoleCode.VT_INTAKE, "involved"))
    _break_the_audit_store(monkeypatch)
    count = Person.objects.count()
    with pytest.raises(RuntimeError):
        client.post(
            reverse("persons:create"),
            {
                "given_names": "Eva",
                "surname": "Smit",
                "name_usage": "E",
                "sex": "v",
                "no_bsn_reason": "onbekend",
            },
        )
    assert Person.objects.count() == count


def test_printing_a_person_is_logged_as_print(world: World, client: Any) -> None:
    user = world.user(RoleCode.VT_PROFESSIONAL, "involved")
    login(client, user)
    before = AuditEvent.objects.count()
    page = client.get(reverse("persons:print", args=[world.person.uuid]))
    assert page.status_code == 200
    event = AuditEvent.objects.order_by("seq")[before:].get()
    assert (event.action, event.person_id, event.user_id) == ("print", world.person.pk, user.pk)
