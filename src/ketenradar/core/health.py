"""Liveness and readiness for a load balancer or an orchestrator: no login, no personal
data, no session, no access-log event (nobody's data is read).

- ``/health/live/``: the process answers requests (nothing else is checked).
- ``/health/ready/``: the database answers, every migration is applied, and the access
  log's chain head can be read (the application refuses writes without it). 503 with the
  failed check named otherwise, so that a new release is not given traffic before
  ``migrate`` ran.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


def _database() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone() == (1,)


def _migrations() -> bool:
    executor = MigrationExecutor(connection)
    return not executor.migration_plan(executor.loader.graph.leaf_nodes())


def _audit_chain_head() -> bool:
    from ketenradar.audit.models import AuditChainHead

    AuditChainHead.objects.values_list("seq", flat=True).first()
    return True


CHECKS: dict[str, Callable[[], bool]] = {
    "database": _database,
    "migrations": _migrations,
    "audit_chain_head": _audit_chain_head,
}


@login_not_required
@never_cache
@require_safe
def live(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@login_not_required
@never_cache
@require_safe
def ready(request: HttpRequest) -> JsonResponse:
    results: dict[str, str] = {}
    for name, check in CHECKS.items():
        try:
            results[name] = "ok" if check() else "failed"
        except Exception:  # any failure means: not ready
            results[name] = "failed"
            if name == "database":
                break
    ready = all(value == "ok" for value in results.values()) and len(results) == len(CHECKS)
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", "checks": results},
        status=200 if ready else 503,
    )
