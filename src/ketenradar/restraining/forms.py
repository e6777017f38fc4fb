"""The screens' forms. They check the shape of the input; the services check the rules again
(and are the only place that decides)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ketenradar.persons.models import HouseholdMembership
from ketenradar.regions.models import Municipality, Organisation, Region
from ketenradar.restraining.constants import (
    Capacity,
    ExtensionOutcome,
    OrderStatus,
    PersonRole,
    RihgOutcome,
)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M")


def _moment(label: Any, **kwargs: Any) -> forms.DateTimeField:
    return forms.DateTimeField(label=label, widget=DateTimeInput(), **kwargs)


def _organisations(region: Region | None) -> Any:
    return Organisation.objects.filter(region=region, is_active=True).order_by("name")


class PersonSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Find a person of the household"),
        min_length=2,
        max_length=100,
        help_text=_("Name, BSN, date of birth (dd-mm-yyyy) or postcode with house number."),
    )


NOT_INVOLVED = ""
ROLE_CHOICES = [(NOT_INVOLVED, _("not part of the order")), *PersonRole.choices]


class RegisterForm(forms.Form):
    municipality = forms.ModelChoiceField(
        label=_("Municipality where the order was imposed"), queryset=Municipality.objects.none()
    )
    imposed_at = _moment(_("Imposed at (date and time)"))
    imposed_by_capacity = forms.ChoiceField(
        label=_("Imposed by"), choices=Capacity.choices, widget=forms.RadioSelect
    )
    imposed_by_name = forms.CharField(label=_("Name and function of the official"), max_length=200)
    rihg_outcome = forms.ChoiceField(
        label=_("Conclusion of the RiHG, as the assessor recorded it"),
        choices=RihgOutcome.choices,
        widget=forms.RadioSelect,
    )
    rihg_note = forms.CharField(label=_("Note on the RiHG"), max_length=500, required=False)

    def __init__(
        self, *args: Any, region: Region | None, members: list[HouseholdMembership], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["municipality"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Municipality.objects.filter(region=region).order_by("name")
        self.members = members
        for m in members:
            self.fields[f"role_{m.person.pk}"] = forms.ChoiceField(
                label=f"{m.person.display_name} ({m.get_role_display()})",
                choices=ROLE_CHOICES,
                required=False,
            )

    def persons(self) -> list[tuple[Any, PersonRole]]:
        chosen = []
        for m in self.members:
            role = self.cleaned_data.get(f"role_{m.person.pk}")
            if role:
                chosen.append((m.person, PersonRole(role)))
        return chosen

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        roles = [data.get(f"role_{m.person.pk}") for m in self.members]
        if roles.count(PersonRole.REMOVED) != 1:
            raise forms.ValidationError(_("Name exactly one person removed from the home."))
        if PersonRole.REMAINING not in roles:
            raise forms.ValidationError(_("Name at least one person remaining in the home."))
        return data


class ExtensionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Decision"), choices=ExtensionOutcome.choices, widget=forms.RadioSelect
    )
    decided_at = _moment(_("Decided at"))
    decided_by_capacity = forms.ChoiceField(
        label=_("Decided by"),
        choices=Capacity.choices,
        initial=Capacity.MAYOR,
        help_text=_("Only the mayor can extend an order; this cannot be mandated."),
    )
    decided_by_name = forms.CharField(label=_("Name of the mayor"), max_length=200)
    new_end = _moment(
        _("New end"), required=False, help_text=_("At most 28 days after imposition.")
    )


class HelpForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none()
    )
    started_at = _moment(_("Help started at"))
    note = forms.CharField(label=_("What help"), max_length=500, required=False)

    def __init__(self, *args: Any, region: Region | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = _organisations(region)


class SafetyPlanForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Made by organisation"), queryset=Organisation.objects.none()
    )
    made_at = _moment(_("Made at"))
    summary = forms.CharField(
        label=_("Summary of the agreements"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )

    def __init__(self, *args: Any, region: Region | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = _organisations(region)


class ViolationForm(forms.Form):
    occurred_at = _moment(_("Occurred at"))
    description = forms.CharField(
        label=_("What happened"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000
    )
    reported_to_police = forms.BooleanField(label=_("Reported to the police"), required=False)


STATUS_CHOICES = [
    (OrderStatus.WITHDRAWN, _("withdrawn by the mayor")),
    (OrderStatus.ENDED, _("ended")),
]


class StatusForm(forms.Form):
    to = forms.ChoiceField(label=_("New status"), choices=STATUS_CHOICES, widget=forms.RadioSelect)
    decided_by_capacity = forms.ChoiceField(
        label=_("Withdrawn by"),
        choices=[("", "---------"), *Capacity.choices],
        required=False,
    )
    decided_by_name = forms.CharField(label=_("Name of the mayor"), max_length=200, required=False)
    reason = forms.CharField(label=_("Reason"), max_length=1000, required=False)
