from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ketenradar.accounts.models import User
from ketenradar.core import clock
from ketenradar.core.cleaning import CleanTextFormMixin, normalise_phone, validate_phone
from ketenradar.persons.matching import ReportedPerson
from ketenradar.persons.validators import (
    normalise_bsn,
    normalise_postcode,
    validate_bsn,
    validate_postcode,
)
from ketenradar.regions.models import Organisation
from ketenradar.reports.constants import (
    AssessmentDecision,
    Channel,
    ContactKind,
    DossierState,
    InvestigationOutcome,
    MonitoringOutcome,
    PersonRole,
    ReporterCategory,
    ViolenceType,
)
from ketenradar.reports.models import MeldcodeRecord
from ketenradar.reports.services import ReporterData

# Nothing the screens register happened before 1990; nobody was born before 1880.
EARLIEST_DATE = dt.date(1990, 1, 1)
EARLIEST_BIRTH = dt.date(1880, 1, 1)

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


class MeldcodeForm(CleanTextFormMixin, forms.ModelForm):
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
            elif data.get(field) and data[field] < EARLIEST_DATE:
                self.add_error(field, _("This date lies before 1990."))
        return data


class ReportedPersonForm(CleanTextFormMixin, forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=PersonRole.choices)
    given_names = forms.CharField(label=_("Given names"), max_length=200, required=False)
    surname_prefix = forms.CharField(label=_("Tussenvoegsel"), max_length=20, required=False)
    surname = forms.CharField(label=_("Surname"), max_length=200, required=False)
    date_of_birth = forms.DateField(
        label=_("Date of birth"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    bsn = forms.CharField(label="BSN", max_length=11, required=False)
    # with surname and date of birth, the radar's exact rule matches on the current postcode
    postcode = forms.CharField(label=_("Postcode"), max_length=7, required=False)
    house_number = forms.IntegerField(
        label=_("House number"), min_value=1, max_value=99_999, required=False
    )

    def clean_bsn(self) -> str:
        value = normalise_bsn(self.cleaned_data.get("bsn") or "")
        if value:
            validate_bsn(value)
        return value

    def clean_date_of_birth(self) -> dt.date | None:
        value: dt.date | None = self.cleaned_data.get("date_of_birth")
        if value and value > clock.today():
            raise forms.ValidationError(_("This date of birth lies in the future."))
        if value and value < EARLIEST_BIRTH:
            raise forms.ValidationError(_("This date of birth lies before 1880."))
        return value

    def clean_postcode(self) -> str:
        value = normalise_postcode(self.cleaned_data.get("postcode") or "")
        if value:
            validate_postcode(value)
        return value


PersonFormSet = forms.formset_factory(ReportedPersonForm, extra=3, max_num=8)


def filled_person_rows(persons: forms.BaseFormSet) -> list[dict[str, Any]]:
    """The rows of a valid ``PersonFormSet`` that name somebody (a surname, given names or
    a BSN); empty rows are dropped."""
    return [
        row
        for row in persons.cleaned_data
        if row and (row.get("surname") or row.get("given_names") or row.get("bsn"))
    ]


def reported_persons(persons: forms.BaseFormSet) -> list[tuple[ReportedPerson, PersonRole]]:
    """The named rows of a valid ``PersonFormSet``, as the intake's reported persons."""
    reported = []
    for row in filled_person_rows(persons):
        born: dt.date | None = row.get("date_of_birth")
        reported.append(
            (
                ReportedPerson(
                    bsn=row.get("bsn") or "",
                    given_names=row.get("given_names") or "",
                    surname_prefix=row.get("surname_prefix") or "",
                    surname=row.get("surname") or "",
                    birth_year=born.year if born else None,
                    birth_month=born.month if born else None,
                    birth_day=born.day if born else None,
                    postcode=row.get("postcode") or "",
                    house_number=row.get("house_number"),
                ),
                PersonRole(row["role"]),
            )
        )
    return reported


class SubmitToVeiligThuisForm(CleanTextFormMixin, forms.Form):
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

    def clean_phone(self) -> str:
        value = normalise_phone(self.cleaned_data.get("phone") or "")
        validate_phone(value)
        return value

    description = forms.CharField(
        label=_("What Veilig Thuis should know"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=10_000,
    )


class AssessmentForm(CleanTextFormMixin, forms.Form):
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


class TaskDoneForm(CleanTextFormMixin, forms.Form):
    content = forms.CharField(
        label=_("What was said, to whom"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000
    )


class ExtendForm(CleanTextFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason for 2 more weeks"), max_length=1000)


class MonitoringForm(CleanTextFormMixin, forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=MonitoringOutcome.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000
    )
    action = forms.CharField(label=_("New action (when unsafe)"), required=False, max_length=5000)


# Veilig Thuis's own intake takes phone calls, chats, contacts from another region's Veilig
# Thuis, and web forms that reached it outside Ketenradar; police reports come over the API.
INTAKE_CHANNELS = (Channel.PHONE, Channel.CHAT, Channel.OTHER_VT_REGION, Channel.WEB_FORM)


def _this_minute() -> dt.datetime:
    return timezone.localtime(clock.now()).replace(second=0, microsecond=0)


class ContactIntakeForm(CleanTextFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("Advice request or report"),
        choices=ContactKind.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Advice request: the responsibility stays with the asker, and the client may stay "
            "anonymous. Report: the responsibility moves to Veilig Thuis, and the reporter must "
            "be identifiable."
        ),
    )
    channel = forms.ChoiceField(
        label=_("Channel"), choices=[(c.value, c.label) for c in INTAKE_CHANNELS]
    )
    reporter_category = forms.ChoiceField(
        label=_("Reporter category (CBS)"), choices=ReporterCategory.choices
    )
    received_at = forms.DateTimeField(
        label=_("Received"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["received_at"].initial = _this_minute

    def clean_received_at(self) -> dt.datetime:
        value: dt.datetime = self.cleaned_data["received_at"]
        if value > clock.now():
            raise forms.ValidationError(_("This moment lies in the future."))
        if value.date() < EARLIEST_DATE:
            raise forms.ValidationError(_("This moment lies before 1990."))
        return value


class ReportContentForm(CleanTextFormMixin, forms.Form):
    """What is reported: the types of violence, human trafficking, the indications of
    unsafety, and what was told."""

    violence_types = forms.MultipleChoiceField(
        label=_("Type of violence"),
        choices=ViolenceType.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    human_trafficking = forms.BooleanField(label=_("Signs of human trafficking"), required=False)
    acute_indication = forms.BooleanField(label=_("Indication of acute unsafety"), required=False)
    structural_indication = forms.BooleanField(
        label=_("Indication of structural unsafety"), required=False
    )
    description = forms.CharField(
        label=_("What was told"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=10_000,
    )

    def content(self) -> dict[str, Any]:
        """The cleaned content as the services' keyword arguments."""
        data = self.cleaned_data
        return {
            "violence_types": [ViolenceType(v) for v in data["violence_types"]],
            "human_trafficking": data["human_trafficking"],
            "acute_indication": data["acute_indication"],
            "structural_indication": data["structural_indication"],
            "description": data["description"].strip(),
        }


class ReporterForm(CleanTextFormMixin, forms.Form):
    """Who reports or asks. A report needs a name and a telephone number or e-mail address
    (the service decides); an advice request may stay anonymous."""

    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    organisation_name = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    function = forms.CharField(label=_("Function"), max_length=200, required=False)
    phone = forms.CharField(label=_("Telephone"), max_length=50, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)

    def clean_phone(self) -> str:
        value = normalise_phone(self.cleaned_data.get("phone") or "")
        if value:
            validate_phone(value)
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        given = any((data.get(f) or "").strip() for f in self.fields if f != "name")
        if given and not (data.get("name") or "").strip():
            self.add_error("name", _("Give the reporter's name, or leave the reporter empty."))
        return data

    def reporter(self) -> ReporterData | None:
        data = {f: (self.cleaned_data.get(f) or "").strip() for f in self.fields}
        return ReporterData(**data) if data["name"] else None


def _offer(field: forms.Field, states: Sequence[str] | None) -> None:
    """Show only ``states``. A bound form accepts any state, so that the service refuses an
    illegal step with its own message (a page opened before a colleague moved the dossier)."""
    if states is not None:
        shown = [(s.value, s.label) for s in DossierState if s in states]
        field.choices = shown  # type: ignore[attr-defined]


class InvestigationForm(forms.Form):
    """The end of the investigation: an outcome per type of violence (CBS 84853NED), or
    closed early, and the next state."""

    closed_early = forms.BooleanField(
        label=_("Closed early (no outcome per type of violence)"), required=False
    )
    next_state = forms.ChoiceField(label=_("Next step"), choices=DossierState.choices)

    def __init__(
        self,
        *args: Any,
        violence_types: Sequence[str] = (),
        offered: Sequence[str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        # A bound form reads every type; the page shows those of the dossier's contacts
        # (all types when none were recorded). The service checks that none is missing.
        shown = violence_types or ViolenceType.values
        outcome_fields = {
            f"outcome_{t}": forms.ChoiceField(
                label=_("Outcome: %(type)s") % {"type": ViolenceType(t).label},
                choices=[("", "–"), *InvestigationOutcome.choices],
                required=False,
            )
            for t in (ViolenceType.values if self.is_bound else shown)
        }
        self.fields = {**outcome_fields, **self.fields}
        _offer(self.fields["next_state"], offered)


def investigation_outcomes(data: dict[str, Any]) -> dict[str, InvestigationOutcome]:
    """The outcomes a valid ``InvestigationForm`` gives, by type of violence."""
    return {
        name.removeprefix("outcome_"): InvestigationOutcome(value)
        for name, value in data.items()
        if name.startswith("outcome_") and value
    }


class DossierMoveForm(forms.Form):
    to = forms.ChoiceField(label=_("Next step"), choices=DossierState.choices)

    def __init__(self, *args: Any, offered: Sequence[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _offer(self.fields["to"], offered)


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.get_full_name() or obj.username


class AssignForm(forms.Form):
    assignee = StaffChoiceField(
        label=_("Assign to"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("nobody (unassigned)"),
    )

    def __init__(self, *args: Any, staff: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = staff  # type: ignore[attr-defined]
