"""Changing the access log behind the application's back, as a DBA or an attacker with
database access could: the append-only triggers switched off, the queryset's refusal
bypassed. Only for tests of the verifier."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection, models

from ketenradar.audit.chain import HASHED_FIELDS, event_hash
from ketenradar.audit.models import AuditChainHead, AuditEvent

_SQLITE_TRIGGERS = {
    "audit_auditevent_no_update": "UPDATE",
    "audit_auditevent_no_delete": "DELETE",
}


@contextmanager
def triggers_off() -> Iterator[None]:
    """The append-only triggers off for the block (PostgreSQL: disabled; SQLite: dropped and
    made again), so that the test can update and delete events."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
            try:
                yield
            finally:
                cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER USER")
        else:
            for name in _SQLITE_TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            try:
                yield
            finally:
                for name, operation in _SQLITE_TRIGGERS.items():
                    cursor.execute(
                        f"CREATE TRIGGER IF NOT EXISTS {name} BEFORE {operation} "
                        "ON audit_auditevent "
                        "BEGIN SELECT RAISE(ABORT, 'audit_auditevent is append-only'); END;"
                    )


def update_event(seq: int, /, **values: Any) -> None:
    """Overwrite fields of the stored event ``seq`` (the plain queryset's update, which the
    log's own queryset refuses)."""
    with triggers_off():
        changed = models.QuerySet.update(AuditEvent.objects.filter(seq=seq), **values)
    assert changed == 1


def delete_events(*seqs: int) -> None:
    with triggers_off(), connection.cursor() as cursor:
        for seq in seqs:
            cursor.execute("DELETE FROM audit_auditevent WHERE seq = %s", [seq])


def rehash_event(seq: int, /, **values: Any) -> str:
    """Overwrite fields of event ``seq`` and store the hash the application would compute for
    the new content (the link to the event after it is then broken). Returns the new hash."""
    row = AuditEvent.objects.filter(seq=seq).values(*HASHED_FIELDS).get()
    new_hash = event_hash({**row, **values})
    update_event(seq, **values, hash=new_hash)
    return new_hash


def head_to_last_event() -> None:
    """Rewrite the chain head to the last stored event, as the application would have left
    it had the log ended there."""
    last = AuditEvent.objects.order_by("-seq").values("seq", "hash").first()
    assert last is not None
    AuditChainHead.objects.filter(pk=1).update(seq=last["seq"], hash=last["hash"])
