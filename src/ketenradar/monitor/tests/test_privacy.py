"""No fact holds a name, BSN, address, date of birth or free text of any person."""

from __future__ import annotations

import datetime as dt

from django.forms.models import model_to_dict

from ketenradar.monitor.models import ContactFact, DossierFact, MonitoringFact, PersonContactFact
from ketenradar.monitor.tests.conftest import Desk, moment, person
from ketenradar.persons.models import Address, Person
from ketenradar.reports.constants import AssessmentDecision, MonitoringOutcome
from ketenradar.reports.models import Contact


def test_facts_hold_nothing_that_identifies_a_person(desk: Desk) -> None:
    first = desk.report(
        moment("2026-02-02"),
        [
            person(1, postcode="2511BT", house_number=7, street="Spui", city="Den Haag"),
            person(2, postcode="2611AB", house_number=3, street="Markt", city="Delft"),
        ],
        description="Buren horen geschreeuw bij Voornaam1 Achternaam1.",
    )
    desk.report(moment("2026-02-03"), [person(3)], description="Leerkracht ziet blauwe plekken.")
    desk.advice(moment("2026-02-04"), description="Anonieme vraag over een buurjongen.")
    assert first.dossier is not None
    desk.decide(first.dossier, moment("2026-02-05"), AssessmentDecision.HANDOVER)
    desk.monitor(first.dossier, 3, moment("2026-05-06"), MonitoringOutcome.SAFE)
    desk.refresh()

    secrets: set[str] = set()
    for p in Person.objects.all():
        secrets |= {p.given_names, p.surname, str(p.bsn)}
        if p.birth_year and p.birth_month and p.birth_day:
            born = dt.date(p.birth_year, p.birth_month, p.birth_day)
            secrets |= {born.isoformat(), born.strftime("%d-%m-%Y"), born.strftime("%Y%m%d")}
    for a in Address.objects.all():
        secrets |= {a.postcode, a.postcode_display, a.street, a.one_line}
    for c in Contact.objects.all():
        secrets |= {c.description, c.uuid.hex, str(c.uuid)}
        if hasattr(c, "reporter"):
            secrets |= {c.reporter.name, c.reporter.phone}
    secrets = {s for s in secrets if s and s != "None"}
    assert len(secrets) > 20

    rows = 0
    for model in (ContactFact, PersonContactFact, DossierFact, MonitoringFact):
        for fact in model.objects.all():
            rows += 1
            for name, value in model_to_dict(fact).items():
                text = str(value)
                leaked = {s for s in secrets if s in text}
                assert not leaked, f"{model.__name__}.{name} holds {leaked}"
    assert rows == 3 + 3 + 2 + 3
    # the person keys are not the internal ids
    ids = {str(pk) for pk in Person.objects.values_list("pk", flat=True)}
    assert not ids & set(PersonContactFact.objects.values_list("person_key", flat=True))
