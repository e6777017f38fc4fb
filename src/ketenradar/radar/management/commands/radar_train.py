"""Train the radar's model on the region's own persons (EM, no labels) and activate it."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ketenradar.radar.services import train_model


class Command(BaseCommand):
    help = "Train the radar's matching model on the known persons (EM, unsupervised)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--sample",
            type=int,
            default=200_000,
            help="train on at most this many persons (an even sample of the ids)",
        )
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--no-activate", action="store_true", help="store the model without activating it"
        )

    def handle(self, *args: Any, sample: int, seed: int, no_activate: bool, **options: Any) -> None:
        start = time.perf_counter()
        stored = train_model(sample=sample, seed=seed, activate_it=not no_activate)
        state = "active" if stored.active else "stored, not active"
        self.stdout.write(
            f"Radar: model {stored.pk} trained on {stored.training_size:,} persons "
            f"in {time.perf_counter() - start:.1f} s ({state})."
        )
