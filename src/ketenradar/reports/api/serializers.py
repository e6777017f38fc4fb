"""The police bulk channel's message: a batch of reports, each validated on its own."""

from __future__ import annotations

import re
from typing import Any

from django.core.validators import MaxLengthValidator, MinLengthValidator

from rest_framework import serializers

from ketenradar.persons.constants import Sex
from ketenradar.persons.validators import (
    POSTCODE_RE,
    is_valid_bsn,
    normalise_bsn,
    normalise_postcode,
)
from ketenradar.reports.constants import PersonRole, ViolenceType

PARTIAL_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
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


class PoliceAddressSerializer(serializers.Serializer):
    street = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    house_number = serializers.IntegerField(min_value=1, max_value=99_999)
    house_letter = serializers.CharField(max_length=1, required=False, allow_blank=True, default="")
    house_number_addition = serializers.CharField(
        max_length=4, required=False, allow_blank=True, default=""
    )
    postcode = serializers.CharField(max_length=7)
    city = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")

    def validate_postcode(self, value: str) -> str:
        value = normalise_postcode(value)
        if not POSTCODE_RE.match(value):
            raise serializers.ValidationError("Not a Dutch postcode (1234 AB).")
        return value


class PolicePersonSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=PersonRole.choices)
    bsn = serializers.CharField(max_length=11, required=False, allow_blank=True, default="")
    given_names = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )
    initials = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    surname_prefix = serializers.CharField(
        max_length=20, required=False, allow_blank=True, default=""
    )
    surname = serializers.CharField(max_length=200)
    date_of_birth = serializers.CharField(
        max_length=10,
        required=False,
        allow_blank=True,
        default="",
        help_text="YYYY-MM-DD, or YYYY-MM or YYYY when only part is known.",
    )
    sex = serializers.ChoiceField(choices=Sex.choices, required=False, default=Sex.UNKNOWN)
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
        match = PARTIAL_DATE_RE.match(value)
        if not match:
            raise serializers.ValidationError("Use YYYY-MM-DD, YYYY-MM or YYYY.")
        year, month, day = (int(g) if g else None for g in match.groups())
        import datetime as dt

        try:
            dt.date(year or 1, month or 1, day or 1)
        except ValueError as exc:
            raise serializers.ValidationError("This date does not exist.") from exc
        if year is not None and not 1880 <= year <= dt.date.today().year:  # noqa: DTZ011
            raise serializers.ValidationError("Year of birth out of range.")
        return value


class PoliceReporterSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, help_text="The reporting officer.")
    unit = serializers.CharField(max_length=200, help_text="Police unit (eenheid, team).")
    phone = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    email = serializers.EmailField(required=False, allow_blank=True, default="")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs.get("phone") and not attrs.get("email"):
            raise serializers.ValidationError("A reporter needs a telephone number or e-mail.")
        return attrs


class PoliceReportSerializer(serializers.Serializer):
    report_id = serializers.CharField(
        max_length=100, help_text="The police's own id: the idempotency key."
    )
    reported_at = serializers.DateTimeField(
        help_text="When the police made the report (ISO 8601 with offset)."
    )
    violence_types = serializers.ListField(
        child=serializers.ChoiceField(choices=ViolenceType.choices), min_length=1, max_length=8
    )
    human_trafficking = serializers.BooleanField(default=False)
    acute = serializers.BooleanField(default=False, help_text="Indication of acute unsafety.")
    structural = serializers.BooleanField(
        default=False, help_text="Indication of structural unsafety."
    )
    description = serializers.CharField(max_length=20_000, allow_blank=True, default="")
    persons = PolicePersonSerializer(many=True, min_length=1, max_length=50)  # type: ignore[call-arg]
    reporter = PoliceReporterSerializer()

    class Meta:
        list_serializer_class = BoundedListSerializer


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
