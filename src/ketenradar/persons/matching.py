"""The matching interface: which known persons is a reported person?

Every intake asks ``get_matcher().match(reported)``. The rules here are exact (BSN; or
surname + full date of birth + postcode); the probabilistic engine of the radar plugs in
behind the same interface (``KETENRADAR_PERSON_MATCHER`` names the class).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from django.conf import settings
from django.db.models import Q
from django.utils.module_loading import import_string

from ketenradar.persons.models import Person
from ketenradar.persons.validators import normalise_bsn, normalise_postcode


@dataclass(frozen=True)
class ReportedPerson:
    """A person as a report describes them; anything may be missing."""

    bsn: str = ""
    given_names: str = ""
    initials: str = ""
    surname_prefix: str = ""
    surname: str = ""
    birth_year: int | None = None
    birth_month: int | None = None
    birth_day: int | None = None
    sex: str = "o"
    postcode: str = ""
    house_number: int | None = None
    house_letter: str = ""
    house_number_addition: str = ""
    street: str = ""
    city: str = ""


@dataclass(frozen=True)
class Match:
    person: Person
    probability: float
    band: str  # "zeker", "mogelijk"
    explanation: dict[str, str] = field(default_factory=dict)
    # the radar's per-field evidence (ketenradar.radar.engine.records.FieldEvidence)
    evidence: tuple[Any, ...] = ()


class PersonMatcher(Protocol):
    def match(self, reported: ReportedPerson) -> list[Match]: ...


class ExactMatcher:
    """BSN equal; or surname (own or partner's) + full date of birth + current postcode."""

    def match(self, reported: ReportedPerson) -> list[Match]:
        bsn = normalise_bsn(reported.bsn)
        if bsn:
            person = Person.objects.filter(bsn=bsn).first()
            if person is not None:
                return [Match(person, 1.0, "zeker", {"bsn": "gelijk"})]
        if not (
            reported.surname
            and reported.birth_year
            and reported.birth_month
            and reported.birth_day
            and reported.postcode
        ):
            return []
        surname = reported.surname.strip()
        candidates = Person.objects.all()
        if bsn:
            # No one has the reported BSN: a known person with a BSN is someone else.
            candidates = candidates.filter(bsn__isnull=True)
        found = (
            candidates.filter(
                Q(surname__iexact=surname) | Q(partner_surname__iexact=surname),
                birth_year=reported.birth_year,
                birth_month=reported.birth_month,
                birth_day=reported.birth_day,
                addresses__postcode=normalise_postcode(reported.postcode),
                addresses__valid_until__isnull=True,
            )
            .distinct()
            .order_by("pk")[:10]
        )
        explanation = {"achternaam": "gelijk", "geboortedatum": "gelijk", "postcode": "gelijk"}
        first_name = reported.given_names.split()[0].lower() if reported.given_names else ""
        if len(found) > 1 and first_name:
            # Twins share surname, date of birth and address: the given name decides.
            named = [p for p in found if p.given_names.lower().split()[:1] == [first_name]]
            if len(named) == 1:
                return [Match(named[0], 1.0, "zeker", {**explanation, "voornaam": "gelijk"})]
        band = "zeker" if len(found) == 1 else "mogelijk"
        return [Match(p, 1.0 if band == "zeker" else 0.5, band, explanation) for p in found]


def get_matcher() -> PersonMatcher:
    path = getattr(
        settings, "KETENRADAR_PERSON_MATCHER", "ketenradar.persons.matching.ExactMatcher"
    )
    matcher: PersonMatcher = import_string(path)()
    return matcher
