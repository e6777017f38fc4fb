from django import forms
from django.utils.translation import gettext_lazy as _

from ketenradar.access.constants import BreakGlassReview


class BreakGlassForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for emergency access"),
        help_text=_(
            "Why you need this person's data now, and why it cannot wait. At least 20 characters."
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
        min_length=20,
        max_length=2000,
    )


class ReviewForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            (BreakGlassReview.JUSTIFIED, BreakGlassReview.JUSTIFIED.label),
            (BreakGlassReview.UNJUSTIFIED, BreakGlassReview.UNJUSTIFIED.label),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
