"""An advice request can become a report: once, with an identifiable reporter, about the same
(already known) persons, and audited."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError

import pytest

from ketenradar.accounts.actor import Actor
from ketenradar.accounts.constants import RoleCode
from ketenradar.accounts.models import Membership, Role
from ketenradar.audit.models import AuditEvent
from ketenradar.conftest import World
from ketenradar.core import clock
from ketenradar.core.tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from ketenradar.persons.matching import ReportedPerson
from ketenradar.persons.models import Person
from ketenradar.regions.constants import OrganisationType
from ketenradar.reports import services
from ketenradar.reports.constants import (
    Channel,
    ContactKind,
    DossierState,
    EarlierInvolvement,
    PersonRole,
    ReporterCategory,
    ViolenceType,
)
from ketenradar.reports.models import Contact, Reporter
from ketenradar.reports.tests.conftest import PoliceChannel

UTC = dt.UTC
CALLER = services.ReporterData(
    name="Mw. De Groot", organisation_name="Basisschool De Linde", phone="070-3334444"
)


def vt_staff(police: PoliceChannel, code: str, name: str) -> Actor:
    user = UserFactory(username=name)
    MembershipFactory(user=user, organisation=police.veilig_thuis, role=Role.objects.get(code=code))
    return Actor(user=user, membership=Membership.objects.get(user=user))


def advice(intake: Actor, **overrides: object) -> Contact:
    """A telephone advice request about a child and her mother; the asker gave no number."""
    fields: dict[str, object] = {
        "actor": intake,
        "kind": ContactKind.ADVICE,
        "channel": Channel.PHONE,
        "reporter_category": ReporterCategory.EDUCATION,
        "received_at": dt.datetime(2026, 11, 16, 10, 0, tzinfo=UTC),
        "persons": [
            (
                ReportedPerson(bsn="234567004", surname="Visser", given_names="Sem"),
                PersonRole.CHILD,
            ),
            (
                ReportedPerson(bsn="234567016", surname="Visser", given_names="Anna"),
                PersonRole.OTHER,
            ),
        ],
        "violence_types": [ViolenceType.CHILD_ABUSE],
        "description": "Juf twijfelt over blauwe plekken.",
        "reporter": services.ReporterData(name="Mw. De Groot"),
        **overrides,
    }
    return services.contact_register(**fields)


@pytest.fixture
def intake(police: PoliceChannel) -> Actor:
    return vt_staff(police, RoleCode.VT_INTAKE, "intake")


def test_an_advice_request_becomes_a_report_about_the_same_persons(intake: Actor) -> None:
    asked = advice(intake)
    persons_before = Person.objects.count()
    moment = dt.datetime(2026, 11, 18, 14, 0, tzinfo=UTC)
    with clock.at(moment):
        report = services.advice_convert(
            actor=intake,
            advice=asked,
            reporter=CALLER,
            violence_types=[ViolenceType.CHILD_ABUSE],
            structural_indication=True,
            description="Nieuwe blauwe plekken; juf meldt nu.",
        )

    assert report.kind == ContactKind.REPORT
    assert report.converted_from == asked
    assert asked.converted_to == report
    assert (report.channel, report.reporter_category) == (Channel.PHONE, ReporterCategory.EDUCATION)
    assert report.received_at == moment  # the assessment's deadline runs from the report
    assert Person.objects.count() == persons_before  # the advice's persons, not new ones
    assert sorted((cp.person_id, cp.role) for cp in report.persons.all()) == sorted(
        (cp.person_id, cp.role) for cp in asked.persons.all()
    )
    # the advice request it came from is the same contact, not earlier involvement
    assert report.earlier_involvement == EarlierInvolvement.FIRST
    assert report.dossier is not None and report.dossier.state == DossierState.ASSESSMENT
    assert Reporter.objects.get(contact=report).phone == "070-3334444"
    assert Reporter.objects.get(contact=report).user is None  # intake typed it in

    logged = AuditEvent.objects.filter(
        object_type="reports.contact", object_id=asked.uuid.hex, action="update"
    )
    assert {e.person_id for e in logged} == {cp.person_id for cp in asked.persons.all()}
    assert {e.detail["converted_to"] for e in logged} == {report.uuid.hex}
    created = AuditEvent.objects.filter(object_id=report.uuid.hex, action="create")
    assert {e.detail["converted_from"] for e in created} == {asked.uuid.hex}


def test_an_earlier_advice_request_still_makes_a_repeat_report(intake: Actor) -> None:
    """Only the converted advice request itself is not earlier involvement."""
    advice(intake, received_at=dt.datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    asked = advice(intake)
    report = services.advice_convert(
        actor=intake, advice=asked, reporter=CALLER, violence_types=[ViolenceType.CHILD_ABUSE]
    )
    assert report.earlier_involvement == EarlierInvolvement.REPEAT


def test_converting_twice_is_refused(intake: Actor) -> None:
    asked = advice(intake)
    services.advice_convert(actor=intake, advice=asked, reporter=CALLER)
    with pytest.raises(ValidationError, match="al een melding"):
        services.advice_convert(actor=intake, advice=asked, reporter=CALLER)
    assert Contact.objects.filter(kind=ContactKind.REPORT).count() == 1


def test_only_an_advice_request_is_converted(intake: Actor) -> None:
    asked = advice(intake)
    report = services.advice_convert(actor=intake, advice=asked, reporter=CALLER)
    with pytest.raises(ValidationError, match="Alleen een adviesvraag"):
        services.advice_convert(actor=intake, advice=report, reporter=CALLER)


def test_a_report_needs_an_identifiable_reporter(intake: Actor) -> None:
    asked = advice(intake)
    with pytest.raises(ValidationError, match="herkenbare melder"):
        services.advice_convert(
            actor=intake, advice=asked, reporter=services.ReporterData(name="Mw. De Groot")
        )
    assert not hasattr(Contact.objects.get(pk=asked.pk), "converted_to")


def test_an_anonymous_advice_request_becomes_a_report_when_the_persons_are_named(
    intake: Actor,
) -> None:
    asked = advice(intake, persons=[], reporter=None)
    with pytest.raises(ValidationError, match="ten minste één betrokkene"):
        services.advice_convert(actor=intake, advice=asked, reporter=CALLER)
    report = services.advice_convert(
        actor=intake,
        advice=asked,
        reporter=CALLER,
        persons=[(ReportedPerson(bsn="123456782", surname="Visser"), PersonRole.CHILD)],
    )
    assert [cp.person.bsn for cp in report.persons.all()] == ["123456782"]


def test_only_veilig_thuis_staff_of_the_advice_requests_own_veilig_thuis_convert(
    intake: Actor, world: World
) -> None:
    asked = advice(intake)
    for outsider in (
        world.actor(RoleCode.CHAIN_PARTNER, "involved"),
        world.actor(RoleCode.PROFESSIONAL, "involved"),
        world.actor(RoleCode.VT_INTAKE, "other_region"),
    ):
        with pytest.raises(PermissionDenied):
            services.advice_convert(actor=outsider, advice=asked, reporter=CALLER)
    assert not Contact.objects.filter(converted_from=asked).exists()


def test_a_web_form_typed_in_by_intake_is_not_the_intakes_own_report(intake: Actor) -> None:
    contact = services.contact_register(
        actor=intake,
        kind=ContactKind.REPORT,
        channel=Channel.WEB_FORM,
        reporter_category=ReporterCategory.NON_PROFESSIONAL,
        received_at=dt.datetime(2026, 11, 16, 10, 0, tzinfo=UTC),
        persons=[(ReportedPerson(bsn="123456782", surname="Visser"), PersonRole.VICTIM)],
        reporter=services.ReporterData(name="Buurvrouw", email="buur@example.org"),
    )
    assert Reporter.objects.get(contact=contact).user is None


def test_a_moment_of_receipt_in_the_future_is_refused(intake: Actor) -> None:
    with pytest.raises(ValidationError, match=r"future|toekomst"):
        advice(intake, received_at=clock.now() + dt.timedelta(hours=1))
    advice(intake, received_at=clock.now() + dt.timedelta(minutes=2))  # a clock a bit ahead


def test_staff_of_a_second_veilig_thuis_in_the_region_register_at_their_own(
    intake: Actor, police: PoliceChannel
) -> None:
    second = OrganisationFactory(
        region=police.veilig_thuis.region, name="Veilig Thuis Zuid", type="veilig_thuis"
    )
    assert second.type == OrganisationType.VEILIG_THUIS
    user = UserFactory(username="intake-zuid")
    MembershipFactory(user=user, organisation=second, role=Role.objects.get(code="vt_intake"))
    other = Actor(user=user, membership=Membership.objects.get(user=user))
    assert advice(other).organisation == second
    assert advice(intake).organisation == police.veilig_thuis
