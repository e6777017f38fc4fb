"""The demo region gets MDA++ referrals and two conferences, made through the services."""

from __future__ import annotations

from django.core.management import call_command

import pytest

from ketenradar.audit.models import AuditEvent
from ketenradar.care.models import PlanAction
from ketenradar.mda.constants import ReferralStatus
from ketenradar.mda.models import Conference, ConferenceAction, Referral


@pytest.mark.django_db
def test_the_demo_refers_decides_confers_and_hands_back() -> None:
    call_command("seed_demo", households=60, history_years=0, verbosity=0)
    statuses = sorted(Referral.objects.values_list("status", flat=True))
    assert statuses.count(ReferralStatus.HANDED_BACK) == 3
    assert ReferralStatus.REFERRED in statuses
    assert ReferralStatus.DECLINED in statuses
    assert all(r.mda_organisation.name == "Veiligheidshuis" for r in Referral.objects.all())
    conferences = Conference.objects.all()
    assert conferences.count() == 2
    assert all(c.held_at and c.next_conference_on for c in conferences)
    handed = ConferenceAction.objects.filter(plan_action__isnull=False)
    assert handed.exists()
    assert PlanAction.objects.filter(from_mda=True).count() == handed.count()
    # through the services: each referral has its create event, written by the coordinator
    assert (
        AuditEvent.objects.filter(object_type="mda.referral", action="create", username="regisseur")
        .values("object_id")
        .distinct()
        .count()
        == Referral.objects.count()
    )
