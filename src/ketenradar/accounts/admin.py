from typing import Any

from django.contrib import admin
from django.contrib.auth.models import Group
from django.http import HttpRequest

from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin  # noqa: F401 - registers first
from django_otp.plugins.otp_totp.models import TOTPDevice

from ketenradar.accounts.models import Membership, Role, User
from ketenradar.core.admin import AuditedModelAdmin, RegionScopedTabularInline


class MembershipInline(RegionScopedTabularInline):
    """Shown, never edited here: memberships change only through the account screens
    (``accounts.services``), which refuse changes to one's own memberships and hold a
    sensitive role until a second admin approves it."""

    model = Membership
    fk_name = "user"
    extra = 0
    fields = readonly_fields = (
        "organisation",
        "role",
        "team",
        "valid_from",
        "valid_until",
        "ended_at",
        "awaiting_approval",
    )

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(User)
class UserAdmin(AuditedModelAdmin):
    """Accounts without password fields: passwords are set by the user, never by an admin."""

    region_lookup = "memberships__organisation__region"
    list_display = ["username", "first_name", "last_name", "email", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["username", "first_name", "last_name", "email"]
    fields = ["username", "first_name", "last_name", "email", "is_active"]
    inlines = [MembershipInline]


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    """Roles are shipped as data (roles.json): visible here, changed only by a release."""

    list_display = ["name", "code"]
    readonly_fields = ["code", "name", "description", "group"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


admin.site.unregister(AccessAttempt)  # registered by axes.admin: replaced by an audited one


@admin.register(AccessAttempt)
class AuditedAccessAttemptAdmin(AuditedModelAdmin, AccessAttemptAdmin):
    """Unlocking an account (deleting its failed attempts) is audited like any admin change.
    Attempts are not regional: an attempt may name a username that does not exist."""

    region_lookup = None


# Roles are shipped as data (roles.json), not edited as groups; a TOTP device's secret is
# never shown to an administrator.
admin.site.unregister(Group)
admin.site.unregister(TOTPDevice)
