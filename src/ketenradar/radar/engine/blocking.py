"""Blocking keys: the short strings under which a person is indexed, so that a lookup reads
only the persons that share at least one key with the reported one.

Each key combines two pieces of evidence, so that none is shared by more than a few hundred
persons in a population of a million, while every usual corruption of a report leaves at
least one key intact:

``b:<bsn>``                   the BSN (a valid one when the record says it is checked)
``sy:<sound>:<year>``         sound of a surname (own, birth, partner's, each part of a
                              double surname) + birth year: survives swapped day and month, a
                              wrong day, initials only, a move, a missing BSN
``dg:<date>:<initial>``       date of birth with day and month unordered + first initial:
                              survives a misspelt or partner's surname, a move
``ds:<date>:<sound[:2]>``     the same date + the start of the surname's sound: survives a
                              nickname or another first given name
``dn:<date>:<two letters>``   the same date + the first letters of given name and surname in
                              alphabetical order: survives the two names swapped
``ag:<postcode><nr>:<initial>`` address + first initial: survives a missing date of birth
``ay:<postcode><nr>:<year>``  address + birth year: survives a missing given name with a
                              changed surname
``an:<postcode><nr>:<sound>`` address + surname sound: survives a wrong initial
``sp:<sound>:<postcode>``     surname sound + postcode: survives a wrong house number and a
                              missing date of birth
``as:<street><nr>:<initial>`` street, house number and first initial: survives a wrong
                              postcode
``sg:<sound>:<sound>``         the sounds of a surname and the first given name in alphabetical
                              order: survives a move without date of birth, and the two
                              names swapped
``si:<sound>:<initials>``     a surname's sound + two initials: the same with initials only
"""

from __future__ import annotations

from .compare import Prepared, prepare
from .normalize import phonetic
from .records import Record

MAX_KEY_LENGTH = 64


def keys_of_prepared(p: Prepared) -> list[str]:
    keys: list[str] = []
    if p.bsn:
        keys.append(f"b:{p.bsn}")
    initial = p.initials[:1]
    main_sound = p.phonetics[0] if p.phonetics else ""
    if p.year:
        for sound in p.phonetics[:4]:
            keys.append(f"sy:{sound}:{p.year}")
    if p.date:
        month, day = int(p.date[4:6]), int(p.date[6:8])
        low, high = (month, day) if month <= day else (day, month)
        date = f"{p.year}{low:02d}{high:02d}"
        if initial:
            keys.append(f"dg:{date}:{initial}")
        if main_sound:
            keys.append(f"ds:{date}:{main_sound[:2]}")
        if initial and p.surname:
            pair = "".join(sorted((initial, p.surname[0])))
            keys.append(f"dn:{date}:{pair}")
    if p.address_key:
        if initial:
            keys.append(f"ag:{p.address_key}:{initial}")
        if main_sound:
            keys.append(f"an:{p.address_key}:{main_sound}")
        if p.year:
            keys.append(f"ay:{p.address_key}:{p.year}")
    if p.postcode and main_sound:
        keys.append(f"sp:{main_sound}:{p.postcode}")
    if p.street and p.house is not None and initial:
        keys.append(f"as:{p.street[:40]}{p.house}:{initial}")
    first_sound = phonetic(p.first) if p.first else ""
    for sound in p.phonetics[:3]:
        if first_sound:
            first, second = sorted((sound, first_sound))
            keys.append(f"sg:{first}:{second}")
        if len(p.initials) >= 2:
            keys.append(f"si:{sound}:{p.initials[:2]}")
    return list(dict.fromkeys(k[:MAX_KEY_LENGTH] for k in keys))


def blocking_keys(record: Record) -> list[str]:
    """The blocking keys of a record (known or reported: the same function for both)."""
    return keys_of_prepared(prepare(record))
