"""Form fields shared by the apps."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import connection, models

from ketenradar.core.http import ascii_int


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's field, whose integer keys are read with ``ascii_int`` within the database's
    range first: Django checks each key on its own (``ValueError``, ``TypeError``) but
    then asks for all of them with ``__in``, where 10^40 fails in the database driver
    (``OverflowError`` on SQLite, a ``DataError`` on PostgreSQL): a 500 instead of the
    field's "not a valid value"."""

    def _check_values(self, value: Any) -> Any:
        assert self.queryset is not None
        meta = self.queryset.model._meta
        key = meta.get_field(self.to_field_name) if self.to_field_name else meta.pk
        if isinstance(key, models.IntegerField) and isinstance(value, list | tuple):
            maximum = connection.ops.integer_field_range(key.get_internal_type())[1]
            for pk in value:
                if ascii_int(str(pk), maximum=maximum or 2**63 - 1) is None:
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": pk},
                    )
        return super()._check_values(value)  # type: ignore[misc]
