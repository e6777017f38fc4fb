"""The refresh is incremental: a second run reads and writes only what changed."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

import pytest

from ketenradar.accounts.actor import Actor
from ketenradar.monitor import pseudonyms
from ketenradar.monitor.models import (
    ContactFact,
    DossierFact,
    MonitoringFact,
    PersonContactFact,
    Watermark,
)
from ketenradar.monitor.services import facts_refresh
from ketenradar.monitor.tests.conftest import Desk, moment, person
from ketenradar.reports.constants import AssessmentDecision, DossierState, MonitoringOutcome
from ketenradar.reports.models import Contact


@pytest.fixture(autouse=True)
def _no_overlap(settings: Any) -> None:
    settings.KETENRADAR_ANALYTICS_REFRESH_OVERLAP_SECONDS = 0


def test_first_refresh_builds_every_fact(desk: Desk) -> None:
    first = desk.report(moment("2026-03-02"), [person(1), person(2)])
    desk.advice(moment("2026-03-03"))
    assert first.dossier is not None
    desk.decide(first.dossier, moment("2026-03-05"), AssessmentDecision.CONDITIONS)
    desk.move(first.dossier, moment("2026-04-01"), DossierState.MONITORING)

    result = desk.refresh()

    assert result.written == {
        "contact_facts": 2,
        "person_contact_facts": 2,
        "dossier_facts": 1,
        "monitoring_facts": 3,
    }
    fact = DossierFact.objects.get()
    assert fact.dossier_key == pseudonyms.dossier_key(first.dossier.pk)
    assert fact.decision == AssessmentDecision.CONDITIONS
    assert fact.within_deadline is True
    assert fact.state == DossierState.MONITORING
    assert sorted(MonitoringFact.objects.values_list("months", flat=True)) == [3, 12, 18]
    assert set(Watermark.objects.values_list("source", flat=True)) >= {
        "contacts",
        "dossiers",
        "assessments",
        "investigations",
        "monitoring",
    }


def test_second_refresh_touches_only_the_new_report_and_the_changed_dossier(desk: Desk) -> None:
    old = [desk.report(moment(f"2026-03-0{i}"), [person(i)]) for i in range(2, 7)]
    desk.refresh()
    before = {
        model: set(model.objects.values_list("pk", flat=True))
        for model in (ContactFact, PersonContactFact, DossierFact)
    }

    nothing = desk.refresh()
    assert dict(nothing.written) == {}
    assert set(nothing.read.values()) == {0}

    new = desk.report(moment("2026-03-09"), [person(20), person(21)])
    result = desk.refresh()

    assert dict(result.written) == {
        "contact_facts": 1,
        "person_contact_facts": 2,
        "dossier_facts": 1,
    }
    assert result.read["contacts"] == 1
    assert result.read["dossiers"] == 1
    # the facts of the old reports were left alone (same rows)
    for model, pks in before.items():
        assert pks <= set(model.objects.values_list("pk", flat=True))
    assert ContactFact.objects.filter(contact_key=pseudonyms.contact_key(new.pk)).exists()

    # a changed dossier: its fact, and only its fact, is rewritten
    dossier = old[0].dossier
    assert dossier is not None
    desk.decide(dossier, moment("2026-03-20"), AssessmentDecision.HANDOVER)
    with CaptureQueriesContext(connection) as queries:
        changed = desk.refresh()
    assert dict(changed.written) == {"dossier_facts": 1, "monitoring_facts": 3}
    assert changed.read["contacts"] == 0
    fact = DossierFact.objects.get(dossier_key=pseudonyms.dossier_key(dossier.pk))
    assert fact.decision == AssessmentDecision.HANDOVER
    assert fact.within_deadline is False  # 2026-03-02 + 5 working days = 2026-03-09
    assert fact.state == DossierState.MONITORING
    assert len(queries) < 40

    desk.monitor(dossier, 3, moment("2026-06-21"), MonitoringOutcome.SAFE)
    recorded = desk.refresh()
    assert dict(recorded.written) == {"monitoring_facts": 1}
    assert MonitoringFact.objects.get(months=3).outcome == MonitoringOutcome.SAFE


def test_only_a_system_process_refreshes(desk: Desk) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        facts_refresh(actor=desk.actor)
    assert facts_refresh(actor=Actor.system("system:refresh_facts")).written == {}


def test_the_command(desk: Desk, capsys: pytest.CaptureFixture[str]) -> None:
    from django.core.management import call_command

    desk.report(moment("2026-03-02"), [person(1)])
    call_command("refresh_facts")
    assert "contact_facts 1" in capsys.readouterr().out


def test_batches_give_the_same_facts(desk: Desk, monkeypatch: pytest.MonkeyPatch) -> None:
    from ketenradar.monitor import services

    monkeypatch.setattr(services, "CHUNK", 2)
    contacts = [
        desk.report(moment(f"2026-03-0{i}"), [person(i), person(i + 10)]) for i in range(2, 7)
    ]
    for contact in contacts[:3]:
        assert contact.dossier is not None
        desk.decide(contact.dossier, moment("2026-03-10"), AssessmentDecision.HANDOVER)

    result = desk.refresh()

    assert result.written == {
        "contact_facts": 5,
        "person_contact_facts": 10,
        "dossier_facts": 5,
        "monitoring_facts": 9,
    }
    assert MonitoringFact.objects.exclude(dossier_key="").count() == 9
    assert DossierFact.objects.filter(decision=AssessmentDecision.HANDOVER).count() == 3


def test_the_overlap_rereads_only_what_changed_just_before_the_previous_run(
    desk: Desk, settings: Any
) -> None:
    import datetime as dt

    settings.KETENRADAR_ANALYTICS_REFRESH_OVERLAP_SECONDS = 300
    desk.report(moment("2026-03-02"), [person(1)])
    desk.refresh()
    # everything changed within 5 minutes before that run: read again, to be safe
    assert desk.refresh().read["contacts"] == 1
    # a run an hour after the last change: the next one reads nothing again
    Watermark.objects.update(refreshed_at=F("last_seen") + dt.timedelta(hours=1))
    quiet = desk.refresh()
    assert set(quiet.read.values()) == {0}
    assert dict(quiet.written) == {}
    # a contact whose transaction committed late (created 2 minutes before that run)
    late = desk.report(moment("2026-03-03"), [person(2)])
    seen = Watermark.objects.get(source="contacts").last_seen
    assert seen is not None
    Contact.objects.filter(pk=late.pk).update(created_at=seen - dt.timedelta(minutes=1))
    Watermark.objects.filter(source="contacts").update(refreshed_at=seen + dt.timedelta(minutes=1))
    assert desk.refresh().read["contacts"] == 2  # the late one and the last one seen
    assert ContactFact.objects.filter(contact_key=pseudonyms.contact_key(late.pk)).exists()


def test_a_closed_dossier_fact_holds_the_last_day_of_its_repeat_window(desk: Desk) -> None:
    import datetime as dt

    contact = desk.report(moment("2024-02-27"), [person(1)])
    other = desk.report(moment("2024-02-28"), [person(2)])
    assert contact.dossier is not None and other.dossier is not None
    desk.refresh()
    key = pseudonyms.dossier_key(contact.dossier.pk)
    assert DossierFact.objects.get(dossier_key=key).repeat_until is None  # still open

    desk.close(contact.dossier, moment("2024-02-29"))
    result = desk.refresh()

    assert dict(result.written) == {"dossier_facts": 1}  # only the closed dossier's fact
    fact = DossierFact.objects.get(dossier_key=key)
    assert (fact.closed_on, fact.repeat_until) == (dt.date(2024, 2, 29), dt.date(2025, 2, 28))
    assert (
        DossierFact.objects.get(dossier_key=pseudonyms.dossier_key(other.dossier.pk)).repeat_until
        is None
    )


def test_the_migration_fills_the_repeat_window_as_the_refresh_does() -> None:
    import datetime as dt
    import importlib

    from ketenradar.monitor.selectors import repeat_until

    migration = importlib.import_module(
        "ketenradar.monitor.migrations.0002_kpi_indexes_repeat_until"
    )
    day = dt.date(2023, 1, 1)
    while day < dt.date(2025, 1, 1):
        assert migration._repeat_until(day) == repeat_until(day)
        day += dt.timedelta(days=1)
