"""Rebuild every person's blocking keys (after a change of the engine's keys, or a bulk
load that bypassed the signals)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ketenradar.radar.index import reindex_all
from ketenradar.radar.models import PersonKey


class Command(BaseCommand):
    help = "Rebuild the radar's blocking keys of every person, in batches."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", type=int, default=5000, help="persons per transaction")

    def handle(self, *args: Any, batch: int, **options: Any) -> None:
        start = time.perf_counter()
        persons = reindex_all(batch=batch)
        self.stdout.write(
            f"Radar: keys of {persons:,} persons in step ({PersonKey.objects.count():,} keys) "
            f"in {time.perf_counter() - start:.1f} s."
        )
