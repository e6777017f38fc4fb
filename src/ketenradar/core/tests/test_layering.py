"""The import rules of docs/architecture.md, checked on the source (tests and migrations
excluded)."""

from __future__ import annotations

import ast
from pathlib import Path

from django.conf import settings

import pytest

ROOT = Path(settings.BASE_DIR)
LAYERS = [
    "core",
    "regions",
    "accounts",
    "audit",
    "persons",
    "access",
    "radar",
    "reports",
    "restraining",
    "shelter",
    "care",
    "mda",
    "programme",
    "monitor",
    "demo",
]
# Modules that hold data and rules, not behaviour: they import only from lower apps.
DATA_MODULES = {"models.py", "constants.py", "validators.py", "chain.py"}
# core's plumbing imports no other app at all.
CORE_PLUMBING = {"context.py", "logging.py", "middleware.py", "capabilities.py", "apps.py"}


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        found |= {n for n in names if n.startswith("ketenradar.")}
    return found


def _sources() -> list[tuple[str, Path]]:
    out = []
    for path in ROOT.rglob("*.py"):
        rel = path.relative_to(ROOT)
        if {"tests", "migrations", "e2e", "conf"} & set(rel.parts) or len(rel.parts) < 2:
            continue
        out.append((rel.parts[0], path))
    return out


@pytest.mark.parametrize(("app", "path"), _sources(), ids=lambda v: str(v))
def test_import_rules(app: str, path: Path) -> None:
    imported = _imports(path)
    apps = {m.split(".")[1] for m in imported} - {app}
    assert "demo" not in apps, "nothing imports the demo"
    assert not {m for m in imported if m.endswith(".views") and m.split(".")[1] != app}, (
        "views are the top: no other app imports them"
    )
    if path.name in DATA_MODULES:
        higher = {a for a in apps if LAYERS.index(a) > LAYERS.index(app)}
        assert not higher, f"{path.name} of {app} imports higher apps {higher}"
    if app == "core" and path.name in CORE_PLUMBING:
        assert not apps, f"core/{path.name} imports {apps}"
