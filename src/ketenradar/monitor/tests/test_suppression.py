"""Small counts are suppressed in everything a policy officer sees."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied

import pytest

from ketenradar.accounts.constants import RoleCode
from ketenradar.conftest import World
from ketenradar.monitor import selectors, suppression
from ketenradar.monitor.selectors import Scope
from ketenradar.monitor.tests.conftest import Desk, moment, person
from ketenradar.reports.constants import AssessmentDecision, ReporterCategory

MARCH = {"start": dt.date(2026, 3, 1), "end": dt.date(2026, 3, 31)}


def test_the_helper(settings: Any) -> None:
    assert suppression.count(0) == 0  # nobody: nothing to protect
    assert [suppression.count(n) for n in (1, 9, 10)] == ["<10", "<10", 10]
    assert suppression.count(3, suppress=False) == 3
    assert suppression.share(1, 9) == "<10"  # a small denominator
    assert suppression.share(1, 10) == 0.1
    assert suppression.share(0, 0) is None
    assert suppression.share(1, 3) == "<10"
    # unsuppressed (a professional's own figures): any denominator, unrounded (the
    # outputs round once, half up: monitor/numbers.py)
    assert suppression.share(1, 3, suppress=False) == 1 / 3
    assert suppression.share(2, 3, suppress=False, digits=1) == 0.7
    assert suppression.share(0, 0, suppress=False) is None
    settings.KETENRADAR_SMALL_COUNT_THRESHOLD = 5
    assert suppression.count(4) == "<5" and suppression.count(5) == 5
    assert suppression.share(4, 5) == 0.8


def _history(desk: Desk, n: int) -> None:
    for i in range(n):
        contact = desk.report(moment("2026-03-02"), [person(i)])
        assert contact.dossier is not None
        desk.decide(contact.dossier, moment("2026-03-04"), AssessmentDecision.END)
    desk.refresh()


def test_a_policy_officer_sees_small_counts_suppressed(
    desk: Desk, world: World, settings: Any
) -> None:
    _history(desk, 4)
    officer = world.actor(RoleCode.POLICY_OFFICER, "other_org")
    scope = Scope(region=world.region)
    seen = selectors.kpis(actor=officer, scope=scope, as_of=dt.date(2027, 6, 1), **MARCH)
    assert seen["volumes"]["reports"]["count"] == "<10"
    assert seen["volumes"]["reports"]["per_10000"] == "<10"
    assert seen["volumes"]["advice_requests"]["count"] == 0
    assert seen["reports"]["police_share"] == "<10"
    assert seen["reports"]["by_reporter"][ReporterCategory.JUSTICE_SECURITY] == {
        "count": "<10",
        "share": "<10",
    }
    assert seen["timeliness"]["assessments"]["share"] == "<10"
    assert seen["timeliness"]["assessments"]["meets_norm"] is None
    assert seen["repeat"] == {
        "closed": "<10",
        "not_yet_followed": 0,
        "followed": "<10",
        "repeated": 0,
        "share": "<10",
    }
    # every number a policy officer gets is 0, 10 or more, or a share over 10 or more
    settings.KETENRADAR_SMALL_COUNT_THRESHOLD = 3
    lower = selectors.kpis(actor=officer, scope=scope, as_of=dt.date(2027, 6, 1), **MARCH)
    assert lower["volumes"]["reports"]["count"] == 4
    assert lower["timeliness"]["assessments"]["share"] == 1.0
    assert lower["timeliness"]["assessments"]["meets_norm"] is True


def test_no_count_below_the_threshold_reaches_a_policy_officer(desk: Desk, world: World) -> None:
    _history(desk, 12)
    officer = world.actor(RoleCode.POLICY_OFFICER, "other_org")
    seen = selectors.kpis(
        actor=officer, scope=Scope(region=world.region), as_of=dt.date(2027, 6, 1), **MARCH
    )

    def numbers(value: Any) -> list[int]:
        if isinstance(value, dict):
            return [n for v in value.values() for n in numbers(v)]
        if isinstance(value, (list, tuple)):
            return [n for v in value for n in numbers(v)]
        return [value] if isinstance(value, int) and not isinstance(value, bool) else []

    counts = numbers(seen)
    assert 12 in counts
    assert all(n == 0 or n >= 10 or n in (3, 12, 18) for n in counts)  # months are keys only


def test_unsuppressed_figures_and_other_regions_are_refused(desk: Desk, world: World) -> None:
    officer = world.actor(RoleCode.POLICY_OFFICER, "other_org")
    with pytest.raises(PermissionDenied):
        selectors.volumes(
            actor=officer, scope=Scope(region=world.region), suppressed=False, **MARCH
        )
    with pytest.raises(PermissionDenied):
        selectors.volumes(actor=officer, scope=Scope(region=world.other_region), **MARCH)
    outsider = world.actor(RoleCode.PROFESSIONAL, "other_org")
    with pytest.raises(PermissionDenied):
        selectors.volumes(actor=outsider, scope=Scope(region=world.region), **MARCH)
