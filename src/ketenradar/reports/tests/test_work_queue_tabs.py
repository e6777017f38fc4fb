"""The work queue's tabs, order and pages: the most urgent first on every tab, a page at a
time, the deadline that applies to the dossier's state, counts per tab, and the access log
naming exactly the persons on the rows shown, nobody else's."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from typing import Any

from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone

import pytest

from ketenradar.accounts.actor import Actor
from ketenradar.accounts.constants import RoleCode
from ketenradar.audit.models import AuditEvent
from ketenradar.conftest import World, login
from ketenradar.core import clock
from ketenradar.core.tests.factories import OrganisationFactory
from ketenradar.persons.models import Person
from ketenradar.regions.constants import OrganisationType
from ketenradar.regions.models import Organisation
from ketenradar.reports import selectors
from ketenradar.reports.constants import (
    Channel,
    ContactKind,
    DossierState,
    EarlierInvolvement,
    PersonRole,
    QueueAssignment,
    QueueTab,
    ReporterCategory,
    TaskKind,
)
from ketenradar.reports.models import (
    Contact,
    ContactPerson,
    Dossier,
    DossierTask,
    Investigation,
    MonitoringMoment,
)
from ketenradar.reports.tests.conftest import PoliceChannel, queue_pks
from ketenradar.reports.tests.test_advice_conversion import vt_staff

NOW = dt.datetime(2026, 11, 18, 10, 0, tzinfo=dt.UTC)  # a Wednesday
HOUR, DAY = dt.timedelta(hours=1), dt.timedelta(days=1)
_names = itertools.count()


def _dossier(
    vt: Organisation,
    *,
    due: dt.datetime,
    acute: bool = False,
    opened: dt.datetime | None = None,
    state: DossierState = DossierState.ASSESSMENT,
    persons: int = 2,
) -> Dossier:
    """A dossier opened by a police report about ``persons`` new persons (made directly:
    the order, not the intake, is under test)."""
    opened = opened or NOW - 3 * DAY
    dossier = Dossier.objects.create(
        organisation=vt, state=state, opened_at=opened, acute=acute, assessment_due=due
    )
    contact = Contact.objects.create(
        kind=ContactKind.REPORT,
        organisation=vt,
        channel=Channel.POLICE,
        reporter_category=ReporterCategory.JUSTICE_SECURITY,
        received_at=opened,
        acute_indication=acute,
        dossier=dossier,
        earlier_involvement=EarlierInvolvement.FIRST,
    )
    for role in [PersonRole.VICTIM, PersonRole.PERPETRATOR][:persons]:
        person = Person.objects.create(
            given_names="Eva", surname=f"Rij{next(_names)}", no_bsn_reason="onbekend"
        )
        ContactPerson.objects.create(contact=contact, person=person, role=role)
    return dossier


def _persons_of(dossiers: list[Dossier]) -> set[int]:
    return set(
        ContactPerson.objects.filter(contact__dossier__in=dossiers).values_list(
            "person_id", flat=True
        )
    )


def _listed() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(object_type="reports.workqueue").order_by("seq"))


def _links(page: str) -> list[str]:
    """The dossiers linked on the rows of the page's table, in order."""
    table = page.split('data-testid="queue-rows"')[1].split("</table>")[0]
    return re.findall(r">(VT-\d+)</a>", table)


@pytest.fixture
def lead(police: PoliceChannel) -> Actor:
    return vt_staff(police, RoleCode.VT_TEAM_LEAD, "teamleider")


def test_acute_first_then_overdue_then_the_earliest_deadline_then_receipt(
    police: PoliceChannel, assessor: Actor, client: Client
) -> None:
    vt = police.veilig_thuis
    later = _dossier(vt, due=NOW + 5 * DAY)
    tie_second = _dossier(vt, due=NOW + 3 * DAY, opened=NOW - 2 * DAY)
    tie_first = _dossier(vt, due=NOW + 3 * DAY, opened=NOW - 4 * DAY)
    overdue_recently = _dossier(vt, due=NOW - HOUR)
    overdue_long = _dossier(vt, due=NOW - 2 * DAY)
    acute_due_tonight = _dossier(vt, due=NOW + 10 * HOUR, acute=True)
    acute_overdue = _dossier(vt, due=NOW - HOUR, acute=True)
    # a new report, received just now, is due last: it is at the end, not lost in between
    new = _dossier(vt, due=NOW + 7 * DAY, opened=NOW - HOUR)
    expected = [
        acute_overdue,
        acute_due_tonight,
        overdue_long,
        overdue_recently,
        tie_first,
        tie_second,
        later,
        new,
    ]
    queue = selectors.work_queue(actor=assessor, now=NOW)
    assert [r.dossier for r in queue.rows] == expected
    assert [r.overdue for r in queue.rows] == [True, False, True, True, False, False, False, False]

    assert assessor.user is not None
    login(client, assessor.user)
    with clock.at(NOW):
        page = client.get(reverse("reports:work_queue")).content.decode()
    assert _links(page) == [str(d) for d in expected]
    assert page.count('data-testid="overdue"') == 3
    assert page.count('data-testid="acute"') == 2
    assert re.search(r'data-testid="overdue-count">3 ', page)


def test_pages_of_25_the_next_rows_on_page_2_and_a_page_past_the_end_shows_the_last(
    police: PoliceChannel, assessor: Actor, client: Client
) -> None:
    dossiers = [_dossier(police.veilig_thuis, due=NOW + i * HOUR) for i in range(30)]
    assert assessor.user is not None
    login(client, assessor.user)
    url = reverse("reports:work_queue")
    with clock.at(NOW):
        first = client.get(url)
        second = client.get(url, {"tab": "beoordeling", "pagina": "2"})
        beyond = client.get(url, {"tab": "beoordeling", "pagina": "7"})
    assert _links(first.content.decode()) == [str(d) for d in dossiers[:25]]
    assert _links(second.content.decode()) == [str(d) for d in dossiers[25:]]
    assert _links(beyond.content.decode()) == [str(d) for d in dossiers[25:]]
    assert beyond.status_code == 200 and beyond.context["queue"].page.number == 2
    nav = first.content.decode().split('data-testid="pagination"')[1].split("</nav>")[0]
    assert 'class="utrecht-pagination__page-link utrecht-pagination__page-link--current"' in nav
    assert 'href="?tab=beoordeling&amp;pagina=2"' in nav

    # each page logs the persons of its own rows, once each, in one write
    events = [e for e in _listed() if e.detail["page"] == 2]
    assert {e.person_id for e in events} == _persons_of(dossiers[25:])
    assert len(events) == 2 * 2 * 5  # page 2, then the page past the end: 5 dossiers of 2
    assert events[0].detail == {"tab": "beoordeling", "page": 2, "shown": 5, "total": 30}


@pytest.mark.parametrize(
    "query",
    [
        {"pagina": "0"},
        {"pagina": "²"},
        {"pagina": "1e3"},
        {"pagina": "9" * 30},
        {"tab": "alles"},
        {"tab": "BEOORDELING"},
        {"tab": "\x00"},
        {"acuut": "1"},
        {"acuut": "nee"},
        {"toegewezen": "iedereen"},
        {"toegewezen": "niemand"},  # an assessor: the team lead's filter
    ],
)
def test_a_value_the_queue_does_not_offer_answers_400(
    police: PoliceChannel, assessor: Actor, client: Client, query: dict[str, str]
) -> None:
    _dossier(police.veilig_thuis, due=NOW + DAY)
    assert assessor.user is not None
    login(client, assessor.user)
    assert client.get(reverse("reports:work_queue"), query).status_code == 400
    assert _listed() == []  # nothing shown, nobody logged


def test_every_tab_counts_with_count_statements_and_the_filters_count_too(
    police: PoliceChannel, lead: Actor, assessor: Actor
) -> None:
    vt = police.veilig_thuis
    acute = _dossier(vt, due=NOW + 10 * HOUR, acute=True, opened=NOW - HOUR)
    mine = _dossier(vt, due=NOW + 2 * DAY)
    Dossier.objects.filter(pk=mine.pk).update(assigned_to=assessor.user)
    _dossier(vt, due=NOW - DAY)
    investigating = _dossier(vt, due=NOW - 30 * DAY, state=DossierState.INVESTIGATION)
    Investigation.objects.create(dossier=investigating, started_at=NOW, due_at=NOW + 70 * DAY)
    monitored = _dossier(vt, due=NOW - 90 * DAY, state=DossierState.MONITORING)
    MonitoringMoment.objects.create(dossier=monitored, months=3, due_at=NOW + 3 * DAY)
    MonitoringMoment.objects.create(dossier=monitored, months=12, due_at=NOW + 270 * DAY)
    closed = _dossier(vt, due=NOW - 90 * DAY, state=DossierState.CLOSED)
    Dossier.objects.filter(pk=closed.pk).update(assigned_to=assessor.user)
    for dossier, due in ((mine, NOW - DAY), (monitored, NOW + DAY), (investigating, NOW + 9 * DAY)):
        DossierTask.objects.create(
            dossier=dossier,
            contact=dossier.contacts.get(),
            kind=TaskKind.INFORM_PERSONS,
            due_at=due,
        )

    queue = selectors.work_queue(actor=assessor, now=NOW)
    assert queue.overdue == {
        "nieuw": 0,
        "beoordeling": 1,
        "onderzoek": 0,  # its investigation runs: the assessment's old deadline does not count
        "terugkoppeling": 1,
        "monitoring": 0,
        "mijn": 0,
    }
    counts = queue.counts
    assert counts == {
        "nieuw": 1,  # the acute one came in an hour ago; the others days ago
        "beoordeling": 3,
        "onderzoek": 1,
        "terugkoppeling": 2,  # overdue, and due tomorrow; not the one in 9 days
        "monitoring": 1,  # the 3-month moment; the 12-month one is far off
        "mijn": 1,  # open dossiers only
    }
    assert list(counts) == [t.value for t in QueueTab]  # in the order of work
    acute_only = selectors.QueueFilter(acute_only=True)
    assert selectors.work_queue(actor=assessor, filters=acute_only, now=NOW).counts == {
        "nieuw": 1,
        "beoordeling": 1,
        "onderzoek": 0,
        "terugkoppeling": 0,
        "monitoring": 0,
        "mijn": 0,
    }
    mine_only = selectors.QueueFilter(assigned=QueueAssignment.ME)
    assert selectors.work_queue(actor=assessor, filters=mine_only, now=NOW).counts == {
        "nieuw": 0,
        "beoordeling": 1,
        "onderzoek": 0,
        "terugkoppeling": 1,
        "monitoring": 0,
        "mijn": 1,
    }
    nobody = selectors.QueueFilter(assigned=QueueAssignment.NOBODY)
    counts = selectors.work_queue(actor=lead, filters=nobody, now=NOW).counts
    assert counts["beoordeling"] == 2 and counts["terugkoppeling"] == 1
    assert queue_pks(assessor, QueueTab.NEW, now=NOW) == [acute.contacts.get().pk]


def test_the_counts_read_no_rows_and_a_tab_without_persons_logs_nobody(
    police: PoliceChannel, assessor: Actor
) -> None:
    dossier = _dossier(police.veilig_thuis, due=NOW - DAY)
    DossierTask.objects.create(
        dossier=dossier, contact=dossier.contacts.get(), kind=TaskKind.INFORM_PERSONS, due_at=NOW
    )
    queue = selectors.work_queue(actor=assessor, tab=QueueTab.TASKS, now=NOW)
    assert [r.task.kind for r in queue.rows if r.task] == [TaskKind.INFORM_PERSONS]
    assert queue.rows[0].persons == [] and _listed() == []


def test_a_dossier_in_investigation_shows_the_investigations_deadline(
    police: PoliceChannel, assessor: Actor, client: Client
) -> None:
    vt = police.veilig_thuis
    investigating = _dossier(vt, due=NOW - 40 * DAY, state=DossierState.INVESTIGATION)
    Investigation.objects.create(
        dossier=investigating, started_at=NOW - 39 * DAY, due_at=NOW + 31 * DAY
    )
    sooner = _dossier(vt, due=NOW - 80 * DAY, state=DossierState.INVESTIGATION)
    Investigation.objects.create(dossier=sooner, started_at=NOW - 60 * DAY, due_at=NOW + 10 * DAY)
    Dossier.objects.filter(pk__in=[investigating.pk, sooner.pk]).update(assigned_to=assessor.user)
    assessing = _dossier(vt, due=NOW + 20 * DAY)
    Dossier.objects.filter(pk=assessing.pk).update(assigned_to=assessor.user)

    for tab in (QueueTab.INVESTIGATION, QueueTab.MINE):
        rows = selectors.work_queue(actor=assessor, tab=tab, now=NOW).rows
        shown = {r.dossier.pk: (r.deadline, r.overdue) for r in rows if r.dossier}
        assert shown[investigating.pk] == (NOW + 31 * DAY, False)  # not the assessment's
        assert shown[sooner.pk] == (NOW + 10 * DAY, False)
    mine = [r.dossier for r in selectors.work_queue(actor=assessor, tab=QueueTab.MINE).rows]
    assert mine == [sooner, assessing, investigating]  # by the deadline of each one's state

    assert assessor.user is not None
    login(client, assessor.user)
    with clock.at(NOW):
        page = client.get(reverse("reports:work_queue"), {"tab": "onderzoek"}).content.decode()
        detail = client.get(reverse("reports:dossier_detail", args=[investigating.uuid]))
    due = f"{timezone.localtime(NOW + 31 * DAY):%d-%m-%Y %H:%M}"
    assert due in page and 'data-testid="overdue"' not in page
    on_page = re.search(r'data-testid="due">([^<]*)<', detail.content.decode())
    assert on_page is not None and on_page.group(1) == due


def test_another_veilig_thuis_and_other_roles_see_nothing_of_this_queue(
    police: PoliceChannel, assessor: Actor, world: World, client: Client
) -> None:
    vt = police.veilig_thuis
    ours = [_dossier(vt, due=NOW + i * DAY) for i in range(3)]
    other_vt = OrganisationFactory(
        region=world.region, name="Veilig Thuis elders", type=OrganisationType.VEILIG_THUIS
    )
    theirs = _dossier(other_vt, due=NOW + DAY)
    stranger = vt_staff(
        PoliceChannel(client=police.client, actor=police.actor, veilig_thuis=other_vt),
        RoleCode.VT_TEAM_LEAD,
        "elders",
    )
    for tab in QueueTab:
        queue = selectors.work_queue(actor=stranger, tab=tab, now=NOW)
        assert all(r.dossier in (None, theirs) for r in queue.rows)
    assert selectors.work_queue(actor=stranger, now=NOW).counts["beoordeling"] == 1
    assert not AuditEvent.objects.filter(
        object_type="reports.workqueue", person_id__in=_persons_of(ours)
    ).exists()
    assert selectors.work_queue(actor=assessor, now=NOW).counts["beoordeling"] == 3

    for role in (RoleCode.CHAIN_PARTNER, RoleCode.PROFESSIONAL, RoleCode.POLICY_OFFICER):
        actor = world.actor(role, "involved")
        with pytest.raises(PermissionDenied):
            selectors.work_queue(actor=actor)
        assert actor.user is not None
        login(client, actor.user)
        for query in ({}, {"tab": "mijn"}, {"tab": "nieuw", "pagina": "2"}):
            assert client.get(reverse("reports:work_queue"), query).status_code == 403
    assert (
        not AuditEvent.objects.filter(
            object_type="reports.workqueue", person_id__in=_persons_of(ours), outcome="success"
        )
        .exclude(user=assessor.user)
        .exists()
    )


def test_the_filters_and_the_page_stay_in_the_tabs_and_page_links(
    police: PoliceChannel, lead: Actor, client: Client
) -> None:
    for i in range(30):
        _dossier(police.veilig_thuis, due=NOW + i * HOUR, acute=True)
    assert lead.user is not None
    login(client, lead.user)
    with clock.at(NOW):
        response = client.get(
            reverse("reports:work_queue"), {"tab": "beoordeling", "acuut": "ja", "toegewezen": ""}
        )
    page = response.content.decode()
    assert 'href="?tab=onderzoek&amp;acuut=ja"' in page  # a tab keeps the filters, not the page
    assert 'href="?tab=beoordeling&amp;acuut=ja&amp;pagina=2"' in page
    assert 'value="niemand"' in page  # the team lead's filter
    assert 'aria-current="page" href="?tab=beoordeling&amp;acuut=ja"' in page
    counts: Any = response.context["queue"].counts
    assert counts["beoordeling"] == 30


def test_intake_who_is_assigned_nothing_gets_no_tab_of_its_own(
    police: PoliceChannel, assessor: Actor, client: Client
) -> None:
    intake = vt_staff(police, RoleCode.VT_INTAKE, "intake")
    _dossier(police.veilig_thuis, due=NOW + DAY)
    url = reverse("reports:work_queue")
    for actor, shown in ((intake, False), (assessor, True)):
        assert actor.user is not None
        login(client, actor.user)
        assert ('data-testid="tab-mijn"' in client.get(url).content.decode()) is shown
    login(client, intake.user)  # asked for all the same: the empty tab, with its link
    assert 'data-testid="tab-mijn"' in client.get(url, {"tab": "mijn"}).content.decode()
