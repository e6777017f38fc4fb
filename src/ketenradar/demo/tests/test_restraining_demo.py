"""The demo's restraining orders: a dozen across the municipalities, in every state, made
through the services; seeding again adds none."""

from __future__ import annotations

import datetime as dt

from django.core.management import call_command
from django.utils import timezone

import pytest

from ketenradar.regions.models import Region
from ketenradar.restraining.constants import OrderStatus
from ketenradar.restraining.models import ExtensionDecision, RestrainingOrder
from ketenradar.restraining.selectors import counts_by_area


@pytest.mark.django_db
def test_the_demo_has_a_dozen_orders_in_every_state() -> None:
    call_command("seed_demo", households=300, history_years=0, verbosity=0)
    orders = RestrainingOrder.objects.all()
    assert orders.count() == 12
    now = timezone.now()
    states = {o.status_at(now) for o in orders}
    assert states == {
        OrderStatus.IMPOSED,
        OrderStatus.EXTENDED,
        OrderStatus.ENDED,
        OrderStatus.WITHDRAWN,
    }
    assert orders.filter(help__isnull=False).distinct().count() >= 10
    assert orders.filter(safety_plans__isnull=False).distinct().count() >= 8
    assert ExtensionDecision.objects.filter(decided_by_capacity="burgemeester").count() == 4
    assert orders.values("municipality").distinct().count() >= 3
    region = Region.objects.get(code="haaglanden")
    counts = counts_by_area(
        region=region, start=now.date() - dt.timedelta(days=365), end=now.date()
    )
    assert counts.imposed == 12
    call_command("seed_demo", households=300, history_years=0, verbosity=0)
    assert RestrainingOrder.objects.count() == 12
