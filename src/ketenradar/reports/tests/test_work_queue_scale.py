"""The work queue at a real region's scale: 2,000 dossiers waiting for their safety
assessment (a week after a holiday), on SQLite as on PostgreSQL."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest

from ketenradar.accounts.actor import Actor
from ketenradar.accounts.constants import RoleCode
from ketenradar.accounts.models import Membership, Role
from ketenradar.conftest import World, login
from ketenradar.core.tests.factories import MembershipFactory, UserFactory
from ketenradar.persons.models import Person
from ketenradar.reports import selectors
from ketenradar.reports.constants import (
    Channel,
    ContactKind,
    EarlierInvolvement,
    PersonRole,
    ReporterCategory,
)
from ketenradar.reports.models import Contact, ContactPerson, Dossier
from ketenradar.reports.tests.conftest import PoliceChannel

WAITING = 2_000


def _waiting(police: PoliceChannel, count: int) -> None:
    """``count`` dossiers in their safety assessment, each opened by a police report about
    two persons, bulk-loaded (the services would take minutes)."""
    now = dt.datetime.now(tz=dt.UTC)
    vt = police.veilig_thuis
    persons = Person.objects.bulk_create(
        Person(given_names="Eva", surname=f"Wacht{i}", no_bsn_reason="onbekend")
        for i in range(count * 2)
    )
    dossiers = Dossier.objects.bulk_create(
        Dossier(
            organisation=vt,
            opened_at=now - dt.timedelta(hours=i % 120),
            acute=i % 50 == 0,
            assessment_due=now + dt.timedelta(hours=i % 200 - 100),
        )
        for i in range(count)
    )
    contacts = Contact.objects.bulk_create(
        Contact(
            kind=ContactKind.REPORT,
            organisation=vt,
            channel=Channel.POLICE,
            reporter_category=ReporterCategory.JUSTICE_SECURITY,
            received_at=d.opened_at,
            dossier=d,
            earlier_involvement=EarlierInvolvement.FIRST,
        )
        for d in dossiers
    )
    ContactPerson.objects.bulk_create(
        ContactPerson(contact=c, person=persons[2 * i + k], role=role)
        for i, c in enumerate(contacts)
        for k, role in enumerate((PersonRole.VICTIM, PersonRole.PERPETRATOR))
    )


@pytest.fixture
def team_lead(police: PoliceChannel) -> Actor:
    user = UserFactory(username="teamleider")
    MembershipFactory(
        user=user,
        organisation=police.veilig_thuis,
        role=Role.objects.get(code=RoleCode.VT_TEAM_LEAD),
    )
    return Actor(user=user, membership=Membership.objects.get(user=user))


def test_the_work_queue_answers_with_2000_dossiers_waiting(
    police: PoliceChannel, team_lead: Actor, client: Client, world: World
) -> None:
    _waiting(police, WAITING)
    queue = selectors.work_queue(actor=team_lead)
    assert len(queue.in_assessment) == WAITING
    assert team_lead.user is not None
    login(client, team_lead.user)
    assert client.get(reverse("reports:work_queue")).status_code == 200


def test_the_work_queue_reads_do_not_grow_with_the_dossiers(
    police: PoliceChannel, team_lead: Actor, world: World
) -> None:
    """The statements that read the queue are the same at 10 and at 200 dossiers (no query
    per row). The access log's inserts still grow with the persons listed (one event per
    person, inserted in batches): that is the list views' logging cost, not a read."""
    counts = []
    selectors.work_queue(actor=team_lead)  # the actor's role and organisation, once
    for waiting in (10, 200):
        _waiting(police, waiting - sum(1 for _ in Dossier.objects.all()))
        with CaptureQueriesContext(connection) as ctx:
            selectors.work_queue(actor=team_lead)
        reads = [q for q in ctx.captured_queries if "INSERT" not in q["sql"][:20]]
        counts.append(len(reads))
    assert counts[0] == counts[1]
