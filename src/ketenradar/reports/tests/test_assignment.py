"""The team lead assigns dossiers to Veilig Thuis staff who decide safety assessments; the
work queue shows "my dossiers" and, to the team lead, the unassigned ones, while every tab
with a deadline stays as it was."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.html import escape

import pytest

from ketenradar.accounts.actor import Actor
from ketenradar.accounts.constants import RoleCode
from ketenradar.accounts.models import Membership, User
from ketenradar.audit.models import AuditEvent
from ketenradar.conftest import World, login
from ketenradar.persons.matching import ReportedPerson
from ketenradar.reports import selectors, services
from ketenradar.reports.constants import (
    AssessmentDecision,
    Channel,
    ContactKind,
    PersonRole,
    QueueAssignment,
    QueueTab,
    ReporterCategory,
)
from ketenradar.reports.models import Dossier
from ketenradar.reports.tests.conftest import WHY, PoliceChannel, queue_pks
from ketenradar.reports.tests.test_advice_conversion import vt_staff

UTC = dt.UTC
NOBODY = selectors.QueueFilter(assigned=QueueAssignment.NOBODY)


@pytest.fixture
def lead(police: PoliceChannel) -> Actor:
    return vt_staff(police, RoleCode.VT_TEAM_LEAD, "teamleider")


def _dossier(police: PoliceChannel, bsn: str) -> Dossier:
    contact = services.contact_register(
        actor=police.actor,
        kind=ContactKind.REPORT,
        channel=Channel.POLICE,
        reporter_category=ReporterCategory.JUSTICE_SECURITY,
        received_at=dt.datetime.now(tz=UTC),
        persons=[(ReportedPerson(bsn=bsn, surname="Visser"), PersonRole.VICTIM)],
        reporter=services.ReporterData(name="Agent", phone="0900-8844"),
    )
    assert contact.dossier is not None
    return contact.dossier


def test_the_team_lead_assigns_and_the_log_has_from_and_to(
    lead: Actor, assessor: Actor, dossier: Dossier
) -> None:
    services.dossier_assign(actor=lead, dossier=dossier, assignee=assessor.user)
    services.dossier_assign(actor=lead, dossier=dossier, assignee=lead.user)
    services.dossier_assign(actor=lead, dossier=dossier, assignee=None)
    dossier.refresh_from_db()
    assert dossier.assigned_to is None
    events = AuditEvent.objects.filter(
        user=lead.user, action="update", object_id=dossier.uuid.hex
    ).order_by("seq")
    assert [(e.detail["assigned_from"], e.detail["assigned_to"]) for e in events] == [
        (None, "assessor"),
        ("assessor", "teamleider"),
        ("teamleider", None),
    ]
    person_ids = set(dossier.contacts.values_list("persons__person_id", flat=True))
    assert {e.person_id for e in events} == person_ids


def test_only_the_team_lead_of_the_dossiers_own_veilig_thuis_assigns(
    police: PoliceChannel, assessor: Actor, dossier: Dossier, world: World
) -> None:
    for actor in (
        assessor,
        vt_staff(police, RoleCode.VT_INTAKE, "intake"),
        world.actor(RoleCode.VT_TEAM_LEAD, "other_region"),
        world.actor(RoleCode.CHAIN_PARTNER, "involved"),
    ):
        with pytest.raises(PermissionDenied):
            services.dossier_assign(actor=actor, dossier=dossier, assignee=assessor.user)
    dossier.refresh_from_db()
    assert dossier.assigned_to is None


def test_only_active_staff_of_the_same_veilig_thuis_who_assess_are_assigned(
    police: PoliceChannel, lead: Actor, assessor: Actor, dossier: Dossier, world: World
) -> None:
    intake = vt_staff(police, RoleCode.VT_INTAKE, "intake")
    gone = vt_staff(police, RoleCode.VT_PROFESSIONAL, "vertrokken")
    Membership.objects.filter(user=gone.user).update(valid_until=dt.date(2025, 12, 31))
    inactive = vt_staff(police, RoleCode.VT_PROFESSIONAL, "inactief")
    User.objects.filter(pk=inactive.user.pk).update(is_active=False)
    elsewhere = world.user(RoleCode.VT_PROFESSIONAL, "other_region")
    partner = world.user(RoleCode.CHAIN_PARTNER, "involved")
    for user in (intake.user, gone.user, inactive.user, elsewhere, partner):
        with pytest.raises(ValidationError, match="Alleen actieve medewerkers van dit Veilig"):
            services.dossier_assign(actor=lead, dossier=dossier, assignee=user)
    assert list(selectors.assignable_staff(actor=lead, dossier=dossier)) == sorted(
        [assessor.user, lead.user], key=lambda u: (u.last_name, u.first_name, u.username)
    )
    dossier.refresh_from_db()
    assert dossier.assigned_to is None


def test_a_closed_dossier_is_not_assigned(lead: Actor, assessor: Actor, dossier: Dossier) -> None:
    services.assessment_decide(
        actor=assessor, dossier=dossier, decision=AssessmentDecision.END, **WHY
    )
    with pytest.raises(ValidationError):
        services.dossier_assign(actor=lead, dossier=dossier, assignee=assessor.user)


def test_the_team_lead_assigns_on_the_dossier_page(
    police: PoliceChannel, lead: Actor, assessor: Actor, dossier: Dossier, client: Any
) -> None:
    intake = vt_staff(police, RoleCode.VT_INTAKE, "intake")
    page_url = reverse("reports:dossier_detail", args=[dossier.uuid])
    assign_url = reverse("reports:dossier_assign", args=[dossier.uuid])
    login(client, lead.user)
    page = client.get(page_url).content.decode()
    select = re.search(r'<select name="assignee".*?</select>', page, re.S)
    assert select is not None
    offered = re.findall(r'<option value="(\d*)"', select.group(0))
    assert sorted(offered) == sorted(["", str(assessor.user.pk), str(lead.user.pk)])

    refused = client.post(assign_url, {"assignee": intake.user.pk}, follow=True)
    assert "Kies een medewerker van dit Veilig Thuis." in refused.content.decode()
    client.post(assign_url, {"assignee": assessor.user.pk})
    dossier.refresh_from_db()
    assert dossier.assigned_to == assessor.user

    client.logout()
    login(client, assessor.user)
    page = client.get(page_url).content.decode()
    assert f'data-testid="assigned-to">{escape(assessor.user)}<' in page
    assert 'data-testid="assign-form"' not in page
    assert client.post(assign_url, {"assignee": ""}).status_code == 403
    dossier.refresh_from_db()
    assert dossier.assigned_to == assessor.user


def test_the_work_queue_shows_my_dossiers_and_to_the_team_lead_the_unassigned_ones(
    police: PoliceChannel, lead: Actor, assessor: Actor, client: Any
) -> None:
    mine = _dossier(police, "234567004")
    investigated = _dossier(police, "234567016")
    conditions = _dossier(police, "234567028")
    waiting = _dossier(police, "234567041")
    services.assessment_decide(
        actor=assessor, dossier=investigated, decision=AssessmentDecision.INVESTIGATION, **WHY
    )
    services.assessment_decide(
        actor=assessor,
        dossier=conditions,
        decision=AssessmentDecision.CONDITIONS,
        safety_conditions="Geen geweld.",
        **WHY,
    )
    services.dossier_assign(actor=lead, dossier=mine, assignee=assessor.user)
    services.dossier_assign(actor=lead, dossier=conditions, assignee=assessor.user)

    assert queue_pks(assessor, QueueTab.MINE) == [mine.pk, conditions.pk]  # deadline first
    with pytest.raises(PermissionDenied):  # the unassigned are the team lead's list
        selectors.work_queue(actor=assessor, filters=NOBODY)
    # nothing with a deadline drops out of the lists everybody sees
    assert set(queue_pks(assessor, QueueTab.ASSESSMENT)) == {mine.pk, waiting.pk}
    assert queue_pks(assessor, QueueTab.INVESTIGATION) == [investigated.pk]

    assert queue_pks(lead, QueueTab.MINE) == []
    assert queue_pks(lead, QueueTab.ASSESSMENT, filters=NOBODY) == [waiting.pk]
    assert queue_pks(lead, QueueTab.INVESTIGATION, filters=NOBODY) == [investigated.pk]
    assert set(queue_pks(lead, QueueTab.ASSESSMENT)) == {mine.pk, waiting.pk}

    login(client, lead.user)
    url = reverse("reports:work_queue")
    page = client.get(url, {"toegewezen": "niemand"}).content.decode()
    rows = page.split('data-testid="queue-rows"')[1].split("</table>")[0]
    assert f">{waiting}</a>" in rows and f">{mine}</a>" not in rows
    page = client.get(url).content.decode()
    assert f'data-testid="assignee">{escape(assessor.user)}<' in page
    client.logout()
    login(client, assessor.user)
    assert 'value="niemand"' not in client.get(url).content.decode()
    assert client.get(url, {"toegewezen": "niemand"}).status_code == 400
    page = client.get(url, {"tab": "mijn"}).content.decode()
    own = page.split('data-testid="queue-rows"')[1].split("</table>")[0]
    assert f">{mine}</a>" in own and f">{conditions}</a>" in own
    assert f">{waiting}</a>" not in own
    page = client.get(url, {"toegewezen": "mij"}).content.decode()
    own = page.split('data-testid="queue-rows"')[1].split("</table>")[0]
    assert f">{mine}</a>" in own and f">{waiting}</a>" not in own
