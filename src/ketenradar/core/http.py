"""The acting user of a request, and the function-level permission check of a view."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from ketenradar.accounts.actor import Actor


def actor_of(request: HttpRequest, perm: str | None = None) -> Actor:
    """``request.actor`` (set by ActorMiddleware); with ``perm``, 403 unless the actor's
    active role holds it. Row-level decisions stay in the selectors."""
    actor: Actor | None = getattr(request, "actor", None)
    if actor is None:
        raise PermissionDenied("not signed in")
    if perm is not None and not actor.has_perm(perm):
        raise PermissionDenied(perm)
    return actor
