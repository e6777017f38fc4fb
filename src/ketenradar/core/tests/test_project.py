"""Project-wide checks: migrations in step with the models, the committed OpenAPI spec in
step with the code, and every app with the same inner shape."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.utils import translation

import pytest

SPEC = Path(settings.PROJECT_DIR) / "docs" / "openapi.yaml"


@pytest.mark.django_db
def test_no_missing_migrations() -> None:
    out = StringIO()
    try:
        call_command("makemigrations", check=True, dry_run=True, stdout=out, stderr=out)
    except SystemExit as exc:  # makemigrations --check exits 1 when changes are missing
        pytest.fail(f"Model changes without a migration:\n{out.getvalue()}\n{exc}")


def test_openapi_spec_is_committed_and_current(tmp_path: Path) -> None:
    generated = tmp_path / "openapi.yaml"
    # in the site's language, whatever an earlier test's request left active in this thread
    with translation.override(settings.LANGUAGE_CODE):
        call_command("spectacular", file=str(generated), validate=True, fail_on_warn=True)
    assert SPEC.exists(), "docs/openapi.yaml is missing: run ./bin/openapi"
    assert generated.read_text() == SPEC.read_text(), (
        "docs/openapi.yaml is out of date: run ./bin/openapi"
    )


@pytest.mark.parametrize("app", ["regions", "accounts", "audit", "persons", "access", "programme"])
def test_apps_share_one_inner_shape(app: str) -> None:
    root = Path(settings.BASE_DIR) / app
    for part in (
        "models.py",
        "constants.py",
        "services.py",
        "selectors.py",
        "urls.py",
        "views.py",
        "tests",
    ):
        assert (root / part).exists(), f"{app} has no {part}"
