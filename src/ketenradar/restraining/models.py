"""The tijdelijk huisverbod (temporary restraining order): who imposed it, on whom, for
whom; its extension decision, the help started, the safety plan and violations.

No workflow here: the services decide (``restraining.services``), the deadlines come from
``restraining.deadlines``.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ketenradar.restraining import deadlines
from ketenradar.restraining.constants import (
    RUNNING_STATUSES,
    Capacity,
    ExtensionOutcome,
    OrderStatus,
    PersonRole,
    RihgOutcome,
)


class RestrainingOrder(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="restraining_orders"
    )
    municipality = models.ForeignKey(
        "regions.Municipality",
        on_delete=models.PROTECT,
        related_name="restraining_orders",
        verbose_name=_("municipality"),
    )
    imposed_at = models.DateTimeField(_("imposed at"))
    imposed_by_capacity = models.CharField(_("imposed by"), max_length=30, choices=Capacity.choices)
    imposed_by_name = models.CharField(_("name and function of the official"), max_length=200)
    rihg_outcome = models.CharField(
        _("RiHG conclusion"), max_length=40, choices=RihgOutcome.choices
    )
    rihg_note = models.CharField(_("note on the RiHG"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=OrderStatus.choices, default=OrderStatus.IMPOSED
    )
    ends_at = models.DateTimeField(
        _("ends at"), help_text=_("10 days after imposition; later after an extension.")
    )
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    withdrawn_by_name = models.CharField(_("withdrawn by"), max_length=200, blank=True)
    status_note = models.CharField(_("reason"), max_length=1000, blank=True)
    recording_organisation = models.ForeignKey(
        "regions.Organisation",
        on_delete=models.PROTECT,
        related_name="recorded_restraining_orders",
        verbose_name=_("recorded by organisation"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(_("recorded at"))
    updated_at = models.DateTimeField(auto_now=True, db_index=True)  # monitor refresh

    class Meta:
        verbose_name = _("temporary restraining order")
        verbose_name_plural = _("temporary restraining orders")
        ordering = ["-imposed_at"]
        default_permissions = ()
        permissions = [
            ("view_restraining_orders", _("Can see the restraining orders one is involved with")),
            ("manage_restraining_orders", _("Can record restraining orders and their course")),
        ]
        indexes = [models.Index(fields=["status", "ends_at"], name="restraining_status_end")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("imposed_at")), name="restraining_end_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"HV-{self.uuid.hex[:8].upper()}"

    @property
    def first_end(self) -> dt.datetime:
        return deadlines.first_end(self.imposed_at)

    @property
    def latest_end(self) -> dt.datetime:
        return deadlines.latest_end(self.imposed_at)

    @property
    def advice_window_opens(self) -> dt.datetime:
        return deadlines.advice_window_opens(self.imposed_at)

    @property
    def advice_due(self) -> dt.datetime:
        return deadlines.advice_due(self.imposed_at)

    def status_at(self, now: dt.datetime) -> str:
        """The status as it stands at ``now``: a running order whose end has passed has
        ended, whether or not anyone recorded that."""
        if self.status in RUNNING_STATUSES and now >= self.ends_at:
            return OrderStatus.ENDED
        return self.status

    def is_running(self, now: dt.datetime) -> bool:
        return self.status_at(now) in RUNNING_STATUSES

    def status_label_at(self, now: dt.datetime) -> str:
        return str(OrderStatus(self.status_at(now)).label)


class RestrainingOrderPerson(models.Model):
    order = models.ForeignKey(RestrainingOrder, on_delete=models.CASCADE, related_name="persons")
    person = models.ForeignKey("persons.Person", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("role"), max_length=20, choices=PersonRole.choices)

    class Meta:
        verbose_name = _("person of a restraining order")
        verbose_name_plural = _("persons of a restraining order")
        ordering = ["order", "role", "pk"]
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(fields=["order", "person"], name="restraining_person_once"),
            models.UniqueConstraint(
                fields=["order"],
                condition=Q(role=PersonRole.REMOVED),
                name="restraining_one_removed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order} - {self.get_role_display()}"


class ExtensionDecision(models.Model):
    """The mayor's decision on extension; one per order (docs/restraining.md)."""

    order = models.OneToOneField(
        RestrainingOrder, on_delete=models.CASCADE, related_name="extension_decision"
    )
    decided_at = models.DateTimeField(_("decided at"))
    outcome = models.CharField(_("decision"), max_length=20, choices=ExtensionOutcome.choices)
    decided_by_capacity = models.CharField(_("decided by"), max_length=30, choices=Capacity.choices)
    decided_by_name = models.CharField(_("name of the mayor"), max_length=200)
    new_end = models.DateTimeField(_("new end"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    recorded_at = models.DateTimeField(_("recorded at"))
    updated_at = models.DateTimeField(auto_now=True, db_index=True)  # monitor refresh

    class Meta:
        verbose_name = _("extension decision")
        verbose_name_plural = _("extension decisions")
        default_permissions = ()
        constraints = [
            models.CheckConstraint(
                condition=Q(decided_by_capacity=Capacity.MAYOR), name="extension_by_mayor_only"
            ),
            models.CheckConstraint(
                condition=(Q(outcome=ExtensionOutcome.EXTENDED) & Q(new_end__isnull=False))
                | (Q(outcome=ExtensionOutcome.NOT_EXTENDED) & Q(new_end__isnull=True)),
                name="extension_new_end_iff_extended",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order} - {self.get_outcome_display()}"


class HelpStarted(models.Model):
    order = models.ForeignKey(RestrainingOrder, on_delete=models.CASCADE, related_name="help")
    organisation = models.ForeignKey(
        "regions.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation"),
    )
    started_at = models.DateTimeField(_("started at"))
    note = models.CharField(_("what help"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("help started")
        verbose_name_plural = _("help started")
        ordering = ["started_at", "pk"]
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.order} - {self.organisation}"


class SafetyPlan(models.Model):
    order = models.ForeignKey(
        RestrainingOrder, on_delete=models.CASCADE, related_name="safety_plans"
    )
    made_at = models.DateTimeField(_("made at"))
    organisation = models.ForeignKey(
        "regions.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("made by organisation"),
    )
    summary = models.TextField(_("summary"), max_length=5000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("safety plan")
        verbose_name_plural = _("safety plans")
        ordering = ["made_at", "pk"]
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.order} - {self.made_at:%Y-%m-%d}"


class Violation(models.Model):
    order = models.ForeignKey(RestrainingOrder, on_delete=models.CASCADE, related_name="violations")
    occurred_at = models.DateTimeField(_("occurred at"))
    description = models.TextField(_("what happened"), max_length=5000)
    reported_to_police = models.BooleanField(_("reported to the police"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("violation")
        verbose_name_plural = _("violations")
        ordering = ["occurred_at", "pk"]
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.order} - {self.occurred_at:%Y-%m-%d}"
