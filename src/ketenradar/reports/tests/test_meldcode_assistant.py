"""A professional walks through the meldcode and reports; only they see their record."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from ketenradar.accounts.actor import Actor
from ketenradar.accounts.constants import RoleCode
from ketenradar.conftest import World, login
from ketenradar.reports import services
from ketenradar.reports.constants import AssessmentDecision, TaskKind, ViolenceType
from ketenradar.reports.models import Contact, Dossier, DossierTask, MeldcodeRecord, Reporter
from ketenradar.reports.tests.conftest import WHY, PoliceChannel

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


def test_the_teacher_sees_feedback_on_their_own_report_and_nothing_of_another_reporter(
    world: World, client: Any, police: PoliceChannel, assessor: Actor, dossier: Dossier
) -> None:
    """The police report about Jansen opened ``dossier``; the teacher's report about the same
    child joins it. Feedback to both reporters is recorded; the teacher sees only their own."""
    teacher = world.user(RoleCode.PROFESSIONAL, "other_org")
    login(client, teacher)
    client.post(
        reverse("reports:meldcode_new"),
        {**FORM, "persoon-0-surname": "Jansen", "persoon-0-bsn": "111222333"},
    )
    record = MeldcodeRecord.objects.get()
    client.post(
        reverse("reports:meldcode_submit", args=[record.uuid]),
        {"kind": "melding", "violence_types": ["kindermishandeling"], "phone": "070-1234567"},
    )
    record.refresh_from_db()
    assert record.contact is not None and record.contact.dossier == dossier
    page = client.get(reverse("reports:meldcode_detail", args=[record.uuid])).content.decode()
    assert 'data-testid="no-feedback"' in page

    services.assessment_decide(
        actor=assessor,
        dossier=dossier,
        decision=AssessmentDecision.CONDITIONS,
        safety_conditions="Geen geweld; hulp via het wijkteam.",
        **WHY,
    )
    for task in DossierTask.objects.filter(kind=TaskKind.FEEDBACK_AFTER_ASSESSMENT):
        said = "Aan school: V&V gestart." if task.contact == record.contact else "Aan politie: V&V."
        services.task_complete(actor=assessor, task=task, content=said)

    page = client.get(reverse("reports:meldcode_detail", args=[record.uuid])).content.decode()
    assert page.count('data-testid="feedback"') == 1
    assert "Aan school: V&amp;V gestart." in page
    assert "Aan politie" not in page and "Agent" not in page and "0900-8844" not in page


def test_feedback_on_the_report_made_of_the_teachers_advice_request_reaches_the_teacher(
    world: World, client: Any, police: PoliceChannel, assessor: Actor
) -> None:
    teacher = world.user(RoleCode.PROFESSIONAL, "other_org")
    login(client, teacher)
    client.post(reverse("reports:meldcode_new"), FORM)
    record = MeldcodeRecord.objects.get()
    client.post(
        reverse("reports:meldcode_submit", args=[record.uuid]),
        {"kind": "advies", "violence_types": ["kindermishandeling"], "phone": "070-1234567"},
    )
    record.refresh_from_db()
    assert record.contact is not None and record.contact.dossier is None
    report = services.advice_convert(
        actor=assessor,
        advice=record.contact,
        reporter=services.ReporterData(name="Juf Bakker", phone="070-1234567"),
        violence_types=[ViolenceType.CHILD_ABUSE],
    )
    assert report.dossier is not None
    services.assessment_decide(
        actor=assessor, dossier=report.dossier, decision=AssessmentDecision.END, **WHY
    )
    task = DossierTask.objects.get(contact=report, kind=TaskKind.FEEDBACK_AFTER_ASSESSMENT)
    services.task_complete(actor=assessor, task=task, content="Aan school: geen vervolg nodig.")
    page = client.get(reverse("reports:meldcode_detail", args=[record.uuid])).content.decode()
    assert page.count('data-testid="feedback"') == 1
    assert "Aan school: geen vervolg nodig." in page
