from __future__ import annotations

from pathlib import PurePath

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ketenradar.programme.budget_file import FORMATS

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
