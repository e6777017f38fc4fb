"""Signed checkpoints of the chain head outside the database, and what the verifier finds
with and without them: a removed or replaced tail, a missing or foreign head, a gap."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils.crypto import salted_hmac

import pytest
import structlog
import time_machine

from ketenradar.accounts.actor import Actor
from ketenradar.audit import services as audit
from ketenradar.audit.checkpoints import SALT, Checkpoint
from ketenradar.audit.constants import AuditAction
from ketenradar.audit.models import AuditChainHead, AuditEvent
from ketenradar.audit.tests.tamper import delete_events, head_to_last_event
from ketenradar.audit.verification import ChainReport, verify_chain

CHECKPOINT_TIME = datetime(2025, 3, 14, 9, 26, 53, 589000, tzinfo=UTC)

Capture = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]


def _events(n: int, *, kind: str = "original") -> None:
    actor = Actor.system("test")
    for i in range(n):
        audit.record(
            actor=actor,
            action=AuditAction.READ,
            object_type="persons.person",
            object_id=f"{kind}-{i}",
            person_ids=[i],
        )


def _lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def _hash_of(seq: int) -> str:
    return AuditEvent.objects.values_list("hash", flat=True).get(seq=seq)


@pytest.fixture
def checkpoint_file(settings: Any, tmp_path: Path) -> Path:
    """A checkpoint file of this test, a checkpoint every 5 events."""
    path = tmp_path / "var" / "audit-checkpoints.jsonl"
    settings.KETENRADAR_AUDIT_CHECKPOINT_PATH = path
    settings.KETENRADAR_AUDIT_CHECKPOINT_EVERY = 5
    return path


@pytest.fixture
def committed(django_capture_on_commit_callbacks: Capture) -> Iterator[Callable[[int], None]]:
    """Write events as committed transactions would: their after-commit work runs, at a
    fixed time."""

    def write(n: int, kind: str = "original") -> None:
        with (
            time_machine.travel(CHECKPOINT_TIME, tick=False),
            django_capture_on_commit_callbacks(execute=True),
        ):
            _events(n, kind=kind)

    yield write


# Writing checkpoints


@pytest.mark.django_db
def test_a_checkpoint_is_written_after_each_multiple_of_the_interval(
    checkpoint_file: Path, committed: Callable[[int], None]
) -> None:
    with structlog.testing.capture_logs() as logs:
        committed(12)
    lines = _lines(checkpoint_file)
    assert [(line["seq"], line["hash"]) for line in lines] == [(5, _hash_of(5)), (10, _hash_of(10))]
    assert lines[0]["at"] == "2025-03-14T09:26:53.589+00:00"
    logged = [log for log in logs if log["event"] == "audit_checkpoint"]
    assert [(log["seq"], log["hash"], log["signature"]) for log in logged] == [
        (line["seq"], line["hash"], line["signature"]) for line in lines
    ]


@pytest.mark.django_db
def test_a_batch_past_a_multiple_checkpoints_its_last_event(
    checkpoint_file: Path, django_capture_on_commit_callbacks: Capture
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _events(3)
        # events 4 to 14, past 5 and 10: one checkpoint, of the batch's last event
        audit.record(actor=Actor.system("t"), action=AuditAction.LIST, person_ids=range(10, 21))
    assert [line["seq"] for line in _lines(checkpoint_file)] == [14]


@pytest.mark.django_db
def test_the_checkpoint_waits_for_the_commit(
    checkpoint_file: Path, django_capture_on_commit_callbacks: Capture
) -> None:
    with django_capture_on_commit_callbacks() as callbacks:
        _events(5)
        assert not checkpoint_file.exists()
    assert len(callbacks) == 1
    callbacks[0]()
    assert [line["seq"] for line in _lines(checkpoint_file)] == [5]


@pytest.mark.django_db
def test_no_checkpoint_for_a_rolled_back_transaction(
    checkpoint_file: Path, django_capture_on_commit_callbacks: Capture
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(ZeroDivisionError), transaction.atomic():
            _events(5)
            _ = 1 / 0
        _events(4)  # 1 to 4 again: no multiple passed
    assert callbacks == []
    assert not checkpoint_file.exists()


@pytest.mark.django_db
def test_a_file_that_cannot_be_written_does_not_fail_the_committed_action(
    checkpoint_file: Path, django_capture_on_commit_callbacks: Capture
) -> None:
    checkpoint_file.mkdir(parents=True)  # a directory where the file should be
    with structlog.testing.capture_logs() as logs, django_capture_on_commit_callbacks(execute=True):
        _events(5)
    events = [log["event"] for log in logs]
    assert events == ["audit_checkpoint", "audit_checkpoint_not_written"]


@pytest.mark.django_db
def test_the_command_checkpoints_the_current_head(
    checkpoint_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("audit_checkpoint")
    assert "empty" in capsys.readouterr().out
    _events(3)
    call_command("audit_checkpoint")
    assert "checkpoint of event 3 written" in capsys.readouterr().out
    assert [(line["seq"], line["hash"]) for line in _lines(checkpoint_file)] == [(3, _hash_of(3))]


@pytest.mark.django_db
def test_the_command_refuses_a_head_that_is_not_the_last_event(checkpoint_file: Path) -> None:
    _events(3)
    AuditChainHead.objects.filter(pk=1).update(hash="f" * 64)
    with pytest.raises(CommandError, match="does not match event 3"):
        call_command("audit_checkpoint")
    AuditChainHead.objects.all().delete()
    with pytest.raises(CommandError, match="head is missing"):
        call_command("audit_checkpoint")
    assert not checkpoint_file.exists()


@pytest.mark.django_db
def test_signed_with_the_checkpoint_key_or_a_key_derived_from_the_secret_key(
    settings: Any, checkpoint_file: Path
) -> None:
    _events(1)
    call_command("audit_checkpoint")
    settings.KETENRADAR_AUDIT_CHECKPOINT_KEY = "a-key-of-the-checkpoints-only"
    call_command("audit_checkpoint")
    derived, own = _lines(checkpoint_file)
    for line, key in [
        (derived, salted_hmac(SALT, "checkpoint key", algorithm="sha256").digest()),
        (own, b"a-key-of-the-checkpoints-only"),
    ]:
        message = json.dumps(
            {"at": line["at"], "hash": line["hash"], "seq": line["seq"], "v": 1},
            sort_keys=True,
            separators=(",", ":"),
        ).encode()
        assert line["signature"] == hmac.new(key, message, hashlib.sha256).hexdigest()


# Verifying against checkpoints


@pytest.mark.django_db
def test_an_intact_log_agrees_with_its_checkpoints(
    checkpoint_file: Path, committed: Callable[[int], None], capsys: pytest.CaptureFixture[str]
) -> None:
    committed(12)
    report = verify_chain()
    assert report.ok
    assert report.checkpoints == 2
    call_command("verify_audit_chain")
    assert "intact: 12 events (2 signed checkpoints agree)" in capsys.readouterr().out


@pytest.mark.django_db
def test_truncated_tail_names_the_gap(
    settings: Any, checkpoint_file: Path, committed: Callable[[int], None]
) -> None:
    """The newest events deleted and the head set back to the new last event: the chain and
    its head are consistent, only the signed checkpoint shows what is gone."""
    committed(7)  # a checkpoint of event 5
    delete_events(4, 5, 6, 7)
    head_to_last_event()

    settings.KETENRADAR_AUDIT_CHECKPOINT_PATH = None
    assert verify_chain().ok  # without the checkpoint this goes unseen

    settings.KETENRADAR_AUDIT_CHECKPOINT_PATH = checkpoint_file
    report = verify_chain()
    assert (report.ok, report.checked, report.broken_seq) == (False, 3, 4)
    with pytest.raises(CommandError) as error:
        call_command("verify_audit_chain")
    assert str(error.value) == (
        "Access log chain BROKEN at event 4: events 4 to 5 are missing: a signed checkpoint of "
        "2025-03-14 09:26:53 UTC records event 5 (3 events verified before it)."
    )


@pytest.mark.django_db
def test_truncation_since_the_last_checkpoint_is_not_found(
    checkpoint_file: Path, committed: Callable[[int], None]
) -> None:
    """The documented limit: fewer events than the interval, after the last checkpoint."""
    committed(7)
    delete_events(6, 7)
    head_to_last_event()
    assert verify_chain().ok


@pytest.mark.django_db
def test_replaced_tail_is_found_through_the_checkpoint(
    checkpoint_file: Path, committed: Callable[..., None]
) -> None:
    """The last events deleted and others appended in their place, through the application:
    a consistent chain with a consistent head, but not the events that were checkpointed."""
    committed(10)  # checkpoints of events 5 and 10
    delete_events(8, 9, 10)
    head_to_last_event()
    _events(3, kind="replacement")
    assert AuditEvent.objects.count() == 10

    report = verify_chain()
    assert (report.ok, report.broken_seq, report.checkpoints) == (False, 10, 1)
    assert report.problem == (
        "replaced: a signed checkpoint of 2025-03-14 09:26:53 UTC records another event 10; "
        "the log was rewritten from an event between 6 and 10 on"
    )


@pytest.mark.django_db
def test_an_altered_checkpoint_has_a_bad_signature(
    checkpoint_file: Path, committed: Callable[[int], None]
) -> None:
    """Lowering the checkpoint's seq would hide a truncation: the signature no longer fits,
    and the altered line is not used."""
    committed(7)
    line = _lines(checkpoint_file)[0]
    checkpoint_file.write_text(json.dumps({**line, "seq": 3}) + "\n")
    report = verify_chain()
    assert (report.ok, report.broken_seq, report.checkpoint_line) == (False, None, 1)
    assert report.problem == "bad signature (another key, or altered)"
    with pytest.raises(CommandError, match=r"BROKEN at line 1 of the checkpoint file .*bad sig"):
        call_command("verify_audit_chain")


@pytest.mark.django_db
def test_a_checkpoint_signed_with_another_key_is_not_trusted(
    settings: Any, checkpoint_file: Path, committed: Callable[[int], None]
) -> None:
    committed(7)
    forged = Checkpoint(seq=99, hash="e" * 64, at="2025-03-14T09:26:53.589+00:00")
    settings.KETENRADAR_AUDIT_CHECKPOINT_KEY = "the-attackers-key"
    with checkpoint_file.open("a") as file:
        file.write(json.dumps(forged.as_dict()) + "\n")
        file.write("not json\n")
    settings.KETENRADAR_AUDIT_CHECKPOINT_KEY = ""
    report = verify_chain()
    assert (report.checkpoints, report.broken_seq, report.checkpoint_line) == (1, None, 2)
    assert "bad signature" in report.problem


@pytest.mark.django_db
def test_a_line_that_is_no_checkpoint_is_reported(
    checkpoint_file: Path, committed: Callable[[int], None]
) -> None:
    committed(2)
    checkpoint_file.parent.mkdir(parents=True)
    checkpoint_file.write_text('{"seq": 1}\n')
    report = verify_chain()
    assert (report.ok, report.checkpoint_line, report.problem) == (False, 1, "not a checkpoint")


@pytest.mark.django_db
def test_no_checkpoint_file_yet(checkpoint_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _events(2)
    call_command("verify_audit_chain")
    assert "intact: 2 events (no signed checkpoint in" in capsys.readouterr().out


# The head and the chain, with or without checkpoints


@pytest.mark.django_db
def test_missing_head() -> None:
    _events(3)
    AuditChainHead.objects.all().delete()
    report = verify_chain()
    assert (report.ok, report.broken_seq, report.problem) == (
        False,
        None,
        "the chain head is missing",
    )
    with pytest.raises(CommandError, match="BROKEN at chain head: the chain head is missing"):
        call_command("verify_audit_chain")


@pytest.mark.django_db
def test_foreign_head() -> None:
    """A head with the right count but another hash: not the head of this log."""
    _events(3)
    AuditChainHead.objects.filter(pk=1).update(hash="f" * 64)
    report = verify_chain()
    assert (report.ok, report.broken_seq) == (False, None)
    assert report.problem == "the chain head does not match event 3, the last"


@pytest.mark.django_db
def test_missing_middle_event() -> None:
    _events(5)
    delete_events(3)
    head_to_last_event()
    report = verify_chain()
    assert (report.ok, report.checked, report.broken_seq) == (False, 2, 3)
    assert report.problem == "event 3 is missing"


def test_a_report_with_a_broken_event_is_not_ok() -> None:
    assert not ChainReport(checked=4, broken_seq=5).ok


def test_a_report_with_a_problem_is_not_ok() -> None:
    assert not ChainReport(checked=5, problem="the chain head is missing").ok


def test_a_report_without_either_is_ok() -> None:
    assert ChainReport(checked=5).ok
