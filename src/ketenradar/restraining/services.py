"""Writes on restraining orders. Each checks ``restraining.manage_restraining_orders`` and
that the actor may see the order, runs in one transaction and writes its access-log event
in it. The legal rules (reference section 5) are checked here; docs/restraining.md lists
them with their sources."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ketenradar.access import policy
from ketenradar.access import services as access_services
from ketenradar.access.models import Involvement
from ketenradar.accounts.actor import Actor
from ketenradar.audit import services as audit
from ketenradar.audit.constants import AuditAction
from ketenradar.core import clock
from ketenradar.persons.models import Person
from ketenradar.regions.models import Municipality, Organisation
from ketenradar.restraining import deadlines, selectors
from ketenradar.restraining.constants import (
    TRANSITIONS,
    Capacity,
    ExtensionOutcome,
    OrderStatus,
    PersonRole,
    RihgOutcome,
)
from ketenradar.restraining.models import (
    ExtensionDecision,
    HelpStarted,
    RestrainingOrder,
    RestrainingOrderPerson,
    SafetyPlan,
    Violation,
)

MANAGE = "restraining.manage_restraining_orders"
ORDER = selectors.ORDER
CLOCK_SKEW = dt.timedelta(minutes=5)  # a moment typed "now" may run a little ahead
ADULT_AGE = 18


class InvalidTransition(ValidationError):
    pass


def _require_manage(actor: Actor) -> None:
    if not actor.has_perm(MANAGE) or actor.organisation is None or actor.user is None:
        raise PermissionDenied(MANAGE)


def _require_order(actor: Actor, order: RestrainingOrder) -> RestrainingOrder:
    """The permission, the order visible to the actor, and the row locked for the change."""
    _require_manage(actor)
    if not selectors.visible_orders(actor).filter(pk=order.pk).exists():
        raise PermissionDenied(selectors.VIEW)
    return RestrainingOrder.objects.select_for_update().get(pk=order.pk)


def _not_in_future(moment: dt.datetime, now: dt.datetime, what: str) -> None:
    if moment > now + CLOCK_SKEW:
        raise ValidationError(_("%(what)s cannot lie in the future.") % {"what": what})


def _within_order(order: RestrainingOrder, moment: dt.datetime, what: str) -> None:
    if moment < order.imposed_at:
        raise ValidationError(
            _("%(what)s cannot lie before the order was imposed.") % {"what": what}
        )


def _age_at(person: Person, moment: dt.datetime) -> int | None:
    """Completed years at ``moment``; None when unknown. With only the year of birth known,
    the lowest age the person can have (so that only a certain minor is refused)."""
    if person.birth_year is None:
        return None
    local = timezone.localtime(moment).date()
    born = person.date_of_birth
    if born is None:
        return local.year - person.birth_year - 1
    return local.year - born.year - ((local.month, local.day) < (born.month, born.day))


def _check_persons(
    actor: Actor, persons: Sequence[tuple[Person, PersonRole]], imposed_at: dt.datetime
) -> None:
    roles = [role for _p, role in persons]
    if roles.count(PersonRole.REMOVED) != 1:
        raise ValidationError(_("Name exactly one person removed from the home."))
    if PersonRole.REMAINING not in roles:
        raise ValidationError(_("Name at least one person remaining in the home."))
    if len({p.pk for p, _r in persons}) != len(persons):
        raise ValidationError(_("Each person can have only one role in the order."))
    for person, role in persons:
        if not policy.decide_person(actor, person).allowed:
            raise PermissionDenied("no involvement with this person")
        if role == PersonRole.REMOVED:
            age = _age_at(person, imposed_at)
            if age is not None and age < ADULT_AGE:
                raise ValidationError(
                    _("The person removed from the home must be an adult (18 or older).")
                )


@transaction.atomic
def order_register(
    *,
    actor: Actor,
    municipality: Municipality,
    imposed_at: dt.datetime,
    imposed_by_capacity: Capacity,
    imposed_by_name: str,
    rihg_outcome: RihgOutcome,
    rihg_note: str = "",
    persons: Sequence[tuple[Person, PersonRole]],
) -> RestrainingOrder:
    """Record an order as imposed: by the mayor or a hulpofficier van justitie on the mayor's
    behalf, after the RiHG. It runs 10 days. The recording organisation becomes involved
    with every person of the order (``access.services.involvements_start``)."""
    _require_manage(actor)
    assert actor.organisation is not None
    now = clock.now()
    if municipality.region_id != actor.organisation.region_id:
        raise ValidationError(_("Choose a municipality of your own region."))
    if imposed_by_capacity not in Capacity.values:
        raise ValidationError(_("Choose who imposed the order."))
    if rihg_outcome not in RihgOutcome.values:
        raise ValidationError(_("Choose the conclusion of the RiHG."))
    if not imposed_by_name.strip():
        raise ValidationError(_("Record the name and function of the official who imposed it."))
    _not_in_future(imposed_at, now, _("The moment of imposition"))
    _check_persons(actor, persons, imposed_at)
    order = RestrainingOrder.objects.create(
        region_id=actor.organisation.region_id,
        municipality=municipality,
        imposed_at=imposed_at,
        imposed_by_capacity=imposed_by_capacity,
        imposed_by_name=imposed_by_name.strip(),
        rihg_outcome=rihg_outcome,
        rihg_note=rihg_note.strip(),
        ends_at=deadlines.first_end(imposed_at),
        recording_organisation=actor.organisation,
        recorded_by=actor.user,
        created_at=now,
    )
    RestrainingOrderPerson.objects.bulk_create(
        RestrainingOrderPerson(order=order, person=p, role=role) for p, role in persons
    )
    already = set(
        Involvement.objects.active()
        .filter(
            organisation=actor.organisation, user__isnull=True, person__in=[p for p, _r in persons]
        )
        .values_list("person_id", flat=True)
    )
    new = [p for p, _r in persons if p.pk not in already]
    if new:
        access_services.involvements_start(
            actor=actor,
            persons=new,
            organisation=actor.organisation,
            kind=policy.default_involvement_kind(actor),
            purpose=f"Tijdelijk huisverbod {order}",
            source_type=ORDER,
            source_id=order.uuid.hex,
        )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        object_type=ORDER,
        object_id=order.uuid.hex,
        person_ids=[p.pk for p, _r in persons],
        detail={
            "municipality": municipality.cbs_code,
            "capacity": str(imposed_by_capacity),
            "rihg": str(rihg_outcome),
        },
    )
    return order


def _transition(
    *, actor: Actor, order: RestrainingOrder, to: OrderStatus, now: dt.datetime
) -> None:
    if to not in TRANSITIONS[order.status]:
        raise InvalidTransition(
            _("An order that is '%(from)s' cannot become '%(to)s'.")
            % {"from": OrderStatus(order.status).label, "to": OrderStatus(to).label}
        )
    before = order.status
    order.status = to
    order.status_changed_at = now
    order.save()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        object_type=ORDER,
        object_id=order.uuid.hex,
        person_ids=selectors.order_person_ids(order),
        detail={"from": before, "to": str(to)},
    )


def _require_mayor(capacity: str, name: str, what: str) -> None:
    if capacity != Capacity.MAYOR:
        raise ValidationError(
            _("Only the mayor can decide %(what)s; this cannot be mandated.") % {"what": what}
        )
    if not name.strip():
        raise ValidationError(_("Record the name of the mayor who decided."))


@transaction.atomic
def extension_decide(
    *,
    actor: Actor,
    order: RestrainingOrder,
    outcome: ExtensionOutcome,
    decided_at: dt.datetime,
    decided_by_capacity: Capacity,
    decided_by_name: str,
    new_end: dt.datetime | None = None,
) -> ExtensionDecision:
    """Record the mayor's decision on extension. Refused: by anyone but the mayor; a second
    decision; a decision taken after the order had ended or was withdrawn; an extension
    that ends after 28 days in total or not after the current end."""
    order = _require_order(actor, order)
    now = clock.now()
    _require_mayor(decided_by_capacity, decided_by_name, _("on an extension"))
    if outcome not in ExtensionOutcome.values:
        raise ValidationError(_("Choose extended or not extended."))
    if ExtensionDecision.objects.filter(order=order).exists():
        raise InvalidTransition(_("The extension of this order has already been decided."))
    if order.status != OrderStatus.IMPOSED:
        raise InvalidTransition(
            _("An order that is '%(status)s' cannot be extended.")
            % {"status": OrderStatus(order.status).label}
        )
    _not_in_future(decided_at, now, _("The decision"))
    _within_order(order, decided_at, _("The decision"))
    if decided_at >= order.ends_at:
        raise ValidationError(_("The order had already ended when this was decided."))
    if outcome == ExtensionOutcome.EXTENDED:
        if new_end is None:
            raise ValidationError(_("An extension needs the new end."))
        if new_end <= order.ends_at:
            raise ValidationError(_("The new end must lie after the current end."))
        if new_end > order.latest_end:
            raise ValidationError(
                _("An order lasts at most 28 days in total: it cannot end after %(max)s.")
                % {"max": f"{timezone.localtime(order.latest_end):%d-%m-%Y %H:%M}"}
            )
    elif new_end is not None:
        raise ValidationError(_("Only an extension has a new end."))
    decision = ExtensionDecision.objects.create(
        order=order,
        decided_at=decided_at,
        outcome=outcome,
        decided_by_capacity=decided_by_capacity,
        decided_by_name=decided_by_name.strip(),
        new_end=new_end,
        recorded_by=actor.user,
        recorded_at=now,
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        object_type="restraining.extensiondecision",
        object_id=order.uuid.hex,
        person_ids=selectors.order_person_ids(order),
        detail={"outcome": str(outcome)},
    )
    if outcome == ExtensionOutcome.EXTENDED:
        assert new_end is not None
        order.ends_at = new_end
        _transition(actor=actor, order=order, to=OrderStatus.EXTENDED, now=now)
    return decision


@transaction.atomic
def order_status_change(
    *,
    actor: Actor,
    order: RestrainingOrder,
    to: OrderStatus,
    decided_by_capacity: str = "",
    decided_by_name: str = "",
    reason: str = "",
) -> RestrainingOrder:
    """Withdraw a running order (the mayor only, with a reason), or record that it has ended
    (only once its end has passed). Extending goes through ``extension_decide``."""
    order = _require_order(actor, order)
    now = clock.now()
    if to == OrderStatus.EXTENDED:
        raise InvalidTransition(_("An order is extended only by the mayor's extension decision."))
    if to == OrderStatus.WITHDRAWN:
        _require_mayor(decided_by_capacity, decided_by_name, _("on withdrawing the order"))
        if not reason.strip():
            raise ValidationError(_("Record why the order was withdrawn."))
        if now >= order.ends_at:
            raise InvalidTransition(_("An order that has ended cannot be withdrawn."))
        order.withdrawn_by_name = decided_by_name.strip()
        order.status_note = reason.strip()
    elif to == OrderStatus.ENDED and now < order.ends_at:
        raise InvalidTransition(_("The order has not ended yet: it runs until its end."))
    _transition(actor=actor, order=order, to=to, now=now)
    return order


def _record_course(
    actor: Actor, order: RestrainingOrder, object_type: str, object_id: int, detail: dict
) -> None:
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        object_type=object_type,
        object_id=object_id,
        person_ids=selectors.order_person_ids(order),
        detail={"order": order.uuid.hex, **detail},
    )


def _check_organisation(actor: Actor, organisation: Organisation) -> None:
    assert actor.organisation is not None
    if organisation.region_id != actor.organisation.region_id:
        raise ValidationError(_("Choose an organisation of your own region."))


@transaction.atomic
def help_start(
    *,
    actor: Actor,
    order: RestrainingOrder,
    organisation: Organisation,
    started_at: dt.datetime,
    note: str = "",
) -> HelpStarted:
    """Help started during the order (by which organisation, when)."""
    order = _require_order(actor, order)
    now = clock.now()
    _check_organisation(actor, organisation)
    _not_in_future(started_at, now, _("The start of the help"))
    _within_order(order, started_at, _("The start of the help"))
    help_row = HelpStarted.objects.create(
        order=order,
        organisation=organisation,
        started_at=started_at,
        note=note.strip(),
        recorded_by=actor.user,
        recorded_at=now,
    )
    _record_course(actor, order, "restraining.helpstarted", help_row.pk, {"org": organisation.pk})
    return help_row


@transaction.atomic
def safety_plan_record(
    *,
    actor: Actor,
    order: RestrainingOrder,
    organisation: Organisation,
    made_at: dt.datetime,
    summary: str,
) -> SafetyPlan:
    """The safety plan made during the order (short- and long-term agreements)."""
    order = _require_order(actor, order)
    now = clock.now()
    _check_organisation(actor, organisation)
    if not summary.strip():
        raise ValidationError(_("Summarise the safety plan."))
    _not_in_future(made_at, now, _("The safety plan"))
    _within_order(order, made_at, _("The safety plan"))
    plan = SafetyPlan.objects.create(
        order=order,
        organisation=organisation,
        made_at=made_at,
        summary=summary.strip(),
        recorded_by=actor.user,
        recorded_at=now,
    )
    _record_course(actor, order, "restraining.safetyplan", plan.pk, {"org": organisation.pk})
    return plan


@transaction.atomic
def violation_record(
    *,
    actor: Actor,
    order: RestrainingOrder,
    occurred_at: dt.datetime,
    description: str,
    reported_to_police: bool,
) -> Violation:
    """A violation of the order; it can only happen while the order runs."""
    order = _require_order(actor, order)
    now = clock.now()
    if not description.strip():
        raise ValidationError(_("Describe the violation."))
    _not_in_future(occurred_at, now, _("The violation"))
    _within_order(order, occurred_at, _("The violation"))
    ran_until = order.status_changed_at if order.status == OrderStatus.WITHDRAWN else None
    if occurred_at >= (ran_until or order.ends_at):
        raise ValidationError(_("The order was no longer in force at that moment."))
    violation = Violation.objects.create(
        order=order,
        occurred_at=occurred_at,
        description=description.strip(),
        reported_to_police=reported_to_police,
        recorded_by=actor.user,
        recorded_at=now,
    )
    _record_course(
        actor, order, "restraining.violation", violation.pk, {"police": reported_to_police}
    )
    return violation
