"""The demo's Veilig Thuis history, replayed through the services at a small scale: the
volumes and mix follow the region's figures, the services classify, and at the end nothing
with a legal deadline is missing from the work queue."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.core.management import call_command
from django.utils import timezone

import pytest

from ketenradar.accounts.actor import Actor
from ketenradar.accounts.constants import RoleCode
from ketenradar.accounts.models import Membership
from ketenradar.audit.verification import verify_chain
from ketenradar.reports.constants import (
    Channel,
    ContactKind,
    DossierState,
    EarlierInvolvement,
    QueueTab,
)
from ketenradar.reports.models import (
    Contact,
    Dossier,
    DossierTask,
    Investigation,
    MonitoringMoment,
    SafetyAssessment,
)
from ketenradar.reports.tests.conftest import queue_pks, queue_rows

YEARS, SCALE = 0.5, 0.05  # half a year at a twentieth of Haaglanden's volumes


@pytest.mark.django_db
def test_a_replayed_half_year(capsys: pytest.CaptureFixture[str]) -> None:
    """One replay (it takes a while) and what must hold of it."""
    call_command("seed_demo", households=60, history_years=YEARS, history_scale=SCALE)
    out = capsys.readouterr().out
    assert "hermelding" in out  # the command reports the CBS split
    assert "Monitor facts: contact_facts" in out  # and refreshes the monitor's facts
    _volumes_and_mix_follow_the_regions_figures()
    _the_monitor_facts_follow_the_history()
    _nothing_with_a_legal_deadline_is_missing_from_the_queue()


def _the_monitor_facts_follow_the_history() -> None:
    from ketenradar.monitor.models import ContactFact, DossierFact

    assert ContactFact.objects.count() == Contact.objects.count()
    assert DossierFact.objects.count() == Dossier.objects.count()
    # the persons of the demo live in its municipalities: postcode areas find most of them
    reports = ContactFact.objects.filter(kind=ContactKind.REPORT)
    assert reports.filter(municipality__isnull=False).count() > 0.8 * reports.count()


def _vt(role: RoleCode) -> Actor:
    membership = Membership.objects.select_related("role", "organisation").get(role__code=role)
    return Actor(user=membership.user, membership=membership)


def _volumes_and_mix_follow_the_regions_figures() -> None:
    reports = Contact.objects.filter(kind=ContactKind.REPORT)
    advice = Contact.objects.filter(kind=ContactKind.ADVICE)
    expected_reports = 8434 * YEARS * SCALE
    expected_advice = 7408 * YEARS * SCALE
    assert 0.8 * expected_reports < reports.count() < 1.2 * expected_reports
    assert 0.8 * expected_advice < advice.count() < 1.2 * expected_advice
    police = reports.filter(channel=Channel.POLICE).count() / reports.count()
    assert 0.65 < police < 0.85
    earlier = Counter(reports.values_list("earlier_involvement", flat=True))
    assert set(earlier) == set(EarlierInvolvement.values)  # every CBS category occurs
    follow_up = sum(n for c, n in earlier.items() if c.startswith("vervolg")) / reports.count()
    assert 0.15 < follow_up < 0.45
    assert 0.2 < earlier[EarlierInvolvement.REPEAT] / reports.count() < 0.5
    # the work went on: decisions, investigations, monitoring, closures
    assert SafetyAssessment.objects.count() > 50
    assert Investigation.objects.filter(completed_at__isnull=False).exists()
    assert MonitoringMoment.objects.filter(done_at__isnull=False).exists()
    assert Dossier.objects.filter(state=DossierState.CLOSED).exists()
    assert set(Dossier.objects.values_list("state", flat=True)) >= {
        DossierState.ASSESSMENT,
        DossierState.MONITORING,
        DossierState.CLOSED,
    }
    # most, not all, assessments within the legal deadline (the norm is 90%)
    decided = list(SafetyAssessment.objects.select_related("dossier"))
    on_time = sum(a.within_deadline for a in decided) / len(decided)
    assert 0.8 < on_time < 1.0
    assert verify_chain().ok


def _nothing_with_a_legal_deadline_is_missing_from_the_queue() -> None:
    now = timezone.now()
    staff = _vt(RoleCode.VT_PROFESSIONAL)
    in_assessment = queue_rows(staff, QueueTab.ASSESSMENT, now=now)
    assessing = Dossier.objects.filter(state=DossierState.ASSESSMENT)
    assert assessing.exists()
    assert {r.dossier.pk for r in in_assessment if r.dossier} == set(
        assessing.values_list("pk", flat=True)
    )
    assert {r.dossier.pk for r in in_assessment if r.dossier and r.overdue} == set(
        assessing.filter(assessment_due__lt=now).values_list("pk", flat=True)
    )
    open_tasks = DossierTask.objects.filter(done_at__isnull=True, due_at__lte=now)
    assert set(queue_pks(staff, QueueTab.TASKS, now=now)) >= set(
        open_tasks.values_list("pk", flat=True)
    )
    open_moments = MonitoringMoment.objects.filter(done_at__isnull=True, due_at__lte=now)
    assert set(queue_pks(staff, QueueTab.MONITORING, now=now)) >= set(
        open_moments.values_list("pk", flat=True)
    )
    late_investigations = Investigation.objects.filter(
        completed_at__isnull=True, due_at__lte=now
    ).values_list("dossier_id", flat=True)
    assert set(queue_pks(staff, QueueTab.INVESTIGATION, now=now)) >= set(late_investigations)
    # and the past is done: nothing older than a month is still open
    month_ago = now - dt.timedelta(days=31)
    assert not DossierTask.objects.filter(done_at__isnull=True, due_at__lt=month_ago).exists()
    assert not assessing.filter(assessment_due__lt=month_ago).exists()
