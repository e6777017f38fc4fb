"""Veilig Thuis's intake registers telephone and chat contacts on a screen; an advice request
has its own page, for its own Veilig Thuis only, and can become a report there."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import translation

import pytest

from ketenradar.accounts.actor import Actor
from ketenradar.accounts.constants import RoleCode
from ketenradar.accounts.models import Role
from ketenradar.audit.models import AuditEvent
from ketenradar.conftest import World, login
from ketenradar.core import clock
from ketenradar.core.tests.factories import AddressFactory, PersonFactory
from ketenradar.persons.models import Person
from ketenradar.reports.constants import ContactKind, EarlierInvolvement
from ketenradar.reports.models import Contact, Reporter
from ketenradar.reports.tests.conftest import PoliceChannel
from ketenradar.reports.tests.test_advice_conversion import vt_staff

UTC = dt.UTC
NOW = dt.datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def intake_form(**overrides: Any) -> dict[str, Any]:
    """A teacher phones in a report about a child and her mother."""
    form = {
        "kind": "melding",
        "channel": "telefoon",
        "reporter_category": "onderwijs",
        "received_at": "2026-11-20T10:15",
        "violence_types": ["kindermishandeling", "ex_partnergeweld"],
        "structural_indication": "on",
        "description": "Kind vertelt over ruzie thuis; moeder had een blauw oog.",
        "persoon-TOTAL_FORMS": "3",
        "persoon-INITIAL_FORMS": "0",
        "persoon-0-role": "kind",
        "persoon-0-given_names": "Sem",
        "persoon-0-surname": "Bakker",
        "persoon-0-date_of_birth": "2016-05-04",
        "persoon-1-role": "slachtoffer",
        "persoon-1-given_names": "Eva",
        "persoon-1-surname": "Bakker",
        "persoon-1-date_of_birth": "1985-03-14",
        "persoon-1-postcode": "2511 bt",
        "persoon-1-house_number": "70",
        "persoon-2-role": "betrokkene",
        "melder-name": "Mw. De Groot",
        "melder-organisation_name": "Basisschool De Linde",
        "melder-function": "leerkracht",
        "melder-phone": "070-3334444",
    }
    form.update(overrides)
    return form


@pytest.fixture
def intake(police: PoliceChannel) -> Actor:
    return vt_staff(police, RoleCode.VT_INTAKE, "intake")


def test_intake_registers_a_phone_report_and_sees_its_dossier_with_the_cbs_category(
    intake: Actor, client: Any
) -> None:
    """Eva Bakker is known (surname, date of birth, postcode): the radar finds her."""
    eva = PersonFactory(given_names="Eva", surname="Bakker", birth_year=1985)
    AddressFactory(person=eva, postcode="2511BT", house_number=70)
    login(client, intake.user)
    page = client.get(reverse("reports:contact_new")).content.decode()
    assert 'name="persoon-0-postcode"' in page and 'name="melder-phone"' in page

    with clock.at(NOW):
        response = client.post(reverse("reports:contact_new"), intake_form(), follow=True)

    contact = Contact.objects.get()
    assert contact.kind == ContactKind.REPORT and contact.dossier is not None
    assert response.redirect_chain == [
        (reverse("reports:dossier_detail", args=[contact.dossier.uuid]), 302)
    ]
    assert contact.received_at == dt.datetime(2026, 11, 20, 9, 15, tzinfo=UTC)  # 10:15 in NL
    assert contact.violence_types == ["ex_partnergeweld", "kindermishandeling"]
    assert contact.structural_indication and not contact.acute_indication
    assert {cp.person.surname for cp in contact.persons.all()} == {"Bakker"}
    assert contact.persons.get(role="slachtoffer").person == eva  # matched, not new
    assert Reporter.objects.get(contact=contact).function == "leerkracht"
    with translation.override("nl"):
        first = str(EarlierInvolvement.FIRST.label)
    assert f'data-testid="classification">{first}<' in response.content.decode()
    assert first in response.content.decode().split('role="status"')[1]  # the message


def test_a_report_without_the_reporters_contact_details_is_refused(
    intake: Actor, client: Any
) -> None:
    login(client, intake.user)
    with clock.at(NOW):
        response = client.post(reverse("reports:contact_new"), intake_form(**{"melder-phone": ""}))
    assert response.status_code == 200
    assert "herkenbare melder met contactgegevens" in response.content.decode()
    assert not Contact.objects.exists()


def test_a_report_names_at_least_one_person(intake: Actor, client: Any) -> None:
    login(client, intake.user)
    unnamed = {f"persoon-{n}-{f}": "" for n in (0, 1) for f in ("given_names", "surname")}
    with clock.at(NOW):
        response = client.post(reverse("reports:contact_new"), intake_form(**unnamed))
    assert "ten minste één betrokkene" in response.content.decode()
    assert not Contact.objects.exists()


def test_the_moment_of_receipt_is_never_in_the_future_and_a_bsn_passes_the_11_proef(
    intake: Actor, client: Any
) -> None:
    login(client, intake.user)
    with clock.at(NOW):
        later = client.post(
            reverse("reports:contact_new"), intake_form(received_at="2026-11-20T14:00")
        )
        wrong_bsn = client.post(
            reverse("reports:contact_new"), intake_form(**{"persoon-0-bsn": "123456789"})
        )
    assert "ligt in de toekomst" in later.content.decode()
    assert "11-proef" in wrong_bsn.content.decode()
    assert not Contact.objects.exists()


def test_an_advice_request_may_stay_anonymous_and_has_its_own_page(
    intake: Actor, client: Any
) -> None:
    login(client, intake.user)
    anonymous = {
        "kind": "advies",
        "channel": "chat",
        "reporter_category": "niet_beroepsmatig",
        "received_at": "2026-11-20T11:00",
        "violence_types": ["onbekend"],
        "description": "Buurvrouw hoort 's nachts geschreeuw.",
        "persoon-TOTAL_FORMS": "1",
        "persoon-INITIAL_FORMS": "0",
        "persoon-0-role": "betrokkene",
    }
    with clock.at(NOW):
        response = client.post(reverse("reports:contact_new"), anonymous, follow=True)
    contact = Contact.objects.get()
    assert (contact.kind, contact.dossier, contact.persons.count()) == ("advies", None, 0)
    assert not Reporter.objects.exists()
    assert response.redirect_chain == [
        (reverse("reports:contact_detail", args=[contact.uuid]), 302)
    ]
    assert "Buurvrouw hoort" in response.content.decode()
    assert 'data-testid="convert"' in response.content.decode()


def _advice(intake: Actor, client: Any) -> Contact:
    login(client, intake.user)
    with clock.at(NOW):
        client.post(reverse("reports:contact_new"), intake_form(kind="advies"))
    client.logout()
    return Contact.objects.get(kind=ContactKind.ADVICE)


@pytest.mark.parametrize(
    ("role", "relation"),
    [
        (RoleCode.CHAIN_PARTNER, "involved"),
        (RoleCode.PROFESSIONAL, "involved"),
        (RoleCode.VT_INTAKE, "other_region"),
    ],
)
def test_the_contact_page_is_refused_outside_its_own_veilig_thuis_and_logged(
    intake: Actor, world: World, client: Any, role: str, relation: str
) -> None:
    advice = _advice(intake, client)
    outsider = world.user(role, relation)
    login(client, outsider)
    assert client.get(reverse("reports:contact_detail", args=[advice.uuid])).status_code == 403
    denied = AuditEvent.objects.filter(
        user=outsider, outcome="denied", object_type="reports.contact", object_id=advice.uuid.hex
    )
    assert {e.person_id for e in denied} == set(advice.persons.values_list("person_id", flat=True))
    assert not AuditEvent.objects.filter(user=outsider, outcome="success").exists()


def test_the_contact_page_logs_every_person_and_shows_the_reporter_only_with_the_right(
    intake: Actor, client: Any
) -> None:
    advice = _advice(intake, client)
    login(client, intake.user)
    url = reverse("reports:contact_detail", args=[advice.uuid])
    page = client.get(url).content.decode()
    assert "Mw. De Groot" in page and "070-3334444" in page
    read = AuditEvent.objects.filter(
        user=intake.user, action="read", object_type="reports.contact", object_id=advice.uuid.hex
    )
    assert {e.person_id for e in read} == set(advice.persons.values_list("person_id", flat=True))
    assert all(e.detail == {"reporter_shown": True} for e in read)

    group = Role.objects.get(code=RoleCode.VT_INTAKE).group
    group.permissions.remove(Permission.objects.get(codename="view_reporter_identity"))
    page = client.get(url).content.decode()
    assert "Mw. De Groot" not in page and "070-3334444" not in page
    assert 'data-testid="convert"' not in page  # registering needs the same right
    latest = AuditEvent.objects.filter(user=intake.user, action="read").order_by("-seq").first()
    assert latest is not None and latest.detail == {"reporter_shown": False}


def test_the_work_queue_links_an_advice_request_to_its_page_and_a_report_to_its_dossier(
    intake: Actor, client: Any
) -> None:
    advice = _advice(intake, client)
    login(client, intake.user)
    with clock.at(NOW):
        client.post(reverse("reports:contact_new"), intake_form())
    report = Contact.objects.get(kind=ContactKind.REPORT)
    assert report.dossier is not None
    with clock.at(NOW):
        page = client.get(reverse("reports:work_queue"), {"tab": "nieuw"}).content.decode()
    new = page.split('data-testid="new-contacts"')[1].split("</table>")[0]
    assert reverse("reports:contact_detail", args=[advice.uuid]) in new
    assert reverse("reports:dossier_detail", args=[report.dossier.uuid]) in new
    assert reverse("reports:contact_new") in page


def test_an_advice_request_becomes_a_report_on_its_page_once(intake: Actor, client: Any) -> None:
    advice = _advice(intake, client)
    login(client, intake.user)
    url = reverse("reports:contact_convert", args=[advice.uuid])
    convert = {
        "violence_types": ["kindermishandeling"],
        "acute_indication": "on",
        "description": "Juf belt terug: nieuw letsel, zij meldt nu.",
        "persoon-TOTAL_FORMS": "1",
        "persoon-INITIAL_FORMS": "0",
        "persoon-0-role": "betrokkene",
        "melder-name": "Mw. De Groot",
        "melder-phone": "",
    }
    refused = client.post(url, convert)
    assert refused.status_code == 200
    assert "herkenbare melder" in refused.content.decode()
    assert not Contact.objects.filter(kind=ContactKind.REPORT).exists()

    persons = Person.objects.count()
    response = client.post(url, {**convert, "melder-phone": "070-3334444"}, follow=True)
    report = Contact.objects.get(kind=ContactKind.REPORT)
    assert report.converted_from == advice and report.acute_indication
    assert report.dossier is not None and report.dossier.acute
    assert Person.objects.count() == persons
    assert response.redirect_chain == [
        (reverse("reports:dossier_detail", args=[report.dossier.uuid]), 302)
    ]

    page = client.get(reverse("reports:contact_detail", args=[advice.uuid])).content.decode()
    assert 'data-testid="converted-to"' in page and 'data-testid="convert"' not in page
    again = client.post(url, {**convert, "melder-phone": "070-3334444"})
    assert "al een melding geworden" in again.content.decode()
    assert Contact.objects.filter(kind=ContactKind.REPORT).count() == 1
