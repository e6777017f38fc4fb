from typing import Any

from django.core.management.base import BaseCommand

from ketenradar.radar.training import (
    DEFAULT_PATH,
    DEFAULT_PERSONS,
    DEFAULT_REPORTS,
    DEFAULT_SEED,
    train_default,
    write_model,
)


class Command(BaseCommand):
    help = (
        "Train the radar's default model with EM on the synthetic Dutch population (fixed "
        "seed) and write it into the package (engine/default_model.json)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--persons", type=int, default=DEFAULT_PERSONS)
        parser.add_argument("--reports", type=int, default=DEFAULT_REPORTS)
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
        parser.add_argument("--output", default=str(DEFAULT_PATH))

    def handle(self, *args: Any, **options: Any) -> None:
        from pathlib import Path

        model = train_default(options["persons"], options["reports"], options["seed"])
        write_model(model, Path(options["output"]))
        self.stdout.write(f"prior {model.prior:.3g}, {model.info}")
        self.stdout.write(f"written to {options['output']}")
