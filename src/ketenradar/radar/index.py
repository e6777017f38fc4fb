"""The radar's side of the database: persons as engine records, and their blocking keys.

Every person has the blocking keys of their record (names, date of birth, current address,
BSN) as ``PersonKey`` rows. ``refresh_keys`` brings them in step for some persons; it runs on
every save of a person or an address (``ketenradar.radar.signals``) and after the bulk paths
that bypass signals (the demo seeding). ``reindex_all`` rebuilds every key in batches.

``load_persons`` is the one query that reads persons with their current address, for both
the keys and the matcher: a person's current address is the one without ``valid_until``
(the most recent when there are several). Confidential addresses (a shelter's) are left
out: they are neither keys nor compared, so a lookup never finds someone by their stay
address, and housemates of a shelter are not candidates for one another.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, FilteredRelation, Q, QuerySet, Subquery

from ketenradar.persons.matching import ReportedPerson
from ketenradar.persons.models import Person
from ketenradar.persons.validators import normalise_bsn, normalise_postcode
from ketenradar.radar.engine.blocking import blocking_keys
from ketenradar.radar.engine.records import Record
from ketenradar.radar.models import MatchModel, PersonKey
from ketenradar.radar.statements import Statement

KEY_LENGTH = 64
CANDIDATES = 200  # persons read and scored per lookup, at most

PERSON_FIELDS: tuple[str, ...] = tuple(f.attname for f in Person._meta.concrete_fields)
ADDRESS_FIELDS = ("id", "postcode", "house_number", "house_letter", "street", "city")
_COLUMNS = PERSON_FIELDS + tuple(f"current__{name}" for name in ADDRESS_FIELDS)
_N_PERSON = len(PERSON_FIELDS)

Address = dict[str, Any]


def _persons(ids: Any) -> QuerySet[Person, tuple[Any, ...]]:
    return (
        Person.objects.filter(pk__in=ids)
        .annotate(
            current=FilteredRelation(
                "addresses",
                condition=Q(addresses__valid_until__isnull=True, addresses__is_confidential=False),
            )
        )
        .order_by()
        .values_list(*_COLUMNS)
    )


def _persons_of_rows(
    rows: Iterable[tuple[Any, ...]], db: str
) -> list[tuple[Person, Address | None]]:
    found: dict[int, tuple[Person, Address | None]] = {}
    for row in rows:
        pk = row[0]
        address = None
        if row[_N_PERSON] is not None:
            address = dict(zip(ADDRESS_FIELDS, row[_N_PERSON:], strict=True))
        known = found.get(pk)
        if known is not None:
            if address is None or (known[1] is not None and known[1]["id"] > address["id"]):
                continue
            found[pk] = (known[0], address)
            continue
        person = Person.from_db(db, PERSON_FIELDS, row[:_N_PERSON])
        found[pk] = (person, address)
    return list(found.values())


def load_persons(ids: Sequence[int]) -> list[tuple[Person, Address | None]]:
    """The persons with these ids and their current address, in one query (any order)."""
    if not ids:
        return []
    rows = _persons(ids)
    return _persons_of_rows(rows, rows.db)


KEY_SLOTS = 16  # the key list of a lookup is padded to a multiple of this


def _ranked_ids(keys: Sequence[str]) -> QuerySet[PersonKey, dict[str, Any]]:
    """The ids of the persons sharing most of these keys, at most ``CANDIDATES``."""
    return (
        PersonKey.objects.filter(key__in=keys)
        .values("person_id")
        .annotate(shared=Count("*"))
        .order_by("-shared", "person_id")
        .values("person_id")[:CANDIDATES]
    )


# what a candidate is read with: the fields of its record, not the whole person (building
# two hundred model instances, with their timestamps and UUIDs, cost more than the reads)
RECORD_FIELDS = (
    "id",
    "given_names",
    "initials",
    "surname_prefix",
    "surname",
    "birth_surname_prefix",
    "birth_surname",
    "partner_surname_prefix",
    "partner_surname",
    "birth_year",
    "birth_month",
    "birth_day",
    "sex",
    "bsn",
)
_N_RECORD = len(RECORD_FIELDS)
_CANDIDATE_COLUMNS = RECORD_FIELDS + tuple(f"current__{name}" for name in ADDRESS_FIELDS)


def _candidates(keys: Sequence[str]) -> QuerySet[Person, tuple[Any, ...]]:
    active = MatchModel.objects.filter(active=True).order_by("-trained_at", "-pk").values("pk")[:1]
    return (
        _persons(_ranked_ids(keys))
        .annotate(model_id=Subquery(active))
        .values_list(*_CANDIDATE_COLUMNS, "model_id")
    )


class Candidate:
    """A person a lookup read: the values of their record and current address. The
    ``Person`` is made only for the few that match (with the record's fields loaded, the
    others deferred)."""

    __slots__ = ("address", "db", "values")

    def __init__(self, values: tuple[Any, ...], address: Address | None, db: str) -> None:
        self.values = values
        self.address = address
        self.db = db

    @property
    def pk(self) -> int:
        return int(self.values[0])

    @property
    def bsn(self) -> str:
        return str(self.values[_N_RECORD - 1] or "")

    def person(self) -> Person:
        return Person.from_db(self.db, RECORD_FIELDS, self.values)

    def record(self) -> Record:
        v, address = self.values, self.address
        return Record(
            id=v[0],
            given_names=v[1],
            initials=v[2],
            surname_prefix=v[3],
            surname=v[4],
            birth_surname_prefix=v[5],
            birth_surname=v[6],
            partner_surname_prefix=v[7],
            partner_surname=v[8],
            birth_year=v[9],
            birth_month=v[10],
            birth_day=v[11],
            sex="" if v[12] == "o" else v[12],
            bsn=v[13] or "",
            postcode=address["postcode"] if address else "",
            house_number=address["house_number"] if address else None,
            house_letter=address["house_letter"] if address else "",
            street=address["street"] if address else "",
            city=address["city"] if address else "",
        )


# one statement per multiple of KEY_SLOTS keys (a record has about eight: one statement)
_STATEMENTS: dict[int, Statement] = {}


def candidates(keys: Sequence[str]) -> tuple[int | None, list[Candidate]]:
    """The persons sharing most of these keys (at most ``CANDIDATES``) with their current
    address, and the id of the active trained model (None: none), in ONE statement: the key
    index gives the ranked ids in a subquery. The key list is padded to a multiple of
    ``KEY_SLOTS`` by repeating a key, so that the statement's text hardly ever varies."""
    if not keys:
        return None, []
    size = -(-len(keys) // KEY_SLOTS) * KEY_SLOTS
    statement = _STATEMENTS.get(size)
    if statement is None:
        statement = Statement(_candidates, size, lambda i: f"~radar~{i}")
        _STATEMENTS[size] = statement
    rows = statement.rows(list(keys) + [keys[0]] * (size - len(keys)))
    if not rows:
        return None, []
    db = Person.objects.db
    found: dict[int, Candidate] = {}
    for row in rows:
        address = None
        if row[_N_RECORD] is not None:
            address = dict(zip(ADDRESS_FIELDS, row[_N_RECORD:-1], strict=True))
        known = found.get(row[0])
        if known is not None:
            # several current addresses: the newest
            if address is not None and (
                known.address is None or known.address["id"] < address["id"]
            ):
                known.address = address
            continue
        found[row[0]] = Candidate(row[:_N_RECORD], address, db)
    return rows[0][-1], list(found.values())


def record_of_person(person: Person, address: Address | None) -> Record:
    return Record(
        id=person.pk,
        given_names=person.given_names,
        initials=person.initials,
        surname_prefix=person.surname_prefix,
        surname=person.surname,
        birth_surname_prefix=person.birth_surname_prefix,
        birth_surname=person.birth_surname,
        partner_surname_prefix=person.partner_surname_prefix,
        partner_surname=person.partner_surname,
        birth_year=person.birth_year,
        birth_month=person.birth_month,
        birth_day=person.birth_day,
        sex="" if person.sex == "o" else person.sex,
        bsn=person.bsn or "",
        postcode=address["postcode"] if address else "",
        house_number=address["house_number"] if address else None,
        house_letter=address["house_letter"] if address else "",
        street=address["street"] if address else "",
        city=address["city"] if address else "",
    )


def record_of_reported(reported: ReportedPerson) -> Record:
    return Record(
        id=0,
        given_names=reported.given_names.strip(),
        initials=reported.initials.strip(),
        surname_prefix=reported.surname_prefix.strip(),
        surname=reported.surname.strip(),
        birth_year=reported.birth_year,
        birth_month=reported.birth_month,
        birth_day=reported.birth_day,
        sex="" if reported.sex in ("", "o") else reported.sex,
        bsn=normalise_bsn(reported.bsn),
        postcode=normalise_postcode(reported.postcode),
        house_number=reported.house_number,
        house_letter=reported.house_letter.strip(),
        street="" if reported.street.strip() == "-" else reported.street.strip(),
        city="" if reported.city.strip() == "-" else reported.city.strip(),
    )


def keys_of(record: Record) -> list[str]:
    """The record's blocking keys (the engine's, at most 64 characters, each once)."""
    seen: dict[str, None] = {}
    for key in blocking_keys(record):
        seen.setdefault(key[:KEY_LENGTH], None)
    return list(seen)


def add_keys_of_new(person: Person) -> None:
    """The keys of a person just inserted (no address, no keys yet): one insert."""
    keys = keys_of(record_of_person(person, None))
    PersonKey.objects.bulk_create(PersonKey(person_id=person.pk, key=key) for key in keys)


def refresh_keys(person_ids: Iterable[int]) -> None:
    """Bring the stored keys of these persons in step with their records: only the keys
    that changed are deleted or added (a person that no longer exists loses them all)."""
    ids = sorted(set(person_ids))
    if not ids:
        return
    wanted: set[tuple[int, str]] = set()
    for person, address in load_persons(ids):
        wanted.update((person.pk, key) for key in keys_of(record_of_person(person, address)))
    stored = {
        (person_id, key): pk
        for pk, person_id, key in PersonKey.objects.filter(person_id__in=ids).values_list(
            "pk", "person_id", "key"
        )
    }
    stale = [pk for pair, pk in stored.items() if pair not in wanted]
    if stale:
        PersonKey.objects.filter(pk__in=stale).delete()
    new = [PersonKey(person_id=p, key=k) for p, k in sorted(wanted) if (p, k) not in stored]
    if new:
        PersonKey.objects.bulk_create(new)


def _batches(batch: int) -> Iterator[list[int]]:
    last = 0
    while True:
        ids = list(
            Person.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:batch]
        )
        if not ids:
            return
        yield ids
        last = ids[-1]


def reindex_all(batch: int = 5000) -> int:
    """Bring every person's keys in step, ``batch`` persons per transaction (lookups keep
    working meanwhile: only changed keys are touched); returns the number of persons."""
    persons = 0
    for ids in _batches(batch):
        with transaction.atomic():
            refresh_keys(ids)
        persons += len(ids)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {PersonKey._meta.db_table}")
    return persons
