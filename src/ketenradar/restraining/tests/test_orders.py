"""Recording an order and its course: the persons, who decides, the 28 days, the state
machine; every write in the access log."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError

import pytest

from ketenradar.access.models import Involvement
from ketenradar.accounts.constants import RoleCode
from ketenradar.audit.models import AuditEvent
from ketenradar.core.tests.factories import OrganisationFactory, PersonFactory
from ketenradar.restraining import deadlines, services
from ketenradar.restraining.constants import (
    Capacity,
    ExtensionOutcome,
    OrderStatus,
    PersonRole,
)
from ketenradar.restraining.models import ExtensionDecision, RestrainingOrder
from ketenradar.restraining.tests.conftest import AMS, T0, Family

DAY = dt.timedelta(days=1)


def extend(family: Family, order: RestrainingOrder, **overrides: Any) -> ExtensionDecision:
    kwargs: dict[str, Any] = {
        "actor": family.vt,
        "order": order,
        "outcome": ExtensionOutcome.EXTENDED,
        "decided_at": order.imposed_at + 7 * DAY,
        "decided_by_capacity": Capacity.MAYOR,
        "decided_by_name": "Burgemeester J. van Zanen",
        "new_end": deadlines.latest_end(order.imposed_at),
        **overrides,
    }
    return services.extension_decide(**kwargs)


# recording


def test_recording_an_order_sets_its_end_and_involves_the_recording_organisation(
    family: Family,
) -> None:
    order = family.register()
    assert order.status == OrderStatus.IMPOSED
    assert order.ends_at == dt.datetime(2026, 11, 12, 14, 0, tzinfo=AMS)
    assert {(p.person_id, p.role) for p in order.persons.all()} == {
        (family.father.pk, PersonRole.REMOVED),
        (family.mother.pk, PersonRole.REMAINING),
        (family.child.pk, PersonRole.CHILD),
    }
    created = AuditEvent.objects.filter(object_type="restraining.restrainingorder", action="create")
    assert {e.person_id for e in created} == {family.father.pk, family.mother.pk, family.child.pk}


def test_recording_involves_the_organisation_where_only_the_professional_was(
    family: Family,
) -> None:
    # the child was visible to the professional personally, not to the organisation
    Involvement.objects.filter(person=family.child).update(user=family.vt.user)
    order = family.register()
    involvement = Involvement.objects.get(person=family.child, user__isnull=True)
    assert involvement.organisation == family.vt.organisation
    assert involvement.source_id == order.uuid.hex
    assert "huisverbod" in involvement.purpose.lower()


def test_a_role_without_the_permission_cannot_record(family: Family) -> None:
    partner = family.world.actor(RoleCode.CHAIN_PARTNER)
    with pytest.raises(PermissionDenied):
        family.register(actor=partner)


def test_exactly_one_person_is_removed_from_the_home(family: Family) -> None:
    with pytest.raises(ValidationError, match="exactly one person removed"):
        family.register(
            persons=[(family.father, PersonRole.REMOVED), (family.mother, PersonRole.REMOVED)]
        )
    with pytest.raises(ValidationError, match="exactly one person removed"):
        family.register(persons=[(family.mother, PersonRole.REMAINING)])


def test_at_least_one_person_remains_in_the_home(family: Family) -> None:
    with pytest.raises(ValidationError, match="at least one person remaining"):
        family.register(
            persons=[(family.father, PersonRole.REMOVED), (family.child, PersonRole.CHILD)]
        )


def test_the_person_removed_must_be_an_adult(family: Family) -> None:
    with pytest.raises(ValidationError, match="adult"):
        family.register(
            persons=[(family.child, PersonRole.REMOVED), (family.mother, PersonRole.REMAINING)]
        )


def test_a_person_the_actor_may_not_see_cannot_be_named(family: Family) -> None:
    stranger = PersonFactory(given_names="Onbekend")
    with pytest.raises(PermissionDenied):
        family.register(
            persons=[(family.father, PersonRole.REMOVED), (stranger, PersonRole.REMAINING)]
        )


def test_the_municipality_must_be_of_the_actors_region(family: Family) -> None:
    from ketenradar.core.tests.factories import MunicipalityFactory

    elsewhere = MunicipalityFactory(region=family.world.other_region, name="Leiden")
    with pytest.raises(ValidationError, match="own region"):
        family.register(municipality=elsewhere)


def test_an_order_cannot_be_recorded_as_imposed_in_the_future(family: Family) -> None:
    with pytest.raises(ValidationError, match="future"):
        family.register(imposed_at=T0 + dt.timedelta(hours=1))


def test_the_official_who_imposed_it_is_recorded(family: Family) -> None:
    with pytest.raises(ValidationError, match="name and function"):
        family.register(imposed_by_name="  ")


# the extension decision: the mayor only, at most 28 days in total


def test_an_extension_to_28_days_in_total_is_accepted(family: Family, frozen: Any) -> None:
    order = family.register()
    frozen.move_to(T0 + 7 * DAY + dt.timedelta(hours=2))
    decision = extend(family, order)
    order.refresh_from_db()
    assert order.status == OrderStatus.EXTENDED
    assert order.ends_at == dt.datetime(2026, 11, 30, 14, 0, tzinfo=AMS)
    assert decision.decided_by_capacity == Capacity.MAYOR
    assert AuditEvent.objects.filter(
        object_type="restraining.extensiondecision", person_id=family.father.pk
    ).exists()


def test_an_extension_to_29_days_is_refused(family: Family, frozen: Any) -> None:
    order = family.register()
    frozen.move_to(T0 + 8 * DAY)
    with pytest.raises(ValidationError, match="28 days"):
        extend(family, order, new_end=deadlines.add_days(order.imposed_at, 29))
    with pytest.raises(ValidationError, match="28 days"):
        extend(
            family, order, new_end=deadlines.latest_end(order.imposed_at) + dt.timedelta(minutes=1)
        )
    assert not ExtensionDecision.objects.exists()


def test_an_extension_by_anyone_but_the_mayor_is_refused(family: Family, frozen: Any) -> None:
    order = family.register()
    frozen.move_to(T0 + 8 * DAY)
    with pytest.raises(ValidationError, match="Only the mayor"):
        extend(family, order, decided_by_capacity=Capacity.AUXILIARY_PROSECUTOR)
    with pytest.raises(ValidationError, match="Only the mayor"):
        extend(family, order, decided_by_capacity="wethouder")
    assert not ExtensionDecision.objects.exists()


def test_an_extension_decided_after_the_order_ended_is_refused(family: Family, frozen: Any) -> None:
    order = family.register()
    frozen.move_to(T0 + 11 * DAY)
    with pytest.raises(ValidationError, match="already ended"):
        extend(family, order, decided_at=T0 + 10 * DAY + dt.timedelta(minutes=1))


def test_a_decision_taken_in_time_may_be_recorded_afterwards(family: Family, frozen: Any) -> None:
    order = family.register()
    frozen.move_to(T0 + 11 * DAY)
    extend(family, order, decided_at=T0 + 8 * DAY)
    order.refresh_from_db()
    assert order.status == OrderStatus.EXTENDED
    assert order.is_running(T0 + 11 * DAY)


def test_the_extension_is_decided_once(family: Family, frozen: Any) -> None:
    order = family.register()
    frozen.move_to(T0 + 8 * DAY)
    extend(family, order, outcome=ExtensionOutcome.NOT_EXTENDED, new_end=None)
    with pytest.raises(ValidationError, match="already been decided"):
        extend(family, order)
    order.refresh_from_db()
    assert order.status == OrderStatus.IMPOSED
    assert order.ends_at == order.first_end


def test_an_extension_needs_a_new_end_after_the_current_one(family: Family, frozen: Any) -> None:
    order = family.register()
    frozen.move_to(T0 + 8 * DAY)
    with pytest.raises(ValidationError, match="new end"):
        extend(family, order, new_end=None)
    with pytest.raises(ValidationError, match="after the current end"):
        extend(family, order, new_end=order.ends_at)
    with pytest.raises(ValidationError, match="Only an extension"):
        extend(family, order, outcome=ExtensionOutcome.NOT_EXTENDED)


def test_a_decision_cannot_lie_in_the_future(family: Family, frozen: Any) -> None:
    order = family.register()
    frozen.move_to(T0 + 7 * DAY)
    with pytest.raises(ValidationError, match="future"):
        extend(family, order, decided_at=T0 + 8 * DAY)


def test_an_extension_across_summer_time_may_run_to_the_28th_day_wall_clock(
    family: Family, frozen: Any
) -> None:
    frozen.move_to(dt.datetime(2027, 4, 20, 12, 0, tzinfo=AMS))
    imposed = dt.datetime(2027, 3, 20, 10, 0, tzinfo=AMS)  # summer time from 28 March
    order = family.register(imposed_at=imposed)
    extend(family, order, new_end=dt.datetime(2027, 4, 17, 10, 0, tzinfo=AMS))
    order.refresh_from_db()
    assert order.ends_at == dt.datetime(2027, 4, 17, 10, 0, tzinfo=AMS)
    with pytest.raises(ValidationError, match="28 days"):
        other = family.register(imposed_at=imposed)
        extend(family, other, new_end=dt.datetime(2027, 4, 17, 10, 1, tzinfo=AMS))


# the state machine


def withdraw(family: Family, order: RestrainingOrder, **overrides: Any) -> RestrainingOrder:
    kwargs: dict[str, Any] = {
        "actor": family.vt,
        "order": order,
        "to": OrderStatus.WITHDRAWN,
        "decided_by_capacity": Capacity.MAYOR,
        "decided_by_name": "Burgemeester J. van Zanen",
        "reason": "Partners samen in hulpverlening, gevaar geweken.",
        **overrides,
    }
    return services.order_status_change(**kwargs)


def test_a_running_order_can_be_withdrawn_by_the_mayor_with_a_reason(family: Family) -> None:
    order = withdraw(family, family.register())
    assert order.status == OrderStatus.WITHDRAWN
    assert order.withdrawn_by_name == "Burgemeester J. van Zanen"
    assert AuditEvent.objects.filter(
        object_type="restraining.restrainingorder", action="update", detail__to="ingetrokken"
    ).exists()


def test_withdrawal_cannot_be_mandated_and_needs_a_reason(family: Family) -> None:
    order = family.register()
    with pytest.raises(ValidationError, match="Only the mayor"):
        withdraw(family, order, decided_by_capacity=Capacity.AUXILIARY_PROSECUTOR)
    with pytest.raises(ValidationError, match="why"):
        withdraw(family, order, reason=" ")


@pytest.mark.parametrize(
    "start,to",
    [
        (OrderStatus.IMPOSED, OrderStatus.IMPOSED),
        (OrderStatus.EXTENDED, OrderStatus.IMPOSED),
        (OrderStatus.EXTENDED, OrderStatus.EXTENDED),
        (OrderStatus.ENDED, OrderStatus.IMPOSED),
        (OrderStatus.ENDED, OrderStatus.WITHDRAWN),
        (OrderStatus.ENDED, OrderStatus.ENDED),
        (OrderStatus.WITHDRAWN, OrderStatus.IMPOSED),
        (OrderStatus.WITHDRAWN, OrderStatus.ENDED),
        (OrderStatus.WITHDRAWN, OrderStatus.WITHDRAWN),
    ],
)
def test_every_illegal_transition_is_refused(
    family: Family, frozen: Any, start: OrderStatus, to: OrderStatus
) -> None:
    order = family.register()
    RestrainingOrder.objects.filter(pk=order.pk).update(status=start)
    frozen.move_to(T0 + 11 * DAY if to == OrderStatus.ENDED else T0 + DAY)
    with pytest.raises(services.InvalidTransition):
        withdraw(family, order, to=to)
    order.refresh_from_db()
    assert order.status == start


def test_an_order_is_extended_only_by_an_extension_decision(family: Family) -> None:
    with pytest.raises(services.InvalidTransition, match="extension decision"):
        withdraw(family, family.register(), to=OrderStatus.EXTENDED)


def test_an_order_is_recorded_as_ended_only_after_its_end(family: Family, frozen: Any) -> None:
    order = family.register()
    frozen.move_to(T0 + 9 * DAY)
    with pytest.raises(services.InvalidTransition, match="not ended yet"):
        withdraw(family, order, to=OrderStatus.ENDED)
    frozen.move_to(T0 + 10 * DAY)
    assert withdraw(family, order, to=OrderStatus.ENDED).status == OrderStatus.ENDED


def test_an_extended_order_can_end_or_be_withdrawn_but_not_be_extended_again(
    family: Family, frozen: Any
) -> None:
    order = family.register()
    frozen.move_to(T0 + 8 * DAY)
    extend(family, order, new_end=T0 + 20 * DAY)
    order.refresh_from_db()
    with pytest.raises(ValidationError):
        extend(family, order)
    frozen.move_to(T0 + 12 * DAY)
    assert withdraw(family, order).status == OrderStatus.WITHDRAWN


def test_a_withdrawn_order_cannot_be_extended(family: Family, frozen: Any) -> None:
    order = withdraw(family, family.register())
    frozen.move_to(T0 + 8 * DAY)
    with pytest.raises(services.InvalidTransition, match="cannot be extended"):
        extend(family, order)


def test_an_order_that_has_ended_cannot_be_withdrawn(family: Family, frozen: Any) -> None:
    order = family.register()
    frozen.move_to(T0 + 10 * DAY)
    with pytest.raises(services.InvalidTransition, match="has ended"):
        withdraw(family, order)


# the course: help, the safety plan, violations


def test_help_a_safety_plan_and_a_violation_are_recorded_and_logged(
    family: Family, frozen: Any
) -> None:
    order = family.register()
    frozen.move_to(T0 + 3 * DAY)
    assert family.vt.organisation is not None
    org = family.vt.organisation
    services.help_start(actor=family.vt, order=order, organisation=org, started_at=T0 + DAY)
    services.safety_plan_record(
        actor=family.vt,
        order=order,
        organisation=org,
        made_at=T0 + 2 * DAY,
        summary="Geen contact; vader naar reclassering; school let op Lotte.",
    )
    services.violation_record(
        actor=family.vt,
        order=order,
        occurred_at=T0 + 2 * DAY,
        description="Vader stond voor de deur.",
        reported_to_police=True,
    )
    assert order.help.count() == order.safety_plans.count() == order.violations.count() == 1
    for object_type in ("helpstarted", "safetyplan", "violation"):
        assert AuditEvent.objects.filter(
            object_type=f"restraining.{object_type}", person_id=family.mother.pk
        ).exists()


def test_the_course_lies_within_the_order_and_not_in_the_future(
    family: Family, frozen: Any
) -> None:
    order = family.register()
    frozen.move_to(T0 + 12 * DAY)
    with pytest.raises(ValidationError, match="before the order"):
        services.violation_record(
            actor=family.vt,
            order=order,
            occurred_at=T0 - DAY,
            description="Eerder",
            reported_to_police=False,
        )
    with pytest.raises(ValidationError, match="no longer in force"):
        services.violation_record(
            actor=family.vt,
            order=order,
            occurred_at=T0 + 11 * DAY,
            description="Na afloop",
            reported_to_police=False,
        )
    with pytest.raises(ValidationError, match="future"):
        services.help_start(
            actor=family.vt,
            order=order,
            organisation=OrganisationFactory(region=family.world.region),
            started_at=T0 + 13 * DAY,
        )


def test_help_by_an_organisation_of_another_region_is_refused(family: Family) -> None:
    order = family.register()
    with pytest.raises(ValidationError, match="own region"):
        services.help_start(
            actor=family.vt,
            order=order,
            organisation=OrganisationFactory(region=family.world.other_region),
            started_at=T0,
        )


def test_a_professional_who_may_not_see_the_order_cannot_change_it(family: Family) -> None:
    order = family.register()
    coordinator = family.world.actor(RoleCode.CASE_COORDINATOR, "other_org")
    with pytest.raises(PermissionDenied):
        withdraw(family, order, actor=coordinator)
