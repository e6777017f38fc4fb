"""Notices for the MDA++ core team: referrals waiting for a decision (overdue after
DECISION_DAYS) and conference actions past their date that have not been handed back."""

from __future__ import annotations

import datetime as dt

import time_machine

from ketenradar.core.notices import Severity
from ketenradar.mda import services
from ketenradar.mda.constants import DECISION_DAYS
from ketenradar.mda.selectors import notices_for
from ketenradar.mda.tests.conftest import Mda

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def _kinds(mda: Mda, now: dt.datetime) -> list[tuple[str, str]]:
    return [(n.kind, n.severity) for n in notices_for(actor=mda.member, now=now)]


def test_a_new_referral_waits_for_a_decision_and_becomes_overdue(mda: Mda) -> None:
    with time_machine.travel(START, tick=False):
        referral = mda.refer()
    assert _kinds(mda, START) == [("mda_referral_waiting", Severity.INFO)]
    due = START + dt.timedelta(days=DECISION_DAYS)
    assert _kinds(mda, due - dt.timedelta(days=1)) == [("mda_referral_waiting", Severity.DUE)]
    assert _kinds(mda, due + dt.timedelta(hours=1)) == [("mda_referral_waiting", Severity.OVERDUE)]
    notice = notices_for(actor=mda.member, now=START)[0]
    assert referral.reference in str(notice.title)
    assert str(referral.uuid) in notice.url
    # only for the core team of that MDA++: not another one, not the coordinator
    assert notices_for(actor=mda.other_member, now=START) == []
    assert notices_for(actor=mda.coordinator, now=START) == []
    with time_machine.travel(START + dt.timedelta(days=1), tick=False):
        services.referral_accept(actor=mda.member, referral=referral)
    assert _kinds(mda, due) == []


def test_an_overdue_conference_action_is_a_notice_until_it_is_handed_back(mda: Mda) -> None:
    with time_machine.travel(START, tick=False):
        referral, conference, _item = mda.weighed_and_held()
    action_due = START.date() + dt.timedelta(days=30)
    before = dt.datetime.combine(action_due, dt.time(12), tzinfo=dt.UTC)
    after = before + dt.timedelta(days=1)
    assert _kinds(mda, before) == []
    assert _kinds(mda, after) == [("mda_action_overdue", Severity.OVERDUE)]
    assert str(conference.uuid) in notices_for(actor=mda.member, now=after)[0].url
    assert notices_for(actor=mda.other_member, now=after) == []
    with time_machine.travel(START + dt.timedelta(days=1), tick=False):
        services.plan_hand_back(actor=mda.member, referral=referral)
    assert _kinds(mda, after) == []  # now the coordinator's plan action (care's notices)
