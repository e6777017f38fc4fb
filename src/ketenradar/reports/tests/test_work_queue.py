"""Veilig Thuis's work queue finds every overdue item when the clock moves on; the dossier
shows every earlier contact, and the reporter only to Veilig Thuis."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.urls import reverse

import pytest

from ketenradar.accounts.actor import Actor
from ketenradar.accounts.constants import RoleCode
from ketenradar.accounts.models import Membership, Role
from ketenradar.conftest import World, login
from ketenradar.core.tests.factories import MembershipFactory, UserFactory
from ketenradar.persons.matching import ReportedPerson
from ketenradar.reports import selectors, services
from ketenradar.reports.constants import (
    AssessmentDecision,
    Channel,
    ContactKind,
    PersonRole,
    QueueTab,
    ReporterCategory,
)
from ketenradar.reports.tests.conftest import WHY, PoliceChannel, queue_rows

UTC = dt.UTC


def _staff(police: PoliceChannel, code: str, name: str) -> Actor:
    user = UserFactory(username=name)
    MembershipFactory(user=user, organisation=police.veilig_thuis, role=Role.objects.get(code=code))
    return Actor(user=user, membership=Membership.objects.get(user=user))


def _report(police: PoliceChannel, bsn: str, at: dt.datetime, acute: bool = False) -> Any:
    return services.contact_register(
        actor=police.actor,
        kind=ContactKind.REPORT,
        channel=Channel.POLICE,
        reporter_category=ReporterCategory.JUSTICE_SECURITY,
        received_at=at,
        persons=[(ReportedPerson(bsn=bsn, surname="Jansen"), PersonRole.VICTIM)],
        acute_indication=acute,
        reporter=services.ReporterData(
            name="Agent Bakker", organisation_name="Eenheid Den Haag", phone="0900-8844"
        ),
    )


def _overdue(actor: Actor, tab: QueueTab, now: dt.datetime) -> list[tuple[int, bool]]:
    return [
        (r.dossier.pk, r.overdue) for r in queue_rows(actor, tab, now=now) if r.dossier is not None
    ]


def test_advancing_the_clock_finds_every_overdue_item(police: PoliceChannel) -> None:
    staff = _staff(police, RoleCode.VT_PROFESSIONAL, "assessor")
    monday = dt.datetime(2026, 11, 16, 9, 0, tzinfo=UTC)
    normal = _report(police, "111222333", monday).dossier
    acute = _report(police, "123456782", monday, acute=True).dossier
    investigated = _report(police, "999999990", monday).dossier
    services.assessment_decide(
        actor=staff, dossier=investigated, decision=AssessmentDecision.INVESTIGATION, **WHY
    )
    assessment = QueueTab.ASSESSMENT

    # acute first, nothing overdue yet
    hour_later = monday + dt.timedelta(hours=1)
    assert _overdue(staff, assessment, hour_later) == [(acute.pk, False), (normal.pk, False)]

    tuesday = monday + dt.timedelta(days=1, hours=1)  # acute: past 24 hours
    assert _overdue(staff, assessment, tuesday) == [(acute.pk, True), (normal.pk, False)]

    due_day = dt.datetime(2026, 11, 23, 12, 0, tzinfo=UTC)  # 5th working day after Monday 16th
    assert _overdue(staff, assessment, due_day) == [(acute.pk, True), (normal.pk, False)]
    next_week = dt.datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
    assert _overdue(staff, assessment, next_week) == [(acute.pk, True), (normal.pk, True)]

    # the investigation is on its own tab from the decision on, overdue after 10 weeks
    assert _overdue(staff, QueueTab.INVESTIGATION, monday) == [(investigated.pk, False)]
    eleven_weeks = dt.datetime.now(tz=UTC) + dt.timedelta(weeks=11)
    assert _overdue(staff, QueueTab.INVESTIGATION, eleven_weeks) == [(investigated.pk, True)]


def test_the_dossier_shows_every_earlier_contact_and_the_reporter_only_to_veilig_thuis(
    police: PoliceChannel, world: World, client: Any
) -> None:
    first = _report(police, "111222333", dt.datetime(2026, 1, 5, 9, 0, tzinfo=UTC))
    services.assessment_decide(
        actor=_staff(police, RoleCode.VT_PROFESSIONAL, "a"),
        dossier=first.dossier,
        decision=AssessmentDecision.END,
        **WHY,
    )
    second = _report(police, "111222333", dt.datetime(2026, 11, 16, 9, 0, tzinfo=UTC))
    assert second.earlier_involvement == "hermelding"

    intake = _staff(police, RoleCode.VT_INTAKE, "intake")
    detail = selectors.dossier_detail(actor=intake, dossier_uuid=second.dossier.uuid)
    assert [c.pk for c in detail.timeline] == [first.pk, second.pk]
    assert detail.show_reporters
    login(client, intake.user)
    page = client.get(
        reverse("reports:dossier_detail", args=[second.dossier.uuid])
    ).content.decode()
    assert "Agent Bakker" in page

    partner = world.actor(RoleCode.CHAIN_PARTNER, "involved")
    with pytest.raises(PermissionDenied):
        selectors.dossier_detail(actor=partner, dossier_uuid=second.dossier.uuid)
