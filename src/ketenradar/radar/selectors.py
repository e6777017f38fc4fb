"""Reads of the radar's decisions for other screens."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ketenradar.accounts.actor import Actor
from ketenradar.core import timeline
from ketenradar.persons.models import Person
from ketenradar.radar.models import PersonMerge


def timeline_for(*, actor: Actor, person: Person) -> list[timeline.Entry]:
    """Registrations merged into this person by a confirmed match, for the organisation
    that decided it (the other registration's details stay on the contact it came from)."""
    if actor.organisation is None:
        return []
    merges = PersonMerge.objects.filter(
        survivor=person,
        undone_at__isnull=True,
        proposal__organisation=actor.organisation,
    ).order_by("merged_at")
    return [
        timeline.Entry(
            kind="radar_merge",
            label=_("Registrations merged"),
            title=str(_("a second registration of this person, confirmed as the same person")),
            started=merge.merged_at,
            organisation=actor.organisation.name,
        )
        for merge in merges
    ]
