"""The radar's data: every person's blocking keys (candidate retrieval) and the trained model;
and (the block at the end) the professional's decisions on matches: proposals, rejected
pairs and merges (docs/radar-decisions.md).

``PersonKey`` rows are derived data: ``ketenradar.radar.index`` keeps them in step with the
persons and their current addresses, and ``manage.py radar_reindex`` rebuilds them all.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class PersonKey(models.Model):
    """One blocking key of one person: a lookup reads the persons sharing a key with the
    reported person through the (key, person) index, never the whole table."""

    person = models.ForeignKey(
        "persons.Person", on_delete=models.CASCADE, related_name="+", db_index=True
    )
    key = models.CharField(_("key"), max_length=64)

    class Meta:
        verbose_name = _("blocking key")
        verbose_name_plural = _("blocking keys")
        default_permissions = ()
        indexes = [models.Index(fields=["key", "person"], name="radar_personkey_key")]

    def __str__(self) -> str:
        return self.key


class MatchModel(models.Model):
    """A trained Fellegi-Sunter model (the engine's ``Model.to_dict()``); the active one
    with the latest ``trained_at`` scores every lookup."""

    params = models.JSONField(_("parameters"))
    trained_at = models.DateTimeField(_("trained at"))
    training_size = models.PositiveIntegerField(_("persons trained on"))
    active = models.BooleanField(_("active"), default=False)

    class Meta:
        verbose_name = _("match model")
        verbose_name_plural = _("match models")
        default_permissions = ()
        indexes = [models.Index(fields=["active", "trained_at"], name="radar_model_active")]

    def __str__(self) -> str:
        return f"{self.trained_at:%Y-%m-%d %H:%M} ({self.training_size})"


# --- Decisions (radar-decisions) ----------------------------------------------------------
class ProposalKind(models.TextChoices):
    PERSON = "persoon", _("same person")
    HOUSEHOLD = "huishouden", _("known household")


class ProposalStatus(models.TextChoices):
    PROPOSED = "voorgesteld", _("proposed")
    AUTO_LINKED = "automatisch", _("linked automatically")
    CONFIRMED = "bevestigd", _("confirmed")
    REJECTED = "afgewezen", _("rejected")
    UNDONE = "ongedaan", _("undone")


class MatchProposal(models.Model):
    """One match of a reported person (or of a report's new persons with a known household)
    that a professional reviews.

    ``person``: the contact's person as the intake linked or created it; ``candidate``: the
    known person. For a zeker match both are the known person (linked at intake, status
    ``automatisch``); rejecting it splits the contact's person off as a new person made
    from ``reported``. For a mogelijk match ``person`` is the new person and confirming
    merges it into ``candidate``. A household proposal links ``members`` (person pk and
    household role) to ``household``.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(
        _("kind"), max_length=10, choices=ProposalKind.choices, default=ProposalKind.PERSON
    )
    organisation = models.ForeignKey(
        "regions.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    # the contact the proposal comes from (radar lies below reports: named, not a key)
    source_type = models.CharField(max_length=60)
    source_id = models.CharField(max_length=64, db_index=True)
    role = models.CharField(_("role"), max_length=15, blank=True)
    person = models.ForeignKey(
        "persons.Person", on_delete=models.PROTECT, related_name="radar_proposals"
    )
    candidate = models.ForeignKey(
        "persons.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="radar_candidacies",
    )
    household = models.ForeignKey(
        "persons.Household", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    members = models.JSONField(default=list, blank=True)  # [[person pk, household role], ...]
    memberships = models.JSONField(default=list, blank=True)  # pks made by linking
    reported = models.JSONField(_("as reported"), default=dict, blank=True)
    probability = models.FloatField(_("probability"))
    band = models.CharField(_("band"), max_length=10)
    explanation = models.JSONField(default=dict, blank=True)
    evidence = models.JSONField(default=list, blank=True)  # [[field, level, bits], ...]
    status = models.CharField(
        _("status"), max_length=12, choices=ProposalStatus.choices, db_index=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("match proposal")
        verbose_name_plural = _("match proposals")
        ordering = ["created_at", "pk"]
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.kind} {self.person_id}~{self.candidate_id or self.household_id}"


class RejectedPair(models.Model):
    """Two persons a professional said are not the same: never proposed again (stored with
    the lower pk first, so either order finds it)."""

    low = models.ForeignKey("persons.Person", on_delete=models.CASCADE, related_name="+")
    high = models.ForeignKey("persons.Person", on_delete=models.CASCADE, related_name="+")
    proposal = models.ForeignKey(MatchProposal, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(fields=["low", "high"], name="radar_rejected_pair_unique"),
            models.CheckConstraint(condition=Q(low__lt=models.F("high")), name="radar_pair_order"),
        ]

    def __str__(self) -> str:
        return f"{self.low_id} != {self.high_id}"


class PersonMerge(models.Model):
    """A confirmed match: ``merged`` was merged into ``survivor``. ``moved`` lists every row
    re-pointed ([model label, pk, field]); ``removed`` every row deleted because it would
    have duplicated one of the survivor's (or become a relation with itself), with its
    values; ``merged_data`` the merged person's own fields. Undo restores all of it."""

    proposal = models.ForeignKey(MatchProposal, on_delete=models.PROTECT, related_name="merges")
    survivor = models.ForeignKey("persons.Person", on_delete=models.PROTECT, related_name="+")
    merged = models.ForeignKey("persons.Person", on_delete=models.PROTECT, related_name="+")
    moved = models.JSONField(default=list)
    removed = models.JSONField(default=list)
    merged_data = models.JSONField(default=dict)
    merged_at = models.DateTimeField()
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        default_permissions = ()
        ordering = ["merged_at", "pk"]

    def __str__(self) -> str:
        return f"{self.merged_id} -> {self.survivor_id}"


# --- end of decisions --------------------------------------------------------------------
