from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ketenradar.persons.validators import normalise_bsn, validate_bsn
from ketenradar.regions.models import Organisation
from ketenradar.reports.constants import (
    AssessmentDecision,
    ContactKind,
    MonitoringOutcome,
    PersonRole,
    ViolenceType,
)
from ketenradar.reports.models import MeldcodeRecord

YES_NO = [(True, _("yes")), (False, _("no"))]
YES_NO_OPEN = [("", _("not yet answered")), (True, _("yes")), (False, _("no"))]


def _bool_or_none(value: Any) -> bool | None:
    return {"True": True, "False": False, True: True, False: False}.get(value)


def yes_no(label: Any, *, may_stay_open: bool = False) -> forms.TypedChoiceField:
    """A yes/no question; ``may_stay_open``: "not yet answered" is an answer too."""
    if may_stay_open:
        return forms.TypedChoiceField(
            label=label, choices=YES_NO_OPEN, coerce=_bool_or_none, empty_value=None, required=False
        )
    return forms.TypedChoiceField(
        label=label, choices=YES_NO, coerce=_bool_or_none, widget=forms.RadioSelect
    )


def _label(field: str) -> Any:
    return getattr(MeldcodeRecord._meta.get_field(field), "verbose_name", field)


class MeldcodeForm(forms.ModelForm):
    suspicion = yes_no(_label("suspicion"))
    acute_unsafety = yes_no(_label("acute_unsafety"))
    structural_unsafety = yes_no(_label("structural_unsafety"))
    can_offer_help = yes_no(_label("can_offer_help"), may_stay_open=True)
    help_accepted = yes_no(_label("help_accepted"), may_stay_open=True)
    leads_to_safety = yes_no(_label("leads_to_safety"), may_stay_open=True)

    class Meta:
        model = MeldcodeRecord
        fields = [
            "signals",
            "signals_date",
            "consulted_colleague",
            "consulted_veilig_thuis",
            "consultation_date",
            "consultation_notes",
            "conversation_held",
            "conversation_date",
            "conversation_notes",
            "suspicion",
            "acute_unsafety",
            "structural_unsafety",
            "can_offer_help",
            "help_accepted",
            "leads_to_safety",
            "conclusion",
        ]
        widgets = {
            "signals_date": forms.DateInput(attrs={"type": "date"}),
            "consultation_date": forms.DateInput(attrs={"type": "date"}),
            "conversation_date": forms.DateInput(attrs={"type": "date"}),
            "signals": forms.Textarea(attrs={"rows": 4}),
            "consultation_notes": forms.Textarea(attrs={"rows": 3}),
            "conversation_notes": forms.Textarea(attrs={"rows": 3}),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("conversation_held") and not (data.get("conversation_notes") or "").strip():
            self.add_error(
                "conversation_notes", _("Say why there was no conversation with those involved.")
            )
        for field in ("signals_date", "consultation_date", "conversation_date"):
            if data.get(field) and data[field] > dt.date.today():  # noqa: DTZ011
                self.add_error(field, _("This date lies in the future."))
        return data


class ReportedPersonForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=PersonRole.choices)
    given_names = forms.CharField(label=_("Given names"), max_length=200, required=False)
    surname_prefix = forms.CharField(label=_("Tussenvoegsel"), max_length=20, required=False)
    surname = forms.CharField(label=_("Surname"), max_length=200, required=False)
    date_of_birth = forms.DateField(
        label=_("Date of birth"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    bsn = forms.CharField(label="BSN", max_length=11, required=False)

    def clean_bsn(self) -> str:
        value = normalise_bsn(self.cleaned_data.get("bsn") or "")
        if value:
            validate_bsn(value)
        return value


PersonFormSet = forms.formset_factory(ReportedPersonForm, extra=3, max_num=8)


class SubmitToVeiligThuisForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What do you want?"), choices=ContactKind.choices, widget=forms.RadioSelect
    )
    violence_types = forms.MultipleChoiceField(
        label=_("Type of violence"),
        choices=ViolenceType.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    human_trafficking = forms.BooleanField(label=_("Signs of human trafficking"), required=False)
    phone = forms.CharField(label=_("Your telephone number, for Veilig Thuis"), max_length=50)
    description = forms.CharField(
        label=_("What Veilig Thuis should know"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=10_000,
    )


class AssessmentForm(forms.Form):
    acute_unsafety = yes_no(_("Acute unsafety?"))
    acute_rationale = forms.CharField(
        label=_("Why (acute)"), widget=forms.Textarea(attrs={"rows": 2})
    )
    structural_unsafety = yes_no(_("Structural unsafety?"))
    structural_rationale = forms.CharField(
        label=_("Why (structural)"), widget=forms.Textarea(attrs={"rows": 2})
    )
    multi_problem = yes_no(_("Harmful multi-problem situation?"))
    multi_problem_rationale = forms.CharField(
        label=_("Why (multi-problem)"), widget=forms.Textarea(attrs={"rows": 2})
    )
    decision = forms.ChoiceField(
        label=_("Decision"), choices=AssessmentDecision.choices, widget=forms.RadioSelect
    )
    handover_to = forms.ModelChoiceField(
        label=_("Hand over to"), queryset=Organisation.objects.none(), required=False
    )
    safety_conditions = forms.CharField(
        label=_("Safety conditions"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args: Any, region: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisations = Organisation.objects.filter(region=region, is_active=True)
        self.fields["handover_to"].queryset = organisations  # type: ignore[attr-defined]


class TaskDoneForm(forms.Form):
    content = forms.CharField(
        label=_("What was said, to whom"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000
    )


class ExtendForm(forms.Form):
    reason = forms.CharField(label=_("Reason for 2 more weeks"), max_length=1000)


class MonitoringForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=MonitoringOutcome.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000
    )
    action = forms.CharField(label=_("New action (when unsafe)"), required=False, max_length=5000)
