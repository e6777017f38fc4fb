"""Reads of restraining orders, for the actor; reads of client data log themselves.

Who sees an order (docs/restraining.md#who-sees-an-order): an actor whose active role holds
``restraining.view_restraining_orders`` and whose organisation recorded the order, or who
may see the person removed from the home under need-to-know (``access.policy``). On an
order's page the actor sees only the persons need-to-know lets them see.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ketenradar.access import policy
from ketenradar.accounts.actor import Actor
from ketenradar.audit import services as audit
from ketenradar.audit.constants import AuditAction
from ketenradar.core import timeline
from ketenradar.core.notices import Notice, Severity, severity_for
from ketenradar.persons.models import Person
from ketenradar.regions.models import Municipality, Region
from ketenradar.restraining.constants import RUNNING_STATUSES, ExtensionOutcome, PersonRole
from ketenradar.restraining.models import (
    ExtensionDecision,
    RestrainingOrder,
    RestrainingOrderPerson,
)

VIEW = "restraining.view_restraining_orders"
ORDER = "restraining.restrainingorder"
LIST_LIMIT = 200
ENDS_SOON = dt.timedelta(days=2)


def visible_orders(actor: Actor) -> QuerySet[RestrainingOrder]:
    """The orders the actor may see: recorded by their organisation, or about a removed
    person they may see (need-to-know, break-glass included)."""
    if not actor.has_perm(VIEW) or actor.organisation is None:
        return RestrainingOrder.objects.none()
    persons_q = policy.visible_persons_q(actor)
    q = Q(recording_organisation=actor.organisation)
    if persons_q is not None:
        removed_visible = RestrainingOrderPerson.objects.filter(
            order=OuterRef("pk"),
            role=PersonRole.REMOVED,
            person__in=Person.objects.filter(persons_q),
        )
        q |= Q(Exists(removed_visible))
    return RestrainingOrder.objects.filter(q)


def order_person_ids(order: RestrainingOrder) -> list[int | None]:
    ids = sorted(order.persons.values_list("person_id", flat=True))
    return list(ids) or [None]


def order_get(
    *, actor: Actor, order_uuid: uuid.UUID | str, action: AuditAction = AuditAction.READ
) -> RestrainingOrder:
    """One order the actor may see, without logging a read (for the services' writes, which
    log themselves): unknown 404; existing but not visible 403, logged as ``action`` (the
    write a form attempted, or a read)."""
    try:
        order = RestrainingOrder.objects.select_related(
            "municipality__subregion", "recording_organisation", "region"
        ).get(uuid=order_uuid)
    except (RestrainingOrder.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    if not visible_orders(actor).filter(pk=order.pk).exists():
        audit.record_denied(
            actor=actor,
            action=action,
            object_type=ORDER,
            object_id=order.uuid.hex,
            person_ids=order_person_ids(order),
            reason="not the recording organisation and not involved with the removed person",
        )
        raise PermissionDenied(VIEW)
    return order


@dataclass
class OrderDetail:
    order: RestrainingOrder
    persons: list[RestrainingOrderPerson]  # only those the actor may see
    hidden_persons: int  # the others, counted, never named
    extension: ExtensionDecision | None


def order_detail(*, actor: Actor, order_uuid: uuid.UUID | str) -> OrderDetail:
    order = order_get(actor=actor, order_uuid=order_uuid)
    rows = list(order.persons.select_related("person").order_by("role", "pk"))
    ids = [r.person_id for r in rows]
    visible = set(
        policy.visible_persons(actor, Person.objects.filter(pk__in=ids)).values_list(
            "pk", flat=True
        )
    )
    shown = [r for r in rows if r.person_id in visible]
    glass = policy.break_glass_only(actor, sorted(visible))
    extension = ExtensionDecision.objects.filter(order=order).first()
    with transaction.atomic():
        normal = sorted(visible - glass)
        if normal or not glass:  # an order whose persons are all hidden is still a read
            audit.record(
                actor=actor,
                action=AuditAction.READ,
                object_type=ORDER,
                object_id=order.uuid.hex,
                person_ids=normal or [None],
            )
        if glass:
            audit.record(
                actor=actor,
                action=AuditAction.READ,
                object_type=ORDER,
                object_id=order.uuid.hex,
                person_ids=sorted(glass),
                break_glass=True,
            )
    return OrderDetail(order, shown, len(rows) - len(shown), extension)


def order_list(*, actor: Actor, now: dt.datetime) -> list[RestrainingOrder]:
    """The orders the actor may see: running ones first (soonest end first), then the others
    (newest first). The list names no persons; each order shown is logged for its persons."""
    if not actor.has_perm(VIEW):
        raise PermissionDenied(VIEW)
    orders = list(
        visible_orders(actor)
        .select_related("municipality", "extension_decision")
        .prefetch_related("persons")
        .order_by("-imposed_at")[:LIST_LIMIT]
    )
    running = sorted((o for o in orders if o.is_running(now)), key=lambda o: o.ends_at)
    others = [o for o in orders if not o.is_running(now)]
    shown = sorted({p.person_id for o in orders for p in o.persons.all()})
    if shown:
        with transaction.atomic():
            audit.record(
                actor=actor,
                action=AuditAction.LIST,
                object_type=ORDER,
                person_ids=shown,
                detail={"orders": len(orders)},
            )
    return running + others


def notices_for(*, actor: Actor, now: dt.datetime) -> list[Notice]:
    """Signals for the running orders the actor may see (core.notices): the mayor's
    extension decision from day 8 (due; overdue once day 8 has passed) while none is
    recorded, and the end of the order (due within two days)."""
    if not actor.has_perm(VIEW):
        return []
    running = (
        visible_orders(actor)
        .filter(status__in=RUNNING_STATUSES, ends_at__gt=now)
        .annotate(decided=Exists(ExtensionDecision.objects.filter(order=OuterRef("pk"))))
        .order_by("ends_at")
    )
    notices: list[Notice] = []
    for order in running:
        url = reverse("restraining:detail", kwargs={"uuid": order.uuid})
        if not order.decided and now >= order.advice_window_opens:
            due = order.advice_due
            notices.append(
                Notice(
                    kind="restraining_extension_due",
                    title=_("Extension decision due: %(order)s") % {"order": order},
                    due_at=due,
                    url=url,
                    severity=Severity.OVERDUE if now > due else Severity.DUE,
                )
            )
        notices.append(
            Notice(
                kind="restraining_order_ends",
                title=_("Restraining order ends: %(order)s") % {"order": order},
                due_at=order.ends_at,
                url=url,
                severity=severity_for(order.ends_at, now, soon=ENDS_SOON),
            )
        )
    return sorted(notices, key=lambda n: n.due_at)


@dataclass
class AreaCount:
    name: str
    imposed: int
    extended: int


@dataclass
class AreaCounts:
    municipalities: list[AreaCount]
    subregions: list[AreaCount]
    imposed: int
    extended: int


def _bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """From the start of ``start`` to the end of ``end`` (both included), local time."""
    tz = timezone.get_current_timezone()
    return (
        dt.datetime.combine(start, dt.time.min, tzinfo=tz),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz),
    )


def counts_by_area(*, region: Region, start: dt.date, end: dt.date) -> AreaCounts:
    """For the regional monitor: how many orders were imposed (by ``imposed_at``) and how
    many extended (by the decision's ``decided_at``) from ``start`` to ``end`` inclusive,
    per municipality where imposed and per subregion. Counts only, no client data; every
    municipality and subregion of the region appears, with 0 where there was none."""
    lo, hi = _bounds(start, end)
    imposed = dict(
        RestrainingOrder.objects.filter(region=region, imposed_at__gte=lo, imposed_at__lt=hi)
        .values_list("municipality")
        .annotate(n=Count("pk"))
    )
    extended = dict(
        ExtensionDecision.objects.filter(
            order__region=region,
            outcome=ExtensionOutcome.EXTENDED,
            decided_at__gte=lo,
            decided_at__lt=hi,
        )
        .values_list("order__municipality")
        .annotate(n=Count("pk"))
    )
    municipalities = list(
        Municipality.objects.filter(region=region).select_related("subregion").order_by("name")
    )
    per_muni = [
        AreaCount(m.name, imposed.get(m.pk, 0), extended.get(m.pk, 0)) for m in municipalities
    ]
    subregions: dict[str, AreaCount] = {
        s.name: AreaCount(s.name, 0, 0) for s in region.subregions.order_by("name")
    }
    for m, count in zip(municipalities, per_muni, strict=True):
        name = m.subregion.name if m.subregion else str(_("no subregion"))
        area = subregions.setdefault(name, AreaCount(name, 0, 0))
        area.imposed += count.imposed
        area.extended += count.extended
    return AreaCounts(
        municipalities=per_muni,
        subregions=list(subregions.values()),
        imposed=sum(c.imposed for c in per_muni),
        extended=sum(c.extended for c in per_muni),
    )


def timeline_for(*, actor: Actor, person: Person) -> list[timeline.Entry]:
    """The restraining orders about the person that the actor may see, with the person's
    role in each."""
    rows = (
        RestrainingOrderPerson.objects.filter(order__in=visible_orders(actor), person=person)
        .select_related("order", "order__recording_organisation")
        .order_by("order__imposed_at")
    )
    return [
        timeline.Entry(
            kind="restraining_order",
            label=_("Restraining order"),
            title=f"{row.order} ({row.get_role_display()})",
            started=row.order.imposed_at,
            ended=row.order.ends_at,
            status=row.order.get_status_display(),
            organisation=row.order.recording_organisation.name,
            url=reverse("restraining:detail", args=[row.order.uuid]),
        )
        for row in rows
    ]
