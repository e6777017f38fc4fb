"""Liveness and readiness: anonymous, no personal data, no session, 503 with the failed
check named when the application is not ready."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

import pytest

from ketenradar.audit.models import AuditEvent
from ketenradar.core import health

pytestmark = pytest.mark.django_db


def test_live_and_ready_answer_anonymously_without_a_session(client: Client) -> None:
    before = AuditEvent.objects.count()
    live = client.get(reverse("core:health_live"))
    assert live.status_code == 200 and live.json() == {"status": "ok"}
    ready = client.get(reverse("core:health_ready"))
    assert ready.status_code == 200
    assert ready.json() == {
        "status": "ok",
        "checks": {"database": "ok", "migrations": "ok", "audit_chain_head": "ok"},
    }
    assert "sessionid" not in ready.cookies and not any(
        name.endswith("sessionid") for name in ready.cookies
    )
    assert "no-cache" in ready["Cache-Control"]
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize("failing", ["database", "migrations", "audit_chain_head"])
def test_not_ready_names_the_failed_check(client: Client, monkeypatch: Any, failing: str) -> None:
    def broken() -> bool:
        raise RuntimeError("down")

    monkeypatch.setitem(health.CHECKS, failing, broken)
    response = client.get(reverse("core:health_ready"))
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"][failing] == "failed"


def test_an_unapplied_migration_makes_it_not_ready(client: Client, monkeypatch: Any) -> None:
    from django.db.migrations.executor import MigrationExecutor

    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: [("x", False)])
    response = client.get(reverse("core:health_ready"))
    assert response.status_code == 503
    assert response.json()["checks"]["migrations"] == "failed"


def test_the_sqlite_installation_runs_with_a_write_ahead_log_and_a_busy_timeout() -> None:
    """The settings every installation starts from (the demo's, a small region's); the test
    settings keep their own in-memory database."""
    from ketenradar.conf import base

    default = base.DATABASES["default"]
    if default["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("the installation under test is configured for PostgreSQL")
    assert default["OPTIONS"]["timeout"] >= 5
    assert "journal_mode=WAL" in default["OPTIONS"]["init_command"]
    assert default["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
