"""Keyed hashes for the analytics layer: HMAC-SHA256 with KETENRADAR_ANALYTICS_KEY.

The key is kept outside the database (an environment variable in production), so the facts
alone cannot be linked back to a person: the same internal id always gives the same key,
and only who holds the key can compute it. Each kind of object has its own prefix, so a
person's key never equals a contact's.
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def _key() -> bytes:
    key: str = getattr(settings, "KETENRADAR_ANALYTICS_KEY", "")
    if not key:
        raise ImproperlyConfigured("KETENRADAR_ANALYTICS_KEY is not set.")
    return key.encode()


def pseudonym(kind: str, internal_id: int) -> str:
    return hmac.new(_key(), f"{kind}:{internal_id}".encode(), hashlib.sha256).hexdigest()


def person_key(person_id: int) -> str:
    return pseudonym("person", person_id)


def contact_key(contact_id: int) -> str:
    return pseudonym("contact", contact_id)


def dossier_key(dossier_id: int) -> str:
    return pseudonym("dossier", dossier_id)


def moment_key(moment_id: int) -> str:
    return pseudonym("monitoringmoment", moment_id)


# Chain care (docs/monitor.md#chain-care-ketenzorg): one prefix per kind of object.
CARE_KINDS = (
    "case",
    "traumascreening",
    "mdareferral",
    "restrainingorder",
    "facility",
    "bedcapacity",
    "placement",
    "waitinglistentry",
)
