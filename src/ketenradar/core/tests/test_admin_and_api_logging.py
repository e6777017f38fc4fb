"""The Django admin stays inside the functional admin's region and is audited; refused API
calls are logged like refused pages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.urls import reverse

import pytest
from axes.models import AccessAttempt

from ketenradar.accounts.constants import RoleCode
from ketenradar.audit.models import AuditEvent
from ketenradar.conftest import World, login
from ketenradar.core.tests.factories import OrganisationFactory, PersonFactory
from ketenradar.persons import services
from ketenradar.persons.constants import RelationKind


def test_admin_choices_are_limited_to_the_own_region(world: World, client: Any) -> None:
    OrganisationFactory(region=world.region, name="Eigen regio organisatie")
    OrganisationFactory(region=world.other_region, name="Andere regio organisatie")
    login(client, world.user(RoleCode.FUNCTIONAL_ADMIN, "involved"))
    page = client.get(reverse("admin:regions_team_add")).content.decode()
    assert "Eigen regio organisatie" in page
    assert "Andere regio organisatie" not in page
    listing = client.get(reverse("admin:regions_organisation_changelist")).content.decode()
    assert "Andere regio organisatie" not in listing


def test_admin_changes_are_audited_in_the_same_transaction(world: World, client: Any) -> None:
    admin_user = world.user(RoleCode.FUNCTIONAL_ADMIN, "involved")
    login(client, admin_user)
    org = world.org(RoleCode.FUNCTIONAL_ADMIN, "involved")
    response = client.post(
        reverse("admin:regions_organisation_change", args=[org.pk]),
        {"name": "Nieuwe naam", "type": "gemeente", "region": world.region.pk, "is_active": "on"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    event = AuditEvent.objects.get(action="admin", object_type="regions.organisation")
    assert event.user_id == admin_user.pk
    assert event.detail == {"operation": "change", "fields": ["name"]}  # type was already gemeente


def test_unlocking_an_account_is_audited(world: World, client: Any) -> None:
    attempt = AccessAttempt.objects.create(
        username="geblokkeerd", ip_address="127.0.0.1", user_agent="t", failures_since_start=5
    )
    login(client, world.user(RoleCode.FUNCTIONAL_ADMIN, "involved"))
    response = client.post(
        reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    assert AuditEvent.objects.filter(
        action="admin", object_type="axes.accessattempt", detail__operation="delete"
    ).exists()


def test_refused_api_call_is_logged(world: World, client: Any) -> None:
    officer = world.user(RoleCode.POLICY_OFFICER, "involved")
    login(client, officer)
    assert client.get(reverse("api:person-list")).status_code == 403
    event = AuditEvent.objects.get(user=officer)
    assert (event.outcome, event.object_type, event.object_id) == (
        "denied",
        "url",
        "/api/v1/personen/",
    )


def test_refused_page_is_logged_once(world: World, client: Any) -> None:
    officer = world.user(RoleCode.POLICY_OFFICER, "involved")
    login(client, officer)
    client.get(reverse("persons:list"))
    client.get(reverse("persons:detail", args=[world.person.uuid]))
    events = list(AuditEvent.objects.filter(user=officer).order_by("seq"))
    assert [(e.outcome, e.object_type, e.person_id) for e in events] == [
        ("denied", "url", None),
        ("denied", "persons.person", world.person.pk),
    ]


def test_writes_need_need_to_know(world: World) -> None:
    outsider = world.actor(RoleCode.VT_PROFESSIONAL, "other_org")
    with pytest.raises(PermissionDenied):
        services.relation_add(
            actor=outsider,
            from_person=world.person,
            to_person=PersonFactory(),
            kind=RelationKind.SIBLING,
        )
    with pytest.raises(PermissionDenied):
        services.person_update(actor=outsider, person=world.person, surname="Anders")
    with pytest.raises(PermissionDenied):
        services.contact_detail_add(
            actor=outsider, person=world.person, kind="telefoon", value="0612345678"
        )
