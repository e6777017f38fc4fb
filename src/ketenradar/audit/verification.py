"""Verify the hash chain of the access log and name the first broken link."""

from __future__ import annotations

from dataclasses import dataclass

from ketenradar.audit.chain import HASHED_FIELDS, event_hash
from ketenradar.audit.models import GENESIS_HASH, AuditChainHead, AuditEvent


@dataclass(frozen=True)
class ChainReport:
    checked: int
    broken_seq: int | None = None
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_seq is None and not self.problem


def verify_chain(*, chunk_size: int = 5000) -> ChainReport:
    expected_seq = 1
    prev = GENESIS_HASH
    checked = 0
    values_fields = [*HASHED_FIELDS, "hash"]
    rows = AuditEvent.objects.order_by("seq").values(*values_fields).iterator(chunk_size)
    for row in rows:
        seq = row["seq"]
        if seq != expected_seq:
            return ChainReport(checked, expected_seq, f"event {expected_seq} is missing")
        if row["prev_hash"] != prev:
            return ChainReport(checked, seq, "does not link to the event before it")
        if event_hash(row) != row["hash"]:
            return ChainReport(checked, seq, "content does not match its hash (altered)")
        prev = row["hash"]
        expected_seq += 1
        checked += 1
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is None:
        if checked:
            return ChainReport(checked, None, "the chain head is missing")
        return ChainReport(0)
    if head.seq != checked or head.hash != prev:
        return ChainReport(
            checked,
            None if head.seq == checked else checked + 1,
            f"the chain head records {head.seq} events, the log holds {checked}",
        )
    return ChainReport(checked)
