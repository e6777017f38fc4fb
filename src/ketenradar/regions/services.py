from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from ketenradar.accounts.actor import Actor
from ketenradar.audit import services as audit
from ketenradar.audit.constants import AuditAction
from ketenradar.regions.models import Municipality, Organisation, Region


def _require(actor: Actor, region: Region) -> None:
    if not actor.is_system and (
        not actor.has_perm("regions.manage_organisations") or actor.region != region
    ):
        raise PermissionDenied("regions.manage_organisations")


@transaction.atomic
def organisation_save(
    *,
    actor: Actor,
    region: Region,
    name: str,
    type: str,
    municipalities: list[Municipality] | Any,
    is_active: bool = True,
    organisation: Organisation | None = None,
) -> Organisation:
    _require(actor, region)
    created = organisation is None
    org = organisation or Organisation(region=region)
    org.name, org.type, org.is_active = name, type, is_active
    org.full_clean()
    org.save()
    org.municipalities.set(municipalities)
    audit.record(
        actor=actor,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        object_type="regions.organisation",
        object_id=org.pk,
        detail={"name": name, "type": type},
    )
    return org
