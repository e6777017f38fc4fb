from __future__ import annotations

from django.db.models import QuerySet

from ketenradar.accounts.actor import Actor
from ketenradar.regions.models import Municipality, Organisation


def municipality_list(*, actor: Actor) -> QuerySet[Municipality]:
    if not actor.has_perm("regions.view_region") or actor.region is None:
        return Municipality.objects.none()
    return Municipality.objects.filter(region=actor.region).select_related(
        "subregion", "centrumgemeente"
    )


def organisation_list(*, actor: Actor) -> QuerySet[Organisation]:
    if actor.region is None or not (
        actor.has_perm("regions.view_region") or actor.has_perm("regions.manage_organisations")
    ):
        return Organisation.objects.none()
    return Organisation.objects.filter(region=actor.region).prefetch_related("municipalities")
