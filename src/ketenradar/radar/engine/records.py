"""What the engine compares: a person as known or as reported, and the evidence it gives."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Record:
    """A person as the engine sees one; anything may be missing ("" or None).

    ``id`` is the person's primary key for known persons (any hashable for evaluation sets).
    ``bsn_checked``: the engine applies the BSN eleven-test only when this is True (FEBRL4's
    ``soc_sec_id`` is an identifier without it).
    """

    id: int | str = 0
    given_names: str = ""
    initials: str = ""
    surname_prefix: str = ""
    surname: str = ""
    birth_surname_prefix: str = ""
    birth_surname: str = ""
    partner_surname_prefix: str = ""
    partner_surname: str = ""
    birth_year: int | None = None
    birth_month: int | None = None
    birth_day: int | None = None
    sex: str = ""
    bsn: str = ""
    bsn_checked: bool = True
    postcode: str = ""
    house_number: int | None = None
    house_letter: str = ""
    street: str = ""
    city: str = ""


@dataclass(frozen=True, slots=True)
class FieldEvidence:
    """One comparison's part in a score: the field, the level it reached (a short Dutch
    label such as "gelijk", "lijkt sterk op", "dag en maand verwisseld", "verschilt",
    "ontbreekt") and its weight in bits (log2 of the Bayes factor m/u, term-frequency
    adjusted; positive raises, negative lowers, 0 when missing)."""

    field: str
    level: str
    weight: float


@dataclass(frozen=True, slots=True)
class Scored:
    """The engine's verdict on one pair: probability, band and per-field explanation."""

    probability: float
    match_weight: float
    band: str  # "zeker", "mogelijk" or "geen"
    evidence: tuple[FieldEvidence, ...] = field(default_factory=tuple)
