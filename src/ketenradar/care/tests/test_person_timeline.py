"""The person page shows the person's whole involvement on one timeline, each entry only
for those who may see it: Veilig Thuis its own contacts and dossier, the case team the
case, and a chain partner its own case's entry and nothing of Veilig Thuis's work."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest

from ketenradar.care import services
from ketenradar.care.tests.conftest import CareWorld
from ketenradar.persons import selectors
from ketenradar.reports.constants import (
    Channel,
    ContactKind,
    DossierState,
    EarlierInvolvement,
    ReporterCategory,
)
from ketenradar.reports.models import Contact, ContactPerson, Dossier

pytestmark = pytest.mark.django_db


def _vt_report(world: CareWorld, days_ago: int = 30) -> Dossier:
    received = timezone.now() - dt.timedelta(days=days_ago)
    dossier = Dossier.objects.create(
        organisation=world.veilig_thuis,
        state=DossierState.ASSESSMENT,
        opened_at=received,
        assessment_due=received + dt.timedelta(days=7),
    )
    contact = Contact.objects.create(
        kind=ContactKind.REPORT,
        organisation=world.veilig_thuis,
        channel=Channel.POLICE,
        reporter_category=ReporterCategory.NON_PROFESSIONAL,
        received_at=received,
        dossier=dossier,
        description="Melding over het huishouden",
        earlier_involvement=EarlierInvolvement.FIRST,
    )
    ContactPerson.objects.create(contact=contact, person=world.mother, role="slachtoffer")
    return dossier


def _kinds(world: CareWorld, who: str) -> list[str]:
    detail = selectors.person_detail(actor=world.actor(who), person_uuid=world.mother.uuid)
    return [entry.kind for entry in detail.timeline]


def test_each_viewer_sees_only_the_entries_of_their_own_work(care_world: CareWorld) -> None:
    world = care_world
    dossier = _vt_report(world)
    case = world.open_case()
    services.team_member_add(
        actor=world.actor("coordinator"),
        case=case,
        organisation=world.ggz,
        purpose="Behandeling van moeder",
    )

    # Veilig Thuis: its contact and its dossier, with links; not the local team's case
    detail = selectors.person_detail(actor=world.actor("vt"), person_uuid=world.mother.uuid)
    by_kind = {e.kind: e for e in detail.timeline}
    assert set(by_kind) == {"vt_contact", "vt_dossier"}
    assert by_kind["vt_dossier"].url.endswith(f"/{dossier.uuid}/")
    assert by_kind["vt_dossier"].title == str(dossier)
    assert by_kind["vt_contact"].organisation == world.veilig_thuis.name

    # the coordinator: the case, nothing of Veilig Thuis
    assert _kinds(world, "coordinator") == ["case"]
    # the chain partner on the team: the case only
    partner = selectors.person_detail(actor=world.actor("partner"), person_uuid=world.mother.uuid)
    assert [(e.kind, e.title) for e in partner.timeline] == [("case", str(case))]
    assert all("Melding" not in str(e.title) for e in partner.timeline)
    # an organisation without involvement does not get the page at all
    with pytest.raises(PermissionDenied):
        selectors.person_detail(actor=world.actor("outsider"), person_uuid=world.mother.uuid)


def test_newest_first_and_an_ended_case_keeps_its_end(care_world: CareWorld) -> None:
    world = care_world
    _vt_report(world, days_ago=400)
    _vt_report(world, days_ago=10)
    detail = selectors.person_detail(actor=world.actor("vt"), person_uuid=world.mother.uuid)
    started = [e.sort_key for e in detail.timeline]
    assert started == sorted(started, reverse=True)
    assert len(detail.timeline) == 4  # two contacts, two dossiers


def test_the_timeline_costs_the_same_statements_for_one_or_many_entries(
    care_world: CareWorld,
) -> None:
    world = care_world
    _vt_report(world)
    with CaptureQueriesContext(connection) as one:
        selectors.person_detail(actor=world.actor("vt"), person_uuid=world.mother.uuid)
    for days in range(40, 400, 40):
        _vt_report(world, days_ago=days)
    with CaptureQueriesContext(connection) as many:
        detail = selectors.person_detail(actor=world.actor("vt"), person_uuid=world.mother.uuid)
    assert len(detail.timeline) == 20
    assert len(many) == len(one)


def test_the_person_page_shows_the_timeline(care_world: CareWorld, client: Client) -> None:
    from ketenradar.conftest import login

    world = care_world
    world.open_case()
    login(client, world.users["coordinator"])
    page = client.get(f"/personen/{world.mother.uuid}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="person-timeline"' in html
    assert 'data-kind="case"' in html
    assert 'data-kind="vt_contact"' not in html
