"""Dutch identifiers: BSN (11-proef) and postcode."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

BSN_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, -1)
POSTCODE_RE = re.compile(r"^[1-9][0-9]{3}(?!SA|SD|SS)[A-Z]{2}$")


def is_valid_bsn(value: str) -> bool:
    """The 11-proef: 9 digits, sum(w_i * d_i) with weights 9..2, -1 divisible by 11, not 0.

    Eight-digit historic numbers are left-padded with a zero. Passing only shows that a
    number is possible, not that it was issued: never treat it as identity verification.
    """
    if not value.isdigit() or len(value) not in (8, 9):
        return False
    digits = [int(c) for c in value.zfill(9)]
    total = sum(w * d for w, d in zip(BSN_WEIGHTS, digits, strict=True))
    return total > 0 and total % 11 == 0


def normalise_bsn(value: str) -> str:
    cleaned = re.sub(r"[\s.\-]", "", value or "")
    return cleaned.zfill(9) if cleaned.isdigit() and len(cleaned) == 8 else cleaned


def validate_bsn(value: str) -> None:
    if not is_valid_bsn(value):
        raise ValidationError(
            _("%(value)s is not a valid BSN (11-proef)."), params={"value": value}
        )


def normalise_postcode(value: str) -> str:
    return re.sub(r"\s", "", value or "").upper()


def validate_postcode(value: str) -> None:
    if not POSTCODE_RE.match(normalise_postcode(value)):
        raise ValidationError(
            _("%(value)s is not a Dutch postcode (1234 AB)."), params={"value": value}
        )
