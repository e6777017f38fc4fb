from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    """The event catalogue (docs/audit-logging.md); NEN 7513 ch. 6."""

    READ = "read", _("read")
    LIST = "list", _("shown in a list")
    SEARCH = "search", _("found by a search")
    CREATE = "create", _("created")
    UPDATE = "update", _("changed")
    DELETE = "delete", _("deleted")
    EXPORT = "export", _("exported")
    PRINT = "print", _("printed")
    MERGE = "merge", _("merged")
    LOGIN = "login", _("signed in")
    LOGIN_FAILED = "login_failed", _("sign-in failed")
    LOGOUT = "logout", _("signed out")
    OTP_SETUP = "otp_setup", _("second factor set up")
    BREAK_GLASS = "break_glass", _("emergency access (break-glass) started")
    REVIEW = "review", _("reviewed")
    ADMIN = "admin", _("administration")


class AuditOutcome(models.TextChoices):
    SUCCESS = "success", _("success")
    DENIED = "denied", _("denied")
    FAILURE = "failure", _("failure")
