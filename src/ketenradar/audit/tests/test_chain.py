"""Append-only at every level, and a hash chain that names the first broken link."""

from __future__ import annotations

from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

import pytest

from ketenradar.accounts.actor import Actor
from ketenradar.audit import services as audit
from ketenradar.audit.constants import AuditAction
from ketenradar.audit.models import AppendOnlyError, AuditEvent
from ketenradar.audit.verification import verify_chain


def _events(n: int) -> None:
    actor = Actor.system("test")
    for i in range(n):
        audit.record(
            actor=actor,
            action=AuditAction.READ,
            object_type="persons.person",
            object_id=str(i),
            person_ids=[i],
        )


def _behind_the_applications_back(sql: str, params: list) -> None:
    """Change the table directly, as a DBA or an attacker with database access could."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
            cursor.execute(sql, params)
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER USER")
        else:
            cursor.execute("DROP TRIGGER audit_auditevent_no_update")
            cursor.execute("DROP TRIGGER audit_auditevent_no_delete")
            cursor.execute(sql, params)


@pytest.mark.django_db
def test_intact_chain_verifies(capsys: pytest.CaptureFixture[str]) -> None:
    _events(5)
    call_command("verify_audit_chain")
    assert "intact: 5 events" in capsys.readouterr().out


@pytest.mark.django_db
def test_altered_event_is_found() -> None:
    _events(5)
    _behind_the_applications_back(
        "UPDATE audit_auditevent SET username = %s WHERE seq = %s", ["someone-else", 3]
    )
    report = verify_chain()
    assert report.broken_seq == 3
    with pytest.raises(CommandError, match="BROKEN at event 3: content does not match its hash"):
        call_command("verify_audit_chain")


@pytest.mark.django_db
def test_rehashed_event_breaks_the_next_link() -> None:
    """An attacker who also recomputes the altered event's hash breaks the link after it."""
    _events(5)
    from ketenradar.audit.chain import HASHED_FIELDS, event_hash

    row = AuditEvent.objects.filter(seq=2).values(*HASHED_FIELDS).get()
    row["username"] = "someone-else"
    _behind_the_applications_back(
        "UPDATE audit_auditevent SET username = %s, hash = %s WHERE seq = %s",
        ["someone-else", event_hash(row), 2],
    )
    assert verify_chain().broken_seq == 3


@pytest.mark.django_db
def test_deleted_event_is_found() -> None:
    _events(5)
    _behind_the_applications_back("DELETE FROM audit_auditevent WHERE seq = %s", [2])
    report = verify_chain()
    assert report.broken_seq == 2
    assert "missing" in report.problem


@pytest.mark.django_db
def test_removed_tail_is_found_through_the_chain_head() -> None:
    _events(5)
    _behind_the_applications_back("DELETE FROM audit_auditevent WHERE seq = %s", [5])
    report = verify_chain()
    assert not report.ok
    assert "head records 5" in report.problem


@pytest.mark.django_db
def test_application_cannot_update_or_delete() -> None:
    _events(1)
    event = AuditEvent.objects.get()
    event.username = "x"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.update(username="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()


@pytest.mark.django_db
def test_database_refuses_update_and_delete() -> None:
    _events(1)
    for sql in ("UPDATE audit_auditevent SET username = 'x'", "DELETE FROM audit_auditevent"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert AuditEvent.objects.get().username == "test"


@pytest.mark.django_db
def test_one_event_per_person_chained_in_order() -> None:
    events = audit.record(actor=Actor.system("t"), action=AuditAction.LIST, person_ids=[7, 8, 9])
    assert [e.person_id for e in events] == [7, 8, 9]
    assert [e.seq for e in events] == [1, 2, 3]
    assert events[1].prev_hash == events[0].hash
    assert verify_chain().ok


@pytest.mark.django_db
def test_a_removed_chain_head_stops_the_log_instead_of_forking_it() -> None:
    from django.db import IntegrityError

    from ketenradar.audit.models import AuditChainHead

    _events(2)
    AuditChainHead.objects.all().delete()
    assert "head is missing" in verify_chain().problem
    with pytest.raises(IntegrityError), transaction.atomic():
        _events(1)


@pytest.mark.django_db
def test_a_batch_appends_its_events_together_at_the_end_and_chained() -> None:
    actor = Actor.system("test")
    with transaction.atomic(), audit.batched():
        _events(3)
        with audit.batched():  # a nested batch joins the outer one
            _events(2)
        assert AuditEvent.objects.count() == 0  # held until the batch ends
        audit.record_denied(
            actor=actor, action=AuditAction.READ, object_type="persons.person", object_id=9
        )
        assert AuditEvent.objects.count() == 1  # a refusal is never held back
    assert AuditEvent.objects.count() == 6
    assert list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True)) == [
        1,
        2,
        3,
        4,
        5,
        6,
    ]
    assert verify_chain().ok


@pytest.mark.django_db
def test_a_failed_batch_writes_nothing() -> None:
    with pytest.raises(ZeroDivisionError), transaction.atomic(), audit.batched():
        _events(2)
        _ = 1 / 0
    assert AuditEvent.objects.count() == 0
