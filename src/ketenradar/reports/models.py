"""Advice requests and reports at Veilig Thuis (contacts), the reporter's protected identity,
the persons concerned, and the Veilig Thuis dossier a report opens or joins."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ketenradar.reports.constants import (
    Channel,
    ContactKind,
    DossierState,
    EarlierInvolvement,
    PersonRole,
    ReporterCategory,
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

    class Meta:
        verbose_name = _("Veilig Thuis dossier")
        verbose_name_plural = _("Veilig Thuis dossiers")
        ordering = ["-opened_at"]
        default_permissions = ()
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
        indexes = [models.Index(fields=["organisation", "received_at"], name="contact_org_time")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.received_at:%Y-%m-%d}"


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
