"""A synthetic Dutch population with ground truth, and reports about it, for evaluating the
radar (no real data anywhere).

``generate_population(n, seed)`` makes households (singles, couples, parents with children,
twins, single parents, unrelated housemates) at Dutch addresses, with names drawn from
Faker's ``nl_NL`` lists plus the most common Dutch surnames at their real frequency, partners
who use the partner's surname (or a double name), tussenvoegsels and BSNs that pass the
eleven-test. ``generate_reports(population, n, seed)`` makes reports as the police or a
school would write them: corrupted copies of known persons (typos, swapped day and month, a
wrong digit, tussenvoegsel variants, the partner's surname, initials only, a move, a move
into another household, missing BSN or date of birth) and persons the population does not
know (new children and partners at known addresses among them), each with its truth.
``generate_hard_cases`` makes the hard case: a known person who moved in with another
household and is reported without BSN.

Plain Python and deterministic for a seed; a million persons take well under a minute.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from itertools import accumulate

from faker.providers.address.nl_NL import Provider as AddressProvider
from faker.providers.person.nl_NL import Provider as PersonProvider

from ketenradar.radar.engine.normalize import fold
from ketenradar.radar.engine.records import Record

# The most common surnames of the Netherlands with their share per 100,000 inhabitants
# (rounded, after the Meertens Instituut's family-name database), and common surnames of
# Dutch people of Moroccan and Turkish descent.
COMMON_SURNAMES: tuple[tuple[str, str, int], ...] = (
    ("de", "Jong", 510),
    ("", "Jansen", 450),
    ("de", "Vries", 440),
    ("van den", "Berg", 360),
    ("van", "Dijk", 340),
    ("", "Bakker", 330),
    ("", "Janssen", 300),
    ("", "Visser", 300),
    ("", "Smit", 280),
    ("", "Meijer", 260),
    ("de", "Boer", 250),
    ("", "Mulder", 240),
    ("de", "Groot", 230),
    ("", "Bos", 220),
    ("", "Vos", 200),
    ("", "Peters", 200),
    ("", "Hendriks", 200),
    ("van", "Leeuwen", 190),
    ("", "Dekker", 190),
    ("", "Brouwer", 180),
    ("de", "Wit", 180),
    ("", "Dijkstra", 170),
    ("", "Smits", 170),
    ("de", "Graaf", 165),
    ("van der", "Meer", 160),
    ("van der", "Linden", 150),
    ("", "Kok", 150),
    ("", "Jacobs", 145),
    ("de", "Haan", 140),
    ("", "Vermeulen", 140),
    ("van den", "Heuvel", 135),
    ("van der", "Veen", 135),
    ("van den", "Broek", 130),
    ("de", "Bruijn", 125),
    ("de", "Bruin", 120),
    ("van der", "Heijden", 120),
    ("", "Schouten", 115),
    ("van", "Beek", 115),
    ("", "Willems", 110),
    ("van", "Vliet", 110),
    ("van de", "Ven", 105),
    ("", "Hoekstra", 105),
    ("", "Maas", 100),
    ("", "Verhoeven", 100),
    ("", "Koster", 95),
    ("van", "Dam", 95),
    ("van der", "Wal", 95),
    ("", "Prins", 90),
    ("", "Blom", 90),
    ("", "Huisman", 90),
    ("", "Mohamed", 90),
    ("", "Yılmaz", 80),
    ("", "Ahmed", 60),
    ("", "Şahin", 50),
    ("", "Öztürk", 45),
    ("", "Kaya", 45),
    ("el", "Amrani", 30),
    ("", "Bouzid", 25),
    ("", "Çelik", 30),
    ("", "Müller", 25),
)
COMMON_SHARE = sum(c for _, _, c in COMMON_SURNAMES) / 100_000
_PREFIXES = {"van", "de", "der", "den", "het", "ter", "ten", "te", "in", "op", "le", "la", "'s"}
_SUFFIXES = ("", "s", "se", "sen", "ma", "stra", "ink", "man", "kamp", "veld", "hof", "ing")
_EXTRA_MALE = (("Mohamed", 40), ("Ahmed", 15), ("Mehmet", 10), ("Noah", 20), ("Daan", 20))
_EXTRA_FEMALE = (("Fatima", 20), ("Emma", 25), ("Julia", 20), ("Sophie", 20), ("Aisha", 10))
_STREET_SUFFIXES = (*AddressProvider.street_suffixes, "laan", "weg", "plein", "kade")
_FORBIDDEN_POSTCODE_LETTERS = {"SA", "SD", "SS"}


@dataclass(frozen=True, slots=True)
class Household:
    id: int
    members: tuple[int, ...]
    postcode: str
    house_number: int
    street: str
    city: str


@dataclass
class Population:
    """Known persons (``persons[i].id == i``) and their households."""

    persons: list[Record]
    households: list[Household]
    household_of: list[int]
    twins: list[tuple[int, int]] = field(default_factory=list)
    partners: dict[int, int] = field(default_factory=dict)

    def housemates(self, person_id: int) -> tuple[int, ...]:
        members = self.households[self.household_of[person_id]].members
        return tuple(m for m in members if m != person_id)


@dataclass(frozen=True, slots=True)
class SyntheticReport:
    """A reported person, the known person it is (None: not in the population) and the
    corruptions applied. ``housemates``: the known persons living at the reported address
    (for the hard case and the housemate rule)."""

    record: Record
    truth: int | None
    kinds: tuple[str, ...] = ()
    housemates: tuple[int, ...] = ()


def _split_name(name: str) -> tuple[str, str]:
    words = name.replace(",", " ").split()
    prefix: list[str] = []
    while len(words) > 1 and words[0].lower() in _PREFIXES:
        prefix.append(words.pop(0).lower())
    return " ".join(prefix), " ".join(words)


def _zipf(names: Sequence[str], offset: float = 8.0) -> list[tuple[str, float]]:
    return [(n, 1.0 / (i + offset)) for i, n in enumerate(names)]


class _Names:
    """Weighted name tables, sampled with cumulative weights (fast at a million draws)."""

    def __init__(self, rng: random.Random) -> None:
        faker_surnames = [
            _split_name(n)
            for n in PersonProvider.last_names
            if "," not in n and len(n.split()) <= 3 and n[0].isalpha()
        ]
        rng.shuffle(faker_surnames)
        tail: list[tuple[str, str]] = []
        seen = {(p, s) for p, s, _ in COMMON_SURNAMES}
        for prefix, core in faker_surnames:
            for suffix in rng.sample(_SUFFIXES, 6):
                name = (prefix, core + suffix if " " not in core else core)
                if name not in seen:
                    seen.add(name)
                    tail.append(name)
        rng.shuffle(tail)
        tail_weights = [1.0 / (i + 50) for i in range(len(tail))]
        scale = (1 - COMMON_SHARE) / sum(tail_weights)
        self.surnames = [(p, s) for p, s, _ in COMMON_SURNAMES] + tail
        weights = [c / 100_000 for _, _, c in COMMON_SURNAMES] + [w * scale for w in tail_weights]
        self.surname_cum = list(accumulate(weights))
        male = _zipf(list(PersonProvider.first_names_male)) + [(n, w / 100) for n, w in _EXTRA_MALE]
        female = _zipf(list(PersonProvider.first_names_female)) + [
            (n, w / 100) for n, w in _EXTRA_FEMALE
        ]
        self.male = [n for n, _ in male]
        self.male_cum = list(accumulate(w for _, w in male))
        self.female = [n for n, _ in female]
        self.female_cum = list(accumulate(w for _, w in female))
        self.cities = [c for c in AddressProvider.cities if c[0].isalpha()]
        self.street_bases = list(PersonProvider.first_names_male) + list(
            PersonProvider.last_names[:300]
        )

    def surname(self, rng: random.Random) -> tuple[str, str]:
        return rng.choices(self.surnames, cum_weights=self.surname_cum)[0]

    def given_names(self, rng: random.Random, sex: str, avoid: str = "") -> str:
        names, cum = (self.male, self.male_cum) if sex == "M" else (self.female, self.female_cum)
        count = rng.choices((1, 2, 3), weights=(45, 40, 15))[0]
        chosen = rng.choices(names, cum_weights=cum, k=count)
        while avoid and chosen[0][:1] == avoid[:1] and rng.random() < 0.5:
            chosen[0] = rng.choices(names, cum_weights=cum)[0]
        while avoid and fold(chosen[0]) == fold(avoid):  # not Chloë and Chloé either
            chosen[0] = rng.choices(names, cum_weights=cum)[0]
        return " ".join(dict.fromkeys(chosen))


def _bsn_stream(rng: random.Random, n: int) -> list[str]:
    """n distinct BSNs passing the eleven-test (one per eight-digit stem)."""
    out: list[str] = []
    stems = rng.sample(range(1_000_000, 99_999_999), int(n * 1.25) + 100)
    for stem in stems:
        digits = f"{stem:08d}"
        total = sum(int(d) * w for d, w in zip(digits, range(9, 1, -1), strict=True))
        check = total % 11
        if check == 10:
            continue
        out.append(digits + str(check))
        if len(out) == n:
            break
    return out


def _initials(given_names: str) -> str:
    return "".join(f"{w[0]}." for w in given_names.replace("-", " ").split())


class _Builder:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)  # noqa: S311 (synthetic data, not security)
        self.names = _Names(self.rng)
        self.used_addresses: set[tuple[str, int]] = set()
        self.postcodes: list[tuple[str, str, str]] = []

    def address(self) -> tuple[str, int, str, str]:
        """A new address: mostly another house number at a postcode already in use (a Dutch
        postcode is one side of a street, about fifteen addresses), else a new postcode with
        its own street and town."""
        rng = self.rng
        while True:
            if self.postcodes and rng.random() < 0.85:
                postcode, street, city = self.postcodes[rng.randrange(len(self.postcodes))]
            else:
                letters = "".join(rng.choices("ABCDEFGHJKLMNPRSTVWXZ", k=2))
                if letters in _FORBIDDEN_POSTCODE_LETTERS:
                    continue
                postcode = f"{rng.randint(1011, 9999)}{letters}"
                street = rng.choice(self.names.street_bases) + rng.choice(_STREET_SUFFIXES)
                city = rng.choice(self.names.cities)
                self.postcodes.append((postcode, street, city))
            number = rng.randint(1, 120)
            if (postcode, number) in self.used_addresses:
                continue
            self.used_addresses.add((postcode, number))
            return postcode, number, street, city

    def date(self, year_from: int, year_to: int) -> tuple[int, int, int]:
        rng = self.rng
        year = rng.randint(year_from, year_to)
        month = rng.randint(1, 12)
        day = rng.randint(1, 28 if month == 2 else 30 if month in (4, 6, 9, 11) else 31)
        return year, month, day


def _person(
    pid: int,
    given: str,
    sex: str,
    name: tuple[str, str],
    date: tuple[int, int, int],
    addr: tuple[str, int, str, str],
    bsn: str,
    usage: tuple[str, str] | None = None,
    partner: tuple[str, str] | None = None,
) -> Record:
    prefix, core = usage or name
    return Record(
        id=pid,
        given_names=given,
        initials=_initials(given),
        surname_prefix=prefix,
        surname=core,
        birth_surname_prefix=name[0] if usage else "",
        birth_surname=name[1] if usage else "",
        partner_surname_prefix=partner[0] if partner else "",
        partner_surname=partner[1] if partner else "",
        birth_year=date[0],
        birth_month=date[1],
        birth_day=date[2],
        sex=sex,
        bsn=bsn,
        postcode=addr[0],
        house_number=addr[1],
        street=addr[2],
        city=addr[3],
    )


def _double(first: tuple[str, str], second: tuple[str, str]) -> tuple[str, str]:
    """ "de Vries" + "Jansen" -> ("de", "Vries-Jansen"); "Jansen" + "de Vries" -> ("",
    "Jansen-de Vries")."""
    second_full = f"{second[0]} {second[1]}".strip()
    return first[0], f"{first[1]}-{second_full}"


def generate_population(n: int, seed: int = 0, *, bsn_share: float = 0.85) -> Population:
    """About ``n`` known persons (exactly ``n``) in households."""
    b = _Builder(seed)
    rng = b.rng
    names = b.names
    bsns = _bsn_stream(rng, n + 16)  # a household may run past n before the trim
    persons: list[Record] = []
    households: list[Household] = []
    household_of: list[int] = []
    twins: list[tuple[int, int]] = []
    partners: dict[int, int] = {}

    def bsn(i: int) -> str:
        return bsns[i] if rng.random() < bsn_share else ""

    while len(persons) < n:
        addr = b.address()
        hid = len(households)
        members: list[int] = []
        kind = rng.choices(
            ("single", "couple", "family", "single_parent", "housemates"),
            weights=(33, 25, 30, 10, 2),
        )[0]

        def add(record: Record, hid: int = hid, members: list[int] = members) -> int:
            persons.append(record)
            household_of.append(hid)
            members.append(int(record.id))
            return int(record.id)

        if kind in ("single", "housemates"):
            for _ in range(1 if kind == "single" else rng.randint(2, 3)):
                sex = rng.choice("MV")
                pid = len(persons)
                add(
                    _person(
                        pid,
                        names.given_names(rng, sex),
                        sex,
                        names.surname(rng),
                        b.date(1950, 2006),
                        addr,
                        bsn(pid),
                    )
                )
        else:
            mother_name = names.surname(rng)
            mother_date = b.date(1955, 2002)
            if kind == "single_parent":
                father_name = mother_name
                father_id = None
                mother_usage = None
                mother_id = len(persons)
                add(
                    _person(
                        mother_id,
                        names.given_names(rng, "V"),
                        "V",
                        mother_name,
                        mother_date,
                        addr,
                        bsn(mother_id),
                    )
                )
            else:
                father_name = names.surname(rng)
                father_id = len(persons)
                add(
                    _person(
                        father_id,
                        names.given_names(rng, "M"),
                        "M",
                        father_name,
                        b.date(mother_date[0] - 6, mother_date[0] + 3),
                        addr,
                        bsn(father_id),
                        partner=mother_name,
                    )
                )
                usage_kind = rng.choices(
                    ("own", "partner", "partner_own", "own_partner"), weights=(70, 15, 10, 5)
                )[0]
                mother_usage = {
                    "own": None,
                    "partner": father_name,
                    "partner_own": _double(father_name, mother_name),
                    "own_partner": _double(mother_name, father_name),
                }[usage_kind]
                mother_id = len(persons)
                add(
                    _person(
                        mother_id,
                        names.given_names(rng, "V"),
                        "V",
                        mother_name,
                        mother_date,
                        addr,
                        bsn(mother_id),
                        usage=mother_usage,
                        partner=father_name,
                    )
                )
                partners[father_id] = mother_id
                partners[mother_id] = father_id
            if kind in ("family", "single_parent"):
                children = rng.choices((1, 2, 3, 4), weights=(35, 40, 18, 7))[0]
                child_name = father_name if rng.random() < 0.85 else mother_name
                for _ in range(children):
                    if len(persons) >= n:
                        break
                    year = min(mother_date[0] + rng.randint(20, 42), 2025)
                    date = b.date(year, year)
                    sex = rng.choice("MV")
                    pid = len(persons)
                    add(
                        _person(
                            pid,
                            names.given_names(rng, sex),
                            sex,
                            child_name,
                            date,
                            addr,
                            bsn(pid),
                        )
                    )
                    if rng.random() < 0.03 and len(persons) < n:
                        sex2 = sex if rng.random() < 0.6 else ("V" if sex == "M" else "M")
                        first = persons[pid].given_names.split()[0]
                        twin_id = len(persons)
                        add(
                            _person(
                                twin_id,
                                names.given_names(rng, sex2, avoid=first),
                                sex2,
                                child_name,
                                date,
                                addr,
                                bsn(twin_id),
                            )
                        )
                        twins.append((pid, twin_id))
        households.append(Household(hid, tuple(members), addr[0], addr[1], addr[2], addr[3]))
    # the last household may have been cut short; trim to n
    del persons[n:]
    del household_of[n:]
    if households and any(m >= n for m in households[-1].members):
        last = households[-1]
        households[-1] = replace(last, members=tuple(m for m in last.members if m < n))
    twins = [(a, c) for a, c in twins if a < n and c < n]
    partners = {a: c for a, c in partners.items() if a < n and c < n}
    return Population(persons, households, household_of, twins, partners)


# -- reports -------------------------------------------------------------------------------

_KEYBOARD_NEIGHBOURS = "qwertyuiopasdfghjklzxcvbnm"


def _typo(rng: random.Random, word: str) -> str:
    if len(word) < 3:
        return word
    i = rng.randrange(1, len(word))
    kind = rng.random()
    if kind < 0.3:  # substitution
        return word[:i] + rng.choice(_KEYBOARD_NEIGHBOURS) + word[i + 1 :]
    if kind < 0.55:  # transposition
        if i < len(word) - 1:
            return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        return word[:-2] + word[-1] + word[-2]
    if kind < 0.8:  # deletion
        return word[:i] + word[i + 1 :]
    return word[:i] + rng.choice(_KEYBOARD_NEIGHBOURS) + word[i:]  # insertion


_SOUNDALIKE = (
    ("ij", "y"),
    ("ei", "ij"),
    ("ss", "s"),
    ("dt", "d"),
    ("ou", "au"),
    ("c", "k"),
    ("ks", "x"),
)


def _misspell(rng: random.Random, word: str) -> str:
    if rng.random() < 0.35:
        for a, c in rng.sample(_SOUNDALIKE, len(_SOUNDALIKE)):
            if a in word:
                return word.replace(a, c, 1)
    return _typo(rng, word)


def _strip_diacritics(text: str) -> str:
    table = str.maketrans("ıİşŞçÇöÖüÜëËïÏéÉèÈ", "iIsScCoOuUeEiIeEeE")
    return text.translate(table)


_CORRUPTIONS = (
    ("typo_surname", 20),
    ("typo_given", 15),
    ("swap_day_month", 8),
    ("date_digit", 7),
    ("prefix_variant", 14),
    ("partner_surname", 10),
    ("initials_only", 12),
    ("second_given_name", 3),
    ("move", 12),
    ("move_in", 6),
    ("diacritics", 3),
    ("year_only", 3),
)


def _as_reported(record: Record) -> Record:
    """What a reporter writes down: the name in use, no birth or partner's surname."""
    return replace(
        record,
        id=0,
        birth_surname_prefix="",
        birth_surname="",
        partner_surname_prefix="",
        partner_surname="",
    )


def _corrupt(
    rng: random.Random,
    b: _Builder | None,
    population: Population,
    known: Record,
    kind: str,
    rec: Record,
) -> tuple[Record, tuple[int, ...] | None]:
    """One corruption; returns the record and, after a move in, the new housemates."""
    if kind == "typo_surname" and rec.surname:
        return replace(rec, surname=_misspell(rng, rec.surname)), None
    if kind == "typo_given" and rec.given_names:
        words = rec.given_names.split()
        words[0] = _misspell(rng, words[0])
        return replace(rec, given_names=" ".join(words)), None
    if (
        kind == "swap_day_month"
        and rec.birth_day
        and rec.birth_day <= 12
        and rec.birth_day != rec.birth_month
    ):
        return replace(rec, birth_day=rec.birth_month, birth_month=rec.birth_day), None
    if kind == "date_digit" and rec.birth_year and rec.birth_day:
        part = rng.choice(("day", "month", "year"))
        if part == "day":
            day = rec.birth_day
            new = (day // 10) * 10 + rng.choice([d for d in range(10) if d != day % 10])
            if 1 <= new <= 28:
                return replace(rec, birth_day=new), None
        elif part == "month" and rec.birth_month:
            new = rng.choice([m for m in (1, 2, 3, 4, 5, 6, 7, 8, 9) if m != rec.birth_month])
            if rec.birth_month < 10 and (rec.birth_day or 0) <= 28:
                return replace(rec, birth_month=new), None
        else:
            new_year = (
                rec.birth_year
                - rec.birth_year % 10
                + rng.choice([d for d in range(10) if d != rec.birth_year % 10])
            )
            return replace(rec, birth_year=new_year), None
    if kind == "prefix_variant" and rec.surname_prefix:
        prefix, core = rec.surname_prefix, rec.surname
        variant = rng.choice(("glued", "comma", "abbrev", "dropped", "capital"))
        if variant == "glued":
            return replace(rec, surname_prefix="", surname=f"{prefix} {core}"), None
        if variant == "comma":
            return replace(rec, surname_prefix="", surname=f"{core}, {prefix}"), None
        if variant == "abbrev" and prefix in ("van der", "van den", "van de"):
            return replace(rec, surname_prefix="", surname=f"v.d. {core}"), None
        if variant == "capital":
            return replace(rec, surname_prefix="", surname=f"{prefix.title()}{core}"), None
        return replace(rec, surname_prefix=""), None
    if kind == "partner_surname":
        if known.birth_surname:  # known by the partner's name: reported by birth name
            return replace(
                rec, surname_prefix=known.birth_surname_prefix, surname=known.birth_surname
            ), None
        if known.partner_surname:
            return replace(
                rec, surname_prefix=known.partner_surname_prefix, surname=known.partner_surname
            ), None
    if kind == "initials_only" and rec.given_names:
        initials = _initials(rec.given_names)
        if rng.random() < 0.4:
            initials = initials[:2]
        return replace(rec, given_names="", initials=initials), None
    if kind == "second_given_name" and len(rec.given_names.split()) > 1:
        return replace(rec, given_names=rec.given_names.split()[1]), None
    if kind == "move" and b is not None:
        postcode, number, street, city = b.address()
        return replace(rec, postcode=postcode, house_number=number, street=street, city=city), ()
    if kind == "move_in":
        household = population.households[rng.randrange(len(population.households))]
        if known.id not in household.members and household.members:
            return replace(
                rec,
                postcode=household.postcode,
                house_number=household.house_number,
                street=household.street,
                city=household.city,
            ), household.members
    if kind == "year_only" and rec.birth_month:
        return replace(rec, birth_month=None, birth_day=None), None
    if kind == "diacritics":
        return replace(rec, surname=_strip_diacritics(rec.surname)), None
    return rec, None


def _report_of(
    rng: random.Random,
    b: _Builder | None,
    population: Population,
    known: Record,
    *,
    bsn_share: float,
    dob_missing: float,
    corruptions: int | None = None,
    forced: Sequence[str] = (),
) -> tuple[Record, tuple[str, ...], tuple[int, ...]]:
    rec = _as_reported(known)
    kinds: list[str] = []
    housemates = population.housemates(known.id) if isinstance(known.id, int) else ()
    count = (
        rng.choices((0, 1, 2, 3), weights=(20, 40, 28, 12))[0]
        if corruptions is None
        else corruptions
    )
    chosen = list(forced) + rng.choices(
        [k for k, _ in _CORRUPTIONS], weights=[w for _, w in _CORRUPTIONS], k=count
    )
    for kind in dict.fromkeys(chosen):
        new, moved_in = _corrupt(rng, b, population, known, kind, rec)
        if new != rec:
            kinds.append(kind)
            rec = new
            if moved_in is not None:
                housemates = moved_in
    if rng.random() >= bsn_share and rec.bsn:
        rec = replace(rec, bsn="")
        kinds.append("no_bsn")
    if rng.random() < dob_missing and rec.birth_year:
        rec = replace(rec, birth_year=None, birth_month=None, birth_day=None)
        kinds.append("no_dob")
    if rng.random() < 0.3:
        rec = replace(rec, sex="")
    return rec, tuple(kinds), housemates


def generate_reports(
    population: Population,
    n: int,
    seed: int = 1,
    *,
    unknown_share: float = 0.25,
    bsn_share: float = 0.35,
    dob_missing: float = 0.08,
) -> list[SyntheticReport]:
    """``n`` reports: ``1 - unknown_share`` about known persons (corrupted), the rest about
    persons the population does not know: a third of those a new child or partner at a
    known address, the rest strangers elsewhere."""
    b = _Builder(seed + 7_919)
    rng = b.rng
    names = b.names
    persons = population.persons
    reports: list[SyntheticReport] = []
    for _ in range(n):
        if rng.random() >= unknown_share:
            known = persons[rng.randrange(len(persons))]
            rec, kinds, mates = _report_of(
                rng, b, population, known, bsn_share=bsn_share, dob_missing=dob_missing
            )
            reports.append(SyntheticReport(rec, int(known.id), kinds, mates))
            continue
        sex = rng.choice("MV")
        if rng.random() < 0.35:  # a new member of a known household
            household = population.households[rng.randrange(len(population.households))]
            if not household.members:
                continue
            head = persons[household.members[0]]
            avoid = {persons[m].given_names.split()[0] for m in household.members}
            given = names.given_names(rng, sex)
            while given.split()[0] in avoid:
                given = names.given_names(rng, sex)
            stranger = replace(
                head,
                id=-1,
                given_names=given,
                initials=_initials(given),
                sex=sex,
                bsn="",
                birth_surname_prefix="",
                birth_surname="",
                partner_surname_prefix="",
                partner_surname="",
            )
            y, mo, d = b.date(2005, 2025) if rng.random() < 0.6 else b.date(1955, 2004)
            stranger = replace(stranger, birth_year=y, birth_month=mo, birth_day=d)
            kinds0: tuple[str, ...] = ("unknown", "new_household_member")
            mates = household.members
        else:
            addr = b.address()
            stranger = _person(
                -1,
                names.given_names(rng, sex),
                sex,
                names.surname(rng),
                b.date(1950, 2024),
                addr,
                "",
            )
            kinds0 = ("unknown",)
            mates = ()
        rec, kinds, _ = _report_of(
            rng, None, population, stranger, bsn_share=0.0, dob_missing=dob_missing
        )
        if rng.random() < bsn_share:
            rec = replace(rec, bsn=_bsn_stream(rng, 1)[0])
        reports.append(SyntheticReport(rec, None, kinds0 + kinds, mates))
    return reports


def generate_hard_cases(population: Population, n: int, seed: int = 2) -> list[SyntheticReport]:
    """The hard case: a known person who moved in with another household, reported without
    BSN (and, as reports go, sometimes with one more corruption)."""
    b = _Builder(seed + 104_729)
    rng = b.rng
    persons = population.persons
    out: list[SyntheticReport] = []
    while len(out) < n:
        known = persons[rng.randrange(len(persons))]
        rec, kinds, mates = _report_of(
            rng,
            b,
            population,
            known,
            bsn_share=0.0,
            dob_missing=0.0,
            corruptions=rng.choice((0, 0, 1)),
            forced=("move_in",),
        )
        if "move_in" not in kinds or "move" in kinds or not mates:
            continue
        out.append(SyntheticReport(replace(rec, bsn=""), int(known.id), kinds, mates))
    return out


def training_records(population: Population, reports: Sequence[SyntheticReport]) -> list[Record]:
    """What a region's register looks like to EM: the known persons plus the reports, some
    of which are the same persons again."""
    out = list(population.persons)
    start = len(out)
    for i, report in enumerate(reports):
        out.append(replace(report.record, id=start + i))
    return out
