"""MDA++: the referral of a case, the core team's conferences, their weighing, global plan
and actions per agency. Workflow lives in ``services.py``; these are the tables and their
invariants."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ketenradar.mda.constants import OPEN_STATUSES, ReferralStatus

USER = settings.AUTH_USER_MODEL


class Referral(models.Model):
    """A case referred by its coordinator to an MDA++ organisation, with the criteria met."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey("care.Case", on_delete=models.PROTECT, related_name="mda_referrals")
    mda_organisation = models.ForeignKey(
        "regions.Organisation",
        on_delete=models.PROTECT,
        related_name="mda_referrals",
        verbose_name=_("MDA++ organisation"),
    )
    referred_at = models.DateTimeField(_("referred"))
    referred_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    question = models.TextField(_("question to MDA++"))
    structural_unsafety = models.BooleanField(_("structural unsafety"), default=False)
    structural_unsafety_motivation = models.TextField(blank=True)
    help_without_safety = models.BooleanField(
        _("much help from several organisations without stable safety"), default=False
    )
    help_without_safety_motivation = models.TextField(blank=True)
    recurrence_risk = models.BooleanField(_("high risk of recurrence"), default=False)
    recurrence_risk_motivation = models.TextField(blank=True)
    intergenerational_risk = models.BooleanField(
        _("high risk of intergenerational transfer"), default=False
    )
    intergenerational_risk_motivation = models.TextField(blank=True)
    trauma_care_needed = models.BooleanField(
        _("intensive, long-term approach with trauma screening and treatment needed"),
        default=False,
    )
    trauma_care_needed_motivation = models.TextField(blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.REFERRED
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    handed_back_at = models.DateTimeField(null=True, blank=True)
    handed_back_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    team_member = models.ForeignKey(
        "care.TeamMember", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True, db_index=True)  # monitor refresh

    class Meta:
        verbose_name = _("MDA++ referral")
        verbose_name_plural = _("MDA++ referrals")
        ordering = ["-referred_at", "pk"]
        default_permissions = ()
        permissions = [
            ("refer_to_mda", _("Can refer a case they coordinate to MDA++")),
            ("run_mda", _("Can decide on referrals and run the conferences of their MDA++")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(status__in=OPEN_STATUSES),
                name="mda_one_open_referral_per_case",
            ),
            models.CheckConstraint(
                condition=~Q(status=ReferralStatus.DECLINED) | ~Q(decline_reason=""),
                name="mda_declined_with_reason",
            ),
        ]
        indexes = [models.Index(fields=["mda_organisation", "status"])]

    def __str__(self) -> str:
        return _("MDA++ referral %(ref)s") % {"ref": self.reference}

    @property
    def reference(self) -> str:
        return self.uuid.hex[:8].upper()


class Conference(models.Model):
    """A core-team conference (kernteambijeenkomst) of one MDA++ organisation."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    mda_organisation = models.ForeignKey(
        "regions.Organisation", on_delete=models.PROTECT, related_name="mda_conferences"
    )
    planned_at = models.DateTimeField(_("planned for"))
    chair = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    held_at = models.DateTimeField(_("held"), null=True, blank=True)
    participant_organisations = models.ManyToManyField(
        "regions.Organisation", related_name="+", blank=True
    )
    participants = models.TextField(_("participants (names and agencies)"), blank=True)
    next_conference_on = models.DateField(_("next conference"), null=True, blank=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("MDA++ conference")
        verbose_name_plural = _("MDA++ conferences")
        ordering = ["-planned_at", "pk"]
        default_permissions = ()

    def __str__(self) -> str:
        return _("MDA++ conference of %(date)s") % {"date": f"{self.planned_at:%d-%m-%Y}"}


class ConferenceCase(models.Model):
    """A referral on a conference's agenda: the weighing and the global plan."""

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="cases")
    referral = models.ForeignKey(
        Referral, on_delete=models.PROTECT, related_name="conference_cases"
    )
    risk_factors = models.TextField(_("risk factors"), blank=True)
    protective_factors = models.TextField(_("protective factors"), blank=True)
    global_plan = models.TextField(_("global plan"), blank=True)
    weighed_at = models.DateTimeField(null=True, blank=True)
    weighed_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["pk"]
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(
                fields=["conference", "referral"], name="mda_referral_once_per_conference"
            )
        ]

    def __str__(self) -> str:
        return f"{self.conference} - {self.referral}"


class ConferenceAction(models.Model):
    """An action of the global plan for one agency, with its owner and date."""

    conference_case = models.ForeignKey(
        ConferenceCase, on_delete=models.CASCADE, related_name="actions"
    )
    agency = models.ForeignKey(
        "regions.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("agency")
    )
    owner = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    owner_name = models.CharField(_("owner"), max_length=200, blank=True)
    description = models.TextField(_("action"))
    due_date = models.DateField(_("due"))
    created_at = models.DateTimeField()
    plan_action = models.ForeignKey(
        "care.PlanAction", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["due_date", "pk"]
        default_permissions = ()

    def __str__(self) -> str:
        return self.description
