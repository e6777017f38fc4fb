from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ketenradar.core.forms import ModelMultipleChoiceField
from ketenradar.mda.constants import CRITERION_FIELDS, Criterion
from ketenradar.mda.models import Referral
from ketenradar.mda.services import CriterionAnswer
from ketenradar.regions.models import Organisation


class ReferralForm(forms.Form):
    """The coordinator's referral: the MDA++ organisation, the question, and per criterion
    whether it is met and why."""

    mda_organisation = forms.ModelChoiceField(
        label=_("MDA++ organisation"), queryset=Organisation.objects.none()
    )
    question = forms.CharField(
        label=_("Question to MDA++"), widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mda_organisation"].queryset = organisations  # type: ignore[attr-defined]
        for criterion, field in CRITERION_FIELDS.items():
            self.fields[field] = forms.BooleanField(
                label=Criterion(criterion).label, required=False
            )
            self.fields[f"{field}_motivation"] = forms.CharField(
                label=_("Why (if met)"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def criteria(self) -> dict[str, CriterionAnswer]:
        return {
            criterion: CriterionAnswer(
                met=self.cleaned_data[field],
                motivation=self.cleaned_data[f"{field}_motivation"],
            )
            for criterion, field in CRITERION_FIELDS.items()
        }


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for declining"), widget=forms.Textarea(attrs={"rows": 2})
    )


class ConferencePlanForm(forms.Form):
    planned_at = forms.DateTimeField(
        label=_("Date and time"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%d-%m-%Y %H:%M"],
    )
    referrals = ModelMultipleChoiceField(
        label=_("Agenda"),
        queryset=Referral.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, candidates: list[Referral], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["referrals"]
        field.queryset = Referral.objects.filter(pk__in=[r.pk for r in candidates])  # type: ignore[attr-defined]
        field.label_from_instance = lambda r: (  # type: ignore[attr-defined]
            f"{r.reference} ({r.get_status_display()}, {r.referred_at:%d-%m-%Y})"
        )


class WeighingForm(forms.Form):
    risk_factors = forms.CharField(
        label=_("Risk factors"), widget=forms.Textarea(attrs={"rows": 3})
    )
    protective_factors = forms.CharField(
        label=_("Protective factors"), widget=forms.Textarea(attrs={"rows": 3})
    )
    global_plan = forms.CharField(label=_("Global plan"), widget=forms.Textarea(attrs={"rows": 3}))


class ActionForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=Organisation.objects.none())
    owner_name = forms.CharField(label=_("Owner"), max_length=200, required=False)
    description = forms.CharField(label=_("Action"), widget=forms.Textarea(attrs={"rows": 2}))
    due_date = forms.DateField(label=_("Due"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, agencies: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies  # type: ignore[attr-defined]


class HoldForm(forms.Form):
    participant_organisations = ModelMultipleChoiceField(
        label=_("Agencies present"),
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    participants = forms.CharField(
        label=_("Participants (names and agencies)"), widget=forms.Textarea(attrs={"rows": 3})
    )
    next_conference_on = forms.DateField(
        label=_("Next conference"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, agencies: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["participant_organisations"].queryset = agencies  # type: ignore[attr-defined]
