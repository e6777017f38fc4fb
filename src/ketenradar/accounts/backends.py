"""Permissions come from the roles of a user's current memberships, never from group names."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission


class MembershipBackend(ModelBackend):
    def _get_group_permissions(self, user_obj: Any) -> Any:
        return Permission.objects.filter(
            group__role__memberships__in=user_obj.memberships.current()
        )
