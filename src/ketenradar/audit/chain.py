"""The hash chain over access-log events: one canonical form, one hash function."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

HASHED_FIELDS = (
    "seq",
    "occurred_at",
    "user_id",
    "username",
    "role",
    "organisation_id",
    "organisation_name",
    "action",
    "outcome",
    "object_type",
    "object_id",
    "person_id",
    "reason",
    "break_glass",
    "request_id",
    "ip_address",
    "detail",
    "prev_hash",
)


def canonical(values: dict[str, Any]) -> bytes:
    data = {}
    for name in HASHED_FIELDS:
        value = values[name]
        if isinstance(value, datetime):
            value = value.isoformat(timespec="milliseconds")
        data[name] = value
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def event_hash(values: dict[str, Any]) -> str:
    return hashlib.sha256(canonical(values)).hexdigest()
