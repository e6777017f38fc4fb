"""Shelters (opvang): facilities, their beds by type over time, placements, the waiting
list and ambulant trajectories. The rules (capacity, the 6-month norm) are in services.py
and calculations.py; docs/shelter.md describes them."""

from __future__ import annotations

import datetime as dt
import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ketenradar.shelter.constants import (
    BedType,
    PlacementEndReason,
    TrajectoryKind,
    WaitingState,
    WithdrawalReason,
)


class Facility(models.Model):
    """A shelter location of a shelter organisation. Its address is confidential: only the
    organisation's own shelter staff see it (and, as a confidential stay address, those
    personally involved with a resident)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "regions.Organisation", on_delete=models.PROTECT, related_name="shelter_facilities"
    )
    municipality = models.ForeignKey(
        "regions.Municipality", on_delete=models.PROTECT, related_name="shelter_facilities"
    )
    name = models.CharField(_("name"), max_length=200)
    street = models.CharField(_("street"), max_length=200, blank=True)
    house_number = models.PositiveIntegerField(_("house number"), null=True, blank=True)
    postcode = models.CharField(_("postcode"), max_length=6, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)  # monitor refresh

    class Meta:
        verbose_name = _("shelter facility")
        verbose_name_plural = _("shelter facilities")
        ordering = ["organisation", "name"]
        default_permissions = ()
        permissions = [
            ("view_shelter", _("Can see the own shelter's beds, placements and waiting list")),
            ("manage_shelter", _("Can manage the own shelter's beds, placements and waiting list")),
            ("view_free_capacity", _("Can see the free shelter beds of the region (counts)")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="facility_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def has_address(self) -> bool:
        return bool(self.street and self.house_number and self.postcode and self.city)


class BedCapacity(models.Model):
    """The number of beds of one type at a facility from ``valid_from`` on, until the next
    row of the same facility and type. Family places also count units (family systems)."""

    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="capacities")
    bed_type = models.CharField(_("bed type"), max_length=20, choices=BedType.choices)
    valid_from = models.DateField(_("valid from"))
    beds = models.PositiveSmallIntegerField(_("beds"))
    units = models.PositiveSmallIntegerField(
        _("units"),
        null=True,
        blank=True,
        help_text=_("For family places: the number of family systems the beds are in."),
    )
    updated_at = models.DateTimeField(auto_now=True, db_index=True)  # monitor refresh

    class Meta:
        verbose_name = _("bed capacity")
        verbose_name_plural = _("bed capacities")
        ordering = ["facility", "bed_type", "valid_from"]
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(
                fields=["facility", "bed_type", "valid_from"], name="capacity_one_per_day"
            ),
            models.CheckConstraint(
                condition=Q(units__isnull=True) | Q(units__lte=models.F("beds")),
                name="capacity_units_within_beds",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.facility} {self.bed_type} {self.valid_from}: {self.beds}"


class Placement(models.Model):
    """A stay in a shelter. It occupies ``beds`` beds (the person and the household members
    placed with them) of one type from ``start_date`` up to, not including, ``actual_end``;
    while there is no actual end, it occupies every day from the start on."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="placements")
    person = models.ForeignKey(
        "persons.Person", on_delete=models.PROTECT, related_name="shelter_placements"
    )
    members = models.ManyToManyField(
        "persons.Person", related_name="shelter_member_placements", blank=True
    )
    bed_type = models.CharField(_("bed type"), max_length=20, choices=BedType.choices)
    beds = models.PositiveSmallIntegerField(_("beds"), default=1)
    start_date = models.DateField(_("start"))
    planned_end = models.DateField(_("planned end"))
    actual_end = models.DateField(_("actual end"), null=True, blank=True)
    end_reason = models.CharField(
        _("end reason"), max_length=20, choices=PlacementEndReason.choices, blank=True
    )
    overflow = models.BooleanField(
        _("over capacity"),
        default=False,
        help_text=_("A crisis placement taken in although no crisis bed was free."),
    )
    placed_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)  # monitor refresh

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        ordering = ["-start_date", "pk"]
        default_permissions = ()
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_end__gt=models.F("start_date")),
                name="placement_planned_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(actual_end__isnull=True) | Q(actual_end__gt=models.F("start_date")),
                name="placement_actual_end_after_start",
            ),
            models.CheckConstraint(condition=Q(beds__gte=1), name="placement_at_least_one_bed"),
        ]
        indexes = [models.Index(fields=["facility", "bed_type", "start_date"])]

    def __str__(self) -> str:
        return f"{self.facility} {self.start_date}"

    def occupies(self, day: dt.date) -> bool:
        """Occupied on the start day, free again on the end day."""
        return self.start_date <= day and (self.actual_end is None or day < self.actual_end)


class WaitingListEntry(models.Model):
    """A person (with their household) waiting for a place at a shelter organisation."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "regions.Organisation", on_delete=models.PROTECT, related_name="shelter_waiting_list"
    )
    facility = models.ForeignKey(
        Facility, on_delete=models.PROTECT, null=True, blank=True, related_name="waiting_list"
    )
    person = models.ForeignKey(
        "persons.Person", on_delete=models.PROTECT, related_name="shelter_waiting_entries"
    )
    household_size = models.PositiveSmallIntegerField(_("household size"), default=1)
    bed_type = models.CharField(_("bed type needed"), max_length=20, choices=BedType.choices)
    registered_on = models.DateField(_("registered on"))
    state = models.CharField(
        _("state"), max_length=20, choices=WaitingState.choices, default=WaitingState.WAITING
    )
    placement = models.OneToOneField(
        Placement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="waiting_entry",
    )
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawal_reason = models.CharField(
        _("reason"), max_length=20, choices=WithdrawalReason.choices, blank=True
    )
    updated_at = models.DateTimeField(auto_now=True, db_index=True)  # monitor refresh

    class Meta:
        verbose_name = _("waiting list entry")
        verbose_name_plural = _("waiting list entries")
        ordering = ["registered_on", "pk"]
        default_permissions = ()
        constraints = [
            models.CheckConstraint(
                condition=Q(household_size__gte=1), name="waiting_household_at_least_one"
            ),
            models.CheckConstraint(
                condition=(
                    Q(state=WaitingState.WAITING, placement__isnull=True, withdrawn_on__isnull=True)
                    | Q(state=WaitingState.PLACED, placement__isnull=False)
                    | Q(state=WaitingState.WITHDRAWN, withdrawn_on__isnull=False)
                ),
                name="waiting_state_consistent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.registered_on}"


class AmbulantTrajectory(models.Model):
    """Ambulant help by a shelter organisation for someone who does not need a bed."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "regions.Organisation", on_delete=models.PROTECT, related_name="ambulant_trajectories"
    )
    person = models.ForeignKey(
        "persons.Person", on_delete=models.PROTECT, related_name="ambulant_trajectories"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=TrajectoryKind.choices)
    start_date = models.DateField(_("start"))
    planned_end = models.DateField(_("planned end"))
    actual_end = models.DateField(_("actual end"), null=True, blank=True)

    class Meta:
        verbose_name = _("ambulant trajectory")
        verbose_name_plural = _("ambulant trajectories")
        ordering = ["-start_date", "pk"]
        default_permissions = ()
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_end__gt=models.F("start_date")),
                name="trajectory_planned_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(actual_end__isnull=True) | Q(actual_end__gte=models.F("start_date")),
                name="trajectory_actual_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.start_date}"
