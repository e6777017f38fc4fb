"""Normalising Dutch names, dates, postcodes and BSNs into the forms the comparisons use.

Everything here is plain string work without regular expressions, so that the hot path of a
lookup (``Model.prepare``) stays cheap.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

# Tussenvoegsels, longest first where one is the start of another ("van der" before "van").
PREFIX_WORDS = frozenset(
    {
        "van",
        "der",
        "den",
        "de",
        "het",
        "ter",
        "ten",
        "te",
        "in",
        "op",
        "onder",
        "aan",
        "bij",
        "uit",
        "tot",
        "voor",
        "over",
        "el",
        "al",
        "la",
        "le",
        "les",
        "du",
        "da",
        "di",
        "del",
        "della",
        "dos",
        "das",
        "von",
        "zu",
        "vd",
        "v",
        "d",
        "t",
        "s",
    }
)

_KEEP = frozenset("abcdefghijklmnopqrstuvwxyz0123456789 -'")
_SPECIAL = {"ß": "ss", "æ": "ae", "ø": "o", "œ": "oe", "ı": "i", "ł": "l", "đ": "d", "ð": "d"}


@lru_cache(maxsize=200_000)
def fold(text: str) -> str:
    """Lower case without diacritics; punctuation other than hyphen and apostrophe becomes a
    space; runs of spaces collapse. "Çelik" -> "celik", "Berg, van der" -> "berg van der"."""
    if not text:
        return ""
    lowered = text.lower()
    if not lowered.isascii():
        lowered = "".join(_SPECIAL.get(ch, ch) for ch in lowered)
        lowered = unicodedata.normalize("NFKD", lowered)
    out = []
    for ch in lowered:
        if ch in _KEEP:
            out.append(ch)
        elif ch in ".,/_;:":
            out.append(" ")
        # combining marks and anything else are dropped
    return " ".join("".join(out).split())


@lru_cache(maxsize=200_000)
def split_surname(prefix: str, surname: str) -> tuple[str, tuple[str, ...]]:
    """(tussenvoegsel, parts of the surname without it) in folded form.

    Handles the prefix in its own field ("van der", "Berg"), glued in front ("van der Berg"),
    written behind a comma ("Berg, van der") and double surnames ("Jansen-de Vries",
    "de Vries - Jansen"): the parts are the surnames without their tussenvoegsels
    (("jansen", "vries")). "'s Gravensande" keeps "s" as its prefix.
    """
    pre = fold(prefix).replace("'", " ").split()
    raw = surname or ""
    if "," in raw:
        before, _, after = raw.partition(",")
        after_words = fold(after).replace("'", " ").split()
        if after_words and all(w in PREFIX_WORDS for w in after_words):
            pre = pre + after_words
            raw = before
    parts: list[str] = []
    for chunk in fold(raw).replace("'", " ").split("-"):
        words = chunk.split()
        i = 0
        # strip leading tussenvoegsels but always keep the last word as the surname
        while i < len(words) - 1 and words[i] in PREFIX_WORDS:
            if not parts:
                pre.append(words[i])
            i += 1
        core = "".join(words[i:])
        if core:
            parts.append(core)
    return " ".join(pre), tuple(parts)


def surname_core(prefix: str, surname: str) -> str:
    """The surname without tussenvoegsel, double surnames joined: "van der Berg" -> "berg"."""
    return "".join(split_surname(prefix, surname)[1])


_PHONETIC_PAIRS = (
    ("sch", "s"),
    ("ch", "g"),
    ("ij", "y"),
    ("ei", "y"),
    ("ey", "y"),
    ("ie", "i"),
    ("uy", "y"),
    ("ou", "au"),
    ("ph", "f"),
    ("th", "t"),
    ("dt", "t"),
    ("ck", "k"),
    ("qu", "kw"),
    ("x", "ks"),
    ("c", "k"),
    ("q", "k"),
    ("z", "s"),
    ("v", "f"),
    ("d", "t"),
    ("h", ""),
)
_VOWELS = frozenset("aeiouy")


@lru_cache(maxsize=200_000)
def phonetic(core: str) -> str:
    """A coarse Dutch sound key of a folded surname: spelling variants that sound alike
    ("Janssen"/"Jansen", "Meijer"/"Meyer"/"Mijer", "de Wit"/"Witt", "Schouten"/"Souten")
    share it. Vowels after the first letter are dropped, doubled letters collapse."""
    word = "".join(ch for ch in core if ch.isalpha())
    if not word:
        return ""
    for a, b in _PHONETIC_PAIRS:
        if a in word:
            word = word.replace(a, b)
    if not word:
        return ""
    out = [word[0]]
    for ch in word[1:]:
        if ch in _VOWELS:
            continue
        if ch != out[-1]:
            out.append(ch)
    return "".join(out)


def initials_of(given_names: str, initials: str = "") -> str:
    """The initials as lower-case letters: from the given names when known ("Jan Pieter" ->
    "jp"), else from the initials field ("J.P." -> "jp", "Th." -> "t")."""
    if given_names:
        words = fold(given_names).replace("-", " ").split()
        return "".join(w[0] for w in words if w and w[0].isalpha())
    if initials:
        text = fold(initials).replace("-", " ")
        out = []
        for word in text.split():
            if word[0].isalpha():
                out.append(word[0])
        # "JP" written without dots
        if len(out) == 1 and len(text.strip()) > 1 and text.isalpha() and text.isupper():
            return text.lower()
        return "".join(out)
    return ""


def first_given_name(given_names: str) -> str:
    """The first given name, folded ("Anne-Marie Els" -> "anne-marie")."""
    words = fold(given_names).split()
    return words[0] if words else ""


def bsn_valid(bsn: str) -> bool:
    """The eleven-test of a BSN (nine digits; eight are padded with a leading zero)."""
    if not bsn.isdigit() or len(bsn) not in (8, 9):
        return False
    digits = bsn.zfill(9)
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True))
    total -= int(digits[8])
    return total % 11 == 0 and digits != "000000000"


def clean_bsn(bsn: str) -> str:
    """Digits only; "" when nothing is left."""
    return "".join(ch for ch in bsn if ch.isdigit()) if bsn else ""


def clean_postcode(postcode: str) -> str:
    """ "1234 ab" -> "1234AB"; other formats (FEBRL's four digits) stay as their
    alphanumerics, upper-cased."""
    if not postcode:
        return ""
    return "".join(ch for ch in postcode if ch.isalnum()).upper()
