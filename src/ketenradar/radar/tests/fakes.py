"""A matcher whose answers a test sets (``KETENRADAR_PERSON_MATCHER``): by reported surname."""

from __future__ import annotations

from typing import ClassVar

from ketenradar.persons.matching import Match, ReportedPerson
from ketenradar.radar.engine.records import FieldEvidence


class FakeMatcher:
    answers: ClassVar[dict[str, list[tuple[int, float, str]]]] = {}

    def match(self, reported: ReportedPerson) -> list[Match]:
        from ketenradar.persons.models import Person

        out = []
        for pk, probability, band in self.answers.get(reported.surname, []):
            out.append(
                Match(
                    Person.objects.get(pk=pk),
                    probability,
                    band,
                    {"achternaam": "lijkt sterk op", "geboortedatum": "gelijk"},
                    (
                        FieldEvidence("achternaam", "lijkt sterk op", 3.25),
                        FieldEvidence("geboortedatum", "gelijk", 9.5),
                        FieldEvidence("bsn", "ontbreekt", 0.0),
                        FieldEvidence("postcode", "verschilt", -2.0),
                    ),
                )
            )
        return out
