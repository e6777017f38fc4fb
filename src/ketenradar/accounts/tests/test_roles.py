"""Roles are data: the groups hold exactly roles.json, and docs/authorization.md shows it."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

import pytest

from ketenradar.accounts.constants import RoleCode
from ketenradar.accounts.models import Role
from ketenradar.accounts.roles import load_role_definitions

DOC = Path(settings.PROJECT_DIR) / "docs" / "authorization.md"


@pytest.mark.django_db
def test_groups_hold_exactly_the_permissions_of_roles_json() -> None:
    definitions = load_role_definitions()
    assert set(definitions) == {r.value for r in RoleCode}
    for role in Role.objects.select_related("group"):
        perms = {
            f"{app}.{code}"
            for app, code in role.group.permissions.values_list(
                "content_type__app_label", "codename"
            )
        }
        assert perms == set(definitions[role.code]["permissions"]), role.code


def test_the_documented_role_table_matches_roles_json() -> None:
    lines = [line for line in DOC.read_text(encoding="utf-8").splitlines() if line.startswith("| ")]
    header = next(line for line in lines if line.startswith("| permission"))
    roles = [cell.strip().strip("`") for cell in header.strip("|").split("|")[1:]]
    documented: dict[str, set[str]] = {role: set() for role in roles}
    for line in lines:
        cells = [c.strip() for c in line.strip("|").split("|")]
        match = re.fullmatch(r"`([a-z_]+\.[a-z_]+)`", cells[0])
        if not match or len(cells) != len(roles) + 1:
            continue
        for role, cell in zip(roles, cells[1:], strict=True):
            if cell == "✓":
                documented[role].add(match.group(1))
    actual = {code: set(spec["permissions"]) for code, spec in load_role_definitions().items()}
    assert documented == actual
