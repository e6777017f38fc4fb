"""The police bulk channel's message: a batch of reports, each validated on its own."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from zoneinfo import ZoneInfo

from django.core.validators import MaxLengthValidator, MinLengthValidator
from django.utils import timezone

from rest_framework import serializers

from ketenradar.core import clock
from ketenradar.core.api_fields import (
    StrictBooleanField,
    StrictCharField,
    StrictChoiceField,
    StrictDateTimeField,
    StrictEmailField,
    StrictIntegerField,
    StrictSerializer,
)
from ketenradar.core.cleaning import PHONE_PATTERN
from ketenradar.persons.constants import Sex
from ketenradar.persons.validators import (
    POSTCODE_RE,
    is_valid_bsn,
    normalise_bsn,
    normalise_postcode,
)
from ketenradar.reports.constants import PersonRole, ViolenceType
from ketenradar.reports.services import RECEIPT_CLOCK_SKEW

PARTIAL_DATE_RE = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$")
MAX_BATCH = 10_000


class BoundedListSerializer(serializers.ListSerializer):
    """``many=True`` with ``min_length``/``max_length`` that the OpenAPI spec shows
    (minItems/maxItems): ListSerializer checks the length itself, drf-spectacular documents
    only validators. These run after that check, so they never add a message."""

    def get_validators(self) -> list[Any]:
        validators = list(super().get_validators())
        # (the type stubs lack these attributes)
        min_length, max_length = (
            getattr(self, "min_length", None),
            getattr(self, "max_length", None),
        )
        if min_length is not None:
            validators.append(MinLengthValidator(min_length))
        if max_length is not None:
            validators.append(MaxLengthValidator(max_length))
        return validators


# The API takes ASCII digits only (docs/reports.md); the screens read other scripts too.
BSN_PATTERN = r"^([0-9]{8,9})?$"
POSTCODE_PATTERN = r"^[1-9][0-9]{3} ?[A-Za-z]{2}$"
PHONE_OR_BLANK_PATTERN = f"^({PHONE_PATTERN[1:-1]})?$"
DATE_OF_BIRTH_PATTERN = r"^([0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?)?$"
HOUSE_LETTER_PATTERN = r"^[A-Za-z]?$"
EARLIEST_BIRTH_YEAR = 1880
# No police report in Ketenradar is older than the Wet meldcode's predecessors.
EARLIEST_REPORT = dt.datetime(1990, 1, 1, tzinfo=ZoneInfo("Europe/Amsterdam"))


def _text(max_length: int, **kwargs: Any) -> StrictCharField:
    """An optional single-line text."""
    return StrictCharField(
        max_length=max_length, required=False, allow_blank=True, default="", **kwargs
    )


def birth_date_parts(value: str) -> tuple[int | None, int | None, int | None]:
    """Year, month and day of a (validated) partial date of birth; None where not given."""
    match = PARTIAL_DATE_RE.match(value)
    if not match:
        return None, None, None
    year, month, day = (int(g) if g else None for g in match.groups())
    return year, month, day


def earliest_birth_day(value: str) -> dt.date | None:
    """The first day a (validated) partial date of birth can mean: "1990-04" is 1 April."""
    year, month, day = birth_date_parts(value)
    return dt.date(year, month or 1, day or 1) if year else None


class PoliceAddressSerializer(StrictSerializer):
    street = _text(200)
    house_number = StrictIntegerField(min_value=1, max_value=99_999)
    house_letter = _text(1, pattern=HOUSE_LETTER_PATTERN, pattern_message="One letter.")
    house_number_addition = _text(4)
    postcode = StrictCharField(
        max_length=7,
        pattern=POSTCODE_PATTERN,
        pattern_message="Not a Dutch postcode (1234 AB).",
        help_text="1234 AB or 1234AB, ASCII digits and letters.",
    )
    city = _text(100)

    def validate_postcode(self, value: str) -> str:
        value = normalise_postcode(value)
        if not POSTCODE_RE.match(value):
            raise serializers.ValidationError("Not a Dutch postcode (1234 AB).")
        return value


class PolicePersonSerializer(StrictSerializer):
    role = StrictChoiceField(choices=PersonRole.choices)
    bsn = _text(
        9,
        pattern=BSN_PATTERN,
        pattern_message="A BSN is 9 ASCII digits (8 for an old number).",
        help_text="9 ASCII digits (8 for an old number), passing the 11-proef.",
    )
    given_names = _text(200)
    initials = _text(20)
    surname_prefix = _text(20)
    surname = StrictCharField(max_length=200)
    date_of_birth = _text(
        10,
        pattern=DATE_OF_BIRTH_PATTERN,
        pattern_message="Use YYYY-MM-DD, YYYY-MM or YYYY.",
        help_text="YYYY-MM-DD, or YYYY-MM or YYYY when only part is known; from "
        f"{EARLIEST_BIRTH_YEAR}, not in the future and not after `reported_at`.",
    )
    sex = StrictChoiceField(choices=Sex.choices, required=False, default=Sex.UNKNOWN)
    address = PoliceAddressSerializer(required=False)

    class Meta:
        list_serializer_class = BoundedListSerializer

    def validate_bsn(self, value: str) -> str:
        value = normalise_bsn(value)
        if value and not is_valid_bsn(value):
            raise serializers.ValidationError("Not a valid BSN (11-proef).")
        return value

    def validate_date_of_birth(self, value: str) -> str:
        if not value:
            return ""
        if not PARTIAL_DATE_RE.match(value):
            raise serializers.ValidationError("Use YYYY-MM-DD, YYYY-MM or YYYY.")
        year, month, day = birth_date_parts(value)
        try:
            dt.date(year or 1, month or 1, day or 1)
        except ValueError as exc:
            raise serializers.ValidationError("This date does not exist.") from exc
        if year is not None and year < EARLIEST_BIRTH_YEAR:
            raise serializers.ValidationError("Year of birth out of range.")
        born = earliest_birth_day(value)
        if born is not None and born > clock.today():
            raise serializers.ValidationError("This date of birth lies in the future.")
        return value


class PoliceReporterSerializer(StrictSerializer):
    name = StrictCharField(max_length=200, help_text="The reporting officer.")
    unit = StrictCharField(max_length=200, help_text="Police unit (eenheid, team).")
    phone = _text(
        50,
        pattern=PHONE_OR_BLANK_PATTERN,
        pattern_message="Not a telephone number: digits, spaces and + ( ) . / - only.",
    )
    email = StrictEmailField(required=False, allow_blank=True, default="")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs.get("phone") and not attrs.get("email"):
            raise serializers.ValidationError("A reporter needs a telephone number or e-mail.")
        return attrs


class PoliceReportSerializer(StrictSerializer):
    report_id = StrictCharField(
        max_length=100, help_text="The police's own id: the idempotency key."
    )
    reported_at = StrictDateTimeField(
        earliest=EARLIEST_REPORT,
        ahead=RECEIPT_CLOCK_SKEW,
        help_text="When the police made the report: ISO 8601 with its offset to UTC, from "
        "1990 and at most 5 minutes ahead of Ketenradar's clock.",
    )
    violence_types = serializers.ListField(
        child=StrictChoiceField(choices=ViolenceType.choices), min_length=1, max_length=8
    )
    human_trafficking = StrictBooleanField(default=False)
    acute = StrictBooleanField(default=False, help_text="Indication of acute unsafety.")
    structural = StrictBooleanField(default=False, help_text="Indication of structural unsafety.")
    description = StrictCharField(max_length=20_000, allow_blank=True, default="", multiline=True)
    persons = PolicePersonSerializer(many=True, min_length=1, max_length=50)  # type: ignore[call-arg]
    reporter = PoliceReporterSerializer()

    class Meta:
        list_serializer_class = BoundedListSerializer

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        reported_on = timezone.localdate(attrs["reported_at"])
        errors = [
            {"date_of_birth": ["The date of birth lies after the report."]}
            if (born := earliest_birth_day(person["date_of_birth"])) and born > reported_on
            else {}
            for person in attrs["persons"]
        ]
        if any(errors):
            raise serializers.ValidationError({"persons": errors})
        return attrs


class PoliceBatchSerializer(serializers.Serializer):
    """For the OpenAPI spec; the view validates every report on its own."""

    reports = PoliceReportSerializer(many=True, min_length=1, max_length=MAX_BATCH)  # type: ignore[call-arg]


class PoliceReportResultSerializer(serializers.Serializer):
    report_id = serializers.CharField(
        allow_null=True,
        help_text="The `report_id` sent (as stored, for a valid report); null when it was "
        "missing or not a string.",
    )
    status = serializers.ChoiceField(choices=["accepted", "duplicate", "rejected"])
    id = serializers.UUIDField(allow_null=True, help_text="The report's id in Ketenradar.")
    reasons = serializers.DictField(
        child=serializers.JSONField(), help_text="Per field, why the report was rejected."
    )


class PoliceBatchResultSerializer(serializers.Serializer):
    accepted = serializers.IntegerField()
    duplicate = serializers.IntegerField()
    rejected = serializers.IntegerField()
    results = PoliceReportResultSerializer(many=True)
