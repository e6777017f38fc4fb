"""Verify the hash chain of the access log and name the first broken link.

With a checkpoint file configured (``KETENRADAR_AUDIT_CHECKPOINT_PATH``), the log is also
compared with the signed checkpoints in it: a checkpoint beyond the last event means the
tail was removed, one whose hash differs from the stored event means the tail was replaced.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from ketenradar.audit.chain import HASHED_FIELDS, event_hash
from ketenradar.audit.checkpoints import Checkpoint, checkpoint_lines
from ketenradar.audit.models import GENESIS_HASH, AuditChainHead, AuditEvent


@dataclass(frozen=True)
class ChainReport:
    checked: int
    broken_seq: int | None = None
    problem: str = ""
    checkpoints: int = 0  # signed checkpoints that agree with the log
    checkpoint_line: int | None = None  # the line of the checkpoint file the problem is on

    @property
    def ok(self) -> bool:
        return self.broken_seq is None and not self.problem


@dataclass(frozen=True)
class _Checkpoints:
    by_seq: dict[int, list[Checkpoint]]
    bad_line: int | None = None
    bad_problem: str = ""


def _read_checkpoints() -> _Checkpoints | None:
    """The checkpoints whose signature is right, by ``seq`` (``None``: no file configured; a
    configured file that does not exist yet holds none). The first bad line is kept."""
    path: Path | None = settings.KETENRADAR_AUDIT_CHECKPOINT_PATH
    if path is None:
        return None
    by_seq: dict[int, list[Checkpoint]] = {}
    if not Path(path).exists():
        return _Checkpoints(by_seq)
    bad_line, bad_problem = None, ""
    for line in checkpoint_lines(Path(path)):
        if line.checkpoint is not None:
            by_seq.setdefault(line.checkpoint.seq, []).append(line.checkpoint)
        elif bad_line is None:
            bad_line, bad_problem = line.number, line.problem
    return _Checkpoints(by_seq, bad_line, bad_problem)


def verify_chain(*, chunk_size: int = 5000) -> ChainReport:
    checkpoints = _read_checkpoints()
    by_seq = checkpoints.by_seq if checkpoints else {}
    agreed = 0  # checkpoints that agree with the log
    agreed_seq = 0  # the last event a checkpoint agrees with
    expected_seq = 1
    prev = GENESIS_HASH
    checked = 0
    values_fields = [*HASHED_FIELDS, "hash"]
    rows = AuditEvent.objects.order_by("seq").values(*values_fields).iterator(chunk_size)
    for row in rows:
        seq = row["seq"]
        if seq != expected_seq:
            return ChainReport(checked, expected_seq, f"event {expected_seq} is missing", agreed)
        if row["prev_hash"] != prev:
            return ChainReport(checked, seq, "does not link to the event before it", agreed)
        if event_hash(row) != row["hash"]:
            return ChainReport(checked, seq, "content does not match its hash (altered)", agreed)
        for checkpoint in by_seq.get(seq, ()):
            if checkpoint.hash != row["hash"]:
                return ChainReport(
                    checked,
                    seq,
                    f"replaced: a signed checkpoint of {checkpoint.when()} records another "
                    f"event {seq}; the log was rewritten from an event between "
                    f"{agreed_seq + 1} and {seq} on",
                    agreed,
                )
            agreed += 1
            agreed_seq = seq
        prev = row["hash"]
        expected_seq += 1
        checked += 1
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is None:
        if checked:
            return ChainReport(checked, None, "the chain head is missing", agreed)
    elif head.seq != checked:
        return ChainReport(
            checked,
            checked + 1,
            f"the chain head records {head.seq} events, the log holds {checked}",
            agreed,
        )
    elif head.hash != prev:
        return ChainReport(
            checked, None, f"the chain head does not match event {checked}, the last", agreed
        )
    beyond = max(by_seq, default=0)
    if beyond > checked:
        checkpoint = by_seq[beyond][0]
        return ChainReport(
            checked,
            checked + 1,
            f"events {checked + 1} to {beyond} are missing: a signed checkpoint of "
            f"{checkpoint.when()} records event {beyond}",
            agreed,
        )
    if checkpoints and checkpoints.bad_line is not None:
        return ChainReport(
            checked, None, checkpoints.bad_problem, agreed, checkpoint_line=checkpoints.bad_line
        )
    return ChainReport(checked, checkpoints=agreed)
