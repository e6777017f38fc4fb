"""Keys in step on every save and delete of a person or an address (connected in
``RadarConfig.ready``). Bulk writes send no signals: their callers call
``ketenradar.radar.index.refresh_keys`` themselves (the demo seeding does)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from ketenradar.persons.models import Address, Person
from ketenradar.radar.index import add_keys_of_new, refresh_keys


def person_saved(sender: type[Person], instance: Person, **kwargs: Any) -> None:
    if kwargs.get("created") and not kwargs.get("raw"):
        add_keys_of_new(instance)  # a new person has no address and no keys yet
    else:
        refresh_keys([instance.pk])


def address_saved(sender: type[Address], instance: Address, **kwargs: Any) -> None:
    refresh_keys([instance.person_id])


def address_deleted(sender: type[Address], instance: Address, **kwargs: Any) -> None:
    origin = kwargs.get("origin")
    # deleting a person deletes their addresses (and keys) first: nothing to bring in step
    if isinstance(origin, Person) or (isinstance(origin, QuerySet) and origin.model is Person):
        return
    refresh_keys([instance.person_id])
