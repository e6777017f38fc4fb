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
from ketenradar.audit.models import AuditEvent
from ketenradar.conftest import World, login
from ketenradar.core.tests.factories import MembershipFactory, UserFactory
from ketenradar.persons.models import Person
from ketenradar.reports import selectors
from ketenradar.reports.constants import (
    Channel,
    ContactKind,
    EarlierInvolvement,
    PersonRole,
    QueueTab,
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
    assert queue.counts[QueueTab.ASSESSMENT] == WAITING
    assert len(queue.rows) == selectors.QUEUE_PAGE_SIZE
    assert team_lead.user is not None
    login(client, team_lead.user)
    assert client.get(reverse("reports:work_queue")).status_code == 200
    last = WAITING // selectors.QUEUE_PAGE_SIZE
    response = client.get(reverse("reports:work_queue"), {"pagina": last})
    assert response.status_code == 200
    assert len(response.context["queue"].rows) == selectors.QUEUE_PAGE_SIZE


def _events() -> int:
    return AuditEvent.objects.count()


def test_the_work_queue_costs_the_same_at_10_and_at_200_dossiers(
    police: PoliceChannel, team_lead: Actor, world: World
) -> None:
    """Every statement, the access log's writes included, and every event written are the
    same at 10 and at 200 waiting dossiers: a page of 10 shows 10 dossiers either way."""
    statements, events = [], []
    selectors.work_queue(actor=team_lead)  # the actor's role and organisation, once
    for waiting in (10, 200):
        _waiting(police, waiting - Dossier.objects.count())
        before = _events()
        with CaptureQueriesContext(connection) as ctx:
            queue = selectors.work_queue(actor=team_lead, page_size=10)
        assert queue.counts[QueueTab.ASSESSMENT] == waiting and len(queue.rows) == 10
        statements.append(len(ctx.captured_queries))
        events.append(_events() - before)
    assert statements[0] == statements[1]
    assert events == [20, 20]  # two persons per dossier shown, no more


def test_the_work_queue_page_costs_the_same_at_30_and_at_200_dossiers(
    police: PoliceChannel, team_lead: Actor, client: Client, world: World
) -> None:
    """The screen as a whole (session, actor, counts, the page, the log): a page of 25."""
    assert team_lead.user is not None
    login(client, team_lead.user)
    url = reverse("reports:work_queue")
    client.get(url)
    statements, events = [], []
    for waiting in (30, 200):
        _waiting(police, waiting - Dossier.objects.count())
        before = _events()
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        statements.append(len(ctx.captured_queries))
        events.append(_events() - before)
    assert statements[0] == statements[1]
    assert events == [2 * selectors.QUEUE_PAGE_SIZE] * 2
