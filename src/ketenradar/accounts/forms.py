from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from ketenradar.accounts.models import Role
from ketenradar.regions.models import Organisation, Team


class LoginForm(AuthenticationForm):
    username = forms.CharField(label=_("Username"), max_length=150)
    password = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput)


class TokenForm(forms.Form):
    token = forms.RegexField(
        label=_("Code from your authenticator app"),
        regex=r"^\d{6}$",
        max_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class MembershipForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none()
    )
    role = forms.ModelChoiceField(label=_("Role"), queryset=Role.objects.all())
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none(), required=False)

    def __init__(self, *args: Any, region: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        orgs = Organisation.objects.filter(region=region, is_active=True)
        self.fields["organisation"].queryset = orgs  # type: ignore[attr-defined]
        self.fields["team"].queryset = Team.objects.filter(organisation__in=orgs)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        team, org = data.get("team"), data.get("organisation")
        if team and org and team.organisation_id != org.pk:
            raise forms.ValidationError(_("The team must belong to the organisation."))
        return data


class UserCreateForm(MembershipForm):
    username = forms.RegexField(label=_("Username"), regex=r"^[\w.@+-]+$", max_length=150)
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(label=_("E-mail"))
    field_order = ["username", "first_name", "last_name", "email", "organisation", "role", "team"]
