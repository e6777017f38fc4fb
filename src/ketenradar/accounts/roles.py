"""Ship the roles of MISSION.md section 2 as data: one auth group per role."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.contrib.auth.models import Group, Permission
from django.db import transaction

ROLES_FILE = Path(__file__).with_name("roles.json")


def load_role_definitions() -> dict[str, dict[str, Any]]:
    data: dict[str, dict[str, Any]] = json.loads(ROLES_FILE.read_text(encoding="utf-8"))["roles"]
    return data


def _permission(label: str) -> Permission:
    app_label, codename = label.split(".", 1)
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


@transaction.atomic
def sync_roles() -> None:
    """Create or update every role's group so that it holds exactly the listed permissions."""
    from ketenradar.accounts.models import Role

    for code, spec in load_role_definitions().items():
        group, _created = Group.objects.get_or_create(name=f"role:{code}")
        group.permissions.set([_permission(label) for label in spec["permissions"]])
        Role.objects.update_or_create(
            code=code,
            defaults={"name": spec["name"], "description": spec["description"], "group": group},
        )


def sync_roles_after_migrate(sender: Any, **kwargs: Any) -> None:
    """Runs once per migrate: after the last app with models, when every permission exists."""
    from django.apps import apps

    last = [config for config in apps.get_app_configs() if config.models_module is not None][-1]
    if getattr(sender, "label", None) != last.label:
        return
    sync_roles()
