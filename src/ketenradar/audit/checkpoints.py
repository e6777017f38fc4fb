"""Signed checkpoints of the access log's chain head, kept outside the database.

The chain head lives in the same database as the events, so whoever can delete the newest
events can also set the head back. A checkpoint records the head (``seq`` and ``hash``) at
a moment, signed with HMAC-SHA256, and is written where the database cannot reach it: the
log stream (structlog event ``audit_checkpoint``) and a file of JSON lines
(``KETENRADAR_AUDIT_CHECKPOINT_PATH``). The verifier compares the log with the checkpoints
(``verification.verify_chain``).

A checkpoint is written after the commit of a transaction whose events take the log past a
multiple of ``KETENRADAR_AUDIT_CHECKPOINT_EVERY``, and by ``manage.py audit_checkpoint``
(for a scheduled job).

The signed message is the canonical JSON of ``{"at", "hash", "seq", "v"}`` (sorted keys, no
whitespace); the key is ``KETENRADAR_AUDIT_CHECKPOINT_KEY`` (UTF-8), or when that is empty
``salted_hmac(SALT, "checkpoint key", secret=SECRET_KEY, algorithm="sha256").digest()``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

import structlog

from ketenradar.audit.models import AuditChainHead, AuditEvent

SALT = "ketenradar.audit.checkpoint"
VERSION = 1


class CheckpointError(Exception):
    """The chain head cannot be checkpointed (missing, or not the last event's)."""


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    hash: str
    at: str  # ISO 8601, UTC, milliseconds: signed as written

    def message(self) -> bytes:
        data = {"at": self.at, "hash": self.hash, "seq": self.seq, "v": VERSION}
        return json.dumps(data, sort_keys=True, separators=(",", ":")).encode()

    def signature(self) -> str:
        return hmac.new(_key(), self.message(), hashlib.sha256).hexdigest()

    def when(self) -> str:
        """The time for people: ``2025-03-14 09:26:53 UTC``."""
        return f"{datetime.fromisoformat(self.at):%Y-%m-%d %H:%M:%S} UTC"

    def as_dict(self) -> dict[str, Any]:
        return {
            "v": VERSION,
            "seq": self.seq,
            "hash": self.hash,
            "at": self.at,
            "signature": self.signature(),
        }


def _key() -> bytes:
    key: str = settings.KETENRADAR_AUDIT_CHECKPOINT_KEY
    if key:
        return key.encode()
    return salted_hmac(SALT, "checkpoint key", algorithm="sha256").digest()


def checkpoint_write(seq: int, hash: str) -> Checkpoint:
    """Sign ``seq`` and ``hash`` (which must be committed) as of now, log the checkpoint and
    append it to the checkpoint file if one is configured. Raises ``OSError`` if the file
    cannot be written (the log line is written first)."""
    at = timezone.now().astimezone(UTC).isoformat(timespec="milliseconds")
    checkpoint = Checkpoint(seq=seq, hash=hash, at=at)
    line = checkpoint.as_dict()
    structlog.get_logger("ketenradar.audit").info("audit_checkpoint", **line)
    path: Path | None = settings.KETENRADAR_AUDIT_CHECKPOINT_PATH
    if path is not None:
        _append_line(Path(path), json.dumps(line, separators=(",", ":")) + "\n")
    return checkpoint


def _append_line(path: Path, line: str) -> None:
    """One ``write`` on a file opened for appending: lines of concurrent writers do not mix."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, line.encode())
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_after_commit(seq: int, hash: str) -> None:
    """The transaction has committed: a failing file must not fail the request."""
    try:
        checkpoint_write(seq, hash)
    except OSError as error:
        structlog.get_logger("ketenradar.audit").error(
            "audit_checkpoint_not_written", seq=seq, hash=hash, error=str(error)
        )


def after_append(before: int, seq: int, hash: str) -> None:
    """Called by the append, inside its transaction: if the events from ``before`` + 1 to
    ``seq`` pass a multiple of the interval, checkpoint ``seq`` once the transaction commits
    (never if it is rolled back)."""
    every: int = settings.KETENRADAR_AUDIT_CHECKPOINT_EVERY
    if every > 0 and seq // every > before // every:
        transaction.on_commit(partial(_write_after_commit, seq, hash))


def checkpoint_head() -> Checkpoint | None:
    """Checkpoint the committed chain head now (``None`` for an empty log). Refuses a head
    that is missing or does not match the stored event it names."""
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is None:
        raise CheckpointError("the chain head is missing")
    if head.seq == 0:
        return None
    stored = AuditEvent.objects.filter(seq=head.seq).values_list("hash", flat=True).first()
    if stored != head.hash:
        raise CheckpointError(f"the chain head does not match event {head.seq}")
    return checkpoint_write(head.seq, head.hash)


@dataclass(frozen=True)
class CheckpointLine:
    """One line of the checkpoint file: a checkpoint whose signature is right, or a problem."""

    number: int
    checkpoint: Checkpoint | None
    problem: str = ""


def checkpoint_lines(path: Path) -> Iterator[CheckpointLine]:
    """The lines of the checkpoint file, read one by one (empty lines skipped)."""
    with path.open(encoding="utf-8") as lines:
        for number, text in enumerate(lines, start=1):
            if text.strip():
                yield _parse(number, text)


def _parse(number: int, text: str) -> CheckpointLine:
    try:
        data = json.loads(text)
        checkpoint = Checkpoint(seq=data["seq"], hash=data["hash"], at=data["at"])
        signature = data["signature"]
        valid = (
            data.get("v") == VERSION
            and type(checkpoint.seq) is int
            and checkpoint.seq > 0
            and isinstance(checkpoint.hash, str)
            and isinstance(checkpoint.at, str)
            and isinstance(signature, str)
        )
        if valid:
            checkpoint.when()  # a readable time
    except (ValueError, KeyError, TypeError):
        valid = False
    if not valid:
        return CheckpointLine(number, None, "not a checkpoint")
    if not hmac.compare_digest(signature, checkpoint.signature()):
        return CheckpointLine(number, None, "bad signature (another key, or altered)")
    return CheckpointLine(number, checkpoint)
