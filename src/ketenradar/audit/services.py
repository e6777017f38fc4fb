"""Writing the access log. Call inside the transaction of the action being recorded.

If writing an event fails, the exception propagates and the surrounding transaction (the
action itself) is rolled back: no action without its log line (NEN 7513, ASVS 16.5.3).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from ketenradar.accounts.actor import Actor
from ketenradar.audit.chain import event_hash
from ketenradar.audit.checkpoints import after_append
from ketenradar.audit.constants import AuditAction, AuditOutcome
from ketenradar.audit.models import AuditChainHead, AuditEvent
from ketenradar.core.context import get_current


@dataclass(frozen=True)
class Subject:
    """What an event is about: an object and the person(s) concerned."""

    object_type: str = ""
    object_id: str = ""
    person_ids: Sequence[int | None] = field(default=(None,))


def _now_ms() -> Any:
    now = timezone.now()
    return now.replace(microsecond=(now.microsecond // 1000) * 1000)


def _locked_head() -> AuditChainHead:
    """The chain head, locked until the transaction ends. The row comes with the migration;
    it is made again only for a database that was emptied (a test flush): if events exist
    without a head, the new head's sequence collides with them and the write fails."""
    head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        AuditChainHead.objects.get_or_create(pk=1)
        head = AuditChainHead.objects.select_for_update().get(pk=1)
    return head


def record(
    *,
    actor: Actor | None,
    action: AuditAction,
    outcome: AuditOutcome = AuditOutcome.SUCCESS,
    object_type: str = "",
    object_id: str | int = "",
    person_ids: Iterable[int | None] = (None,),
    reason: str = "",
    break_glass: bool = False,
    detail: dict[str, Any] | None = None,
    username: str = "",
) -> list[AuditEvent]:
    """Append one event per person concerned (one event if none), chained by hash."""
    persons = list(dict.fromkeys(person_ids)) or [None]
    ctx = get_current()
    occurred_at = _now_ms()
    membership = actor.membership if actor else None
    base = {
        "occurred_at": occurred_at,
        "user_id": actor.user.pk if actor and actor.user else None,
        "username": (
            actor.user.username if actor and actor.user else (actor.label if actor else "")
        )
        or username,
        "role": membership.role.code if membership else "",
        "organisation_id": membership.organisation_id if membership else None,
        "organisation_name": membership.organisation.name if membership else "",
        "action": str(action),
        "outcome": str(outcome),
        "object_type": object_type,
        "object_id": str(object_id),
        "reason": reason,
        "break_glass": break_glass,
        "request_id": ctx.request_id if ctx else "",
        "ip_address": ctx.ip_address if ctx else None,
        "detail": detail or {},
    }
    rows = [{**base, "person_id": person_id} for person_id in persons]
    pending = _pending.get()
    if pending is not None:
        pending.extend(rows)
        return []
    return _append(rows)


def _append(rows: Sequence[dict[str, Any]]) -> list[AuditEvent]:
    """Chain the rows onto the head and store them: one lock, one insert, one head update.
    Inside the action's transaction no savepoint is needed: a failure here fails the whole
    transaction, which is what fail-closed logging asks."""
    with transaction.atomic(savepoint=False):
        head = _locked_head()
        before = seq = head.seq
        prev = head.hash
        events = []
        for row in rows:
            seq += 1
            values = {**row, "seq": seq, "prev_hash": prev}
            prev = event_hash(values)
            events.append(AuditEvent(**values, hash=prev))
        AuditEvent.objects.bulk_create(events)
        AuditChainHead.objects.filter(pk=1).update(seq=seq, hash=prev)
        after_append(before, seq, prev)  # a signed checkpoint, after the commit
    return events


_pending: ContextVar[list[dict[str, Any]] | None] = ContextVar("audit_pending", default=None)


@contextmanager
def batched() -> Iterator[None]:
    """Collect the events that ``record`` writes inside the block and append them together at
    its end, in one write on the chain head instead of one per call (a bulk intake writes
    several per report). Use only inside the transaction of the action itself: the events
    are still written in that transaction, and an exception inside the block writes none
    (the action is rolled back with them). Nested blocks join the outermost one."""
    if _pending.get() is not None:
        yield
        return
    if not connection.in_atomic_block:
        raise RuntimeError("audit.batched() needs the action's transaction")
    rows: list[dict[str, Any]] = []
    token = _pending.set(rows)
    try:
        yield
    finally:
        _pending.reset(token)
    if rows:
        _append(rows)


def denial_recorded() -> bool:
    """Whether this request already wrote its refusal (so the 403 handler does not repeat it)."""
    ctx = get_current()
    return bool(ctx and ctx.state.get("denial_recorded"))


def record_denied(
    *,
    actor: Actor | None,
    action: AuditAction,
    object_type: str,
    object_id: str | int,
    person_ids: Iterable[int | None] = (None,),
    reason: str = "",
) -> None:
    """A refused access attempt, committed on its own so that the refusal itself is kept."""
    ctx = get_current()
    if ctx is not None:
        ctx.state["denial_recorded"] = True
    token = _pending.set(None)  # written now, never held back in a batch
    try:
        with transaction.atomic():
            record(
                actor=actor,
                action=action,
                outcome=AuditOutcome.DENIED,
                object_type=object_type,
                object_id=object_id,
                person_ids=person_ids,
                reason=reason,
            )
    finally:
        _pending.reset(token)
