"""``manage.py refresh_facts``: bring the monitor's facts up to date (incrementally)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from ketenradar.accounts.actor import Actor
from ketenradar.monitor.services import facts_refresh


class Command(BaseCommand):
    help = "Refresh the monitor's pseudonymised facts with what changed since the last run."

    def handle(self, *args: Any, **options: Any) -> None:
        result = facts_refresh(actor=Actor.system("system:refresh_facts"))
        read = ", ".join(f"{k} {v}" for k, v in sorted(result.read.items()))
        written = ", ".join(f"{k} {v}" for k, v in sorted(result.written.items())) or "nothing"
        self.stdout.write(f"read: {read}; written: {written}")
