"""Advice requests and reports at Veilig Thuis (contacts), the reporter's protected identity,
the persons concerned, and the Veilig Thuis dossier a report opens or joins."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ketenradar.reports.constants import (
    AssessmentDecision,
    Channel,
    ContactKind,
    DossierState,
    EarlierInvolvement,
    InvestigationOutcome,
    MeldcodeConclusion,
    MonitoringOutcome,
    PersonRole,
    ReporterCategory,
    TaskKind,
    ViolenceType,
)


class Dossier(models.Model):
    """Veilig Thuis's file on one situation: opened by a report, joined by follow-up reports."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "regions.Organisation", on_delete=models.PROTECT, related_name="vt_dossiers"
    )
    state = models.CharField(
        _("state"), max_length=30, choices=DossierState.choices, default=DossierState.ASSESSMENT
    )
    opened_at = models.DateTimeField(_("opened"))
    acute = models.BooleanField(_("acute"), default=False)
    assessment_due = models.DateTimeField(_("safety assessment due"))
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_vt_dossiers",
        verbose_name=_("assigned to"),
    )
    # for the monitor's incremental refresh (monitor.services.facts_refresh)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("Veilig Thuis dossier")
        verbose_name_plural = _("Veilig Thuis dossiers")
        ordering = ["-opened_at"]
        default_permissions = ()
        permissions = [
            ("view_vt_work", _("Can see Veilig Thuis's work queue and dossiers")),
            ("assign_vt_work", _("Can assign Veilig Thuis dossiers to staff")),
        ]
        indexes = [models.Index(fields=["state", "assessment_due"], name="dossier_state_due")]

    def __str__(self) -> str:
        return f"VT-{self.pk}"


class Contact(models.Model):
    """An advice request (advies) or a report (melding) received by Veilig Thuis."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=10, choices=ContactKind.choices)
    organisation = models.ForeignKey(
        "regions.Organisation", on_delete=models.PROTECT, related_name="vt_contacts"
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    reporter_category = models.CharField(
        _("reporter"), max_length=25, choices=ReporterCategory.choices
    )
    received_at = models.DateTimeField(_("received"))
    violence_types = models.JSONField(_("types of violence"), default=list)
    human_trafficking = models.BooleanField(_("human trafficking"), default=False)
    acute_indication = models.BooleanField(_("indication of acute unsafety"), default=False)
    structural_indication = models.BooleanField(
        _("indication of structural unsafety"), default=False
    )
    description = models.TextField(_("description"), blank=True)
    earlier_involvement = models.CharField(
        _("earlier involvement (CBS)"),
        max_length=30,
        choices=EarlierInvolvement.choices,
        blank=True,
    )
    dossier = models.ForeignKey(
        Dossier, on_delete=models.PROTECT, null=True, blank=True, related_name="contacts"
    )
    converted_from = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="converted_to",
        verbose_name=_("advice request this report came from"),
    )
    external_source = models.CharField(max_length=20, blank=True)
    external_id = models.CharField(max_length=100, blank=True)
    body_hash = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["-received_at"]
        default_permissions = ()
        permissions = [
            ("view_reporter_identity", _("Can see who made a report (Veilig Thuis only)")),
            ("submit_police_reports", _("Can submit police reports in bulk over the API")),
        ]
        constraints = [
            # Idempotency of bulk channels: one contact per external report id.
            models.UniqueConstraint(
                fields=["external_source", "external_id"],
                condition=~Q(external_id=""),
                name="contact_unique_external_id",
            ),
            models.CheckConstraint(
                condition=Q(kind=ContactKind.ADVICE) | Q(earlier_involvement__gt=""),
                name="report_has_earlier_involvement",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "received_at"], name="contact_org_time"),
            # the monitor's incremental refresh reads new contacts by created_at
            models.Index(fields=["created_at"], name="contact_created"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.received_at:%Y-%m-%d}"

    @property
    def violence_type_labels(self) -> list[str]:
        return [str(ViolenceType(v).label) for v in self.violence_types if v in ViolenceType]


class Reporter(models.Model):
    """Who made the report. Protected: only Veilig Thuis roles see it (Wmo 2015; the
    reporter's identity is kept in a protected part of the system)."""

    contact = models.OneToOneField(Contact, on_delete=models.CASCADE, related_name="reporter")
    name = models.CharField(_("name"), max_length=200)
    organisation_name = models.CharField(_("organisation"), max_length=200, blank=True)
    function = models.CharField(_("function"), max_length=200, blank=True)
    phone = models.CharField(_("telephone"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The professional's own account, when they reported in Ketenradar."),
    )

    class Meta:
        verbose_name = _("reporter")
        verbose_name_plural = _("reporters")
        default_permissions = ()

    def __str__(self) -> str:
        return self.name


class ContactPerson(models.Model):
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="persons")
    person = models.ForeignKey(
        "persons.Person", on_delete=models.PROTECT, related_name="vt_contacts"
    )
    role = models.CharField(_("role"), max_length=15, choices=PersonRole.choices)

    class Meta:
        verbose_name = _("person concerned")
        verbose_name_plural = _("persons concerned")
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(fields=["contact", "person"], name="contact_person_unique")
        ]

    def __str__(self) -> str:
        return f"{self.person_id} ({self.role})"


class MeldcodeRecord(models.Model):
    """A professional's documented walk through the meldcode: the five steps, the
    afwegingskader's answers and the conclusion. Seen only by the professional who made it."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    professional = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="meldcode_records"
    )
    organisation = models.ForeignKey(
        "regions.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # step 1: signals
    signals = models.TextField(_("signals observed"))
    signals_date = models.DateField(_("signals recorded on"))
    # step 2: consultation
    consulted_colleague = models.BooleanField(_("consulted a colleague"), default=False)
    consulted_veilig_thuis = models.BooleanField(_("consulted Veilig Thuis"), default=False)
    consultation_date = models.DateField(_("consulted on"), null=True, blank=True)
    consultation_notes = models.TextField(_("what the consultation brought"), blank=True)
    # step 3: conversation with those involved
    conversation_held = models.BooleanField(_("conversation held"), default=False)
    conversation_date = models.DateField(_("conversation on"), null=True, blank=True)
    conversation_notes = models.TextField(_("conversation, or why not"), blank=True)
    # step 4: the afwegingskader
    suspicion = models.BooleanField(
        _("1. Is there a suspicion of domestic violence or child abuse?")
    )
    acute_unsafety = models.BooleanField(_("2a. Is there acute unsafety?"))
    structural_unsafety = models.BooleanField(_("2b. Is there structural unsafety?"))
    can_offer_help = models.BooleanField(
        _("3. Can you offer or organise sufficient help?"), null=True, blank=True
    )
    help_accepted = models.BooleanField(
        _("4. Do those involved accept the help?"), null=True, blank=True
    )
    leads_to_safety = models.BooleanField(
        _("5. Does the help lead to the desired result (safety)?"), null=True, blank=True
    )
    # step 5: decide
    conclusion = models.CharField(
        _("conclusion"), max_length=20, choices=MeldcodeConclusion.choices
    )
    persons = models.JSONField(_("persons concerned"), default=list)
    contact = models.OneToOneField(
        Contact, on_delete=models.PROTECT, null=True, blank=True, related_name="meldcode_record"
    )

    class Meta:
        verbose_name = _("meldcode record")
        verbose_name_plural = _("meldcode records")
        ordering = ["-created_at"]
        default_permissions = ()
        permissions = [("use_meldcode", _("Can use the meldcode assistant"))]

    def __str__(self) -> str:
        return f"meldcode {self.uuid.hex[:8]}"


class SafetyAssessment(models.Model):
    """The veiligheidsbeoordeling of a dossier: three screenings, each with its rationale,
    and the decision."""

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="assessment")
    acute_unsafety = models.BooleanField(_("acute unsafety"))
    acute_rationale = models.TextField(_("why (acute)"))
    structural_unsafety = models.BooleanField(_("structural unsafety"))
    structural_rationale = models.TextField(_("why (structural)"))
    multi_problem = models.BooleanField(_("harmful multi-problem situation"))
    multi_problem_rationale = models.TextField(_("why (multi-problem)"))
    decision = models.CharField(_("decision"), max_length=25, choices=AssessmentDecision.choices)
    handover_to = models.ForeignKey(
        "regions.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handed over to"),
    )
    safety_conditions = models.TextField(_("safety conditions"), blank=True)
    decided_at = models.DateTimeField(_("decided"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("safety assessment")
        verbose_name_plural = _("safety assessments")
        default_permissions = ()
        permissions = [("assess_safety", _("Can decide safety assessments and dossier steps"))]

    def __str__(self) -> str:
        return f"{self.dossier}: {self.decision}"

    @property
    def within_deadline(self) -> bool:
        return self.decided_at <= self.dossier.assessment_due


class Investigation(models.Model):
    """Veilig Thuis's own onderzoek: 10 weeks, an outcome per type of violence."""

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="investigation")
    started_at = models.DateTimeField(_("started"))
    due_at = models.DateTimeField(_("due"))
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    closed_early = models.BooleanField(_("closed early"), default=False)
    outcomes = models.JSONField(_("outcome per type of violence"), default=dict)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("investigation")
        verbose_name_plural = _("investigations")
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.dossier}: onderzoek"

    @property
    def outcome_labels(self) -> list[tuple[str, str]]:
        """(type of violence, outcome) as the screens show them, in the order of ViolenceType
        (PostgreSQL's jsonb keeps no key order)."""
        return [
            (str(t.label), str(InvestigationOutcome(self.outcomes[t.value]).label))
            for t in ViolenceType
            if self.outcomes.get(t.value) in InvestigationOutcome
        ]


class DossierTask(models.Model):
    """Something Veilig Thuis owes by a deadline: feedback to a reporter, informing those
    concerned (Wmo 2015 art. 5.3.1: within 4 weeks, extendable by 2 weeks at a time)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="tasks")
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="tasks")
    kind = models.CharField(_("kind"), max_length=30, choices=TaskKind.choices)
    due_at = models.DateTimeField(_("due"))
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    content = models.TextField(_("what was said"), blank=True)
    extensions = models.JSONField(_("extensions"), default=list)

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        default_permissions = ()
        ordering = ["due_at"]
        indexes = [models.Index(fields=["done_at", "due_at"], name="task_open_due")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.dossier})"


class MonitoringMoment(models.Model):
    dossier = models.ForeignKey(
        Dossier, on_delete=models.CASCADE, related_name="monitoring_moments"
    )
    months = models.PositiveSmallIntegerField(_("after (months)"))
    due_at = models.DateTimeField(_("due"))
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=MonitoringOutcome.choices, blank=True
    )
    note = models.TextField(_("note"), blank=True)
    action = models.TextField(_("new action"), blank=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("monitoring moment")
        verbose_name_plural = _("monitoring moments")
        default_permissions = ()
        ordering = ["due_at"]

    def __str__(self) -> str:
        return f"{self.dossier}: {self.months} mnd"
