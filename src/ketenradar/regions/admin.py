from django.contrib import admin

from ketenradar.core.admin import AuditedModelAdmin
from ketenradar.regions.models import Municipality, Organisation, Region, Subregion, Team


@admin.register(Region)
class RegionAdmin(AuditedModelAdmin):
    region_lookup = "pk"
    list_display = ["name", "code"]


@admin.register(Subregion)
class SubregionAdmin(AuditedModelAdmin):
    list_display = ["name", "region"]


@admin.register(Municipality)
class MunicipalityAdmin(AuditedModelAdmin):
    list_display = [
        "name",
        "cbs_code",
        "subregion",
        "centrumgemeente",
        "inhabitants",
        "inhabitants_reference_date",
    ]
    list_filter = ["region", "subregion"]


@admin.register(Organisation)
class OrganisationAdmin(AuditedModelAdmin):
    list_display = ["name", "type", "region", "is_active"]
    list_filter = ["type", "region", "is_active"]
    search_fields = ["name"]
    filter_horizontal = ["municipalities"]


@admin.register(Team)
class TeamAdmin(AuditedModelAdmin):
    region_lookup = "organisation__region"
    list_display = ["name", "organisation"]
    filter_horizontal = ["municipalities"]
