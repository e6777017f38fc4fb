"""The comparisons: for each field of a pair, the level it reaches.

A record is first *prepared* (folded, tussenvoegsels split off, variants listed) once; the
comparison functions then only compare strings and numbers. Level indexes count from 0 (the
strongest agreement); ``MISSING`` (-1) means that one side lacks the field, which weighs 0.
"""

from __future__ import annotations

from rapidfuzz.distance import DamerauLevenshtein, JaroWinkler

from .normalize import (
    bsn_valid,
    clean_bsn,
    clean_postcode,
    first_given_name,
    fold,
    initials_of,
    phonetic,
    split_surname,
)
from .records import Record

MISSING = -1

# field -> the labels of its levels (Dutch, shown to the professional as the explanation).
LEVELS: dict[str, tuple[str, ...]] = {
    "given_name": (
        "gelijk",
        "lijkt sterk op",
        "initialen passen",
        "lijkt op",
        "eerste initiaal gelijk",
        "verschilt",
    ),
    "surname": (
        "gelijk",
        "gelijk aan geboorte- of partnernaam",
        "lijkt sterk op",
        "lijkt op",
        "verschilt",
    ),
    "birth_date": (
        "gelijk",
        "dag en maand verwisseld",
        "een cijfer anders",
        "alleen jaar bekend en gelijk",
        "verschilt",
    ),
    "address": (
        "postcode, huisnummer, straat en plaats gelijk",
        "postcode en huisnummer gelijk",
        "straat en huisnummer gelijk",
        "postcode gelijk",
        "woonplaats gelijk",
        "verschilt",
    ),
    "bsn": ("gelijk", "verschilt", "een cijfer anders"),
    "sex": ("gelijk", "verschilt"),
}
FIELDS: tuple[str, ...] = tuple(LEVELS)
# Levels whose weight is adjusted for how common the value is (term frequency).
TF_FIELDS = {"given_name": (0,), "surname": (0, 1)}

_jw = JaroWinkler.normalized_similarity
_dl = DamerauLevenshtein.distance


class Prepared:
    """A record in the normalised form the comparisons read; made by ``prepare``."""

    __slots__ = (
        "address_key",
        "bsn",
        "city",
        "date",
        "first",
        "given",
        "house",
        "initials",
        "month",
        "phonetics",
        "postcode",
        "record",
        "sex",
        "street",
        "surname",
        "surnames",
        "year",
    )

    def __init__(self, record: Record) -> None:
        self.record = record
        self.first = first_given_name(record.given_names)
        self.given: tuple[str, ...] = tuple(
            w for w in fold(record.given_names).replace("-", " ").split() if w
        )
        self.initials = initials_of(record.given_names, record.initials)
        _, parts = split_surname(record.surname_prefix, record.surname)
        self.surname = "".join(parts)
        variants: list[str] = []
        if self.surname:
            variants.append(self.surname)
            if len(parts) > 1:
                variants.extend(parts)
        for prefix, name in (
            (record.birth_surname_prefix, record.birth_surname),
            (record.partner_surname_prefix, record.partner_surname),
        ):
            if name:
                _, other = split_surname(prefix, name)
                joined = "".join(other)
                if joined:
                    variants.append(joined)
                    if len(other) > 1:
                        variants.extend(other)
        self.surnames: tuple[str, ...] = tuple(dict.fromkeys(variants))
        self.phonetics: tuple[str, ...] = tuple(
            dict.fromkeys(p for p in (phonetic(v) for v in self.surnames) if p)
        )
        self.year = record.birth_year
        self.month = record.birth_month if record.birth_year else None
        day = record.birth_day if self.month else None
        self.date = (
            f"{record.birth_year:04d}{self.month:02d}{day:02d}"
            if record.birth_year and self.month and day
            else ""
        )
        bsn = clean_bsn(record.bsn)
        if bsn and record.bsn_checked:
            bsn = bsn.zfill(9) if bsn_valid(bsn) else ""
        self.bsn = bsn
        self.postcode = clean_postcode(record.postcode)
        self.house = record.house_number
        self.street = fold(record.street).replace(" ", "")
        self.city = fold(record.city).replace(" ", "").replace("-", "")
        self.address_key = (
            f"{self.postcode}{self.house}" if self.postcode and self.house is not None else ""
        )
        sex = (record.sex or "")[:1].upper()
        self.sex = {"V": "F", "W": "F", "F": "F", "M": "M"}.get(sex, "")

    @property
    def day(self) -> int | None:
        return int(self.date[6:]) if self.date else None


def prepare(record: Record) -> Prepared:
    return Prepared(record)


def compare_given_name(a: Prepared, b: Prepared) -> tuple[int, str]:
    """(level, the value to look up in the term-frequency table)."""
    if a.first and b.first:
        x, y = a.first, b.first
        if x == y:
            return 0, x
        jw = _jw(x, y)
        if (
            jw >= 0.92
            or (min(len(x), len(y)) >= 4 and _dl(x, y) <= 1)
            or x in b.given
            or y in a.given
            or (min(len(x), len(y)) >= 3 and (x.startswith(y) or y.startswith(x)))
        ):
            return 1, ""
        if jw >= 0.8:
            return 3, ""
        return (4 if x[0] == y[0] else 5), ""
    ia, ib = a.initials, b.initials
    if not ia or not ib:
        return MISSING, ""
    if ia.startswith(ib) or ib.startswith(ia):
        return 2, ""
    return (4 if ia[0] == ib[0] else 5), ""


def given_names_conflict(a: Prepared, b: Prepared, level: int) -> bool:
    """Different persons' given names: the first names are both written out and differ, or
    the initials disagree. Twins and siblings differ here, whatever else they share."""
    if level == 5:
        return True
    if not (a.first and b.first):
        return False
    if level in (3, 4):
        return True
    if (
        len(a.given) > 1
        and len(b.given) > 1
        and a.given[1] != b.given[1]
        and _jw(a.given[1], b.given[1]) < 0.92
    ):
        # both name a second given name and they differ ("Mohamed Nout", "Mohammed Cas")
        return True
    # matched only because one's first name is among the other's given names ("Liv" and
    # "Anna Benthe Liv"): the same person by her roepnaam, or her twin sister Liv
    return level == 1 and a.first != b.first and _jw(a.first, b.first) < 0.92


def compare_surname(a: Prepared, b: Prepared) -> tuple[int, str]:
    if not a.surnames or not b.surnames:
        return MISSING, ""
    if a.surname and a.surname == b.surname:
        return 0, a.surname
    for x in a.surnames:
        if x in b.surnames:
            return 1, x
    best = 0.0
    for x in a.surnames:
        for y in b.surnames:
            s = _jw(x, y)
            if s > best:
                best = s
            if min(len(x), len(y)) >= 4 and _dl(x, y) <= 1:
                best = 1.0
    if best < 0.92:
        for p in a.phonetics:
            if len(p) >= 2 and p in b.phonetics:
                best = 0.92
                break
    if best >= 0.92:
        return 2, ""
    if best >= 0.84:
        return 3, ""
    return 4, ""


def compare_birth_date(a: Prepared, b: Prepared) -> int:
    if not a.year or not b.year:
        return MISSING
    if a.date and b.date:
        x, y = a.date, b.date
        if x == y:
            return 0
        if a.year == b.year and x[4:6] == y[6:8] and x[6:8] == y[4:6]:
            return 1
        diff = 0
        for i in range(8):
            if x[i] != y[i]:
                diff += 1
        if diff == 1 or (diff == 2 and _dl(x, y) == 1):
            return 2
        return 4
    if a.year == b.year:
        if a.month and b.month and a.month != b.month and a.month != b.day and b.month != a.day:
            return 4
        return 3
    return 4


def compare_address(a: Prepared, b: Prepared) -> int:
    """One comparison for the whole address (postcode, house number, street and city say
    the same thing in the Netherlands; separate comparisons would count it several times)."""
    if not (a.postcode or a.street or a.city) or not (b.postcode or b.street or b.city):
        return MISSING
    same_house = a.house is not None and a.house == b.house
    same_street = bool(a.street and b.street) and (
        a.street == b.street or _jw(a.street, b.street) >= 0.92
    )
    if same_house and a.postcode and a.postcode == b.postcode:
        return 0 if same_street and (a.city == b.city or not a.city or not b.city) else 1
    if same_house and same_street:
        return 2
    if a.postcode and a.postcode == b.postcode:
        return 3
    if a.city and a.city == b.city:
        return 4
    return 5


def compare_bsn(a: Prepared, b: Prepared) -> int:
    """Equal, different, or one digit off (a typo; a checked BSN with a typo mostly fails the
    eleven-test and then counts as missing)."""
    if not a.bsn or not b.bsn:
        return MISSING
    if a.bsn == b.bsn:
        return 0
    return 2 if _dl(a.bsn, b.bsn) <= (1 if a.record.bsn_checked else 2) else 1


def compare_sex(a: Prepared, b: Prepared) -> int:
    if not a.sex or not b.sex:
        return MISSING
    return 0 if a.sex == b.sex else 1


def _swapped(a: Prepared, b: Prepared) -> bool:
    """Given name and surname written the other way round."""
    if not (a.first and b.first and a.surname and b.surname):
        return False
    return _jw(a.first, b.surname) >= 0.92 and _jw(a.surname, b.first) >= 0.92


Levels = tuple[int, int, int, int, int, int]


def compare(a: Prepared, b: Prepared) -> tuple[Levels, str, str]:
    """The levels of a pair in FIELDS order, and the given-name and surname values for the
    term-frequency adjustment ("" when the level is not adjusted). Given name and surname
    swapped count as "lijkt sterk op" for both."""
    g, gv = compare_given_name(a, b)
    s, sv = compare_surname(a, b)
    if g >= 3 and s >= 3 and _swapped(a, b):
        g, gv, s, sv = 1, "", 2, ""
    levels = (
        g,
        s,
        compare_birth_date(a, b),
        compare_address(a, b),
        compare_bsn(a, b),
        compare_sex(a, b),
    )
    return levels, gv, sv
