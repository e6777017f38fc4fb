"""The radar's writes: training and activating a model."""

from __future__ import annotations

import random

from django.db import transaction
from django.utils import timezone

from ketenradar.accounts.actor import Actor
from ketenradar.audit import services as audit
from ketenradar.audit.constants import AuditAction
from ketenradar.persons.models import Person
from ketenradar.radar.engine.model import Model
from ketenradar.radar.engine.records import Record
from ketenradar.radar.index import load_persons, record_of_person
from ketenradar.radar.models import MatchModel

BATCH = 5000


def training_records(sample: int, seed: int) -> list[Record]:
    """At most ``sample`` persons (a seeded random sample of the ids) as engine records."""
    ids = list(Person.objects.order_by("pk").values_list("pk", flat=True))
    if len(ids) > sample:
        ids = sorted(random.Random(seed).sample(ids, sample))  # noqa: S311 - a sample, no secret
    records: list[Record] = []
    for start in range(0, len(ids), BATCH):
        records += [record_of_person(p, a) for p, a in load_persons(ids[start : start + BATCH])]
    return records


def activate(stored: MatchModel) -> None:
    with transaction.atomic():
        MatchModel.objects.filter(active=True).exclude(pk=stored.pk).update(active=False)
        MatchModel.objects.filter(pk=stored.pk).update(active=True)
    stored.active = True


def train_model(*, sample: int = 200_000, seed: int = 1, activate_it: bool = True) -> MatchModel:
    """EM on the region's own persons, without labels; stored, and active unless asked not."""
    records = training_records(sample, seed)
    # the prior of a pair is for lookups among all the region's persons, not the sample
    known = Person.objects.filter(merged_into__isnull=True).count()
    model = Model.train(records, seed=seed).with_population(known)
    with transaction.atomic():
        stored = MatchModel.objects.create(
            params=model.to_dict(),
            trained_at=timezone.now(),
            training_size=len(records),
            active=False,
        )
        if activate_it:
            activate(stored)
        audit.record(
            actor=Actor.system("radar_train"),
            action=AuditAction.CREATE,
            object_type="radar.matchmodel",
            object_id=stored.pk,
            detail={"training_size": len(records), "active": stored.active},
        )
    return stored
