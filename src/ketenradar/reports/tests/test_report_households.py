"""New persons a report places at one address form a household; known persons keep theirs."""

from __future__ import annotations

import datetime as dt

from ketenradar.audit.models import AuditEvent
from ketenradar.persons.matching import ReportedPerson
from ketenradar.persons.models import Household, HouseholdMembership
from ketenradar.reports import services
from ketenradar.reports.constants import Channel, ContactKind, PersonRole, ReporterCategory
from ketenradar.reports.tests.conftest import PoliceChannel

HOME = {"postcode": "2511 BT", "house_number": 12}


def _report(police: PoliceChannel, persons: list[tuple[ReportedPerson, PersonRole]]) -> None:
    services.contact_register(
        actor=police.actor,
        kind=ContactKind.REPORT,
        channel=Channel.POLICE,
        reporter_category=ReporterCategory.JUSTICE_SECURITY,
        received_at=dt.datetime(2026, 11, 16, 22, 0, tzinfo=dt.UTC),
        persons=persons,
        reporter=services.ReporterData(name="Agent Bakker", phone="0900-8844"),
    )


def test_a_family_at_one_address_becomes_a_household(police: PoliceChannel) -> None:
    before = set(Household.objects.values_list("pk", flat=True))
    _report(
        police,
        [
            (ReportedPerson(surname="Jansen", given_names="Eva", **HOME), PersonRole.VICTIM),
            (
                ReportedPerson(
                    surname="Vries", surname_prefix="de", postcode="2511bt", house_number=12
                ),
                PersonRole.PERPETRATOR,
            ),
            (ReportedPerson(surname="Vries", given_names="Sem", **HOME), PersonRole.CHILD),
            (  # the grandmother, elsewhere
                ReportedPerson(surname="Bakker", postcode="2512 AA", house_number=3),
                PersonRole.OTHER,
            ),
            (ReportedPerson(surname="Onbekend"), PersonRole.OTHER),  # no address
        ],
    )
    new = Household.objects.exclude(pk__in=before)
    assert new.count() == 1
    household = new.get()
    assert household.label == "Huishouden Jansen"
    members = sorted(
        HouseholdMembership.objects.filter(household=household).values_list(
            "person__surname", "person__given_names", "role"
        )
    )
    assert members == [("Jansen", "Eva", "ouder"), ("Vries", "", "ouder"), ("Vries", "Sem", "kind")]
    events = AuditEvent.objects.filter(
        object_type="persons.household", object_id=household.uuid.hex
    )
    assert events.count() == 3  # one per member, written with the contact


def test_a_couple_without_children_are_partners_and_known_persons_keep_their_household(
    police: PoliceChannel,
) -> None:
    couple = [
        (ReportedPerson(surname="Jansen", bsn="234567004", **HOME), PersonRole.VICTIM),
        (ReportedPerson(surname="Smit", bsn="234567016", **HOME), PersonRole.PERPETRATOR),
    ]
    ours = HouseholdMembership.objects.filter(person__bsn__in=["234567004", "234567016"])
    _report(police, couple)
    assert sorted(ours.values_list("role", flat=True)) == ["partner", "partner"]
    _report(police, couple)  # the same two again: matched, nothing new
    assert ours.count() == 2
    assert len({m.household_id for m in ours}) == 1
