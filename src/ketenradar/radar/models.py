"""The radar's data: every person's blocking keys (candidate retrieval) and the trained model.

``PersonKey`` rows are derived data: ``ketenradar.radar.index`` keeps them in step with the
persons and their current addresses, and ``manage.py radar_reindex`` rebuilds them all.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PersonKey(models.Model):
    """One blocking key of one person: a lookup reads the persons sharing a key with the
    reported person through the (key, person) index, never the whole table."""

    person = models.ForeignKey(
        "persons.Person", on_delete=models.CASCADE, related_name="+", db_index=True
    )
    key = models.CharField(_("key"), max_length=64)

    class Meta:
        verbose_name = _("blocking key")
        verbose_name_plural = _("blocking keys")
        default_permissions = ()
        indexes = [models.Index(fields=["key", "person"], name="radar_personkey_key")]

    def __str__(self) -> str:
        return self.key


class MatchModel(models.Model):
    """A trained Fellegi-Sunter model (the engine's ``Model.to_dict()``); the active one
    with the latest ``trained_at`` scores every lookup."""

    params = models.JSONField(_("parameters"))
    trained_at = models.DateTimeField(_("trained at"))
    training_size = models.PositiveIntegerField(_("persons trained on"))
    active = models.BooleanField(_("active"), default=False)

    class Meta:
        verbose_name = _("match model")
        verbose_name_plural = _("match models")
        default_permissions = ()
        indexes = [models.Index(fields=["active", "trained_at"], name="radar_model_active")]

    def __str__(self) -> str:
        return f"{self.trained_at:%Y-%m-%d %H:%M} ({self.training_size})"
