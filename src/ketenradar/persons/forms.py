from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ketenradar.core.cleaning import CleanTextFormMixin
from ketenradar.persons.models import Person
from ketenradar.persons.validators import (
    normalise_bsn,
    normalise_postcode,
    validate_bsn,
    validate_postcode,
)


class PersonSearchForm(CleanTextFormMixin, forms.Form):
    q = forms.CharField(
        label=_("Search by name, BSN, date of birth (dd-mm-yyyy) or postcode"),
        required=False,
        max_length=100,
    )


class PersonForm(CleanTextFormMixin, forms.ModelForm):
    street = forms.CharField(label=_("Street"), required=False, max_length=200)
    house_number = forms.IntegerField(label=_("House number"), required=False, min_value=1)
    house_letter = forms.CharField(label=_("House letter"), required=False, max_length=1)
    house_number_addition = forms.CharField(label=_("Addition"), required=False, max_length=4)
    postcode = forms.CharField(label=_("Postcode"), required=False, max_length=7)
    city = forms.CharField(label=_("City"), required=False, max_length=100)

    class Meta:
        model = Person
        fields = [
            "given_names",
            "initials",
            "surname_prefix",
            "surname",
            "partner_surname_prefix",
            "partner_surname",
            "name_usage",
            "birth_day",
            "birth_month",
            "birth_year",
            "sex",
            "bsn",
            "no_bsn_reason",
        ]

    def clean_bsn(self) -> str | None:
        value = normalise_bsn(self.cleaned_data.get("bsn") or "")
        if not value:
            return None
        validate_bsn(value)
        return value

    def clean_postcode(self) -> str:
        value = normalise_postcode(self.cleaned_data.get("postcode") or "")
        if value:
            validate_postcode(value)
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        address = [data.get(f) for f in ("street", "house_number", "postcode", "city")]
        if any(address) and not all(address):
            raise forms.ValidationError(
                _("An address needs street, house number, postcode and city.")
            )
        if not data.get("bsn") and not data.get("no_bsn_reason"):
            self.add_error("no_bsn_reason", _("Say why there is no BSN."))
        return data

    def person_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}

    def address_fields(self) -> dict[str, Any] | None:
        d = self.cleaned_data
        if not d.get("street"):
            return None
        return {
            "street": d["street"],
            "house_number": d["house_number"],
            "house_letter": d.get("house_letter") or "",
            "house_number_addition": d.get("house_number_addition") or "",
            "postcode": d["postcode"],
            "city": d["city"],
        }
