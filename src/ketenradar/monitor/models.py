"""The pseudonymised analytics layer: fact tables derived from the Veilig Thuis data.

A fact holds no name, BSN, address, date of birth or free text. A person, contact, dossier
or monitoring moment appears only as a keyed hash (HMAC-SHA256 with
``KETENRADAR_ANALYTICS_KEY``, kept outside the database; see ``monitor.pseudonyms``). What
remains are the municipality, dates, categories, flags and durations (docs/monitor.md).
"""

from __future__ import annotations

from django.db import models

KEY_LENGTH = 64  # hex digest of HMAC-SHA256


class Watermark(models.Model):
    """How far the incremental refresh got, per source table."""

    source = models.CharField(max_length=40, unique=True)
    last_seen = models.DateTimeField(null=True, blank=True)
    refreshed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.source}: {self.last_seen}"


class PostcodeArea(models.Model):
    """A range of 4-digit postcodes that lies in a municipality: the fallback for an address
    without a municipality."""

    municipality = models.ForeignKey(
        "regions.Municipality", on_delete=models.CASCADE, related_name="+"
    )
    low = models.PositiveSmallIntegerField()
    high = models.PositiveSmallIntegerField()

    class Meta:
        default_permissions = ()
        constraints = [
            models.CheckConstraint(condition=models.Q(low__lte=models.F("high")), name="pc_range")
        ]

    def __str__(self) -> str:
        return f"{self.low}-{self.high}"


class ContactFact(models.Model):
    """One per advice request or report."""

    contact_key = models.CharField(max_length=KEY_LENGTH, unique=True)
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    municipality = models.ForeignKey(
        "regions.Municipality", on_delete=models.PROTECT, null=True, related_name="+"
    )  # null: onbekend
    received_on = models.DateField(db_index=True)
    kind = models.CharField(max_length=10)
    channel = models.CharField(max_length=20)
    reporter_category = models.CharField(max_length=25)
    violence_types = models.JSONField(default=list)
    human_trafficking = models.BooleanField(default=False)
    acute_indication = models.BooleanField(default=False)
    earlier_involvement = models.CharField(max_length=30, blank=True)
    from_advice_request = models.BooleanField(default=False)
    dossier_key = models.CharField(max_length=KEY_LENGTH, blank=True, db_index=True)

    class Meta:
        default_permissions = ()
        # The KPIs of a region or a municipality over a period. On PostgreSQL the region's
        # index carries (INCLUDE) every column the KPIs group by, so they are counted by
        # index-only scans (docs/monitor.md#how-the-kpis-are-computed-performance); other
        # databases ignore INCLUDE.
        indexes = [
            models.Index(
                fields=["region", "received_on", "kind"],
                include=[
                    "municipality",
                    "reporter_category",
                    "earlier_involvement",
                    "violence_types",
                ],
                name="contactfact_region_day",
            ),
            models.Index(
                fields=["municipality", "received_on", "kind"], name="contactfact_mun_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.received_on}"


class PersonContactFact(models.Model):
    """A person (as a key) concerned in a contact."""

    person_key = models.CharField(max_length=KEY_LENGTH, db_index=True)
    contact_key = models.CharField(max_length=KEY_LENGTH, db_index=True)
    dossier_key = models.CharField(max_length=KEY_LENGTH, blank=True, db_index=True)
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10)
    role = models.CharField(max_length=15)
    received_on = models.DateField()

    class Meta:
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(
                fields=["person_key", "contact_key"], name="personcontactfact_unique"
            )
        ]
        indexes = [
            # the repeat after closure: a dossier's persons, and their later reports
            models.Index(fields=["dossier_key", "person_key"], name="personfact_dossier_person"),
            models.Index(
                fields=["person_key", "kind", "received_on", "dossier_key"],
                name="personfact_person_reports",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_key[:8]} in {self.contact_key[:8]}"


class DossierFact(models.Model):
    """One per Veilig Thuis dossier: the safety assessment, the investigation, the closure."""

    dossier_key = models.CharField(max_length=KEY_LENGTH, unique=True)
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    municipality = models.ForeignKey(
        "regions.Municipality", on_delete=models.PROTECT, null=True, related_name="+"
    )  # of the report that opened it; null: onbekend
    state = models.CharField(max_length=30)
    acute = models.BooleanField(default=False)
    opened_on = models.DateField(db_index=True)
    decided_on = models.DateField(null=True)
    within_deadline = models.BooleanField(null=True)  # null: not decided yet
    decision = models.CharField(max_length=25, blank=True)
    investigation_started_on = models.DateField(null=True)
    investigation_due_on = models.DateField(null=True)
    investigation_completed_on = models.DateField(null=True)
    investigation_within_10_weeks = models.BooleanField(null=True)  # null: none, or running
    investigation_closed_early = models.BooleanField(default=False)
    closed_on = models.DateField(null=True, db_index=True)
    # closed_on + 12 calendar months: the last day a new report counts as a repeat
    # (selectors.repeat_until; docs/monitor.md#repeat-within-12-months-after-closure)
    repeat_until = models.DateField(null=True)

    class Meta:
        default_permissions = ()
        indexes = [
            # covering on PostgreSQL (see ContactFact)
            models.Index(
                fields=["region", "decided_on"],
                include=["municipality", "within_deadline"],
                name="dossierfact_region_decided",
            ),
            models.Index(
                fields=["region", "investigation_completed_on"],
                include=["municipality", "investigation_within_10_weeks"],
                name="dossierfact_region_inv",
            ),
            models.Index(
                fields=["region", "closed_on"],
                include=["municipality", "repeat_until", "dossier_key"],
                name="dossierfact_region_closed",
            ),
            models.Index(
                fields=["region", "opened_on"],
                include=["municipality", "decided_on"],
                name="dossierfact_region_opened",
            ),
        ]

    def __str__(self) -> str:
        return f"dossier {self.dossier_key[:8]}"


class MonitoringFact(models.Model):
    """One per monitoring moment of a dossier."""

    moment_key = models.CharField(max_length=KEY_LENGTH, unique=True)
    dossier_key = models.CharField(max_length=KEY_LENGTH, db_index=True)
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    municipality = models.ForeignKey(
        "regions.Municipality", on_delete=models.PROTECT, null=True, related_name="+"
    )
    months = models.PositiveSmallIntegerField()
    due_on = models.DateField()
    done_on = models.DateField(null=True, db_index=True)
    outcome = models.CharField(max_length=10, blank=True)

    class Meta:
        default_permissions = ()
        indexes = [
            # covering on PostgreSQL (see ContactFact)
            models.Index(
                fields=["region", "done_on"],
                include=["municipality", "months", "outcome"],
                name="monitoringfact_region_done",
            )
        ]

    def __str__(self) -> str:
        return f"{self.months} mnd {self.outcome or '-'}"


# Chain care (docs/monitor.md#chain-care-ketenzorg) ------------------------------------------
# Facts of the care, mda, restraining and shelter apps: keys, region and municipality,
# dates, categories and counts; no person, no free text.


class CaseFact(models.Model):
    """One per chain-care case."""

    case_key = models.CharField(max_length=KEY_LENGTH, unique=True)
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    municipality = models.ForeignKey(
        "regions.Municipality", on_delete=models.PROTECT, null=True, related_name="+"
    )
    source = models.CharField(max_length=20)
    phase = models.CharField(max_length=20)  # now
    # [[iso day, phase], ...] in the order the phases were entered (the opening one first)
    phases = models.JSONField(default=list)
    opened_on = models.DateField()
    closed_on = models.DateField(null=True)
    close_reason = models.CharField(max_length=20, blank=True)
    dossier_key = models.CharField(max_length=KEY_LENGTH, blank=True)
    melding_on = models.DateField(null=True)  # the report that opened the handed-over dossier
    first_action_on = models.DateField(null=True)
    mda_referred = models.BooleanField(default=False)

    class Meta:
        default_permissions = ()
        # the KPIs of a region (or a municipality of it) over a period; the columns they read
        # are key columns, so the index covers them on SQLite too (which has no INCLUDE)
        indexes = [
            models.Index(
                fields=["region", "opened_on", "municipality"], name="casefact_region_opened"
            ),
            models.Index(
                fields=["region", "closed_on", "municipality"], name="casefact_region_closed"
            ),
            models.Index(
                fields=["region", "first_action_on", "melding_on", "municipality"],
                name="casefact_region_action",
            ),
        ]

    def __str__(self) -> str:
        return f"case {self.case_key[:8]}"


class TraumaScreeningFact(models.Model):
    screening_key = models.CharField(max_length=KEY_LENGTH, unique=True)
    case_key = models.CharField(max_length=KEY_LENGTH, db_index=True)
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    municipality = models.ForeignKey(
        "regions.Municipality", on_delete=models.PROTECT, null=True, related_name="+"
    )
    role = models.CharField(max_length=12)
    offered_on = models.DateField()
    outcome = models.CharField(max_length=20)
    outcome_on = models.DateField(null=True)

    class Meta:
        default_permissions = ()
        # the KPIs of a region (or a municipality of it) over a period; the columns they read
        # are key columns, so the index covers them on SQLite too (which has no INCLUDE)
        indexes = [
            models.Index(
                fields=["region", "offered_on", "role", "municipality"],
                name="screeningfact_region_offered",
            ),
            models.Index(
                fields=["region", "outcome_on", "outcome", "role", "municipality"],
                name="screeningfact_region_outcome",
            ),
        ]

    def __str__(self) -> str:
        return f"screening {self.role} {self.outcome}"


class MdaReferralFact(models.Model):
    referral_key = models.CharField(max_length=KEY_LENGTH, unique=True)
    case_key = models.CharField(max_length=KEY_LENGTH, db_index=True)
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    municipality = models.ForeignKey(
        "regions.Municipality", on_delete=models.PROTECT, null=True, related_name="+"
    )
    referred_on = models.DateField()
    status = models.CharField(max_length=20)
    accepted_on = models.DateField(null=True)
    declined_on = models.DateField(null=True)
    handed_back_on = models.DateField(null=True)

    class Meta:
        default_permissions = ()
        # the KPIs of a region (or a municipality of it) over a period; the columns they read
        # are key columns, so the index covers them on SQLite too (which has no INCLUDE)
        indexes = [
            models.Index(
                fields=["region", "referred_on", "municipality"], name="mdafact_region_referred"
            ),
        ]

    def __str__(self) -> str:
        return f"referral {self.status}"


class RestrainingOrderFact(models.Model):
    order_key = models.CharField(max_length=KEY_LENGTH, unique=True)
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    municipality = models.ForeignKey(
        "regions.Municipality", on_delete=models.PROTECT, null=True, related_name="+"
    )
    imposed_on = models.DateField()
    extended = models.BooleanField(default=False)
    extension_decided_on = models.DateField(null=True)
    status = models.CharField(max_length=20)

    class Meta:
        default_permissions = ()
        # the KPIs of a region (or a municipality of it) over a period; the columns they read
        # are key columns, so the index covers them on SQLite too (which has no INCLUDE)
        indexes = [
            models.Index(
                fields=["region", "imposed_on", "municipality"], name="orderfact_region_imposed"
            ),
            models.Index(
                fields=["region", "extension_decided_on", "extended", "municipality"],
                name="orderfact_region_extension",
            ),
        ]

    def __str__(self) -> str:
        return f"order {self.imposed_on}"


class FacilityFact(models.Model):
    """A shelter facility as a key: its organisation's region and its municipality."""

    facility_key = models.CharField(max_length=KEY_LENGTH, unique=True)
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    municipality = models.ForeignKey(
        "regions.Municipality", on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        default_permissions = ()

    def __str__(self) -> str:
        return f"facility {self.facility_key[:8]}"


class BedCapacityFact(models.Model):
    capacity_key = models.CharField(max_length=KEY_LENGTH, unique=True)
    facility_key = models.CharField(max_length=KEY_LENGTH, db_index=True)
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    municipality = models.ForeignKey(
        "regions.Municipality", on_delete=models.PROTECT, null=True, related_name="+"
    )
    bed_type = models.CharField(max_length=20)
    valid_from = models.DateField()
    beds = models.PositiveSmallIntegerField()

    class Meta:
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.bed_type} {self.valid_from}: {self.beds}"


class PlacementFact(models.Model):
    placement_key = models.CharField(max_length=KEY_LENGTH, unique=True)
    facility_key = models.CharField(max_length=KEY_LENGTH, db_index=True)
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    municipality = models.ForeignKey(
        "regions.Municipality", on_delete=models.PROTECT, null=True, related_name="+"
    )
    bed_type = models.CharField(max_length=20)
    beds = models.PositiveSmallIntegerField()
    start_on = models.DateField()
    end_on = models.DateField(null=True)  # the actual end; null while staying

    class Meta:
        default_permissions = ()
        # the KPIs of a region (or a municipality of it) over a period; the columns they read
        # are key columns, so the index covers them on SQLite too (which has no INCLUDE)
        indexes = [
            models.Index(
                fields=[
                    "region",
                    "start_on",
                    "end_on",
                    "bed_type",
                    "beds",
                    "facility_key",
                    "municipality",
                ],
                name="placementfact_region_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bed_type} {self.start_on}"


class WaitingFact(models.Model):
    entry_key = models.CharField(max_length=KEY_LENGTH, unique=True)
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    municipality = models.ForeignKey(
        "regions.Municipality", on_delete=models.PROTECT, null=True, related_name="+"
    )  # of the facility asked for or placed in; null: onbekend
    bed_type = models.CharField(max_length=20)
    registered_on = models.DateField()
    placed_on = models.DateField(null=True)  # the placement's start
    withdrawn_on = models.DateField(null=True)

    class Meta:
        default_permissions = ()
        # the KPIs of a region (or a municipality of it) over a period; the columns they read
        # are key columns, so the index covers them on SQLite too (which has no INCLUDE)
        indexes = [
            models.Index(
                fields=["region", "registered_on", "placed_on", "withdrawn_on", "municipality"],
                name="waitingfact_region_registered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bed_type} {self.registered_on}"
