"""Every care page that names a household logs its members, in the read's transaction: the
lead's escalations, opening a case for a household, and the households of a handover."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.urls import reverse

import time_machine

from ketenradar.access.models import BreakGlassGrant
from ketenradar.audit.models import AuditEvent
from ketenradar.care import services
from ketenradar.care.constants import SafetyLevel
from ketenradar.care.tests.conftest import CareWorld
from ketenradar.conftest import login
from ketenradar.core.tests.factories import (
    HouseholdFactory,
    HouseholdMembershipFactory,
    PersonFactory,
)
from ketenradar.reports.models import Contact, ContactPerson, Dossier


def _named(response: object, action: str, object_type: str) -> dict[int, bool]:
    """The persons the request logged, with their break-glass flag."""
    events = AuditEvent.objects.filter(
        request_id=response["X-Request-ID"],  # type: ignore[index]
        action=action,
        object_type=object_type,
        outcome="success",
    )
    return {e.person_id: e.break_glass for e in events}


def test_the_escalations_page_logs_the_households_it_names(
    care_world: CareWorld, client: Client
) -> None:
    w = care_world
    with time_machine.travel(dt.datetime(2027, 2, 1, 9, tzinfo=dt.UTC), tick=False):
        case = w.open_case()
        a = w.actor("coordinator")
        services.safety_check_record(actor=a, case=case, level=SafetyLevel.DIRECT, note="Rust")
        # safety drops: the case escalates to the lead
        services.safety_check_record(actor=a, case=case, level=SafetyLevel.UNSAFE, note="Incident")
        login(client, w.users["lead"])
        response = client.get(reverse("care:escalations"))
    assert response.status_code == 200
    assert "Huishouden Smit" in response.content.decode()
    assert _named(response, "list", "care.escalation") == {
        w.mother.pk: False,
        w.father.pk: False,
        w.child.pk: False,
    }


def test_no_escalations_no_events(care_world: CareWorld, client: Client) -> None:
    login(client, care_world.users["lead"])
    response = client.get(reverse("care:escalations"))
    assert response.status_code == 200
    assert not AuditEvent.objects.filter(request_id=response["X-Request-ID"]).exists()


def test_opening_a_case_logs_the_household_it_names(care_world: CareWorld, client: Client) -> None:
    w = care_world
    login(client, w.users["coordinator"])
    response = client.get(reverse("care:open", kwargs={"uuid": w.household.uuid}))
    assert response.status_code == 200
    assert _named(response, "read", "persons.household") == {
        w.mother.pk: False,
        w.father.pk: False,
        w.child.pk: False,
    }


def test_a_member_seen_only_through_break_glass_is_flagged(
    care_world: CareWorld, client: Client
) -> None:
    """The colleague sees the household through a break-glass grant on the mother: her event
    carries the flag; the members they cannot see are logged too (the name names them)."""
    w = care_world
    user = w.users["colleague"]
    now = dt.datetime.now(dt.UTC)
    BreakGlassGrant.objects.create(
        user=user,
        membership=user.memberships.get(),
        person=w.mother,
        reason="Acute melding politie, nacht",
        created_at=now,
        expires_at=now + dt.timedelta(hours=24),
    )
    login(client, user)
    response = client.get(reverse("care:open", kwargs={"uuid": w.household.uuid}))
    assert response.status_code == 200
    assert _named(response, "read", "persons.household") == {
        w.mother.pk: True,
        w.father.pk: False,
        w.child.pk: False,
    }


def test_the_handover_logs_the_households_it_offers(care_world: CareWorld, client: Client) -> None:
    w = care_world
    dossier = Dossier.objects.create(
        organisation=w.veilig_thuis,
        opened_at=dt.datetime.now(dt.UTC),
        assessment_due=dt.datetime.now(dt.UTC),
    )
    contact = Contact.objects.create(
        kind="melding",
        organisation=w.veilig_thuis,
        channel="telefoon",
        reporter_category="onderwijs",
        received_at=dt.datetime.now(dt.UTC),
        earlier_involvement="eerste_melding",
        dossier=dossier,
    )
    ContactPerson.objects.create(contact=contact, person=w.child, role="slachtoffer")
    # a household of nobody in the dossier is not offered, and not logged
    elsewhere = HouseholdFactory(label="Huishouden De Vries")
    HouseholdMembershipFactory(household=elsewhere, person=PersonFactory(surname="De Vries"))
    login(client, w.users["vt"])
    response = client.get(reverse("care:handover", kwargs={"uuid": dossier.uuid}))
    assert response.status_code == 200
    assert "Huishouden Smit" in response.content.decode()
    assert _named(response, "list", "persons.household") == {
        w.mother.pk: False,
        w.father.pk: False,
        w.child.pk: False,
    }
