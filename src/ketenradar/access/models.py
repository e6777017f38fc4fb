from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ketenradar.access.constants import BreakGlassReview, InvolvementKind


class InvolvementQuerySet(models.QuerySet["Involvement"]):
    def active(self) -> InvolvementQuerySet:
        now = timezone.now()
        return self.filter(Q(ended_at__isnull=True) | Q(ended_at__gt=now), started_at__lte=now)


class Involvement(models.Model):
    """An organisation, or one named professional of it, is actually involved with a person.

    Created by the services that create dossiers, cases, referrals and placements; it is
    the only way a person becomes visible to a chain partner. ``user`` empty: every
    authorised member of the organisation; ``user`` set: that professional only.
    """

    person = models.ForeignKey(
        "persons.Person", on_delete=models.CASCADE, related_name="involvements"
    )
    organisation = models.ForeignKey(
        "regions.Organisation", on_delete=models.PROTECT, related_name="involvements"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="involvements",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=InvolvementKind.choices)
    purpose = models.CharField(_("purpose"), max_length=300)
    source_type = models.CharField(max_length=60, blank=True)
    source_id = models.CharField(max_length=64, blank=True)
    started_at = models.DateTimeField(_("from"), default=timezone.now)
    ended_at = models.DateTimeField(_("until"), null=True, blank=True)

    objects = InvolvementQuerySet.as_manager()

    class Meta:
        verbose_name = _("involvement")
        verbose_name_plural = _("involvements")
        default_permissions = ()
        indexes = [
            models.Index(fields=["organisation", "person"], name="involvement_org_person"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} - {self.get_kind_display()} - {self.person_id}"


class BreakGlassGrant(models.Model):
    """Emergency access to one person's data: a stated reason, 24 h, reviewed afterwards."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="break_glass_grants"
    )
    membership = models.ForeignKey(
        "accounts.Membership", on_delete=models.PROTECT, related_name="break_glass_grants"
    )
    person = models.ForeignKey("persons.Person", on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("reason"))
    created_at = models.DateTimeField(_("started"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    review = models.CharField(
        _("review"),
        max_length=10,
        choices=BreakGlassReview.choices,
        default=BreakGlassReview.PENDING,
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    review_note = models.TextField(_("review note"), blank=True)

    class Meta:
        verbose_name = _("break-glass access")
        verbose_name_plural = _("break-glass accesses")
        ordering = ["-created_at"]
        default_permissions = ()
        permissions = [
            ("use_break_glass", _("Can use break-glass access")),
            ("review_break_glass", _("Can review break-glass accesses")),
        ]

    def __str__(self) -> str:
        return f"{self.user} -> {self.person_id} ({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def is_active(self) -> bool:
        return self.created_at <= timezone.now() < self.expires_at
