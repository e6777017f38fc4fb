"""The shelter screens: thin views over the services and selectors."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from ketenradar.audit.models import AuditEvent
from ketenradar.conftest import login
from ketenradar.shelter import services
from ketenradar.shelter.constants import BedType, WaitingState
from ketenradar.shelter.models import AmbulantTrajectory, Placement, WaitingListEntry
from ketenradar.shelter.tests.conftest import Shelter


def _client(client: Client, shelter: Shelter, who: str = "actor") -> Client:
    return login(client, getattr(shelter, who).user)


def test_the_overview_shows_beds_and_todays_occupancy(client: Client, shelter: Shelter) -> None:
    facility = shelter.facility("Noord", regulier=44, jonge_moeders=19)
    services.placement_start(
        actor=shelter.actor,
        facility=facility,
        person=shelter.person(),
        bed_type=BedType.REGULAR,
        start_date=timezone.localdate(),
    )
    page = _client(client, shelter).get(reverse("shelter:overview"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="total-beds">63<' in html
    rows = page.context["rows"]
    assert [(r.bed_type, r.occupancy.occupied, r.occupancy.free) for r in rows] == [
        ("regulier", 1, 43),
        ("jonge_moeders", 0, 19),
    ]
    assert "Geheimstraat" not in html  # the address is not on the overview


def test_register_a_placement_from_the_form(client: Client, shelter: Shelter) -> None:
    facility = shelter.facility("Noord", regulier=2)
    person = shelter.person()
    member = shelter.person()
    client = _client(client, shelter)
    form = client.get(reverse("shelter:placement_new"))
    assert form.status_code == 200
    assert escape(person.display_name) in form.content.decode()
    response = client.post(
        reverse("shelter:placement_new"),
        {
            "person": person.uuid,
            "members": [member.uuid],
            "facility": facility.uuid,
            "bed_type": BedType.REGULAR,
            "start_date": "2026-11-01",
        },
    )
    placement = Placement.objects.get(person=person)
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "shelter:placement_detail", kwargs={"uuid": placement.uuid}
    )
    assert placement.beds == 2
    assert placement.planned_end == dt.date(2027, 5, 1)
    # full now: the next one is refused with the reason on the form
    refused = client.post(
        reverse("shelter:placement_new"),
        {
            "person": shelter.person().uuid,
            "facility": facility.uuid,
            "bed_type": BedType.REGULAR,
            "start_date": "2026-11-02",
        },
    )
    assert refused.status_code == 200
    assert "02-11-2026" in refused.content.decode()
    assert Placement.objects.count() == 1


def test_place_from_the_waiting_list_and_end_the_placement(
    client: Client, shelter: Shelter
) -> None:
    facility = shelter.facility("Noord", regulier=2)
    entry = services.waiting_list_add(
        actor=shelter.actor,
        person=shelter.person(),
        bed_type=BedType.REGULAR,
        registered_on=dt.date(2026, 10, 1),
        facility=facility,
    )
    client = _client(client, shelter)
    listing = client.get(reverse("shelter:waiting_list"))
    assert escape(entry.person.display_name) in listing.content.decode()
    url = reverse("shelter:waiting_place", kwargs={"uuid": entry.uuid})
    assert client.get(url).status_code == 200
    client.post(
        url,
        {"facility": facility.uuid, "bed_type": BedType.REGULAR, "start_date": "2026-10-15"},
    )
    entry.refresh_from_db()
    assert entry.state == WaitingState.PLACED
    placement = entry.placement
    assert placement is not None
    end = reverse("shelter:placement_end", kwargs={"uuid": placement.uuid})
    client.post(end, {"end_date": "2026-11-20", "reason": "eigen_woning"})
    placement.refresh_from_db()
    assert placement.actual_end == dt.date(2026, 11, 20)
    detail = client.get(reverse("shelter:placement_detail", kwargs={"uuid": placement.uuid}))
    assert detail.status_code == 200
    assert detail.context["row"].days_stayed == 36


def test_withdraw_from_the_waiting_list(client: Client, shelter: Shelter) -> None:
    entry = services.waiting_list_add(
        actor=shelter.actor,
        person=shelter.person(),
        bed_type=BedType.FAMILY,
        registered_on=dt.date(2026, 10, 1),
    )
    client = _client(client, shelter)
    client.post(
        reverse("shelter:waiting_withdraw", kwargs={"uuid": entry.uuid}),
        {"withdrawn_on": "2026-10-20", "reason": "niet_meer_nodig"},
    )
    entry.refresh_from_db()
    assert entry.state == WaitingState.WITHDRAWN


def test_add_to_the_waiting_list_and_start_a_trajectory(client: Client, shelter: Shelter) -> None:
    person = shelter.person()
    client = _client(client, shelter)
    client.post(
        reverse("shelter:waiting_new"),
        {
            "person": person.uuid,
            "household_size": 3,
            "bed_type": BedType.FAMILY,
            "registered_on": "2026-11-01",
        },
    )
    assert WaitingListEntry.objects.get(person=person).household_size == 3
    client.post(
        reverse("shelter:trajectory_new"),
        {"person": person.uuid, "kind": "ambulant_6_weken", "start_date": "2026-11-02"},
    )
    trajectory = AmbulantTrajectory.objects.get(person=person)
    assert trajectory.planned_end == dt.date(2026, 12, 14)
    listing = client.get(reverse("shelter:trajectories")).content.decode()
    assert escape(person.display_name) in listing
    client.post(
        reverse("shelter:trajectory_end", kwargs={"uuid": trajectory.uuid}),
        {"end_date": "2026-12-10"},
    )
    trajectory.refresh_from_db()
    assert trajectory.actual_end == dt.date(2026, 12, 10)


def test_the_occupancy_table_of_a_month(client: Client, shelter: Shelter) -> None:
    facility = shelter.facility("Noord", regulier=3)
    services.placement_start(
        actor=shelter.actor,
        facility=facility,
        person=shelter.person(),
        bed_type=BedType.REGULAR,
        start_date=dt.date(2026, 2, 10),
        planned_end=dt.date(2026, 2, 20),
    )
    page = _client(client, shelter).get(reverse("shelter:occupancy"), {"month": "2026-02"})
    assert page.status_code == 200
    (row,) = page.context["table"]
    assert len(row["days"]) == 28
    assert [d.occupied for d in row["days"]][8:11] == [0, 1, 1]


def test_another_shelter_gets_403_on_a_placement_and_it_is_logged(
    client: Client, shelter: Shelter
) -> None:
    placement = services.placement_start(
        actor=shelter.actor,
        facility=shelter.facility("Noord", regulier=3),
        person=shelter.person(),
        bed_type=BedType.REGULAR,
        start_date=dt.date(2026, 11, 1),
    )
    url = reverse("shelter:placement_detail", kwargs={"uuid": placement.uuid})
    assert _client(client, shelter, "other").get(url).status_code == 403
    denied = AuditEvent.objects.filter(outcome="denied")
    assert list(denied.values_list("object_type", "person_id")) == [
        ("shelter.placement", placement.person_id)
    ]


def test_the_screens_are_in_dutch(client: Client, shelter: Shelter) -> None:
    client = _client(client, shelter)
    client.cookies["django_language"] = "nl"
    page = client.get(reverse("shelter:overview"), HTTP_ACCEPT_LANGUAGE="nl")
    html = page.content.decode()
    assert "Wachttijden" in html
    assert "6-maandennorm" in html
