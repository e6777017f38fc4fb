"""Notices: placements past their planned end, placements reaching the 6-month norm."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.urls import reverse
from django.utils import timezone

import pytest
import time_machine

from ketenradar.accounts.constants import RoleCode
from ketenradar.core.notices import Severity
from ketenradar.shelter import selectors, services
from ketenradar.shelter.constants import BedType, PlacementEndReason
from ketenradar.shelter.models import Placement
from ketenradar.shelter.tests.conftest import Shelter

AMS = zoneinfo.ZoneInfo("Europe/Amsterdam")
D = dt.date


@pytest.fixture
def placed(shelter: Shelter) -> dict[str, Placement]:
    facility = shelter.facility("Noord", regulier=5)

    def place(start: dt.date, planned_end: dt.date | None = None) -> Placement:
        return services.placement_start(
            actor=shelter.actor,
            facility=facility,
            person=shelter.person(),
            bed_type=BedType.REGULAR,
            start_date=start,
            planned_end=planned_end,
        )

    return {
        # norm (and planned end) 10 December: within 14 days of 1 December
        "due": place(D(2026, 6, 10)),
        # planned end 20 November passed; norm 1 May 2027 far away
        "overdue": place(D(2026, 11, 1), planned_end=D(2026, 11, 20)),
        # norm 20 December: more than 14 days away
        "quiet": place(D(2026, 6, 20)),
        # ended: no notice although its planned end passed
        "ended": services.placement_end(
            actor=shelter.actor,
            placement=place(D(2026, 5, 1), planned_end=D(2026, 11, 1)),
            end_date=D(2026, 11, 2),
            reason=PlacementEndReason.OWN_HOME,
        ),
    }


def test_notices_for_overdue_placements_and_the_norm_coming_due(
    shelter: Shelter, placed: dict[str, Placement]
) -> None:
    with time_machine.travel(dt.datetime(2026, 12, 1, 9, 0, tzinfo=AMS), tick=False):
        notices = selectors.notices_for(actor=shelter.actor, now=timezone.now())
    found = {(n.kind, n.url, n.severity) for n in notices}
    detail = lambda key: reverse(  # noqa: E731
        "shelter:placement_detail",
        kwargs={"uuid": placed[key].uuid},
    )
    assert found == {
        ("shelter_placement_overdue", detail("overdue"), Severity.OVERDUE),
        ("shelter_norm_due", detail("due"), Severity.DUE),
    }
    assert [n.kind for n in notices] == ["shelter_placement_overdue", "shelter_norm_due"]
    for notice in notices:
        assert "Noord" in str(notice.title)
        assert placed["due"].person.surname not in str(notice.title)


def test_the_norm_day_itself_is_due_and_the_day_after_it_is_overdue(
    shelter: Shelter, placed: dict[str, Placement]
) -> None:
    with time_machine.travel(dt.datetime(2026, 12, 10, 9, 0, tzinfo=AMS), tick=False):
        on_the_day = selectors.notices_for(actor=shelter.actor, now=timezone.now())
    with time_machine.travel(dt.datetime(2026, 12, 11, 9, 0, tzinfo=AMS), tick=False):
        after = selectors.notices_for(actor=shelter.actor, now=timezone.now())
    due_url = reverse("shelter:placement_detail", kwargs={"uuid": placed["due"].uuid})
    assert {(n.kind, n.severity) for n in on_the_day if n.url == due_url} == {
        ("shelter_norm_due", Severity.DUE)
    }
    assert {(n.kind, n.severity) for n in after if n.url == due_url} == {
        ("shelter_placement_overdue", Severity.OVERDUE)
    }


def test_no_notices_for_other_organisations_or_roles(
    shelter: Shelter, placed: dict[str, Placement]
) -> None:
    now = dt.datetime(2026, 12, 1, 9, 0, tzinfo=AMS)
    assert selectors.notices_for(actor=shelter.other, now=now) == []
    coordinator = shelter.world.actor(RoleCode.CASE_COORDINATOR)
    assert selectors.notices_for(actor=coordinator, now=now) == []
    assert len(selectors.notices_for(actor=shelter.colleague, now=now)) == 2
