"""A person's whole involvement on one timeline (the person page): contacts and dossiers
at Veilig Thuis, cases, restraining orders, shelter placements, registrations merged by
the radar.

Each app owns its records and decides who may see them, so each exposes a selector
``timeline_for(*, actor, person) -> list[Entry]`` that returns only the entries the actor
may see under that app's own need-to-know (a chain partner sees its own case, never a
Veilig Thuis contact or who reported it). The apps are named in
``settings.KETENRADAR_PERSON_TIMELINE_PROVIDERS``, so core and persons import none of them.
An entry names the kind of record, its reference and its stage, never another person or a
reporter; the person page that shows them is logged as a read of the person.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.functional import Promise
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Entry:
    kind: str  # a stable code: "vt_contact", "vt_dossier", "case", "restraining_order", ...
    label: str | Promise  # the kind of record, translated ("Melding", "Casus")
    title: str  # its reference and what it is about, without names
    started: dt.datetime | dt.date
    ended: dt.datetime | dt.date | None = None
    status: str | Promise = ""
    organisation: str = ""
    url: str = ""  # empty: the entry is shown, its record cannot be opened by this actor

    @property
    def sort_key(self) -> dt.datetime:
        moment = self.started
        if not isinstance(moment, dt.datetime):
            moment = dt.datetime.combine(moment, dt.time.min, tzinfo=dt.UTC)
        return moment


def collect(*, actor: Any, person: Any) -> list[Entry]:
    """Every app's entries about ``person`` that the actor may see, newest first."""
    found: list[Entry] = []
    for path in settings.KETENRADAR_PERSON_TIMELINE_PROVIDERS:
        found.extend(import_string(path)(actor=actor, person=person))
    return sorted(found, key=lambda e: (e.sort_key, e.kind, e.title), reverse=True)
