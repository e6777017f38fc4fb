"""Who sees an order, what the list and the page show and log, and the in-app notices
(extension decision due from day 8, the end of the order), with frozen time."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

import pytest

from ketenradar.access.models import Involvement
from ketenradar.accounts.constants import RoleCode
from ketenradar.audit.models import AuditEvent
from ketenradar.core import clock
from ketenradar.core.notices import Severity
from ketenradar.core.tests.factories import InvolvementFactory
from ketenradar.restraining import selectors, services
from ketenradar.restraining.constants import Capacity, ExtensionOutcome, OrderStatus
from ketenradar.restraining.tests.conftest import T0, Family

DAY = dt.timedelta(days=1)


def extension_notices(family: Family) -> list[Any]:
    return [
        n
        for n in selectors.notices_for(actor=family.vt, now=clock.now())
        if n.kind == "restraining_extension_due"
    ]


def test_on_day_7_no_extension_decision_is_due(family: Family, frozen: Any) -> None:
    family.register()
    frozen.move_to(T0 + 6 * DAY + dt.timedelta(hours=23))
    assert extension_notices(family) == []


def test_on_day_8_the_extension_decision_is_due(family: Family, frozen: Any) -> None:
    order = family.register()
    frozen.move_to(T0 + 7 * DAY + dt.timedelta(hours=1))
    [notice] = extension_notices(family)
    assert notice.severity == Severity.DUE
    assert notice.due_at == order.advice_due
    assert notice.url == f"/huisverboden/{order.uuid}/"
    assert "Boer" not in str(notice.title)  # no names in a notice


def test_after_day_8_the_extension_decision_is_overdue(family: Family, frozen: Any) -> None:
    family.register()
    frozen.move_to(T0 + 8 * DAY + dt.timedelta(minutes=1))
    [notice] = extension_notices(family)
    assert notice.severity == Severity.OVERDUE


def test_a_recorded_decision_ends_the_extension_notice(family: Family, frozen: Any) -> None:
    order = family.register()
    frozen.move_to(T0 + 8 * DAY + dt.timedelta(hours=1))
    services.extension_decide(
        actor=family.vt,
        order=order,
        outcome=ExtensionOutcome.NOT_EXTENDED,
        decided_at=T0 + 8 * DAY,
        decided_by_capacity=Capacity.MAYOR,
        decided_by_name="Burgemeester",
    )
    assert extension_notices(family) == []


def test_after_day_10_without_extension_the_order_has_ended(family: Family, frozen: Any) -> None:
    order = family.register()
    frozen.move_to(T0 + 9 * DAY + dt.timedelta(hours=23))
    ends = selectors.notices_for(actor=family.vt, now=clock.now())
    assert [n.kind for n in ends] == ["restraining_extension_due", "restraining_order_ends"]
    assert ends[1].severity == Severity.DUE
    assert order.is_running(clock.now())
    frozen.move_to(T0 + 10 * DAY)
    order.refresh_from_db()
    assert order.status_at(clock.now()) == OrderStatus.ENDED
    assert not order.is_running(clock.now())
    assert selectors.notices_for(actor=family.vt, now=clock.now()) == []


def test_the_order_ends_notice_is_to_do_until_two_days_before(family: Family, frozen: Any) -> None:
    family.register()
    frozen.move_to(T0 + DAY)
    [notice] = selectors.notices_for(actor=family.vt, now=clock.now())
    assert (notice.kind, notice.severity) == ("restraining_order_ends", Severity.INFO)


def test_a_withdrawn_order_gives_no_notices(family: Family, frozen: Any) -> None:
    order = family.register()
    services.order_status_change(
        actor=family.vt,
        order=order,
        to=OrderStatus.WITHDRAWN,
        decided_by_capacity=Capacity.MAYOR,
        decided_by_name="Burgemeester",
        reason="Gevaar geweken",
    )
    frozen.move_to(T0 + 8 * DAY)
    assert selectors.notices_for(actor=family.vt, now=clock.now()) == []


def test_notices_only_for_orders_the_actor_may_see(family: Family, frozen: Any) -> None:
    family.register()
    frozen.move_to(T0 + 8 * DAY)
    elsewhere = family.world.actor(RoleCode.VT_TEAM_LEAD, "other_org")
    policy_officer = family.world.actor(RoleCode.POLICY_OFFICER)
    assert selectors.notices_for(actor=elsewhere, now=clock.now()) == []
    assert selectors.notices_for(actor=policy_officer, now=clock.now()) == []


# who sees an order


def test_the_recording_organisation_sees_the_order(family: Family) -> None:
    order = family.register()
    # a colleague at the recording Veilig Thuis, not involved with any of the persons
    same_org = family.world.actor(RoleCode.VT_PROFESSIONAL, "involved")
    assert [o.pk for o in selectors.order_list(actor=same_org, now=T0)] == [order.pk]


def test_an_organisation_involved_with_the_removed_person_sees_the_order(family: Family) -> None:
    order = family.register()
    coordinator = family.world.actor(RoleCode.CASE_COORDINATOR, "other_org")
    assert selectors.order_list(actor=coordinator, now=T0) == []
    InvolvementFactory(person=family.father, organisation=coordinator.organisation)
    detail = selectors.order_detail(actor=coordinator, order_uuid=order.uuid)
    # the coordinator sees the father only: the others are counted, never named
    assert [p.person for p in detail.persons] == [family.father]
    assert detail.hidden_persons == 2
    read = AuditEvent.objects.filter(
        object_type="restraining.restrainingorder", action="read", user_id=coordinator.user.pk
    )
    assert {e.person_id for e in read} == {family.father.pk}


def test_involvement_with_a_remaining_person_only_is_not_enough(family: Family) -> None:
    order = family.register()
    coordinator = family.world.actor(RoleCode.CASE_COORDINATOR, "other_org")
    InvolvementFactory(person=family.mother, organisation=coordinator.organisation)
    with pytest.raises(PermissionDenied):
        selectors.order_detail(actor=coordinator, order_uuid=order.uuid)


def test_a_refused_order_is_logged_for_its_persons_and_an_unknown_one_is_404(
    family: Family,
) -> None:
    order = family.register()
    partner = family.world.actor(RoleCode.CHAIN_PARTNER)
    with pytest.raises(PermissionDenied):
        selectors.order_detail(actor=partner, order_uuid=order.uuid)
    denied = AuditEvent.objects.filter(outcome="denied", object_id=order.uuid.hex)
    assert {e.person_id for e in denied} == {family.father.pk, family.mother.pk, family.child.pk}
    with pytest.raises(Http404):
        selectors.order_detail(actor=family.vt, order_uuid="7d3c4c9e-5a4e-4d1f-9c1b-000000000000")


def test_a_chain_partner_involved_with_the_removed_person_still_sees_no_order(
    family: Family,
) -> None:
    """Least privilege: the permission is for Veilig Thuis and the case coordinator."""
    order = family.register()
    partner = family.world.actor(RoleCode.CHAIN_PARTNER)
    InvolvementFactory(person=family.father, organisation=partner.organisation)
    with pytest.raises(PermissionDenied):
        selectors.order_list(actor=partner, now=T0)
    with pytest.raises(PermissionDenied):
        selectors.order_detail(actor=partner, order_uuid=order.uuid)


def test_the_list_puts_running_orders_first_soonest_end_first_and_logs_its_persons(
    family: Family, frozen: Any
) -> None:
    old = family.register(imposed_at=T0 - 30 * DAY)
    early = family.register(imposed_at=T0 - 5 * DAY)
    late = family.register(imposed_at=T0 - DAY)
    listed = selectors.order_list(actor=family.vt, now=clock.now())
    assert [o.pk for o in listed] == [early.pk, late.pk, old.pk]
    assert AuditEvent.objects.filter(
        action="list", object_type="restraining.restrainingorder", person_id=family.child.pk
    ).exists()


def test_an_ended_involvement_ends_the_view(family: Family, frozen: Any) -> None:
    order = family.register()
    coordinator = family.world.actor(RoleCode.CASE_COORDINATOR, "other_org")
    InvolvementFactory(
        person=family.father, organisation=coordinator.organisation, ended_at=T0 + DAY
    )
    assert selectors.order_detail(actor=coordinator, order_uuid=order.uuid).order == order
    frozen.move_to(T0 + 2 * DAY)
    assert Involvement.objects.filter(organisation=coordinator.organisation).exists()
    with pytest.raises(PermissionDenied):
        selectors.order_detail(actor=coordinator, order_uuid=order.uuid)
