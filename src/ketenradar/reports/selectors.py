"""Reads of Veilig Thuis contacts and meldcode records, for the actor."""

from __future__ import annotations

import uuid

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404

from ketenradar.accounts.actor import Actor
from ketenradar.audit import services as audit
from ketenradar.audit.constants import AuditAction
from ketenradar.reports.models import MeldcodeRecord

USE_MELDCODE = "reports.use_meldcode"


def meldcode_records(*, actor: Actor) -> QuerySet[MeldcodeRecord]:
    """A professional's own meldcode records; nobody else's."""
    if not actor.has_perm(USE_MELDCODE) or actor.user is None:
        return MeldcodeRecord.objects.none()
    return MeldcodeRecord.objects.filter(professional=actor.user).select_related("contact")


def meldcode_record(*, actor: Actor, record_uuid: uuid.UUID | str) -> MeldcodeRecord:
    record = MeldcodeRecord.objects.filter(uuid=record_uuid).select_related("contact").first()
    if record is None:
        raise Http404
    if (
        not actor.has_perm(USE_MELDCODE)
        or actor.user is None
        or record.professional_id != actor.user.pk
    ):
        audit.record_denied(
            actor=actor,
            action=AuditAction.READ,
            object_type="reports.meldcoderecord",
            object_id=record.uuid.hex,
            reason="not the professional's own record",
        )
        raise PermissionDenied("not your meldcode record")
    with transaction.atomic():
        audit.record(
            actor=actor,
            action=AuditAction.READ,
            object_type="reports.meldcoderecord",
            object_id=record.uuid.hex,
        )
    return record
