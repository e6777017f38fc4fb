"""Feedback and informing are tasks with deadlines; monitoring follows at 3, 12 and 18
months; the work queue finds each of them when the clock moves on."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError

import pytest

from ketenradar.accounts.actor import Actor
from ketenradar.reports import services
from ketenradar.reports.constants import (
    AssessmentDecision,
    DossierState,
    MonitoringOutcome,
    QueueTab,
    TaskKind,
)
from ketenradar.reports.models import Dossier, DossierTask
from ketenradar.reports.tests.conftest import WHY, queue_pks, queue_rows

UTC = dt.UTC


def _moments(actor: Actor, now: dt.datetime) -> list[int]:
    """The months of the monitoring moments on the work queue's monitoring tab."""
    return [r.moment.months for r in queue_rows(actor, QueueTab.MONITORING, now=now) if r.moment]


def test_a_report_owes_informing_within_four_weeks_extendable_by_two(
    assessor: Actor, dossier: Dossier
) -> None:
    task = DossierTask.objects.get(dossier=dossier, kind=TaskKind.INFORM_PERSONS)
    contact = task.contact
    assert task.due_at == contact.received_at + dt.timedelta(weeks=4)
    with pytest.raises(ValidationError):
        services.informing_extend(actor=assessor, task=task, reason=" ")
    services.informing_extend(
        actor=assessor, task=task, reason="Informeren brengt het onderzoek in gevaar."
    )
    services.informing_extend(
        actor=assessor, task=task, reason="Nog steeds: pleger mag het niet weten."
    )
    task.refresh_from_db()
    assert task.due_at == contact.received_at + dt.timedelta(weeks=8)
    assert len(task.extensions) == 2
    services.task_complete(actor=assessor, task=task, content="Moeder telefonisch geïnformeerd.")
    with pytest.raises(ValidationError):
        services.informing_extend(actor=assessor, task=task, reason="te laat")


def test_feedback_is_owed_after_the_assessment_and_recorded(
    assessor: Actor, dossier: Dossier
) -> None:
    services.assessment_decide(
        actor=assessor,
        dossier=dossier,
        decision=AssessmentDecision.CONDITIONS,
        safety_conditions="Geen geweld.",
        **WHY,
    )
    task = DossierTask.objects.get(dossier=dossier, kind=TaskKind.FEEDBACK_AFTER_ASSESSMENT)
    assert task.due_at > dt.datetime.now(tz=UTC)
    with pytest.raises(ValidationError):
        services.task_complete(actor=assessor, task=task, content="")
    services.task_complete(
        actor=assessor, task=task, content="Politie: V&V gestart met het wijkteam."
    )
    task.refresh_from_db()
    assert task.done_at is not None


def test_monitoring_moments_and_the_clock(assessor: Actor, dossier: Dossier) -> None:
    services.assessment_decide(
        actor=assessor,
        dossier=dossier,
        decision=AssessmentDecision.CONDITIONS,
        safety_conditions="Geen geweld.",
        **WHY,
    )
    services.dossier_move(actor=assessor, dossier=dossier, to=DossierState.MONITORING)
    moments = list(dossier.monitoring_moments.order_by("due_at"))
    assert [m.months for m in moments] == [3, 12, 18]
    now = dt.datetime.now(tz=UTC)
    assert _moments(assessor, now) == []
    later = now + dt.timedelta(days=92)
    assert _moments(assessor, later) == [3]
    with pytest.raises(ValidationError):
        services.monitoring_record(
            actor=assessor,
            moment=moments[0],
            outcome=MonitoringOutcome.UNSAFE,
            note="Nieuwe incidenten.",
        )
    services.monitoring_record(
        actor=assessor,
        moment=moments[0],
        outcome=MonitoringOutcome.SAFE,
        note="Afspraken worden nagekomen.",
    )
    assert _moments(assessor, later) == []


def test_overdue_informing_appears_in_the_queue(assessor: Actor, dossier: Dossier) -> None:
    task = DossierTask.objects.get(dossier=dossier, kind=TaskKind.INFORM_PERSONS)
    assert task.pk not in queue_pks(
        assessor, QueueTab.TASKS, now=task.due_at - dt.timedelta(days=10)
    )
    assert task.pk in queue_pks(assessor, QueueTab.TASKS, now=task.due_at + dt.timedelta(minutes=1))
