"""Signals inside the application (signaleringen): the shape every app uses to tell a user
what needs their attention (an overdue action, an evaluation due, an escalation, a
restraining order's extension decision due).

Notices are computed, not stored: each app that has deadlines exposes a selector
``notices_for(*, actor, now) -> list[Notice]`` which returns only what the actor may see,
and the notification page lists them together. A notice carries no client data beyond
what its link opens (the title names the kind of work and an identifier, never a name);
opening the link is what gets logged.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _


class Severity(models.TextChoices):
    INFO = "info", _("to do")
    DUE = "due", _("due soon")
    OVERDUE = "overdue", _("overdue")


@dataclass(frozen=True)
class Notice:
    kind: str  # a stable code, e.g. "restraining_extension_due"
    title: str | Promise  # what needs doing, translated; no names of persons
    due_at: dt.datetime
    url: str
    severity: str = Severity.INFO

    @property
    def severity_label(self) -> str:
        return str(Severity(self.severity).label)


def severity_for(due_at: dt.datetime, now: dt.datetime, *, soon: dt.timedelta) -> str:
    """Overdue when the moment has passed, due when it falls within ``soon``."""
    if due_at < now:
        return Severity.OVERDUE
    if due_at <= now + soon:
        return Severity.DUE
    return Severity.INFO


def collect(*, actor: Any, now: dt.datetime) -> list[Notice]:
    """Every app's notices for the actor, overdue first, then by due moment. The apps are
    named in ``settings.KETENRADAR_NOTICE_PROVIDERS`` (dotted paths of their ``notices_for``
    selectors), so core imports none of them."""
    found: list[Notice] = []
    for path in settings.KETENRADAR_NOTICE_PROVIDERS:
        found.extend(import_string(path)(actor=actor, now=now))
    order = {Severity.OVERDUE: 0, Severity.DUE: 1, Severity.INFO: 2}
    return sorted(found, key=lambda n: (order[Severity(n.severity)], n.due_at))
