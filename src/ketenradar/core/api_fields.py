"""Strict input for the API: JSON types as the OpenAPI spec says, text checked and in NFC
(`ketenradar.core.cleaning`), and no field the serializer does not know.

DRF's own fields read scalars leniently ("phone": 0 becomes "0", "acute": 1 becomes true,
"house_number": "12" becomes 12) and a serializer drops fields it does not know. Here a
value of the wrong JSON type, and an unknown field, are refused with the field's name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import RegexValidator
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from rest_framework import serializers
from rest_framework.fields import empty

from ketenradar.core import clock
from ketenradar.core.cleaning import (
    MULTILINE_PATTERN,
    SINGLE_LINE_PATTERN,
    clean_text,
    without_surrogates,
)

NOT_A_STRING = _("Not a string.")


class StrictCharField(serializers.CharField):
    """A JSON string only; no lone surrogate or control character (``multiline``: tab, LF
    and CR allowed); stored in NFC. ``pattern``: a regular expression the (stripped) value
    must match, shown in the spec; without it the spec shows the character rule."""

    def __init__(
        self,
        *,
        multiline: bool = False,
        pattern: str | None = None,
        pattern_message: Any = None,
        **kwargs: Any,
    ) -> None:
        self.multiline = multiline
        super().__init__(**kwargs)
        self.validators.append(
            RegexValidator(pattern, pattern_message)
            if pattern
            else RegexValidator(MULTILINE_PATTERN if multiline else SINGLE_LINE_PATTERN)
        )

    def run_validation(self, data: Any = empty) -> Any:
        if data is not empty and data is not None and not isinstance(data, str):
            raise serializers.ValidationError(str(NOT_A_STRING), code="invalid")
        return super().run_validation(data)

    def to_internal_value(self, data: Any) -> str:
        value: str = super().to_internal_value(data)
        try:
            return clean_text(value, multiline=self.multiline)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages, code=exc.code) from exc


class StrictEmailField(StrictCharField, serializers.EmailField):
    pass


class StrictChoiceField(serializers.ChoiceField):
    """A JSON string that is one of the choices; the message does not echo the value."""

    default_error_messages = {"invalid_choice": _("Not one of the allowed values.")}

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, str):
            self.fail("invalid_choice")
        return super().to_internal_value(data)


class StrictBooleanField(serializers.BooleanField):
    """JSON true or false only."""

    def to_internal_value(self, data: Any) -> bool:
        if not isinstance(data, bool):
            self.fail("invalid", input=without_surrogates(str(data))[:50])
        return data


class StrictIntegerField(serializers.IntegerField):
    """A JSON integer only (not a string, not a boolean, not a fraction)."""

    def to_internal_value(self, data: Any) -> int:
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictDateTimeField(serializers.DateTimeField):
    """An ISO 8601 moment with its offset to UTC ("Z" or "+01:00"), between ``earliest``
    and ``now() + ahead``."""

    default_error_messages = {
        "invalid": _("Use ISO 8601 with an offset: YYYY-MM-DDThh:mm[:ss]±hh:mm or Z."),
        "naive": _("The offset to UTC is missing (add Z or +01:00)."),
        "too_early": _("Before {earliest}: not a possible moment."),
        "too_late": _("This moment lies in the future."),
    }

    def __init__(self, *, earliest: dt.datetime, ahead: dt.timedelta, **kwargs: Any) -> None:
        self.earliest, self.ahead = earliest, ahead
        super().__init__(**kwargs)

    def to_internal_value(self, value: Any) -> dt.datetime:
        if not isinstance(value, str) or len(value) > 40:
            self.fail("invalid")
        try:
            parsed = parse_datetime(value)
        except ValueError:
            parsed = None
        if parsed is None:
            self.fail("invalid")
        assert parsed is not None
        if parsed.tzinfo is None:
            self.fail("naive")
        if parsed < self.earliest:
            self.fail("too_early", earliest=self.earliest.date().isoformat())
        if parsed > clock.now() + self.ahead:
            self.fail("too_late")
        return parsed


class StrictSerializer(serializers.Serializer):
    # Refuses fields it does not know: {"<field>": ["Unknown field."]}. (A comment, not a
    # docstring: the OpenAPI spec would show a docstring as every subclass's description.)

    default_error_messages = {"unknown_field": _("Unknown field.")}

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, Mapping):
            unknown = [key for key in data if key not in self.fields]
            if unknown:
                message = str(self.error_messages["unknown_field"])
                errors: dict[str, Any] = {
                    without_surrogates(str(key))[:100]: [message] for key in unknown[:20]
                }
                try:
                    super().to_internal_value(data)
                except serializers.ValidationError as exc:
                    if isinstance(exc.detail, dict):
                        errors = {**exc.detail, **errors}
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)
