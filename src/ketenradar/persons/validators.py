"""Dutch identifiers: BSN (11-proef) and postcode.

Both are ASCII digits (and for a postcode ASCII letters). ``normalise_bsn`` and
``normalise_postcode`` read a decimal digit of any script as its ASCII digit
(`ketenradar.core.cleaning`), so "١٢٣٤٥٦٧٨٢" and "１２３４５６７８２" are the BSN
123456782; superscripts and other look-alikes stay what they are and fail validation.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ketenradar.core.cleaning import ascii_digits

BSN_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, -1)
POSTCODE_RE = re.compile(r"^[1-9][0-9]{3}(?!SA|SD|SS)[A-Z]{2}$")


def is_valid_bsn(value: str) -> bool:
    """The 11-proef: 9 digits, sum(w_i * d_i) with weights 9..2, -1 divisible by 11, not 0.

    Eight-digit historic numbers are left-padded with a zero. Passing only shows that a
    number is possible, not that it was issued: never treat it as identity verification.
    """
    if not (value.isascii() and value.isdigit()) or len(value) not in (8, 9):
        return False
    digits = [int(c) for c in value.zfill(9)]
    total = sum(w * d for w, d in zip(BSN_WEIGHTS, digits, strict=True))
    return total > 0 and total % 11 == 0


def normalise_bsn(value: str) -> str:
    """Without spaces, dots and hyphens, digits of any script as ASCII, 8 digits padded to 9.

    Anything else is returned as it is (and fails `is_valid_bsn`)."""
    cleaned = ascii_digits(re.sub(r"[\s.\-]", "", value or ""))
    is_ascii_number = cleaned.isascii() and cleaned.isdigit()
    return cleaned.zfill(9) if is_ascii_number and len(cleaned) == 8 else cleaned


def validate_bsn(value: str) -> None:
    if not is_valid_bsn(value):
        raise ValidationError(
            _("%(value)s is not a valid BSN (11-proef)."), params={"value": value}
        )


def normalise_postcode(value: str) -> str:
    """Without white space, digits of any script as ASCII, upper case (ASCII letters only)."""
    cleaned = ascii_digits(re.sub(r"\s", "", value or ""))
    return "".join(c.upper() if c.isascii() else c for c in cleaned)


def validate_postcode(value: str) -> None:
    if not POSTCODE_RE.match(normalise_postcode(value)):
        raise ValidationError(
            _("%(value)s is not a Dutch postcode (1234 AB)."), params={"value": value}
        )
