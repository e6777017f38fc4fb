"""The CBS classification (85361NED) on constructed histories, one per category, and the
deadline of the safety assessment across Dutch holidays."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from ketenradar.accounts.constants import RoleCode
from ketenradar.conftest import World
from ketenradar.persons.matching import ReportedPerson
from ketenradar.reports import services
from ketenradar.reports.constants import (
    Channel,
    ContactKind,
    DossierState,
    PersonRole,
    ReporterCategory,
)
from ketenradar.reports.models import Contact, Dossier
from ketenradar.reports.tests.conftest import PoliceChannel

AMS = ZoneInfo("Europe/Amsterdam")
VICTIM = ReportedPerson(bsn="111222333", surname="Jansen")
OTHER = ReportedPerson(bsn="123456782", surname="Bakker")


def _report(
    police: PoliceChannel,
    *persons: ReportedPerson,
    kind: ContactKind = ContactKind.REPORT,
    at: dt.datetime | None = None,
    acute: bool = False,
) -> Contact:
    return services.contact_register(
        actor=police.actor,
        kind=kind,
        channel=Channel.POLICE,
        reporter_category=ReporterCategory.JUSTICE_SECURITY,
        received_at=at or dt.datetime(2026, 11, 16, 10, 0, tzinfo=AMS),
        persons=[(p, PersonRole.VICTIM) for p in persons],
        acute_indication=acute,
        reporter=services.ReporterData(
            name="Agent", organisation_name="Politie", phone="0900-8844"
        ),
    )


def test_first_report(police: PoliceChannel) -> None:
    assert _report(police, OTHER).earlier_involvement == "eerste_melding"


def test_repeat_report_after_a_closed_dossier(police: PoliceChannel) -> None:
    first = _report(police, VICTIM)
    Dossier.objects.filter(pk=first.dossier_id).update(state=DossierState.CLOSED)
    second = _report(police, VICTIM, OTHER)
    assert second.earlier_involvement == "hermelding"
    assert second.dossier_id != first.dossier_id


def test_repeat_report_after_an_advice_request(police: PoliceChannel) -> None:
    _report(police, VICTIM, kind=ContactKind.ADVICE)
    assert _report(police, VICTIM).earlier_involvement == "hermelding"


def test_follow_up_during_the_assessment_joins_the_dossier(police: PoliceChannel) -> None:
    first = _report(police, VICTIM)
    second = _report(police, VICTIM)
    assert second.earlier_involvement == "vervolg_tijdens_vb"
    assert second.dossier_id == first.dossier_id


@pytest.mark.parametrize(
    "state",
    [DossierState.CONDITIONS, DossierState.INVESTIGATION, DossierState.CHILD_PROTECTION_BOARD],
)
def test_follow_up_after_the_assessment(police: PoliceChannel, state: DossierState) -> None:
    first = _report(police, VICTIM)
    Dossier.objects.filter(pk=first.dossier_id).update(state=state)
    assert _report(police, OTHER, VICTIM).earlier_involvement == "vervolg_na_vb"


def test_follow_up_during_monitoring(police: PoliceChannel) -> None:
    first = _report(police, VICTIM)
    Dossier.objects.filter(pk=first.dossier_id).update(state=DossierState.MONITORING)
    assert _report(police, VICTIM).earlier_involvement == "vervolg_tijdens_monitoring"


def test_another_regions_history_does_not_count(police: PoliceChannel, world: World) -> None:
    """Classification is per Veilig Thuis: a report elsewhere is not our earlier involvement."""
    from ketenradar.core.tests.factories import OrganisationFactory
    from ketenradar.regions.constants import OrganisationType

    OrganisationFactory(
        region=world.other_region, type=OrganisationType.VEILIG_THUIS, name="VT Hollands Midden"
    )
    elsewhere = world.actor(RoleCode.VT_INTAKE, "other_region")
    services.contact_register(
        actor=elsewhere,
        kind=ContactKind.REPORT,
        channel=Channel.PHONE,
        reporter_category=ReporterCategory.EDUCATION,
        received_at=dt.datetime(2026, 1, 5, tzinfo=AMS),
        persons=[(VICTIM, PersonRole.VICTIM)],
        reporter=services.ReporterData(name="Juf", phone="010-1234567"),
    )
    assert _report(police, VICTIM).earlier_involvement == "eerste_melding"


@pytest.mark.parametrize(
    ("received", "acute", "due"),
    [
        # Thursday before Easter 2026: Good Friday and Easter Monday are no working days
        (
            dt.datetime(2026, 4, 2, 16, 30, tzinfo=AMS),
            False,
            dt.datetime(2026, 4, 13, 23, 59, 59, tzinfo=AMS),
        ),
        # 31 December: New Year's Day is no working day
        (
            dt.datetime(2025, 12, 31, 9, 0, tzinfo=AMS),
            False,
            dt.datetime(2026, 1, 8, 23, 59, 59, tzinfo=AMS),
        ),
        # acute: 24 hours, holiday or not
        (
            dt.datetime(2025, 12, 31, 9, 0, tzinfo=AMS),
            True,
            dt.datetime(2026, 1, 1, 9, 0, tzinfo=AMS),
        ),
    ],
)
def test_assessment_deadline(
    police: PoliceChannel, received: dt.datetime, acute: bool, due: dt.datetime
) -> None:
    contact = _report(police, VICTIM, at=received, acute=acute)
    assert contact.dossier is not None
    assert contact.dossier.assessment_due == due
    assert services.assessment_deadline(received, acute=acute) == due


def test_an_acute_follow_up_shortens_the_deadline(police: PoliceChannel) -> None:
    first = _report(police, VICTIM)
    later = dt.datetime(2026, 11, 17, 8, 0, tzinfo=AMS)
    _report(police, VICTIM, at=later, acute=True)
    first.dossier.refresh_from_db()
    assert first.dossier.acute
    assert first.dossier.assessment_due == later + dt.timedelta(hours=24)
