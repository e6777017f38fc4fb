"""Forms of the case page. Each form knows its case, so its choices are the case's own
team, goals, actions, persons and evaluations: an id from another case is invalid."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ketenradar.accounts.models import User
from ketenradar.care import services
from ketenradar.care.constants import (
    GOAL_PHASES,
    ActionStatus,
    CloseReason,
    ConditionStatus,
    DrangStep,
    EscalationReason,
    GoalStatus,
    Phase,
    RiskFactor,
    SafetyLevel,
    ScreeningOutcome,
    ScreeningRole,
)
from ketenradar.care.models import Case
from ketenradar.persons.models import Household
from ketenradar.regions.constants import OrganisationType
from ketenradar.regions.models import Municipality, Organisation

DATE = forms.DateInput(attrs={"type": "date"})
TEXT = forms.Textarea(attrs={"rows": 3})


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj)


class _Form(forms.Form):
    def set_queryset(self, name: str, queryset: Any) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = queryset

    def set_choices(self, name: str, choices: Any) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices


class CaseForm(_Form):
    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case = case
        self.setup()

    def setup(self) -> None:
        pass


class TeamAddForm(CaseForm):
    organisation = forms.ModelChoiceField(Organisation.objects.none(), label=_("Organisation"))
    user = forms.ModelChoiceField(
        User.objects.none(),
        label=_("Named professional"),
        required=False,
        help_text=_("Leave empty to add the whole organisation."),
    )
    purpose = forms.CharField(label=_("Purpose"), widget=TEXT)

    def setup(self) -> None:
        orgs = Organisation.objects.filter(region=self.case.region, is_active=True).exclude(
            pk=self.case.coordinator_organisation_id
        )
        self.set_queryset("organisation", orgs.order_by("name"))
        self.set_queryset(
            "user",
            User.objects.filter(memberships__organisation__in=orgs, is_active=True).distinct(),
        )


class TeamEndForm(CaseForm):
    member = forms.ModelChoiceField(Organisation.objects.none(), label=_("Team member"))

    def setup(self) -> None:
        self.set_queryset("member", self.case.team.filter(ended_at__isnull=True))


class CoordinatorForm(CaseForm):
    organisation = forms.ModelChoiceField(Organisation.objects.none(), label=_("Local team"))
    coordinator = forms.ModelChoiceField(
        User.objects.none(), label=_("Coordinator"), required=False
    )
    reason = forms.CharField(label=_("Reason"), widget=TEXT)

    def setup(self) -> None:
        teams = Organisation.objects.filter(
            region=self.case.region, type=OrganisationType.LOCAL_TEAM, is_active=True
        )
        self.set_queryset("organisation", teams.order_by("name"))
        self.set_queryset(
            "coordinator",
            User.objects.filter(
                memberships__organisation__in=teams,
                memberships__role__group__permissions__codename="coordinate_cases",
                is_active=True,
            ).distinct(),
        )


class ConditionAddForm(CaseForm):
    text = forms.CharField(label=_("Safety condition"), widget=TEXT)


class ConditionStatusForm(CaseForm):
    condition = forms.ModelChoiceField(Organisation.objects.none(), label=_("Condition"))
    status = forms.ChoiceField(label=_("Status"), choices=ConditionStatus.choices)

    def setup(self) -> None:
        self.set_queryset("condition", self.case.conditions.all())


class AnalysisForm(CaseForm):
    risk_factors = forms.MultipleChoiceField(
        label=_("Risk factors"),
        choices=RiskFactor.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    protective_factors = forms.CharField(label=_("Protective factors"), widget=TEXT)
    network = forms.CharField(label=_("The household's own network"), widget=TEXT, required=False)
    explanation = forms.CharField(label=_("How the violence comes about"), widget=TEXT)


class GoalAddForm(CaseForm):
    phase = forms.ChoiceField(label=_("Phase"), choices=[(p.value, p.label) for p in GOAL_PHASES])
    description = forms.CharField(label=_("Goal"), widget=TEXT)


class GoalStatusForm(CaseForm):
    goal = forms.ModelChoiceField(Organisation.objects.none(), label=_("Goal"))
    status = forms.ChoiceField(label=_("Status"), choices=GoalStatus.choices)

    def setup(self) -> None:
        self.set_queryset("goal", self.case.goals.all())


class ActionAddForm(CaseForm):
    goal = forms.ModelChoiceField(Organisation.objects.none(), label=_("Goal"), required=False)
    description = forms.CharField(label=_("Action"), widget=TEXT)
    owner_organisation = forms.ModelChoiceField(Organisation.objects.none(), label=_("Owner"))
    due_date = forms.DateField(label=_("Due"), widget=DATE)

    def setup(self) -> None:
        self.set_queryset("goal", self.case.goals.filter(status=GoalStatus.OPEN))
        team = self.case.team.filter(ended_at__isnull=True).values("organisation_id")
        self.set_queryset(
            "owner_organisation",
            Organisation.objects.filter(
                Q(pk__in=team) | Q(pk=self.case.coordinator_organisation_id)
            ).order_by("name"),
        )


class ActionStatusForm(CaseForm):
    action = forms.ModelChoiceField(Organisation.objects.none(), label=_("Action"))
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)

    def setup(self) -> None:
        self.set_queryset("action", self.case.actions.all())


class PlanApproveForm(CaseForm):
    note = forms.CharField(label=_("Note"), widget=TEXT, required=False)
    confirm = forms.BooleanField(label=_("I approve the plan as it stands."))


class EvaluationPlanForm(CaseForm):
    planned_for = forms.DateField(label=_("Evaluation on"), widget=DATE)


class EvaluationRecordForm(CaseForm):
    evaluation = forms.ModelChoiceField(Organisation.objects.none(), label=_("Evaluation"))
    summary = forms.CharField(label=_("Summary"), widget=TEXT)

    def setup(self) -> None:
        self.set_queryset("evaluation", self.case.evaluations.filter(held_at__isnull=True))


class SafetyForm(CaseForm):
    level = forms.ChoiceField(label=_("Safety"), choices=SafetyLevel.choices)
    note = forms.CharField(label=_("Explanation"), widget=TEXT)


class PhaseForm(CaseForm):
    to_phase = forms.ChoiceField(label=_("To phase"), choices=())
    reason = forms.CharField(label=_("Reason"), widget=TEXT, required=False)

    def setup(self) -> None:
        from ketenradar.care.constants import TRANSITIONS

        self.set_choices(
            "to_phase",
            [(p, Phase(p).label) for p in Phase.values if p in TRANSITIONS[self.case.phase]],
        )


class CloseForm(CaseForm):
    reason = forms.ChoiceField(label=_("Reason for closing"), choices=CloseReason.choices)
    final_safety = forms.ChoiceField(
        label=_("Final safety assessment"), choices=SafetyLevel.choices
    )
    note = forms.CharField(label=_("Explanation"), widget=TEXT, required=False)


class EscalateForm(CaseForm):
    reason = forms.ChoiceField(label=_("Reason"), choices=EscalationReason.choices)
    note = forms.CharField(label=_("Explanation"), widget=TEXT)


class EscalationResolveForm(CaseForm):
    escalation = forms.ModelChoiceField(Organisation.objects.none(), label=_("Escalation"))
    resolution = forms.CharField(label=_("Decision"), widget=TEXT)

    def setup(self) -> None:
        self.set_queryset("escalation", self.case.escalations.filter(resolved_at__isnull=True))


class _PersonForm(CaseForm):
    person = PersonChoice(Organisation.objects.none(), label=_("Person"))

    def setup(self) -> None:
        ids = [p.pk for p in services.household_persons(self.case)]
        from ketenradar.persons.models import Person

        self.set_queryset("person", Person.objects.filter(pk__in=ids))


class ScreeningOfferForm(_PersonForm):
    role = forms.ChoiceField(label=_("As"), choices=ScreeningRole.choices)


class ScreeningOutcomeForm(CaseForm):
    screening = forms.ModelChoiceField(Organisation.objects.none(), label=_("Screening"))
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[c for c in ScreeningOutcome.choices if c[0] != ScreeningOutcome.OFFERED],
    )
    referral = forms.CharField(label=_("Referred to"), required=False)

    def setup(self) -> None:
        self.set_queryset(
            "screening", self.case.screenings.filter(outcome=ScreeningOutcome.OFFERED)
        )


class RefusalForm(_PersonForm):
    what_refused = forms.CharField(label=_("Help refused"), widget=TEXT)
    drang_steps = forms.MultipleChoiceField(
        label=_("Drang steps taken"), choices=DrangStep.choices, widget=forms.CheckboxSelectMultiple
    )
    next_step = forms.CharField(label=_("Next step"), widget=TEXT, required=False)


class CaseOpenForm(_Form):
    municipality = forms.ModelChoiceField(Municipality.objects.none(), label=_("Municipality"))

    def __init__(self, *args: Any, region: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.set_queryset(
            "municipality", Municipality.objects.filter(region=region).order_by("name")
        )


class HandoverForm(CaseOpenForm):
    household_uuid = forms.ChoiceField(label=_("Household"), choices=())

    def __init__(self, *args: Any, households: list[Household], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.set_choices("household_uuid", [(str(h.uuid), h.label) for h in households])
