from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ketenradar.regions.constants import OrganisationType

cbs_code_validator = RegexValidator(r"^GM\d{4}$", _("A CBS municipality code looks like GM0518."))


def default_monitoring_months() -> list[int]:
    """A known practice: contact at about 3, 12 and 18 months (MISSION.md section 3)."""
    return [3, 12, 18]


class Region(models.Model):
    """A region that runs Ketenradar (e.g. Haaglanden): one regiovisie, one Veilig Thuis."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    code = models.SlugField(_("code"), max_length=50, unique=True)
    monitoring_months = models.JSONField(
        _("monitoring moments (months)"),
        default=default_monitoring_months,
        help_text=_(
            "When Veilig Thuis checks on safety after a handover or Voorwaarden & Vervolg."
        ),
    )

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Subregion(models.Model):
    """A part of a region (Haaglanden: DWO and Den Haag)."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="subregions")
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("subregion")
        verbose_name_plural = _("subregions")
        ordering = ["region__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="subregion_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Municipality(models.Model):
    cbs_code = models.CharField(
        _("CBS code"), max_length=6, unique=True, validators=[cbs_code_validator]
    )
    name = models.CharField(_("name"), max_length=100)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="municipalities")
    subregion = models.ForeignKey(
        Subregion, on_delete=models.PROTECT, related_name="municipalities", null=True, blank=True
    )
    inhabitants = models.PositiveIntegerField(_("inhabitants"))
    inhabitants_reference_date = models.DateField(
        _("inhabitants on"), help_text=_("The date the number of inhabitants refers to.")
    )
    centrumgemeente = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="region_municipalities",
        verbose_name=_("centrumgemeente"),
        help_text=_("The lead municipality this municipality belongs to (itself for a lead)."),
    )

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_centrumgemeente(self) -> bool:
        return self.centrumgemeente_id == self.pk


class Organisation(models.Model):
    """A chain partner (ketenpartner)."""

    name = models.CharField(_("name"), max_length=200)
    type = models.CharField(_("type"), max_length=30, choices=OrganisationType.choices)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="organisations")
    municipalities = models.ManyToManyField(
        Municipality, related_name="organisations", blank=True, verbose_name=_("serves")
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        permissions = [("manage_organisations", _("Can manage the region's chain partners"))]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="organisation_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(_("name"), max_length=200)
    municipalities = models.ManyToManyField(Municipality, related_name="teams", blank=True)

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["organisation__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="team_unique_name")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation.name})"
