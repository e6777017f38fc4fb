"""Every stored field of an event is covered by its hash, and the canonical form is pinned.

The fields are taken from the model, not from ``HASHED_FIELDS``: a field dropped from the
hash (or a new column that was never added to it) makes these tests fail.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

from django.db import models, transaction

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from ketenradar.accounts.actor import Actor
from ketenradar.audit import services as audit
from ketenradar.audit.chain import HASHED_FIELDS, canonical, event_hash
from ketenradar.audit.constants import AuditAction
from ketenradar.audit.models import AuditEvent
from ketenradar.audit.tests.tamper import rehash_event, update_event
from ketenradar.audit.verification import verify_chain

# Every column of an event except its own id and its hash.
EVENT_FIELDS = [
    f.attname for f in AuditEvent._meta.concrete_fields if f.attname not in {"id", "hash"}
]

# Text as PostgreSQL stores it: no NUL, no lone surrogates.
_char = st.characters(exclude_categories=("Cs",), exclude_characters="\x00")
_bigint = st.integers(-(2**63), 2**63 - 1)
_json_scalar = (
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.text(_char, max_size=20)
)
_json = st.recursive(
    _json_scalar,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(_char, max_size=8), inner),
    max_leaves=8,
)
# The canonical form keeps milliseconds, as the application stores them.
_times = st.datetimes(
    min_value=datetime(2000, 1, 1),  # naive bounds, UTC values
    max_value=datetime(2100, 1, 1),
    timezones=st.just(UTC),
).map(lambda t: t.replace(microsecond=t.microsecond // 1000 * 1000))
_hashes = st.text("0123456789abcdef", min_size=64, max_size=64)


def values_of(name: str) -> st.SearchStrategy[Any]:
    """Values that the column ``name`` can hold, by the kind of field it is."""
    if name == "prev_hash":
        return _hashes
    field = AuditEvent._meta.get_field(name.removesuffix("_id") if name == "user_id" else name)
    if isinstance(field, models.ForeignKey):
        kind: st.SearchStrategy[Any] = st.integers(1, 2**63 - 1)
    elif isinstance(field, models.DateTimeField):
        kind = _times
    elif isinstance(field, models.BooleanField):
        kind = st.booleans()
    elif isinstance(field, models.GenericIPAddressField):
        kind = st.ip_addresses().map(str)
    elif isinstance(field, models.JSONField):
        kind = st.dictionaries(st.text(_char, max_size=8), _json, max_size=4)
    elif isinstance(field, models.BigIntegerField):
        kind = _bigint
    elif isinstance(field, models.CharField | models.TextField):
        kind = st.text(_char, max_size=field.max_length or 200)
    else:  # a new kind of field: give it a strategy here
        raise AssertionError(f"no values for {name} ({type(field).__name__})")
    return st.none() | kind if field.null else kind


def test_hashed_fields_are_every_column_but_id_and_hash() -> None:
    assert len(HASHED_FIELDS) == len(set(HASHED_FIELDS))
    assert set(HASHED_FIELDS) == set(EVENT_FIELDS)


events = st.fixed_dictionaries({name: values_of(name) for name in EVENT_FIELDS})


@pytest.mark.parametrize("name", EVENT_FIELDS)
@settings(database=None, max_examples=30)
@given(values=events, data=st.data())
def test_event_hash_changes_when_any_one_field_changes(
    name: str, values: dict[str, Any], data: st.DataObject
) -> None:
    new = data.draw(values_of(name), label=name)
    assume(new != values[name])
    assert event_hash({**values, name: new}) != event_hash(values)


def _events(n: int) -> None:
    actor = Actor.system("test")
    for i in range(n):
        audit.record(
            actor=actor,
            action=AuditAction.READ,
            object_type="persons.person",
            object_id=str(i),
            person_ids=[i],
            detail={"shown": i},
        )


@pytest.mark.django_db
@pytest.mark.parametrize("name", EVENT_FIELDS)
def test_changing_any_field_of_a_stored_event_is_found(name: str) -> None:
    """A change of one field behind the application's back breaks the chain at that event.
    ``seq`` changed shows as a missing event. ``prev_hash`` is changed the way that would go
    unseen if it were not hashed: the event before it is altered and re-hashed, and this
    event's link is pointed at the new hash; this event then no longer matches its hash."""

    @settings(
        database=None,
        deadline=None,
        max_examples=15,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(data=st.data())
    def check(data: st.DataObject) -> None:
        with transaction.atomic():
            _events(3)
            if name == "prev_hash":
                seq = data.draw(st.integers(2, 3), label="seq")
                before = data.draw(values_of("username"), label="username before it")
                assume(before != "test")
                update_event(seq, prev_hash=rehash_event(seq - 1, username=before))
            elif name == "seq":
                seq = data.draw(st.integers(1, 3), label="seq")
                update_event(seq, seq=data.draw(st.integers(4, 2**63 - 1), label="new seq"))
            else:
                seq = data.draw(st.integers(1, 3), label="seq")
                stored = AuditEvent.objects.values_list(name, flat=True).get(seq=seq)
                new = data.draw(values_of(name), label=name)
                assume(new != stored)
                update_event(seq, **{name: new})
            report = verify_chain()
            assert not report.ok
            assert report.broken_seq == seq
            assert ("missing" if name == "seq" else "altered") in report.problem
            transaction.set_rollback(True)

    check()


# The canonical form and hash of two events, computed once (2025) and checked by hand
# against docs/audit-logging.md: sorted keys, no whitespace, UTF-8 without escapes, the time
# in ISO 8601 cut (not rounded) to milliseconds. A change here breaks every stored chain.
KNOWN_READ = {
    "seq": 4711,
    "occurred_at": datetime(2025, 3, 14, 9, 26, 53, 589793, tzinfo=UTC),
    "user_id": 42,
    "username": "j.de.vries",
    "role": "vt_professional",
    "organisation_id": 7,
    "organisation_name": "Veilig Thuis Haaglanden",
    "action": "read",
    "outcome": "success",
    "object_type": "persons.person",
    "object_id": "9f1c0d2e4b6a48c3a1e2f3d4c5b6a798",
    "person_id": 1234,
    "reason": "spoed: zorg om kind (€, ë)",
    "break_glass": True,
    "request_id": "0123456789abcdef0123456789abcdef",
    "ip_address": "192.0.2.10",
    "detail": {"shown": 3, "fields": ["surname", "bsn"], "a": {"z": None, "b": False}},
    "prev_hash": "ab" * 32,
}
KNOWN_READ_CANONICAL = (
    b'{"action":"read","break_glass":true,'
    b'"detail":{"a":{"b":false,"z":null},"fields":["surname","bsn"],"shown":3},'
    b'"ip_address":"192.0.2.10","object_id":"9f1c0d2e4b6a48c3a1e2f3d4c5b6a798",'
    b'"object_type":"persons.person","occurred_at":"2025-03-14T09:26:53.589+00:00",'
    b'"organisation_id":7,"organisation_name":"Veilig Thuis Haaglanden","outcome":"success",'
    b'"person_id":1234,'
    b'"prev_hash":"abababababababababababababababababababababababababababababababab",'
    b'"reason":"spoed: zorg om kind (\xe2\x82\xac, \xc3\xab)",'
    b'"request_id":"0123456789abcdef0123456789abcdef","role":"vt_professional","seq":4711,'
    b'"user_id":42,"username":"j.de.vries"}'
)
KNOWN_READ_HASH = "9190dd9bd39d0d7b2307f5798dcac1ecf8a40856be9ede2db1d194f21800b425"

KNOWN_SYSTEM = {
    "seq": 1,
    "occurred_at": datetime(2024, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
    "user_id": None,
    "username": "system:seed_demo",
    "role": "",
    "organisation_id": None,
    "organisation_name": "",
    "action": "create",
    "outcome": "success",
    "object_type": "",
    "object_id": "",
    "person_id": None,
    "reason": "",
    "break_glass": False,
    "request_id": "",
    "ip_address": None,
    "detail": {},
    "prev_hash": "0" * 64,
}
KNOWN_SYSTEM_CANONICAL = (
    b'{"action":"create","break_glass":false,"detail":{},"ip_address":null,"object_id":"",'
    b'"object_type":"","occurred_at":"2024-12-31T23:59:59.999+00:00","organisation_id":null,'
    b'"organisation_name":"","outcome":"success","person_id":null,'
    b'"prev_hash":"0000000000000000000000000000000000000000000000000000000000000000",'
    b'"reason":"","request_id":"","role":"","seq":1,"user_id":null,'
    b'"username":"system:seed_demo"}'
)
KNOWN_SYSTEM_HASH = "c0caa0e5e3e0c111d76aba5353e367afefeb4d333c283c87e3c9fd23836f1825"


@pytest.mark.parametrize(
    ("values", "expected_bytes", "expected_hash"),
    [
        (KNOWN_READ, KNOWN_READ_CANONICAL, KNOWN_READ_HASH),
        (KNOWN_SYSTEM, KNOWN_SYSTEM_CANONICAL, KNOWN_SYSTEM_HASH),
    ],
    ids=["read", "system"],
)
def test_canonical_form_is_pinned(
    values: dict[str, Any], expected_bytes: bytes, expected_hash: str
) -> None:
    assert canonical(values) == expected_bytes
    assert hashlib.sha256(expected_bytes).hexdigest() == expected_hash
    assert event_hash(values) == expected_hash
