from __future__ import annotations

from pathlib import PurePath
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ketenradar.programme.budget_file import FORMATS
from ketenradar.programme.constants import ActionFunding, ActionStatus, OwnerRole
from ketenradar.programme.models import DevelopmentTask, IntendedResult
from ketenradar.programme.services import parse_quarter
from ketenradar.regions.models import Organisation

MAX_UPLOAD_BYTES = 2 * 1024 * 1024


class BudgetImportForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the budget"),
        max_length=200,
        required=False,
        help_text=_("For example 'DUVO Regiovisie 2019-2022'. Empty: the region and the years."),
    )
    file = forms.FileField(
        label=_("Budget table (CSV or XLSX)"),
        help_text=_(
            "One row per budget line or printed total, one column per year and "
            "centrumgemeente (such as '2019 Den Haag'). The same period again replaces "
            "that budget."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        suffix = PurePath(upload.name or "").suffix.lower().lstrip(".")
        if suffix not in FORMATS:
            raise ValidationError(_("Upload a .csv or .xlsx file."))
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(_("The file is larger than 2 MB."))
        return upload

    @property
    def file_format(self) -> str:
        return PurePath(self.cleaned_data["file"].name).suffix.lower().lstrip(".")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class ActionForm(forms.Form):
    """An action of a development task; the service checks the rules again."""

    title = forms.CharField(label=_("Action"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False)
    result = forms.ModelChoiceField(
        label=_("Intended result"), queryset=IntendedResult.objects.none(), required=False
    )
    owner = forms.ModelChoiceField(
        label=_("Owner organisation"), queryset=Organisation.objects.none()
    )
    owner_role = forms.ChoiceField(label=_("Role of the owner"), choices=OwnerRole.choices)
    quarter = forms.CharField(
        label=_("Quarter"),
        max_length=7,
        required=False,
        help_text=_("Such as 2023-Q1; sets the start and end date. Or give the dates below."),
    )
    start_date = forms.DateField(label=_("Start"), required=False, widget=DateInput())
    end_date = forms.DateField(label=_("End"), required=False, widget=DateInput())
    funding = forms.ChoiceField(label=_("Funding"), choices=ActionFunding.choices)

    def __init__(self, *args: Any, task: DevelopmentTask, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["result"].queryset = task.results.all()  # type: ignore[attr-defined]
        self.fields["owner"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            region=task.region, is_active=True
        ).order_by("name")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        quarter = data.get("quarter", "")
        if quarter:
            try:
                _quarter, first, last = parse_quarter(quarter)
            except ValidationError:
                self.add_error("quarter", _("Write a quarter as 2023-Q1."))
                return data
            if (data.get("start_date") or data.get("end_date")) and (
                (data.get("start_date"), data.get("end_date")) != (first, last)
            ):
                self.add_error("quarter", _("Give either a quarter or a start and end date."))
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and start > end:
            self.add_error("end_date", _("The end date lies before the start date."))
        return data


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=ActionStatus.choices)
    note = forms.CharField(
        label=_("Why (progress note)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        help_text=_("A change of status always needs a note."),
    )


class ActionNoteForm(forms.Form):
    text = forms.CharField(
        label=_("Progress note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
