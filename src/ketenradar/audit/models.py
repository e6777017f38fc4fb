"""The append-only access log (NEN 7513).

Nothing in the application updates or deletes an event: the model refuses it, the
queryset refuses it and the database refuses it (triggers, see migration 0002). Each event
carries the hash of its predecessor, so a change behind the application's back breaks the
chain, which ``manage.py verify_audit_chain`` finds.
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ketenradar.audit.constants import AuditAction, AuditOutcome

GENESIS_HASH = "0" * 64


class AppendOnlyError(Exception):
    pass


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("The access log is append-only.")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("The access log is append-only.")


class AuditEvent(models.Model):
    seq = models.BigIntegerField(_("sequence"), unique=True, editable=False)
    occurred_at = models.DateTimeField(_("time (UTC)"), db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
    )
    username = models.CharField(_("user"), max_length=150)
    role = models.CharField(_("role"), max_length=40, blank=True)
    organisation_id = models.BigIntegerField(null=True)
    organisation_name = models.CharField(_("organisation"), max_length=200, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=AuditAction.choices)
    outcome = models.CharField(_("outcome"), max_length=10, choices=AuditOutcome.choices)
    object_type = models.CharField(_("object type"), max_length=60, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    person_id = models.BigIntegerField(_("person concerned"), null=True, db_index=True)
    reason = models.TextField(_("reason"), blank=True)
    break_glass = models.BooleanField(_("break-glass"), default=False)
    request_id = models.CharField(_("request id"), max_length=32, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True)
    detail = models.JSONField(_("detail"), default=dict)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("access log event")
        verbose_name_plural = _("access log events")
        ordering = ["seq"]
        default_permissions = ()
        permissions = [
            ("view_access_log", _("Can view the access log")),
            ("export_access_log", _("Can export the access log")),
        ]
        indexes = [models.Index(fields=["person_id", "occurred_at"], name="audit_person_time")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.occurred_at:%Y-%m-%d %H:%M:%S} {self.username} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("The access log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("The access log is append-only.")


class AuditChainHead(models.Model):
    """One row: the last sequence number and hash. Locked while an event is appended."""

    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=GENESIS_HASH)

    class Meta:
        default_permissions = ()

    def __str__(self) -> str:
        return f"head #{self.seq}"
