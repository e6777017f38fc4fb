from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ketenradar.persons.models import Person
from ketenradar.shelter.constants import (
    BedType,
    PlacementEndReason,
    TrajectoryKind,
    WithdrawalReason,
)
from ketenradar.shelter.models import Facility


def _date(label: Any, required: bool = True, help_text: Any = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.display_name} ({obj.date_of_birth_display})"


class PlacementForm(forms.Form):
    person = PersonChoiceField(
        label=_("Person"),
        queryset=Person.objects.none(),
        to_field_name="uuid",
        help_text=_(
            "Persons your organisation is involved with. Register a new person first under "
            "'Register a person'."
        ),
    )
    members = forms.ModelMultipleChoiceField(
        label=_("Household members placed along (a bed each)"),
        queryset=Person.objects.none(),
        to_field_name="uuid",
        required=False,
    )
    facility = forms.ModelChoiceField(
        label=_("Facility"), queryset=Facility.objects.none(), to_field_name="uuid"
    )
    bed_type = forms.ChoiceField(label=_("Bed type"), choices=BedType.choices)
    start_date = _date(_("Start"))
    planned_end = _date(
        _("Planned end"), required=False, help_text=_("Empty: the 6-month norm (start + 6 months).")
    )

    def __init__(
        self,
        *args: Any,
        persons: QuerySet[Person],
        facilities: QuerySet[Facility],
        fixed_person: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = persons  # type: ignore[attr-defined]
        self.fields["members"].queryset = persons  # type: ignore[attr-defined]
        self.fields["facility"].queryset = facilities  # type: ignore[attr-defined]
        if fixed_person:
            del self.fields["person"]


class PlacementEndForm(forms.Form):
    end_date = _date(_("Leaves on"), help_text=_("The bed is free again on this day."))
    reason = forms.ChoiceField(
        label=_("Why the placement ends"), choices=PlacementEndReason.choices
    )


class WaitingListForm(forms.Form):
    person = PersonChoiceField(
        label=_("Person"), queryset=Person.objects.none(), to_field_name="uuid"
    )
    household_size = forms.IntegerField(
        label=_("Household size (persons needing a bed)"), min_value=1, max_value=20, initial=1
    )
    bed_type = forms.ChoiceField(label=_("Bed type needed"), choices=BedType.choices)
    facility = forms.ModelChoiceField(
        label=_("Facility"),
        queryset=Facility.objects.none(),
        to_field_name="uuid",
        required=False,
        help_text=_("Empty: any facility of the organisation."),
    )
    registered_on = _date(_("Registered on"))

    def __init__(
        self, *args: Any, persons: QuerySet[Person], facilities: QuerySet[Facility], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = persons  # type: ignore[attr-defined]
        self.fields["facility"].queryset = facilities  # type: ignore[attr-defined]


class WithdrawForm(forms.Form):
    withdrawn_on = _date(_("Withdrawn on"))
    reason = forms.ChoiceField(label=_("Reason"), choices=WithdrawalReason.choices)


class TrajectoryForm(forms.Form):
    person = PersonChoiceField(
        label=_("Person"), queryset=Person.objects.none(), to_field_name="uuid"
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=TrajectoryKind.choices)
    start_date = _date(_("Start"))
    planned_end = _date(
        _("Planned end"),
        required=False,
        help_text=_("Empty: 6 weeks for ambulant help, 9 months for the ambulant team."),
    )

    def __init__(self, *args: Any, persons: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = persons  # type: ignore[attr-defined]


class TrajectoryEndForm(forms.Form):
    end_date = _date(_("Ended on"))


class MonthForm(forms.Form):
    month = forms.RegexField(
        label=_("Month"),
        regex=r"^\d{4}-(0[1-9]|1[0-2])$",
        widget=forms.TextInput(attrs={"type": "month"}),
    )
