"""A professional walks through the meldcode and reports; only they see their record."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from ketenradar.accounts.constants import RoleCode
from ketenradar.conftest import World, login
from ketenradar.reports.models import Contact, MeldcodeRecord, Reporter
from ketenradar.reports.tests.conftest import PoliceChannel

FORM = {
    "signals": "Kind komt herhaaldelijk met blauwe plekken op school; vertelt over ruzie thuis.",
    "signals_date": "2026-11-16",
    "consulted_colleague": "on",
    "consultation_date": "2026-11-17",
    "conversation_held": "on",
    "conversation_date": "2026-11-18",
    "conversation_notes": "Gesprek met moeder; zij herkent de zorgen.",
    "suspicion": "True",
    "acute_unsafety": "False",
    "structural_unsafety": "True",
    "can_offer_help": "",
    "help_accepted": "",
    "leads_to_safety": "",
    "conclusion": "melden",
    "persoon-TOTAL_FORMS": "3",
    "persoon-INITIAL_FORMS": "0",
    "persoon-0-role": "kind",
    "persoon-0-given_names": "Sem",
    "persoon-0-surname": "Visser",
    "persoon-0-date_of_birth": "2016-05-04",
    "persoon-1-role": "betrokkene",
    "persoon-2-role": "betrokkene",
}


def test_a_teacher_documents_the_meldcode_and_reports(
    world: World, client: Any, police: PoliceChannel
) -> None:
    teacher = world.user(RoleCode.PROFESSIONAL, "other_org")
    login(client, teacher)
    assert client.get(reverse("reports:meldcode_acute")).status_code == 200
    response = client.post(reverse("reports:meldcode_new"), FORM)
    assert response.status_code == 302, response.content.decode()[:3000]
    record = MeldcodeRecord.objects.get()
    assert record.persons[0]["surname"] == "Visser"
    detail = client.get(response["Location"]).content.decode()
    assert 'data-testid="norms">1<' in detail  # structural unsafety: meldnorm 1

    sent = client.post(
        reverse("reports:meldcode_submit", args=[record.uuid]),
        {"kind": "melding", "violence_types": ["kindermishandeling"], "phone": "070-1234567"},
    )
    assert sent.status_code == 302
    contact = Contact.objects.get()
    assert (contact.kind, contact.channel, contact.structural_indication) == (
        "melding",
        "webformulier",
        True,
    )
    assert contact.earlier_involvement == "eerste_melding"
    assert Reporter.objects.get(contact=contact).user == teacher
    record.refresh_from_db()
    assert record.contact == contact
    # sending twice is refused
    client.post(
        reverse("reports:meldcode_submit", args=[record.uuid]),
        {"kind": "melding", "violence_types": ["kindermishandeling"], "phone": "070"},
    )
    assert Contact.objects.count() == 1


def test_nobody_else_sees_a_professionals_record(world: World, client: Any) -> None:
    teacher = world.user(RoleCode.PROFESSIONAL, "other_org")
    login(client, teacher)
    client.post(reverse("reports:meldcode_new"), FORM)
    record = MeldcodeRecord.objects.get()
    client.logout()
    colleague = world.user(RoleCode.PROFESSIONAL, "involved")
    login(client, colleague)
    assert client.get(reverse("reports:meldcode_detail", args=[record.uuid])).status_code == 403
    assert record.uuid.hex not in client.get(reverse("reports:meldcode_start")).content.decode()


def test_no_conversation_needs_a_reason(world: World, client: Any) -> None:
    login(client, world.user(RoleCode.PROFESSIONAL, "other_org"))
    form = {**FORM, "conversation_notes": ""}
    del form["conversation_held"]
    response = client.post(reverse("reports:meldcode_new"), form)
    assert response.status_code == 200
    assert not MeldcodeRecord.objects.exists()
