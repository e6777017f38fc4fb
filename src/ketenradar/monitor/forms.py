from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


def last_month(today: dt.date) -> tuple[dt.date, dt.date]:
    end = today.replace(day=1) - dt.timedelta(days=1)
    return end.replace(day=1), end


class KpiForm(forms.Form):
    scope = forms.ChoiceField(label=_("Area"), required=False)
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, scopes: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scope = self.fields["scope"]
        assert isinstance(scope, forms.ChoiceField)
        scope.choices = scopes

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            raise forms.ValidationError(_("The period ends before it starts."))
        if start and end and (end - start).days > 3 * 366:
            raise forms.ValidationError(_("Choose a period of at most three years."))
        return data


class CbsForm(forms.Form):
    """A half year and an area for the CBS Beleidsinformatie tables."""

    scope = forms.ChoiceField(label=_("Area"), required=False)
    year = forms.IntegerField(label=_("Year"), min_value=2015, max_value=2100)
    half = forms.TypedChoiceField(
        label=_("Half year"),
        coerce=int,
        choices=[(1, _("first (January-June)")), (2, _("second (July-December)"))],
    )

    def __init__(self, *args: Any, scopes: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scope = self.fields["scope"]
        assert isinstance(scope, forms.ChoiceField)
        scope.choices = scopes


class CouncilReportForm(forms.Form):
    """The period of the council report: a calendar year, or a range of dates."""

    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end, year = data.get("start"), data.get("end"), data.get("year")
        if start or end:
            if not (start and end):
                raise forms.ValidationError(_("Give both the start and the end of the period."))
            if start > end:
                raise forms.ValidationError(_("The period ends before it starts."))
            if (end - start).days > 3 * 366:
                raise forms.ValidationError(_("Choose a period of at most three years."))
        elif year:
            data["start"], data["end"] = dt.date(year, 1, 1), dt.date(year, 12, 31)
        else:
            raise forms.ValidationError(_("Choose a year or a period."))
        return data
