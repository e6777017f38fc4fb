"""One household, one plan, one coordinator: the case (casus) of chain care and its plan.

Workflow lives in ``services.py``; these are the tables and their invariants.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ketenradar.care.constants import (
    ActionStatus,
    CaseSource,
    CloseReason,
    ConditionStatus,
    EscalationReason,
    GoalStatus,
    Phase,
    RiskFactor,
    SafetyLevel,
    ScreeningOutcome,
    ScreeningRole,
    TeamMemberKind,
)

USER = settings.AUTH_USER_MODEL


class Case(models.Model):
    """A household's case: one plan, one coordinator, phases over time."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey(
        "persons.Household", on_delete=models.PROTECT, related_name="cases"
    )
    municipality = models.ForeignKey(
        "regions.Municipality", on_delete=models.PROTECT, related_name="+"
    )
    source = models.CharField(_("source"), max_length=20, choices=CaseSource.choices)
    dossier = models.ForeignKey(
        "reports.Dossier",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("Veilig Thuis dossier"),
    )
    coordinator_organisation = models.ForeignKey(
        "regions.Organisation", on_delete=models.PROTECT, related_name="coordinated_cases"
    )
    coordinator = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="coordinated_cases"
    )
    phase = models.CharField(
        _("phase"), max_length=20, choices=Phase.choices, default=Phase.DIRECT_SAFETY
    )
    phase_since = models.DateTimeField(_("in this phase since"))
    opened_at = models.DateTimeField(_("opened"))
    opened_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, related_name="+")
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    close_reason = models.CharField(
        _("reason for closing"), max_length=20, choices=CloseReason.choices, blank=True
    )
    close_note = models.TextField(_("closing note"), blank=True)
    final_safety = models.CharField(
        _("final safety assessment"), max_length=20, choices=SafetyLevel.choices, blank=True
    )
    updated_at = models.DateTimeField(auto_now=True, db_index=True)  # monitor refresh

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-opened_at"]
        default_permissions = ()
        permissions = [
            ("view_cases", _("Can open the cases they coordinate or are on the team of")),
            ("coordinate_cases", _("Can open cases and coordinate them")),
            ("lead_cases", _("Can see escalations and reassign coordination")),
            ("hand_over_cases", _("Can hand a Veilig Thuis dossier over to a case")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(phase=Phase.CLOSED, closed_at__isnull=False)
                | (~Q(phase=Phase.CLOSED) & Q(closed_at__isnull=True)),
                name="care_case_closed_iff_closed_at",
            ),
            models.CheckConstraint(
                condition=~Q(phase=Phase.CLOSED) | (~Q(close_reason="") & ~Q(final_safety="")),
                name="care_case_closed_with_reason_and_safety",
            ),
        ]
        indexes = [models.Index(fields=["coordinator_organisation", "phase"])]

    def __str__(self) -> str:
        return _("case %(ref)s") % {"ref": self.reference}

    @property
    def reference(self) -> str:
        return self.uuid.hex[:8].upper()

    @property
    def is_open(self) -> bool:
        return self.phase != Phase.CLOSED


class Coordination(models.Model):
    """Who coordinates a case, over time; every change has a reason."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="coordinations")
    organisation = models.ForeignKey("regions.Organisation", on_delete=models.PROTECT)
    user = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, related_name="+")
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    changed_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True, db_index=True)  # monitor refresh

    class Meta:
        ordering = ["started_at", "pk"]
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.case}: {self.organisation_id}/{self.user_id}"


class TeamMember(models.Model):
    """An organisation (or one named professional of it) on the case team, for a purpose.
    Besides the coordinator, only active members see the case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="team")
    organisation = models.ForeignKey("regions.Organisation", on_delete=models.PROTECT)
    user = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=TeamMemberKind.choices)
    purpose = models.TextField(_("purpose"))
    added_at = models.DateTimeField()
    added_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, related_name="+")
    ended_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)  # monitor refresh

    class Meta:
        ordering = ["added_at", "pk"]
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.case}: {self.organisation_id} ({self.kind})"


class PhaseChange(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="phase_changes")
    from_phase = models.CharField(max_length=20, choices=Phase.choices, blank=True)
    to_phase = models.CharField(max_length=20, choices=Phase.choices)
    at = models.DateTimeField()
    by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, related_name="+")
    reason = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)  # monitor refresh

    class Meta:
        ordering = ["at", "pk"]
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.case}: {self.from_phase} -> {self.to_phase}"


class SafetyCheck(models.Model):
    """A recorded assessment of the household's safety: the preconditions of the phases."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="safety_checks")
    level = models.CharField(_("safety"), max_length=20, choices=SafetyLevel.choices)
    assessed_at = models.DateTimeField()
    by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, related_name="+")
    note = models.TextField(_("explanation"))
    updated_at = models.DateTimeField(auto_now=True, db_index=True)  # monitor refresh

    class Meta:
        ordering = ["assessed_at", "pk"]
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.case}: {self.level}"


class SafetyCondition(models.Model):
    """A safety condition (veiligheidsvoorwaarde), from Veilig Thuis or the plan."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="conditions")
    text = models.TextField(_("condition"))
    from_veilig_thuis = models.BooleanField(default=False)
    status = models.CharField(
        max_length=12, choices=ConditionStatus.choices, default=ConditionStatus.ACTIVE
    )
    set_at = models.DateTimeField()

    class Meta:
        ordering = ["set_at", "pk"]
        default_permissions = ()

    def __str__(self) -> str:
        return self.text


class Analysis(models.Model):
    """The joint explanatory analysis (gezamenlijke verklarende analyse); the latest one
    counts, earlier ones stay in the approved plan versions."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="analyses")
    risk_factors = models.JSONField(_("risk factors"), default=list)
    protective_factors = models.TextField(_("protective factors"))
    network = models.TextField(_("the household's own network"))
    explanation = models.TextField(_("explanation: how the violence comes about"))
    recorded_at = models.DateTimeField()
    by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True, db_index=True)  # monitor refresh

    class Meta:
        ordering = ["recorded_at", "pk"]
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.case}: analysis {self.recorded_at:%Y-%m-%d}"

    @property
    def risk_factor_labels(self) -> list[str]:
        return [str(RiskFactor(f).label) for f in self.risk_factors if f in RiskFactor.values]


class Goal(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="goals")
    phase = models.CharField(max_length=20, choices=Phase.choices)
    description = models.TextField(_("goal"))
    status = models.CharField(max_length=10, choices=GoalStatus.choices, default=GoalStatus.OPEN)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "pk"]
        default_permissions = ()

    def __str__(self) -> str:
        return self.description


class PlanAction(models.Model):
    """An action of the plan: what, who (organisation and person), by when, its status."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="actions")
    goal = models.ForeignKey(
        Goal, on_delete=models.PROTECT, null=True, blank=True, related_name="actions"
    )
    description = models.TextField(_("action"))
    owner_organisation = models.ForeignKey(
        "regions.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    owner = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    due_date = models.DateField(_("due"))
    status = models.CharField(
        max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()
    from_mda = models.BooleanField(default=False)

    class Meta:
        ordering = ["due_date", "pk"]
        default_permissions = ()

    def __str__(self) -> str:
        return self.description


class PlanVersion(models.Model):
    """A version of the plan approved by the coordinator: a snapshot of its conditions,
    analysis, goals and actions at that moment."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="plan_versions")
    number = models.PositiveIntegerField()
    approved_at = models.DateTimeField()
    approved_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(blank=True)
    snapshot = models.JSONField()
    updated_at = models.DateTimeField(auto_now=True, db_index=True)  # monitor refresh

    class Meta:
        ordering = ["number"]
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="care_plan_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.case}: v{self.number}"


class Evaluation(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="evaluations")
    planned_for = models.DateField(_("planned for"))
    held_at = models.DateTimeField(null=True, blank=True)
    summary = models.TextField(blank=True)
    by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        ordering = ["planned_for", "pk"]
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.case}: {self.planned_for}"


class Escalation(models.Model):
    """Opschalen: the case goes to the coordinator's lead."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="escalations")
    reason = models.CharField(max_length=20, choices=EscalationReason.choices)
    note = models.TextField(blank=True)
    raised_at = models.DateTimeField()
    raised_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, related_name="+")
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolution = models.TextField(blank=True)

    class Meta:
        ordering = ["raised_at", "pk"]
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.case}: {self.reason}"


class TraumaScreening(models.Model):
    """A trauma screening offered to a victim or perpetrator, its outcome and referral."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="screenings")
    person = models.ForeignKey("persons.Person", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=12, choices=ScreeningRole.choices)
    offered_at = models.DateTimeField()
    outcome = models.CharField(
        max_length=20, choices=ScreeningOutcome.choices, default=ScreeningOutcome.OFFERED
    )
    outcome_at = models.DateTimeField(null=True, blank=True)
    referral = models.CharField(_("referred to"), max_length=200, blank=True)
    by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True, db_index=True)  # monitor refresh

    class Meta:
        ordering = ["offered_at", "pk"]
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(
                fields=["case", "person", "role"], name="care_one_screening_per_person_role"
            ),
            models.CheckConstraint(
                condition=~Q(outcome=ScreeningOutcome.INDICATION) | ~Q(referral=""),
                name="care_screening_indication_has_referral",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case}: {self.role} {self.outcome}"


class HelpRefusal(models.Model):
    """Help refused by a person of the household, and the drang steps taken."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="refusals")
    person = models.ForeignKey("persons.Person", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()
    what_refused = models.TextField(_("help refused"))
    drang_steps = models.JSONField(_("drang steps taken"), default=list)
    next_step = models.TextField(_("next step"), blank=True)
    by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        ordering = ["recorded_at", "pk"]
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.case}: refusal {self.recorded_at:%Y-%m-%d}"
