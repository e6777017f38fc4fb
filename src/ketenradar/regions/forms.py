from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ketenradar.core.forms import ModelMultipleChoiceField
from ketenradar.regions.constants import OrganisationType
from ketenradar.regions.models import Municipality


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    type = forms.ChoiceField(label=_("Type"), choices=OrganisationType.choices)
    municipalities = ModelMultipleChoiceField(
        label=_("Municipalities served"),
        queryset=Municipality.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args: Any, region: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipalities"].queryset = Municipality.objects.filter(region=region)  # type: ignore[attr-defined]
