"""Training the shipped default model on the synthetic Dutch population (plain Python)."""

from __future__ import annotations

import json
from pathlib import Path

from ketenradar.radar.engine.model import DEFAULT_FILE, Model
from ketenradar.radar.synthetic import generate_population, generate_reports, training_records

DEFAULT_PERSONS = 50_000
DEFAULT_REPORTS = 10_000
DEFAULT_SEED = 0
DEFAULT_PATH = Path(__file__).resolve().parent / "engine" / DEFAULT_FILE


def train_default(
    persons: int = DEFAULT_PERSONS, reports: int = DEFAULT_REPORTS, seed: int = DEFAULT_SEED
) -> Model:
    """EM on a synthetic register: ``persons`` known persons plus ``reports`` reports (some
    of them the same persons again, as in a real register), no labels used."""
    population = generate_population(persons, seed=seed)
    synthetic = generate_reports(population, reports, seed=seed + 1)
    model = Model.train(training_records(population, synthetic), seed=seed)
    model.info.update({"source": "synthetic", "persons": persons, "reports": reports})
    return model


def write_model(model: Model, path: Path = DEFAULT_PATH) -> None:
    path.write_text(
        json.dumps(model.to_dict(), indent=1, ensure_ascii=False, sort_keys=True) + "\n",
        encoding="utf-8",
    )
