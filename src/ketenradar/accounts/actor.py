"""Who is acting: a user in one of their memberships (organisation + role)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ketenradar.accounts.models import Membership, User
    from ketenradar.regions.models import Organisation, Region


@dataclass(frozen=True)
class Actor:
    """The acting user and the membership they act in.

    Permissions come from the active membership's role only, so a user who is both a chain
    partner and a policy officer never mixes the two. ``label`` names a system process
    (the demo seeder, a management command) when there is no user.
    """

    user: User | None
    membership: Membership | None
    label: str = ""

    @classmethod
    def system(cls, label: str) -> Actor:
        return cls(user=None, membership=None, label=label)

    @property
    def is_system(self) -> bool:
        return self.user is None

    @property
    def organisation(self) -> Organisation | None:
        return self.membership.organisation if self.membership else None

    @property
    def region(self) -> Region | None:
        return self.membership.organisation.region if self.membership else None

    @property
    def role_code(self) -> str:
        return self.membership.role.code if self.membership else ""

    @cached_property
    def permissions(self) -> frozenset[str]:
        if self.membership is None:
            return frozenset()
        perms = self.membership.role.group.permissions.values_list(
            "content_type__app_label", "codename"
        )
        return frozenset(f"{app}.{codename}" for app, codename in perms)

    def has_perm(self, perm: str) -> bool:
        if self.user is None or not self.user.is_active:
            return False
        return perm in self.permissions

    def __str__(self) -> str:
        if self.user is None:
            return self.label
        return f"{self.user.username} ({self.role_code or '-'})"
