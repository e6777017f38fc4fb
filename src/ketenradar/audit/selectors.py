"""Reads of the access log, for the privacy officer. Reading the log is itself logged
(NEN 7513: access to the logging is an event too)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from ketenradar.accounts.actor import Actor
from ketenradar.audit import services as audit
from ketenradar.audit.constants import AuditAction
from ketenradar.audit.models import AuditEvent

ACCESS_LOG = "audit.accesslog"


def _period(
    start: dt.date | None, end: dt.date | None
) -> tuple[dt.datetime | None, dt.datetime | None]:
    tz = timezone.get_current_timezone()
    lo = dt.datetime.combine(start, dt.time.min, tzinfo=tz) if start else None
    hi = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz) if end else None
    return lo, hi


def _in_region(qs: QuerySet[AuditEvent], actor: Actor) -> QuerySet[AuditEvent]:
    """A privacy officer sees the events of their own region's organisations, and the
    events of system processes (no organisation)."""
    from ketenradar.regions.models import Organisation

    if actor.region is None:
        return qs.none()
    org_ids = Organisation.objects.filter(region=actor.region).values("pk")
    return qs.filter(Q(organisation_id__in=org_ids) | Q(organisation_id__isnull=True))


def _filter_period(
    qs: QuerySet[AuditEvent], start: dt.date | None, end: dt.date | None
) -> QuerySet[AuditEvent]:
    lo, hi = _period(start, end)
    if lo:
        qs = qs.filter(occurred_at__gte=lo)
    if hi:
        qs = qs.filter(occurred_at__lt=hi)
    return qs


def person_access_log(
    *,
    actor: Actor,
    person_id: int,
    start: dt.date | None = None,
    end: dt.date | None = None,
    export: bool = False,
    merged_ids: Sequence[int] = (),
) -> list[AuditEvent]:
    """Who did what with this person's data in the period: oldest first. ``merged_ids``:
    persons merged into this one (a confirmed match), whose events are this person's too."""
    perm = "audit.export_access_log" if export else "audit.view_access_log"
    if not actor.has_perm(perm):
        raise PermissionDenied(perm)
    with transaction.atomic():
        events = list(
            _filter_period(
                _in_region(
                    AuditEvent.objects.filter(person_id__in=[person_id, *merged_ids]), actor
                ),
                start,
                end,
            ).order_by("seq")
        )
        audit.record(
            actor=actor,
            action=AuditAction.EXPORT if export else AuditAction.READ,
            object_type=ACCESS_LOG,
            person_ids=[person_id],
            detail={
                "from": start.isoformat() if start else None,
                "until": end.isoformat() if end else None,
                "events": len(events),
                **({"merged_persons": list(merged_ids)} if merged_ids else {}),
            },
        )
    return events


def user_access_log(
    *, actor: Actor, user_id: int, start: dt.date | None = None, end: dt.date | None = None
) -> list[AuditEvent]:
    """NEN 7513 ch. 9: per staff member, the clients they accessed, in time order."""
    if not actor.has_perm("audit.view_access_log"):
        raise PermissionDenied("audit.view_access_log")
    with transaction.atomic():
        events = list(
            _filter_period(
                _in_region(
                    AuditEvent.objects.filter(user_id=user_id, person_id__isnull=False), actor
                ),
                start,
                end,
            ).order_by("seq")[:2000]
        )
        audit.record(
            actor=actor,
            action=AuditAction.READ,
            object_type=ACCESS_LOG,
            object_id=f"user:{user_id}",
            detail={"events": len(events)},
        )
    return events
