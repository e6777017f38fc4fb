from __future__ import annotations

from django.contrib.auth.models import AbstractUser, Group
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ketenradar.accounts.constants import RoleCode


class User(AbstractUser):
    """A person who signs in. What they may do comes from their memberships, not from here."""

    class Meta(AbstractUser.Meta):  # type: ignore[name-defined]
        verbose_name = _("user")
        verbose_name_plural = _("users")
        permissions = [
            ("manage_users", _("Can manage users and their memberships")),
            ("use_admin", _("Can use the Django admin (functional administration)")),
            (
                "approve_memberships",
                _("Can approve another admin's request for a membership with a sensitive role"),
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class Role(models.Model):
    """A role of MISSION.md section 2; its permissions are those of its group (roles.json)."""

    code = models.CharField(_("code"), max_length=40, unique=True, choices=RoleCode.choices)
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    group = models.OneToOneField(Group, on_delete=models.PROTECT, related_name="role")

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering = ["name"]

    def __str__(self) -> str:
        return str(self.get_code_display())


class MembershipQuerySet(models.QuerySet["Membership"]):
    def current(self) -> MembershipQuerySet:
        """Memberships in force now: approved where approval is needed, begun, not ended
        (``ended_at`` is the moment an admin ended it; ``valid_until`` a planned last day)."""
        now = timezone.now()
        today = timezone.localdate(now)
        return self.filter(
            Q(valid_from__lte=today),
            Q(valid_until__isnull=True) | Q(valid_until__gte=today),
            Q(ended_at__isnull=True) | Q(ended_at__gt=now),
            awaiting_approval=False,
            organisation__is_active=True,
        )

    def awaiting_approval(self) -> MembershipQuerySet:
        return self.filter(awaiting_approval=True, ended_at__isnull=True)


class Membership(models.Model):
    """A user works for an organisation in a role (and optionally a team)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        "regions.Organisation", on_delete=models.PROTECT, related_name="memberships"
    )
    team = models.ForeignKey(
        "regions.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="memberships"
    )
    role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="memberships")
    valid_from = models.DateField(_("valid from"), default=timezone.localdate)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    ended_at = models.DateTimeField(
        _("ended at"),
        null=True,
        blank=True,
        help_text=_("When an admin ended the membership: it stops at this moment."),
    )
    awaiting_approval = models.BooleanField(
        _("awaiting approval"),
        default=False,
        help_text=_(
            "A role that sees client data or the access log takes effect only after a second "
            "admin (or the privacy officer) approves it."
        ),
    )
    requested_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    approved_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["organisation__name", "role__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="membership_unique_role"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} - {self.role} - {self.organisation}"

    @property
    def is_ended(self) -> bool:
        return self.ended_at is not None and self.ended_at <= timezone.now()


class ApiToken(models.Model):
    """A partner system's key for the API (e.g. the police bulk channel). Only a SHA-256
    hash is stored; the key itself is shown once, when it is made."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=8)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
