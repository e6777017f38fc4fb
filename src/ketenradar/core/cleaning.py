"""Text and identifiers entering Ketenradar, from the API and from the screens: one set of
rules.

- **Characters.** A lone surrogate (U+D800-U+DFFF, which no UTF-8 text can hold and no
  database stores) and control characters (Unicode category Cc: U+0000-U+001F,
  U+007F-U+009F) are refused. Multi-line text (descriptions, notes) may hold tab, line feed
  and carriage return.
- **Names and text** are stored in Unicode normal form NFC, so that "é" typed as one
  character or as "e" + combining accent is one name.
- **Digits.** Identifiers (BSN, postcode, telephone, house number, dates) are ASCII digits.
  The screens read a decimal digit of any script (Unicode category Nd: Arabic-Indic,
  fullwidth, Devanagari, ...) as the ASCII digit of the same value (`ascii_digits`), so a
  BSN typed in any script is the same BSN. Other characters that only look like digits
  (superscripts such as "²", circled or fractional numbers) are no digits and are refused.
  The API takes ASCII digits only: its OpenAPI patterns say so.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

SURROGATE_RE = re.compile("[\ud800-\udfff]")
CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f]")
MULTILINE_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# The same rules as patterns for the OpenAPI spec (a lone surrogate cannot be written in
# one; JSON text that holds one is refused all the same).
SINGLE_LINE_PATTERN = r"^[^\x00-\x1f\x7f-\x9f]*$"
MULTILINE_PATTERN = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$"

SURROGATE_MESSAGE = _("Contains an invalid character (a lone surrogate).")
CONTROL_MESSAGE = _("Contains a control character.")


def check_characters(value: str, *, multiline: bool = False) -> None:
    """Refuse lone surrogates and control characters (``multiline``: except tab, LF, CR)."""
    if SURROGATE_RE.search(value):
        raise ValidationError(SURROGATE_MESSAGE, code="surrogate")
    if (MULTILINE_CONTROL_RE if multiline else CONTROL_RE).search(value):
        raise ValidationError(CONTROL_MESSAGE, code="control_character")


def clean_text(value: str, *, multiline: bool = False) -> str:
    """Checked (`check_characters`) and in NFC."""
    check_characters(value, multiline=multiline)
    return unicodedata.normalize("NFC", value)


def without_surrogates(value: str) -> str:
    """``value`` with every lone surrogate replaced by U+FFFD: safe to echo in an answer."""
    return SURROGATE_RE.sub("\ufffd", value)


def ascii_digits(value: str) -> str:
    """Every decimal digit (Unicode Nd) of any script as its ASCII digit; the rest as is."""
    if value.isascii():
        return value
    return re.sub(r"\d", lambda m: str(unicodedata.decimal(m[0])), value)


# A telephone number: digits with the usual separators, optionally an international "+".
PHONE_PATTERN = r"^\+?[0-9 ()./-]*[0-9][0-9 ()./-]*$"
PHONE_RE = re.compile(PHONE_PATTERN)


def normalise_phone(value: str) -> str:
    return ascii_digits((value or "").strip())


def validate_phone(value: str) -> None:
    if not PHONE_RE.match(value):
        raise ValidationError(
            _("Not a telephone number: digits, spaces and + ( ) . / - only."), code="phone"
        )


class CleanTextFormMixin:
    """For a form: every text field's value checked (`check_characters`; multi-line for a
    Textarea) and in NFC, with the error on the field. Choices are checked by their field."""

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}  # type: ignore[misc]
        fields = self.fields  # type: ignore[attr-defined]
        for name, value in list(data.items()):
            field = fields.get(name)
            if not isinstance(value, str) or isinstance(field, forms.ChoiceField):
                continue
            try:
                data[name] = clean_text(value, multiline=isinstance(field.widget, forms.Textarea))
            except ValidationError as exc:
                self.add_error(name, exc)  # type: ignore[attr-defined]
        return data
