"""A synthetic Dutch population in households (Faker ``nl_NL``), deterministic per seed.

Only synthetic data, ever: names, addresses and BSNs are generated. BSNs pass the
11-proef; postcodes fall in each municipality's own range.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from faker import Faker

from ketenradar.persons.validators import is_valid_bsn

TUSSENVOEGSELS = (
    "van der",
    "van den",
    "van de",
    "van 't",
    "in 't",
    "in de",
    "op den",
    "op de",
    "van",
    "de",
    "den",
    "der",
    "ter",
    "ten",
    "te",
    "het",
    "'t",
)


def split_surname(full: str) -> tuple[str, str]:
    """'van der Berg' -> ('van der', 'Berg')."""
    lower = full.lower()
    for prefix in TUSSENVOEGSELS:
        if lower.startswith(prefix + " "):
            return full[: len(prefix)], full[len(prefix) + 1 :]
    return "", full


@dataclass
class SynthPerson:
    key: str
    given_names: str
    surname_prefix: str
    surname: str
    sex: str
    birth_year: int | None
    birth_month: int | None
    birth_day: int | None
    bsn: str | None
    no_bsn_reason: str = ""
    partner_surname_prefix: str = ""
    partner_surname: str = ""
    name_usage: str = "E"
    household_role: str = "overig"

    @property
    def initials(self) -> str:
        return "".join(f"{n[0]}." for n in self.given_names.split())


@dataclass
class SynthHousehold:
    key: str
    label: str
    municipality_code: str
    street: str
    house_number: int
    house_letter: str
    postcode: str
    city: str
    moved_in: dt.date
    members: list[SynthPerson] = field(default_factory=list)
    relations: list[tuple[int, int, str]] = field(default_factory=list)  # (from idx, to idx, kind)


class PopulationGenerator:
    def __init__(self, *, seed: int, municipalities: list[dict], today: dt.date) -> None:
        self.rng = random.Random(seed)  # noqa: S311 - synthetic data, not security
        self.fake = Faker("nl_NL")
        self.fake.seed_instance(seed)
        self.municipalities = municipalities
        self.weights = [m["inhabitants"] for m in municipalities]
        self.today = today
        self.used_bsns: set[str] = set()
        self.counter = 0
        self.households = 0

    def bsn(self) -> str:
        while True:
            candidate = f"{self.rng.randint(10_000_000, 999_999_999):09d}"
            if is_valid_bsn(candidate) and candidate not in self.used_bsns:
                self.used_bsns.add(candidate)
                return candidate

    def _birth(self, min_age: int, max_age: int) -> tuple[int, int, int]:
        days = self.rng.randint(min_age * 365, max_age * 365 + 364)
        d = self.today - dt.timedelta(days=days)
        return d.year, d.month, d.day

    def _person(
        self, *, sex: str, surname: str, min_age: int, max_age: int, role: str
    ) -> SynthPerson:
        self.counter += 1
        given = self.fake.first_name_female() if sex == "v" else self.fake.first_name_male()
        if self.rng.random() < 0.35:
            second = self.fake.first_name_female() if sex == "v" else self.fake.first_name_male()
            if second != given:
                given = f"{given} {second}"
        prefix, name = split_surname(surname)
        year, month, day = self._birth(min_age, max_age)
        person = SynthPerson(
            key=f"p{self.counter}",
            given_names=given,
            surname_prefix=prefix,
            surname=name,
            sex=sex,
            birth_year=year,
            birth_month=month,
            birth_day=day,
            bsn=None,
            household_role=role,
        )
        roll = self.rng.random()
        if roll < 0.03:
            person.no_bsn_reason = "ongedocumenteerd"
        elif roll < 0.05:
            person.no_bsn_reason = "onbekend"
        else:
            person.bsn = self.bsn()
        if self.rng.random() < 0.02:  # only the year is known
            person.birth_month = person.birth_day = None
        return person

    def household(self) -> SynthHousehold:
        municipality = self.rng.choices(self.municipalities, weights=self.weights)[0]
        low, high = self.rng.choice(municipality["postcodes"])
        postcode = f"{self.rng.randint(low, high)}{self._letters()}"
        surname = self.fake.last_name()
        self.households += 1
        hh = SynthHousehold(
            key=f"h{self.households}",
            label=f"Huishouden {surname}",
            municipality_code=municipality["cbs_code"],
            street=self.fake.street_name(),
            house_number=self.rng.randint(1, 250),
            house_letter=self.rng.choice(["", "", "", "", "A", "B"]),
            postcode=postcode,
            city=municipality["name"],
            moved_in=self.today - dt.timedelta(days=self.rng.randint(30, 6000)),
        )
        kind = self.rng.choices(
            ["couple_kids", "single_parent", "single", "couple", "elderly"],
            weights=[35, 15, 25, 15, 10],
        )[0]
        if kind in ("couple_kids", "couple", "elderly"):
            ages = (65, 90) if kind == "elderly" else (24, 55)
            father = self._person(
                sex="m",
                surname=surname,
                min_age=ages[0],
                max_age=ages[1],
                role="ouder" if kind == "couple_kids" else "partner",
            )
            mother_surname = self.fake.last_name()
            mother = self._person(
                sex="v",
                surname=mother_surname,
                min_age=ages[0],
                max_age=ages[1],
                role="ouder" if kind == "couple_kids" else "partner",
            )
            if self.rng.random() < 0.3:  # uses her partner's surname
                mother.partner_surname_prefix, mother.partner_surname = (
                    father.surname_prefix,
                    father.surname,
                )
                mother.name_usage = self.rng.choice(["P", "V", "N"])
            hh.members += [father, mother]
            hh.relations.append((0, 1, "partner"))
            if kind == "couple_kids":
                self._children(
                    hh,
                    surname,
                    parents=[0, 1],
                    max_parent_age=min(55, 2026 - (father.birth_year or 1990)),
                )
        elif kind == "single_parent":
            mother_surname = self.fake.last_name()
            mother = self._person(
                sex="v", surname=mother_surname, min_age=22, max_age=50, role="ouder"
            )
            hh.members.append(mother)
            hh.label = f"Huishouden {mother_surname}"
            # children carry the father's surname, or the mother's when the father is unknown
            child_surname = surname if self.rng.random() < 0.6 else mother_surname
            self._children(hh, child_surname, parents=[0], max_parent_age=30)
        else:
            sex = self.rng.choice(["m", "v"])
            hh.members.append(
                self._person(sex=sex, surname=surname, min_age=19, max_age=85, role="overig")
            )
        return hh

    def _children(
        self, hh: SynthHousehold, surname: str, *, parents: list[int], max_parent_age: int
    ) -> None:
        count = self.rng.choices([1, 2, 3, 4], weights=[35, 40, 18, 7])[0]
        first_child = len(hh.members)
        for i in range(count):
            child = self._person(
                sex=self.rng.choice(["m", "v"]), surname=surname, min_age=0, max_age=17, role="kind"
            )
            if i == 0 and self.rng.random() < 0.05:  # a newborn without a name or BSN yet
                child.given_names = ""
                child.bsn = None
                child.no_bsn_reason = "nog_niet_toegekend"
                y, m, d = self._birth(0, 0)
                child.birth_year, child.birth_month, child.birth_day = y, m, d
            hh.members.append(child)
            idx = len(hh.members) - 1
            for p in parents:
                hh.relations.append((p, idx, "ouder_kind"))
            for sibling in range(first_child, idx):
                hh.relations.append((sibling, idx, "broer_zus"))
        if count >= 2 and self.rng.random() < 0.1:  # twins
            a, b = hh.members[first_child], hh.members[first_child + 1]
            b.birth_year, b.birth_month, b.birth_day = a.birth_year, a.birth_month, a.birth_day

    def _letters(self) -> str:
        letters = "ABCDEFGHJKLMNPRTVWXZ"
        while True:
            pair = self.rng.choice(letters) + self.rng.choice(letters)
            if pair not in ("SA", "SD", "SS"):
                return pair
