import time
from typing import Any

from django.core.management.base import BaseCommand

from ketenradar.radar.engine.model import Model, top_levels
from ketenradar.radar.metrics import evaluate, format_evaluation
from ketenradar.radar.synthetic import (
    generate_hard_cases,
    generate_population,
    generate_reports,
    training_records,
)


class Command(BaseCommand):
    help = (
        "Evaluate the radar's engine on a synthetic Dutch population: precision, recall and "
        "F1 per band, top-1 accuracy of lookups, the hard case (moved in with another "
        "household, no BSN) and twins."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--persons", type=int, default=20_000)
        parser.add_argument("--reports", type=int, default=5_000)
        parser.add_argument("--hard", type=int, default=1_000, help="hard-case reports")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--train",
            action="store_true",
            help="train the model with EM on this population and its reports (no labels) "
            "instead of using the shipped default model",
        )
        parser.add_argument("--weights", action="store_true", help="print the weights too")

    def handle(self, *args: Any, **options: Any) -> None:
        start = time.perf_counter()
        seed = options["seed"]
        population = generate_population(options["persons"], seed=seed)
        reports = generate_reports(population, options["reports"], seed=seed + 1)
        hard = generate_hard_cases(population, options["hard"], seed=seed + 2)
        if options["train"]:
            model = Model.train(training_records(population, reports), seed=seed)
            source = "trained with EM on this data"
        else:
            model = Model.default().with_population(len(population.persons))
            source = "the shipped default model"
        self.stdout.write(
            f"population {len(population.persons)} persons in {len(population.households)} "
            f"households (seed {seed}); model: {source}"
        )
        ev = evaluate(model, population, reports, hard)
        for line in format_evaluation(ev):
            self.stdout.write(line)
        if options["weights"]:
            for field, level, weight in top_levels(model):
                self.stdout.write(f"  {field:<12}{level:<48}{weight:>8.2f}")
        self.stdout.write(f"seconds: {time.perf_counter() - start:.1f}")
